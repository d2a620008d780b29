"""Reading facts from what people type: platforms, demands, ages, deadlines, deepfakes.

Pure functions (no Rasa objects), used by the slot extraction action and the facts form.
Values follow docs/contracts.md; unknown stays ``None`` ("onbekend" is never stored).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.language import cues, vocab
from bot.language.fold import fold
from bot.language.money import find_amounts, money_follows, normalise_amount, says_money
from bot.language.vocab import platforms
from bot.redact import HANDLE_RE, LINK_RE, WALLET_RE

QUESTION_INTENTS = (
    "ask_should_pay",
    "ask_evidence",
    "ask_block",
    "ask_removal",
    "ask_police",
    "ask_is_crime",
    "ask_anonymous",
    "ask_other",
)
MAX_OPEN_QUESTIONS = 10


def norm(text: Optional[str]) -> str:
    """Lowercase, accents removed, stretched letters folded, single spaces (bot/language/fold.py)."""
    return fold(text)


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


# --- Platforms -----------------------------------------------------------------------------
# The table is trainer-owned: data/vocab/platforms.yml (names, nicknames, tips), read lazily.
def _aliases() -> Dict[str, str]:
    return {alias: p.key for p in platforms().values() for alias in p.aliases}


def _short_aliases() -> set:
    """Aliases that are letters or ordinary words in a longer sentence: only exact answers count."""
    return {alias for p in platforms().values() for alias in p.short}


def _word_aliases() -> set:
    """Aliases that are also ordinary Dutch words ("ik snap er niks van", "mn app")."""
    return {alias for p in platforms().values() for alias in p.word}


def is_known_platform(value: Optional[str]) -> bool:
    return bool(value) and value in platforms()


def canonical_platform(value: Optional[str]) -> Optional[str]:
    """'Insta' -> 'instagram'; an entity value or a short answer. None if not a known platform."""
    t = norm(value).strip(" .!?")
    t = re.sub(r"^(via|op|over|met|in|bij|de|het|een)\s+", "", t)
    t = re.sub(r"^(via|op|de|het)\s+", "", t)
    return _aliases().get(t)


def without_parts(named: List[str], known: Optional[str] = None) -> List[str]:
    """The platforms named, without one that is part of another one named or of the one already
    known: "via facebook … daarna videobellen via messenger" is a Facebook account (``part_of`` in
    data/vocab/platforms.yml), and a case on Facebook stays there when Messenger is named later."""
    table = platforms()
    owners = set(named) | ({known} if known else set())
    return [p for p in named if not (p in table and table[p].part_of in owners)]


# "mijn X" is an ex, not the platform X (p_schrijfstijl.yml, session 33: voice-to-text wrote "ex" so)
_MY_X = re.compile(r"\b(mijn|mn|m'n|me|je|jouw|haar|zijn|zn|z'n|d'r|der|hun) x\b")


def find_platform(text: Optional[str]) -> Optional[str]:
    """The first known platform named in a longer message."""
    t = _MY_X.sub(r"\1 ex", norm(text))
    exact = canonical_platform(t)
    if exact:
        return exact
    best: Optional[Tuple[int, str]] = None
    short = _short_aliases()
    for alias, name in _aliases().items():
        if alias in short:
            continue
        m = re.search(r"(?<![\w])" + re.escape(alias) + r"(?![\w])", t)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    if best:
        return best[1]
    # common chat forms: "via snap", "op insta", "op de app" (a short alias after via/op/over)
    after = "|".join(sorted((re.escape(a) for a in short if len(a) > 1), key=len, reverse=True))
    m = re.search(r"\b(?:via|op|over)\s+(?:de\s+)?(" + after + r")\b", t) if after else None
    return _aliases().get(m.group(1)) if m else None


# "ik snap er niks van", "mn app", "x keer": short aliases that are ordinary words count only as a
# whole answer, after via/op/in/met/over/bij, or written as the app's name.
_AS_WORD_AFTER = re.compile(
    r"^\s*(er|het|t|'t|niet|niks|niets|dat|je|wat|wel|echt|nog|em|hem|haar|ook|toch|"
    r"gewoon|gwn|precies|helemaal|ff|even|jij|ik|hij|zij|ze|we)\b"
)
# a word alias after an article or a kind is the ordinary word ("een app", "zo'n AI app", "die app")
# (session 27, conversation suite e_begin.yml: WhatsApp was held where TikTok was said)
_A_KIND_OF_BEFORE = re.compile(r"\b(een|zo'?n|zon|die|deze|welke|andere|ai|nieuwe|rare|zelfde)\s+$")
_SENT_TO = re.compile(
    r"\b(sturen|stuurt|stuur|versturen|delen|deelt|posten|post|zetten|zet|verspreiden|"
    r"verspreidt|plaatsen|laten zien|doorsturen)\b"
)


# where the extorter looked people up, not where the contact happened: "mn collega's, die heeft hij al
# opgezocht op LinkedIn" made Tinder LinkedIn (session 28, f_luisteren.yml)
_MY_ACCOUNT_BEFORE = re.compile(r"\b(mijn|mn|m'n|zijn|haar|ons|onze)\s+$")
# (not "gehackt": "Mijn Facebook account is gehackt" is where it happens, the account to get back and to
# report; Messenger, named later, was held instead, q_gaandeweg.yml, session 34)
_FOUND_AFTER = re.compile(r"\s+((\w+\s+){0,2})?(gevonden|opgezocht|opgespoord|gestalkt|ontdekt|gevolgd)\b")
_LOOKED_UP = re.compile(
    r"\b(opgezocht|opgespoord|gestalkt|nagezocht|gegoogeld|gegoogled)\s+(\w+\s+)?(op|via|in)\s+(de\s+|het\s+)?$"
)


def platform_in_context(surface: Optional[str], text: Optional[str]) -> bool:
    """Is the entity text ``surface`` in ``text`` really an app or site where contact happened?

    False for a short alias used as an ordinary word ("ik snap er niks van") and for a platform
    named only as where the images would be sent or posted ("naar mn collega's op LinkedIn
    sturen"): the platform fact is where the contact happened (issue 15)."""
    t, word = norm(text), norm(surface)
    if not word or not t:
        return True
    if t.strip(" .!?") == word:
        return True
    m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", t)
    if not m:
        return True
    before, after = t[: m.start()], t[m.end() :]
    if (
        word in _word_aliases()
        and _AS_WORD_AFTER.match(after)
        and not re.search(r"\b(via|op|in|met|over|bij)\s+(de\s+|het\s+)?$", before)
    ):
        return False
    if word == "x" and _MY_X.search(t[: m.end()]):
        return False  # "mijn X heeft een filmpje van ons": an ex (voice-to-text), not the platform X
    if word in _word_aliases() and _A_KIND_OF_BEFORE.search(before):
        return False  # "met zo'n AI app mijn gezicht op een bloot lijf gezet": an app, not WhatsApp
    clause_start = max(before.rfind(c) for c in ".,;!?") + 1
    clause = t[clause_start : m.end() + 40]
    if _LOOKED_UP.search(before[clause_start:]):
        return False  # "die heeft hij al opgezocht op LinkedIn": where he found them (session 28)
    if _MY_ACCOUNT_BEFORE.search(before[clause_start:]) and _FOUND_AFTER.match(after):
        return False  # "Hij had mijn LinkedIn gevonden": where he found me, not the contact (session 29)
    if _GROUP_AFTER.match(after) and _POSTED.search(clause):
        # "hij heeft het alsnog in een whatsapp groep van mn school gezet": where it was posted; "op insta
        # begon het" came next (o_ongeduld.yml, session 32)
        return False
    if (
        _SENT_TO.search(clause)
        and re.search(r"\b(naar|aan)\b", before[clause_start:])
        and not re.search(r"\b(via|op)\s+\w+\s+(contact|gesprek|gechat|leren kennen|ontmoet)", clause)
    ):
        return False
    return True


_GROUP_AFTER = re.compile(r"\s*-?(groep\w*|group\w*|story|stories|status)\b")
_POSTED = re.compile(r"\b(gezet|gedeeld|gepost|geplaatst|rondgestuurd|gestuurd|verspreid|rond|staat|staan)\b")


def platform_name(platform: Optional[str]) -> str:
    """How the bot names the platform in a text; "de app" while it is unknown."""
    return vocab.platform_name(platform) if platform else "de app"


def platform_tips_text(platform: Optional[str]) -> Optional[str]:
    """This platform's own tips (data/vocab/platforms.yml); None: use the general tips."""
    known = platforms().get(platform or "")
    return known.tips if known else None


# --- Demands, payment methods, audience -----------------------------------------------------
_DEMAND_PATTERNS = (
    (
        "money",
        # and any money word of data/vocab/money.yml (find_demand: says_money)
        r"\b(geld|betalen|betaal|eur|€|tikkie|overmaken|bitcoin|crypto|paysafe\w*|cadeaukaart\w*|"
        r"giftcard\w*|gift card|steam ?kaart\w*|paypal|bedrag|\d+ ?k\b)",
    ),
    (
        "webcam",
        r"\b(webcam|cam|camera|videobel\w*|video ?bellen|facetime|videocall|live|bellen met (de )?camera|"
        r"voor de cam)",
    ),
    (
        "meeting",
        r"\b(afspreken|afspraak|ontmoeten|langskomen|naar (hem|haar) toe|date|meeten|"
        r"(in het )?echt zien)\b",
    ),
    (
        "relationship",
        r"\b(relatie|verkering|bij (hem|haar) blijven|terugkomen|weer samen|niet uit elkaar|"
        r"uitmaken|mn ex|mijn ex)\b",
    ),
    ("sex", r"\b(seks|sex|neuken|naar bed)\b"),
    (
        "more_images",
        r"\b(meer )?(foto|fotos|foto's|pics?|nudes?|naaktfoto\w*|video|videos|video's|filmpje\w*|"
        r"plaatjes?|beelden|nieuwe)\b",
    ),
    ("other", r"\b(iets anders|anders|andere dingen)\b"),
)
_DEMAND_ALIASES = {
    "money": "money",
    "geld": "money",
    "more_images": "more_images",
    "webcam": "webcam",
    "meeting": "meeting",
    "relationship": "relationship",
    "sex": "sex",
    "other": "other",
}


# A demand heard in a report without a demand entity (issue 15: "hij wil dat ik zaterdag naar hem toe
# kom" got the money script). Only wording that names a demand; "hij heeft mijn foto's" is none.
_HEARD_DEMANDS = (
    (
        "meeting",
        r"\b(afspreken|afspraak maken|ontmoeten|langskomen|naar (hem|haar) toe (kom|komen|gaan|ga)|"
        r"(bij|naar) (hem|haar) (thuis )?(komen|kom)|meeten|(in het )?echt (zien|ontmoeten)|"
        # "dat ik zaterdag naar zijn huis moet komen" (no demand held; q_gaandeweg.yml, session 34)
        r"naar (zijn|haar|zn|z'n) (huis|kamer|adres|hotel|auto|werk) ((moet|moest|zou|mag) )?(kom|komen|ga|gaan)|"
        r"(hij|zij|ze) wilt? (mij|me)\s*($|[.,!?]))",
    ),
    ("sex", r"\b(seks|sex|neuken|naar bed|met (hem|haar) slapen)\b"),
    (
        "relationship",
        # "als ik niet bij hem terug kom" (session 29, i_anders.yml)
        # "als ik niet terug kom stuurt hij ze in de klassengroep" (session 31, l_vragen.yml)
        r"\b(verkering|bij (hem|haar) blijven|terug ?komen bij|bij (hem|haar) terug ?(kom|kome|komen|komt)|weer samen|"
        r"als ik (niet )?(bij (hem|haar) )?terug ?(kom|kome|komen)|"
        # a boyfriend: "als ze niet terugkomt bij hem zet hij het online" (r_omstanders.yml, session 35)
        r"als (ze|zij|hij|je|jij) (niet |nie )?(bij (hem|haar) )?terug ?(komt|kom|komen|gaat)|"
        r"niet uit elkaar|relatie (houden|blijven))\b",
    ),
    # "nu wil hij dat ik voor hem op cam ga" (session 31, m_wending.yml: no demand held)
    (
        "webcam",
        # "dat hij voor de camera moet gaan zitten en dingen moet doen" (a grandmother; r_omstanders.yml, session 35)
        r"\b(webcam|voor de (cam|camera|kamera)|op (de )?cam (ga|gaan|kom|komen|moet)|videobel\w*|video ?bellen|facetime|videocall|"
        r"live (gaan|laten zien))\b|"
        # "nu wil hij dat ik het weer doe op kamera" (p_schrijfstijl.yml, session 33)
        r"\bdat ik (het |dat )?(weer |opnieuw |nog eens |nog een keer )?(doe|ga|kom|moet) (op|voor) (de )?(cam|camera|kamera|webcam)\b|"
        # "nu wil hij dat ik vanavond met hem bel op discord met mn camera aan" (a girl of 13; t_jong.yml, session 36)
        r"\b(bel|bellen|belt|call|callen)\b.{0,40}\bmet (mn|mijn|m.n|je|de) (camera|cam|kamera) aan\b",
    ),
    (
        "more_images",
        r"\b(wil|wilt|willen|eist|eisen|vraagt|vragen|moet)\b.{0,30}\b(meer|nieuwe|extra|nog)\b.{0,12}"
        r"(foto|fotos|foto's|pics?|nudes?|video|videos|video's|filmpjes?|beelden)|"
        # "hij wil er meer" (of the pictures just named; session 13)
        # "wil er meer" without a subject, as people chat (session 28, g_kort.yml)
        r"(\b((hij|zij|ze|die) (wil|wilt|willen|eist|vraagt)|(wil|wilt|eist|vraagt) (hij|zij|ze|die))|^(wil|wilt|eist|vraagt)) er (nog )?meer( van)?"
        # ... at the end, or before the threat ("nu wil hij er meer anders zet hij m online")
        r"(\W*$|\W+(anders|of|want|en anders|zo niet)\b)|"
        # "nu zegt hij dat ik er nog meer moet sturen anders ..." (session 29, on a new machine kind)
        r"\ber (nog )?meer (moet |moeten |te |gaan )?(sturen|stuur|opsturen|maken)\b|"
        # "hij wil er vanavond 3 nieuwe. 'anders weet heel je school het'" (o_ongeduld.yml, session 32)
        r"\b(hij|zij|ze|die) (wil|wilt|willen|eist|vraagt) er ((?!(niet|nie|geen|nooit)\b)\w+ ){0,3}(meer|nieuwe|extra)\b"
        r"(?! (zijn|leven|weten|mee)\b)|"
        # "als ik nie meer stuur dan sturt hij m naar iedreen", "hij wil ook een filmpje voor vanavond 10uur
        # anders gaat die rond" (a girl of 13, p_schrijfstijl.yml, session 33): no demand was held
        # (also "als ik er geen meer stuur", a live try, session 35)
        # and about someone else: "als zij geen nieuwe foto's stuurt" (a mentor; r_omstanders.yml, session 36)
        r"\bals (ik|hij|zij|ze|je|jij) (er |hem |haar |ze )?(niet|nie|geen|niks|nix) (meer|nieuwe|nog)( [\w']+)? "
        r"(stuur|stuurt|sturen|opstuur|opstuurt|verstuur|verstuurt)\b|"
        # "... naar mn hele klas stuurt als ik geen filmpje stuur" (a girl of 14; s_tegenspraak.yml, session 36)
        r"\bals (ik|hij|zij|ze|je|jij) (geen|niet nog een|niet een) (foto|fotos|foto's|filmpje|filmpjes|video|videos|video's|"
        r"pic|pics|nude|nudes|naaktfoto|naaktfotos) (meer )?(stuur|stuurt|sturen|opstuur|opstuurt|maak|maakt)\b|"
        # "hij wil er nog 3" (a live try, session 35: held as money)
        r"\b(hij|zij|ze|die) (wil|wilt|willen|eist|vraagt) er (nog |weer |ook )?\d{1,2}\b(?! ?(euro|eur|e\b|€))|"
        # also verb first: "maar nu wil hij een filmpje" (q_gaandeweg.yml, session 34)
        r"\b((hij|zij|ze|die) (wil|wilt|eist|vraagt)|(wil|wilt|eist|vraagt) (hij|zij|ze|die)) (ook |nog |nu )?(een |nog een |weer een )?(nieuwe? )?"
        r"(foto|fotootje|filmpje|video|pic|nude)s?\b"
        r"(?!( van (mij|me|ons|mn \w+|mijn \w+))? (online|versprei\w*|delen|posten|rond\w*|plaatsen|doorsturen|laten zien|sturen|naar)\b)"
        r"(?! van (mn|mijn|je|m.n) (paspoort|id|identiteitskaart|rijbewijs|bankpas|pas)\b)",
    ),
    (
        "money",
        r"^(geld|centen|poen|euros?|betalen)\W*$|\b(hij|zij|ze) wil(t|len)? (?!geen\b|niet\b)(\w+ )?(geld|betaald worden)\b|"
        # without a subject, as people chat: "wil geld" (g_kort.yml on session 35's kind: no demand held)
        r"^(en |nu |maar )?(wil|wilt|eist|vraagt) (nu |ook |nog |wel )?(geld|centen|poen|euros?)\b|"
        # a mother: "... stuurt als hij geen Roblox-kaarten koopt" (no "betaal niet"; q_gaandeweg.yml, session 34)
        r"\bals (hij|zij|ze|ik|je|jij) (geen|niet|nie) ([\w]+[- ]?){0,2}?(kaart\w*|cadeaukaart\w*|giftcards?|geld|bitcoins?|euros?|codes?)\b"
        r".{0,15}\b(koopt|kopen|koop|stuurt|sturen|stuur|betaalt|betalen|betaal|geeft|geven|overmaakt)\b",
    ),
)


def heard_demand(text: Optional[str]) -> Optional[str]:
    t = norm(text)
    for kind, pattern in _HEARD_DEMANDS:
        if _has(pattern, t):
            return kind
    return None


def not_about_money(text: Optional[str]) -> bool:
    """'ik heb nog niks gezegd over geld', 'hij wil geen geld hij wil mij': a correction (its wordings
    are the topic intent_inform of texts/question_topics.yml, one list for the NLU and the facts)."""
    from bot.language.question_topics import question_topic

    return question_topic(text) == "intent_inform"


def canonical_demand(value: Optional[str]) -> Optional[str]:
    """An entity value (synonym-mapped or as written) to a demand type."""
    t = norm(value)
    if not t:
        return None
    if t in _DEMAND_ALIASES:
        return _DEMAND_ALIASES[t]
    return find_demand(t)


def find_demand(text: Optional[str]) -> Optional[str]:
    t = norm(text)
    for kind, pattern in _DEMAND_PATTERNS:
        if _has(pattern, t) or (kind == "money" and says_money(t)):
            return kind
    return None


PAYMENT_METHODS = ("bank", "tikkie", "paypal", "giftcard", "crypto", "other")
_PAYMENT_PATTERNS = (
    ("tikkie", r"\btikkie"),
    ("paypal", r"\bpaypal"),
    (
        "giftcard",
        r"(paysafe|giftcard|gift card|cadeaukaart|cadeaubon|steam ?(kaart|card|tegoed)|"
        r"amazon|apple|itunes|google ?play|bol\.com|tegoed ?kaart|\bcodes?\b|\bkaart(je|en)?\b)",
    ),
    ("crypto", r"(bitcoin|\bbtc\b|crypto|ethereum|\beth\b|usdt|tether|wallet|litecoin)"),
    ("bank", r"(\biban\b|bankrekening|rekeningnummer|\bbank\b|overmaken|overgemaakt|overschrijv\w*|ideal)"),
)


def canonical_payment_method(value: Optional[str]) -> Optional[str]:
    t = norm(value)
    if not t:
        return None
    if t in PAYMENT_METHODS:
        return t
    for kind, pattern in _PAYMENT_PATTERNS:
        if _has(pattern, t):
            return kind
    return "other"


def find_payment_method(text: Optional[str]) -> Optional[str]:
    t = norm(text)
    for kind, pattern in _PAYMENT_PATTERNS:
        if _has(pattern, t):
            return kind
    return None


AUDIENCES = ("friends", "family", "school", "work", "followers", "partner", "everyone")
_AUDIENCE_PATTERNS = (
    ("school", r"\b(school|klas|klasgeno\w*|leraren|leraar|docent\w*|mentor|schoolgroep)"),
    ("work", r"\b(werk|baas|collega\w*|werkgever|stage)"),
    ("family", r"\b(ouders|familie|moeder|vader|mama|papa|mam|pap|broer\w*|zus\w*|opa|oma|oom|tante|neef|nicht)"),
    (
        "partner",
        r"\b(partner|vrouw|man|vriendje|vriendinnetje|verkering|mn vriend(in)?|mijn vriend(in)?|"
        r"m'n vriend(in)?)\b",
    ),
    ("friends", r"\b(vrienden|vriendinnen|vriend\w*|maten|matties|mattie|friends|groepsapp|groep)"),
    ("followers", r"\b(volgers|followers|contacten|contactlijst|iedereen in (mn|mijn) lijst|snapstreak\w*)"),
    ("everyone", r"\b(iedereen|internet|online|overal|openbaar|porno ?site\w*|site)"),
)


def canonical_audience(value: Optional[str]) -> Optional[str]:
    t = norm(value)
    if not t:
        return None
    if t in AUDIENCES:
        return t
    for kind, pattern in _AUDIENCE_PATTERNS:
        if _has(pattern, t):
            return kind
    return None


# --- Age, writer ------------------------------------------------------------------------------
def parse_age(value: Any) -> Optional[float]:
    if value is None:
        return None
    m = re.search(r"\d+", str(value))
    if not m:
        return None
    age = float(m.group(0))
    return age if 8 <= age <= 99 else None


def age_group_for(age: Optional[float]) -> Optional[str]:
    if age is None:
        return None
    return "under_18" if age < 18 else "adult"


# "34", "ik ben 16", "ik ben trouwens 17", "hij is 13 jaar": an age (a bare number of two digits at
# most, outside a question about money, is never read as euros: issue 15, ages became amounts)
_AGE_TOLD = re.compile(
    r"^\s*(?:(?:ik|hij|zij|ze)\s+(?:ben|is)\s+|ben\s+|(?:mijn|mn|m'n)\s+(?:zoon|dochter|kind|"
    r"broertje|zusje|kleinzoon|kleindochter|leerling)\s+is\s+)?(?:trouwens\s+|nu\s+|pas\s+|al\s+)?"
    r"(\d{1,2})(?:\s*(?:jaar|jr|j))?(?:\s+oud)?(?:\s+(?:trouwens|hoor|jaar))?\s*[.!]*\s*$"
)
_AGE_IN_SENTENCE = re.compile(
    r"(?:\b(?:ik ben|ben ik|hij is|zij is|ze is|we zijn|wij zijn)(?:\s+(?:allebei|beiden|alle twee))?|^ben)\s+"
    # "wacht sorry ik ben eigenlijk 11. op roblox zeg ik altijd 13" (t_jong.yml, session 36: no age held)
    r"(?:trouwens\s+|nu\s+|pas\s+|al\s+|net\s+|eigenlijk\s+|echt\s+|gewoon\s+)?"
    r"(\d{1,2})\b(?!\s*(?:procent|%|keer|uur|min))|"
    # "Ik ben een man van 41 en ik word gechanteerd" (session 30: no age held on a new machine kind)
    r"\b(?:ik ben|ben ik)\s+(?:een|de)\s+(?:man|vrouw|jongen|meisje|meid|gast|jongeman|student|studente|scholier|"
    r"moeder|vader)\s+van\s+(\d{1,2})\b(?!\s*(?:procent|%|keer|uur|min|jaar geleden|kinderen|kids))|"
    # "ik ben geen 15 maar 25" (o_ongeduld.yml, session 32: the 15 typed before stayed)
    r"\b(?:ik ben|ben ik|ben)\s+(?:geen|niet)\s+\d{1,2}\s*,?\s+(?:maar|ik ben)\s+(\d{1,2})\b"
)


# "een leerling van mij (14)", "mijn zoon van 13", "mn broertje, 12,": the age of the one it is about
_AGE_OF_PERSON = re.compile(
    r"\b(?:zoon|zoontje|dochter|dochtertje|kind|leerling|kleinzoon|kleindochter|broer|broertje|zus|zusje|"
    r"neef|neefje|nicht|nichtje|client|cliënt|pupil)\b(?:\s+van\s+(?:mij|me|ons))?\s*[(,]?\s*(?:van\s+)?"
    r"(\d{1,2})\b(?!\s*(?:procent|%|keer|uur|min|dagen|foto|fotos|pics))"
)


def age_in_text(low: str) -> Optional[float]:
    """An age told in a message ("ik ben 16", "mijn zoon van 13"); a number followed by a money
    word of data/vocab/money.yml ("ik ben 50 ballen kwijt") is no age."""
    low = low or ""
    m = _AGE_TOLD.match(low)
    if m:
        return parse_age(m.group(1))
    for pattern in (_AGE_IN_SENTENCE, _AGE_OF_PERSON):
        for m in pattern.finditer(low):
            told = m.lastindex or 1  # the alternative that matched holds the number
            if not money_follows(low, m.end(told)):
                return parse_age(m.group(told))
    return None


def find_age_group(text: Optional[str]) -> Tuple[Optional[float], Optional[str]]:
    """(age, age_group) from a free answer: 'ik ben 15', 'jonger dan 18', '18+', 'volwassen'."""
    t = norm(text)
    if _has(r"(jonger dan 18|onder de 18|minderjarig|nog geen 18|-18\b|min 18|under 18|kind\b)", t):
        return None, "under_18"
    if _has(
        r"(18\+|18 of ouder|18 en ouder|ouder dan 18|boven de 18|volwassen|meerderjarig|over 18|"
        r"18 jaar of ouder|adult)",
        t,
    ):
        return None, "adult"
    m = re.search(r"(?:\bben\b|\bis\b|\bvan\b|\bik\b)?\s*(\d{1,2})\s*(?:jaar|jr|j\b|jaar oud)?", t)
    if m and (_has(r"\b(ben|is|jaar|jr|van|leeftijd)\b", t) or re.fullmatch(r"\d{1,2}", t)):
        age = parse_age(m.group(1))
        if age is not None:
            return age, age_group_for(age)
    return None, None


def find_writer(text: Optional[str]) -> Optional[str]:
    t = norm(text)
    if _has(
        r"(gekregen|ontvangen|doorgestuurd|van iemand anders|in (een|de|onze) (groep|groepsapp)|"
        r"foto van (een|mijn|mn) (klasgenoot|vriend\w*|collega))",
        t,
    ):
        return "receiver"
    if _has(
        r"(iemand anders|mijn (zoon|dochter|kind|leerling|cliënt|client|vriend\w*|broer|zus)|"
        r"mn (zoon|dochter|kind|vriend\w*|broer|zus)|ouder\b|moeder|vader|docent|leraar|mentor|"
        r"hulpverlener|jongerenwerker|begeleider|voor een ander)",
        t,
    ):
        return "on_behalf"
    if _has(r"\b(mij|mezelf|mijzelf|mijn eigen|ik zelf|over mij|ikzelf|me)\b", t) or t in ("ik", "ikke"):
        return "victim"
    return None


# Who writes for someone else (writer on_behalf): the advice for a parent, a professional and a
# friend differs (helpline-facts.md). Professional first: "ik ben docent, mijn leerling ...".
_ROLE_PATTERNS = (
    (
        "professional",
        r"(\bik ben (een |de |haar |zijn )?(docent|leraar|lerares|juf|meester|mentor|hulpverlener|"
        r"jongerenwerker|begeleider|coach|trainer|vertrouwenspersoon|zorgcoordinator|wijkagent)|"
        r"\b(mijn|mn|m'n|onze|een|ons) (leerling\w*|pupil\w*|client\w*|student\w*)\b)",
    ),
    (
        "parent",
        r"(\b(mijn|mn|m'n|onze|ons) (zoon|zoontje|dochter\w*|kind|kinderen|kindje|stiefzoon|stiefdochter|"
        r"pleegkind\w*|puber|kleinzoon|kleindochter|kleinkind\w*)\b|"
        r"\bik ben (de |een |haar |zijn )?(ouder|moeder|vader|mama|papa|voogd|oma|opa|grootmoeder|grootvader)\b)",
    ),
    (
        "peer",
        r"\b(mijn|mn|m'n|een|onze) (beste )?(vriend\w*|klasgeno\w*|maat|mattie|broer\w*|zus\w*|"
        r"buurjongen|buurmeisje|teamgeno\w*|neef|nicht|collega)\b",
    ),
)


def find_writer_role(text: Optional[str]) -> Optional[str]:
    t = norm(text)
    for role, pattern in _ROLE_PATTERNS:
        if _has(pattern, t):
            return role
    return None


# --- Identifiers of the extorter (for takedown, the bank and the police) -------------------------
# Stored as "kind: value" in the slot `identifiers`; counsellors see them masked until they use
# the audited reveal (bot/redact.py masks every kind below). The kinds and their labels are
# bot/cases/summary.py IDENTIFIER (tests/bot/test_fact_schema.py).
MAX_IDENTIFIERS = 10
# The same patterns as the masking for counsellors (bot/redact.py): what is read is what is masked.
_LINK_RE, _HANDLE_RE, _WALLET_RE = LINK_RE, HANDLE_RE, WALLET_RE
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])"
)
_CODE_RE = re.compile(
    r"(?<![\w-])(?:\d{4}[ -]?){3}\d{4}(?![\w-])|(?<![\w-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])"
    r"[A-Z0-9]{4,6}(?:-[A-Z0-9]{4,6}){2,4}(?![\w-])"
)
_CONVERSATION_CODE = re.compile(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}")
_CODE_CONTEXT = re.compile(
    r"(code|paysafe|gift ?card|cadeau|steam|amazon|apple|itunes|google ?play|bol\.com|tegoed)", re.IGNORECASE
)


def iban_ok(value: str) -> bool:
    """ISO 13616 check (mod 97): a typo or a random word is not an IBAN."""
    raw = re.sub(r"\s", "", value).upper()
    if not 15 <= len(raw) <= 34 or not raw[:2].isalpha() or not raw[2:4].isdigit():
        return False
    digits = "".join(str(int(c, 36)) for c in raw[4:] + raw[:4])
    return int(digits) % 97 == 1


def find_identifiers(text: Optional[str], payment_method: Optional[str] = None) -> List[str]:
    """The extorter's profile links, handles, IBANs, wallet addresses and gift-card codes in a
    message, as "kind: value" (the conversation's own code is not one of them)."""
    if not text:
        return []
    found: List[str] = []
    for m in _LINK_RE.finditer(text):
        found.append(f"link: {m.group(0)}")
    without_links = _LINK_RE.sub(" ", text)
    for m in _HANDLE_RE.finditer(without_links):
        found.append(f"handle: {m.group(0)}")
    for m in _IBAN_RE.finditer(text):
        if iban_ok(m.group(0)):
            found.append("iban: " + re.sub(r"\s", "", m.group(0)).upper())
    for m in _WALLET_RE.finditer(text):
        found.append(f"wallet: {m.group(0)}")
    if payment_method == "giftcard" or _CODE_CONTEXT.search(text):
        for m in _CODE_RE.finditer(text):
            if not _CONVERSATION_CODE.fullmatch(m.group(0)):  # "mijn code is K7QM-2XPD-H4RT-9WBN": ours
                found.append(f"giftcard_code: {m.group(0)}")
    return list(dict.fromkeys(found))


# --- Deadline -----------------------------------------------------------------------------------
_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
_NUMBER_WORDS = {
    "een": 1,
    "1": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "acht": 8,
    "tien": 10,
    "twaalf": 12,
    "half": 0.5,
    "halve": 0.5,
    "paar": 2,
}
_TZ = ZoneInfo("Europe/Amsterdam")


def _num(word: str) -> Optional[float]:
    if word.isdigit():
        return float(word)
    return _NUMBER_WORDS.get(word)


# When a deadline is: a day, a part of the day, a span or a clock time (one list for the
# deadline check and the deadline finder below).
_WHEN = (
    r"(vanavond|vannacht|vandaag|vanmiddag|vanochtend|vanmorgen|morgen(avond|ochtend|middag|vroeg)?|overmorgen|"
    r"middernacht|(dit|het) weekend|(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(avond|ochtend|middag)?|"
    r"\d{1,2}([:.]\d{2})? ?uur|\d{1,2}:\d{2}|(een|\d+|twee|drie|vier|vijf|zes|acht|tien|twaalf) "
    r"(minuten|min|uur|uren|dagen|dag|weken|week))"
)
# A deadline names a time. The NLU sometimes tags a lone "nog" or "voor" as a deadline ("nee nog
# niet betaald"); such a tag is no fact. Broader than _WHEN: "straks", "kerst", a bare number.
_TIME_WORD = re.compile(
    rf"\d|\b{_WHEN}\b|\b(straks|nu|meteen|direct|asap|zsm|uur|uurtje|uren|u|min|minuten|minuutjes|kwartier|"
    r"dag|dagen|week|weken|weekend|maand|maanden|ochtend|middag|avond|nacht|einde|eind|kerst|oud en nieuw)\b"
)


def names_a_time(text: Optional[str]) -> bool:
    """Whether a deadline as the NLU tagged it names a time ("voor vanavond", "binnen 24 uur"),
    not a stray word ("nog", "voor")."""
    return bool(text) and bool(_TIME_WORD.search(norm(text)))


# "voor vanavond", "binnen 24 uur", "uiterlijk vrijdag": a deadline whatever else the message says
_DEADLINE_PHRASE = re.compile(rf"\b(voor|binnen|uiterlijk|tot|om|over|na) (het |de )?{_WHEN}\b")
# a bare time in the same clause as a demand: "hij wil 500 euro via tikkie vanavond"
_BARE_WHEN = re.compile(rf"\b{_WHEN}\b")
_DEMANDED_HERE = re.compile(
    r"\b((hij|zij|ze|die|gast|diegene|afperser) (wil|wilt|willen|eist|eisen|vraagt|zegt)|"
    r"(wil|wilt|eist|vraagt|zegt) (hij|zij|ze|die)|anders|betalen|betaal|overmaken|opsturen)\b"
)


# The person's own plan with a time ("ik ga morgen naar de politie", "morgen bel ik de bank") is no
# deadline of the demand: DIET tagged "morgen" there and overwrote "voor vrijdag" (session 13).
_OWN_PLAN = re.compile(
    # "ik blijf vannacht bij hem" (a friend's plan; session 30: became the deadline)
    # "ik stuur hem morgen dat geld en klaar", "morgen zeg ik het tegen mn broer" (s_tegenspraak.yml, session 36:
    # both replaced the extorter's deadline)
    rf"\b(ik|we|wij)\s+(ga|gaan|wil|willen|zal|zullen|bel|bellen|doe|doen|kan|kunnen|moet|moeten|ben|zijn|blijf|blijven|slaap|slapen|praat|praten|"
    rf"stuur|zeg|vertel|regel|maak)\s+"
    rf"((het|dan|toch|wel|maar|eerst|even|echt|hem|haar)\s+)?{_WHEN}\b|"
    rf"\b{_WHEN}\s+(ga|wil|zal|bel|doe|kan|moet|ben|zeg|vertel|regel|app)\s+ik\b|\b{_WHEN}\s+(gaan|willen|zullen|bellen|doen|kunnen|moeten)\s+(we|wij)\b|"
    # "Ik denk dat ik het haar morgenochtend vertel" (session 31, m_wending.yml: became the deadline)
    rf"\b(denk|dacht|geloof) (dat|da) (ik|we|wij)\s+((\w+\s+){{0,3}}){_WHEN}\s+(vertel|vertellen|zeg|zeggen|bel|bellen|ga|gaan|doe|doen)\b|"
    # "mn zus komt morgen langs" (o_ongeduld.yml, session 32: became the deadline)
    rf"\b(mijn|mn|m'n|m n)\s+\w+\s+(komt|komen|gaat|is|zijn)\s+((er|hier|dan|wel)\s+)?{_WHEN}\s+(langs|thuis|terug|hier|bij\s+me|bij\s+mij)\b"
)


# When something happened, told in the past ("een leerling kwam vandaag naar me toe", "vanavond zag
# ik het bericht"): no deadline either (conversation suite, session 15: deadline "vandaag"). Not "zei":
# "morgen zei ie" is what the extorter said, the deadline.
_PAST = (
    r"(kwam|kwamen|vertelde|vertelden|zag|zagen|ontdekte|ontdekten|hoorde|merkte|las|vond|begon|"
    r"belde|appte|kreeg|kregen|gezien|gehoord|verteld|ontdekt|gemerkt|gekregen|gebeurd|gebeurde|"
    # "ik heb mijn zus vanavond nog gebeld om haar te bedanken" (session 30: became the deadline)
    r"gebeld|geappt|gesproken|gepraat|"
    # "Vanavond zat hij te huilen op zijn kamer" (a grandmother; r_omstanders.yml, session 35)
    r"zat|zaten|lag|lagen|huilde|huilden|"
    # "Vanavond stuurde hij: vijfhonderd, of je baas krijgt alles maandagochtend." (session 31)
    r"stuurde|stuurden|schreef|schreven)"
)
_TOLD_WHEN = re.compile(rf"\b{_PAST}\s+((\w+\s+){{0,3}})?{_WHEN}\b|\b{_WHEN}\s+((\w+\s+){{0,2}})?{_PAST}\b")


def told_when(text: Optional[str]) -> bool:
    """Is every time in this message the moment something happened, told in the past (in a clause
    with no demand and no "voor/binnen/tot ...")? Then it is not the deadline."""
    clauses = [c for c in re.split(r"[.,;:!?\n]+|\s+(?:en|maar|want)\s+", str(text or "").lower()) if c.strip()]
    timed = [norm(c) for c in clauses if _BARE_WHEN.search(norm(c))]
    return bool(timed) and all(
        _TOLD_WHEN.search(c) and not _DEMANDED_HERE.search(c) and not _DEADLINE_PHRASE.search(c) for c in timed
    )


def time_of_my_own(text: Optional[str], value: Optional[str]) -> bool:
    """Is the time ``value`` (as the NLU tagged it) in a clause of the message that tells when something
    happened, or the person's own plan, with no demand in that clause? Then it is not the deadline,
    even when another clause has a time ("na morgen maakt het niet meer uit. ik heb mijn zus vanavond
    nog gebeld": "vanavond" replaced the deadline "tot morgen"; session 30)."""
    first = norm(value).split()[:1]
    if not first:
        return False
    for clause in re.split(r"[.;!?\n]+", str(text or "").lower()):
        c = norm(clause)
        if re.search(rf"\b{re.escape(first[0])}\b", c):
            return bool(
                (_TOLD_WHEN.search(c) or _OWN_PLAN.search(c))
                and not _DEMANDED_HERE.search(c)
                and not _DEADLINE_PHRASE.search(c)
            )
    return False


def own_plan_time(text: Optional[str]) -> bool:
    """Is the time in this message the person's own plan, with no demand in it ("ik ga morgen naar
    de politie denk ik")? Then it is not the deadline."""
    t = norm(text)
    # "ik betaal niet" is the person's own no, no demand (s_tegenspraak.yml, session 36)
    demanded = _DEMANDED_HERE.search(_OWN_NO_TO_PAY.sub(" ", t))
    return bool(t) and bool(_OWN_PLAN.search(t)) and not demanded and not _DEADLINE_PHRASE.search(t)


_OWN_NO_TO_PAY = re.compile(
    r"\bik (betaal|ga) (hem |haar |ze |echt |dus |gewoon )*(niet|niks|niets|nooit)( betalen)?\b"
)


def only_a_time(text: Optional[str]) -> Optional[str]:
    """The whole message is a time ("morgen", "vanavond om 10"): the time, else None."""
    t = norm(text)
    m = re.fullmatch(
        rf"((tot|voor|uiterlijk|om)\s+)?{_WHEN}(\s+(om\s+)?\d{{1,2}}(\s*uur)?)?(\s+(nog|al|dan))?(\s+(zei|zegt)\s+(ie|hij|ze|zij))?",
        t,
    )
    # "vannacht nog" (session 35): the time without "nog"
    return re.sub(r"(\s+(nog|al|dan))?(\s+(zei|zegt)\s+\w+)?$", "", m.group(0)) if m else None


def find_deadline(text: Optional[str]) -> Optional[str]:
    """A deadline in a report when the NLU tagged none (the model varies per machine: one tagged
    "tikkie vanavond" as the payment method and lost the deadline). Conservative: a time after
    voor/binnen/tot/uiterlijk, or a bare time in a clause that states a demand; "ik kan vanavond
    niet slapen" is none."""
    t = norm(text)
    if not t:
        return None
    # "hij zei vrijdag.. nee wacht het was zaterdag": a time named after a correction wins (session 28)
    fix = _CORRECTION.search(t)
    if fix:
        later = list(_BARE_WHEN.finditer(t, fix.end()))
        if later and _BARE_WHEN.search(t, 0, fix.start()):
            return later[-1].group(0)
    m = _DEADLINE_PHRASE.search(t)
    if m:
        return m.group(0)
    for clause in re.split(r"[,.;!?]| maar | want ", t):
        bare = _BARE_WHEN.search(clause)
        if bare and _DEMANDED_HERE.search(clause):
            return bare.group(0)
    return None


_CORRECTION = re.compile(
    r"\b(nee\s+wacht|wacht\s+nee|nee\s+sorry|sorry\s+nee|ik\s+bedoel|correctie|nee\s+het\s+was|het\s+was\s+toch)\b"
)
# "Eerst zei hij vrijdag, nu ineens morgen 12 uur": the deadline moved (q_gaandeweg.yml, session 34)
_MOVED = re.compile(r"\beerst\b.*?\b(nu|ineens|opeens|toen|daarna|later)\b")
_CLOCK_AFTER = re.compile(r"^(\s+(om\s+)?\d{1,2}([:.]\d{2})?(\s*uur)?)\b")


# how long ago or how long already, not by when: "Hij reageert nu helemaal niet meer. Al een uur niks." held the
# deadline "een uur" (session 35, Intel kind)
_ELAPSED = re.compile(
    r"\b(al|sinds|na)\s+((een|\d+|twee|drie|vier|paar|half|halve|anderhalf)\s+)?(min\w*|minuut|kwartier|uur|uren|dag|dagen|week|weken)\b"
    r"|\b(een|\d+|twee|drie|vier|paar|half|halve|anderhalf)\s+(min\w*|minuut|kwartier|uur|uren|dag|dagen|week|weken)\s+(geleden|lang)\b"
)


def elapsed_time(text: Optional[str], value: Optional[str]) -> bool:
    """Is the tagged time ``value`` how long ago or how long already ("al een uur niks", "twee dagen
    geleden")? Then it is no deadline."""
    v, t = norm(value), norm(text)
    return bool(v) and any(v in m.group(0) for m in _ELAPSED.finditer(t))


def latest_deadline(text: Optional[str], values: List[str]) -> List[str]:
    """The deadlines as tagged, or, when the message corrects or moves the time ("nee wacht het was
    zaterdag", "eerst vrijdag, nu morgen 12 uur"), only the one told after that, with its clock time.
    Joined, "vrijdag morgen" was held (q_gaandeweg.yml, session 34)."""
    t = norm(text)
    mark = _CORRECTION.search(t) or _MOVED.search(t)
    if not values or not mark:
        return values
    rest = t[mark.end() :]
    after = [(m, v) for v in values for m in [re.search(rf"(?<!\w){re.escape(norm(v))}(?!\w)", rest)] if m]
    if not after and _BARE_WHEN.search(rest):
        # the time after the correction was not tagged ("hij zei vrijdag.. nee wacht het was zaterdag":
        # "vrijdag" only, on session 35's kind): the time written there
        later = list(_BARE_WHEN.finditer(rest))[-1]
        return [_with_clock(later.group(0), later.group(0), rest[later.end() :])]
    if not after or len(after) == len(values):
        return values
    m, last = max(after, key=lambda pair: pair[0].start())
    return [_with_clock(last, norm(last), rest[m.end() :])]


def _with_clock(value: str, written: str, following: str) -> str:
    """``written`` with the clock time that follows it ("morgen" + " 12 uur"); ``value`` as it was when it
    already holds a number or no clock follows."""
    clock = _CLOCK_AFTER.match(following)
    return written + clock.group(1) if clock and not re.search(r"\d", value) else value


def deadline_within_24h(text: Optional[str], now: Optional[datetime] = None) -> Optional[bool]:
    """Whether a deadline as written falls within 24 hours; None when it cannot be told.

    'morgen' counts as within 24 hours: at night "morgen" usually means later today, and a
    false alarm costs less than missing an urgent case.
    """
    t = norm(text)
    if not t:
        return None
    now = (now or datetime.now(_TZ)).astimezone(_TZ)
    if _has(
        r"\b(overmorgen|volgende week|volgende maand|weekend|over een week|eind van de (week|maand)|"
        r"over (\d+|twee|drie|vier|vijf|een paar) (dagen|weken|maanden))\b",
        t,
    ):
        return False
    m = re.search(
        r"\b(?:binnen|over|in)\s+(?:een\s+)?(\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf|half|halve|paar)?"
        r"\s*(minuten|minuutjes|min|kwartier|uur|uren|u|dag|dagen|week|weken)\b",
        t,
    )
    if m:
        qty = _num(m.group(1)) if m.group(1) else 1.0
        unit = m.group(2)
        if qty is None:
            qty = 1.0
        if unit in ("minuten", "minuutjes", "min", "kwartier"):
            return True
        if unit in ("uur", "uren", "u"):
            return qty <= 24
        if unit in ("dag", "dagen"):
            return qty <= 1
        return False
    m = re.search(r"\b(\d+)\s*(uur|u)\b", t)
    if m and _has(r"\b(binnen|over)\b", t):
        return int(m.group(1)) <= 24
    if _has(
        r"\b(24 ?uur|24h|vandaag|vanavond|vannacht|vanmiddag|vanochtend|vanmorgen|straks|nu|meteen|direct|"
        r"zsm|asap|zo snel mogelijk|morgen|morgenochtend|morgenvroeg|morgenavond|morgenmiddag|"
        r"vanavond|einde van de dag|voor het slapen)\b",
        t,
    ):
        return True
    for idx, day in enumerate(_DAYS):
        if _has(r"\b" + day, t):
            ahead = (idx - now.weekday()) % 7
            return ahead <= 1
    if _has(r"\b(\d{1,2}[:.]\d{2}|\d{1,2}\s*uur|half\s+\w+|kwart (over|voor) \w+|middernacht|om \d{1,2})\b", t):
        return True
    return None


def looks_like_deadline(text: Optional[str]) -> bool:
    return deadline_within_24h(text) is not None


def no_deadline(text: Optional[str]) -> bool:
    t = norm(text)
    if "weet" in t:
        return False
    return _has(
        r"^(nee+|neen|nope|nah)\b|\bgeen (deadline|tijd|datum|tijdstip)\b|\bniks gezegd\b|"
        r"\b(hebben|heeft) (ze|hij|zij) niet gezegd\b|^niet\b",
        t,
    )


# --- Deepfake, yes/no, skipping -----------------------------------------------------------------
_DEEPFAKE = (
    r"(deep ?fake|deepnude|deep nude|nudify|undress|uitkleed ?app|"
    r"(nep|fake|valse|nagemaakte|bewerkte|ai)[ -]?(naakt)?(foto|beeld|video|nude|pic|plaatje)|"
    # not a fake account: "die mn nudes heeft wss een fake acc" (p_schrijfstijl.yml, session 33)
    r"(foto|fotos|foto's|beeld|beelden|video|nudes?|pics?)\s+(\w+\s+){0,3}"
    r"((nep|fake)(?![ -]?(acc\w*|account\w*|profiel\w*|profile|naam|insta\w*|snap\w*)\b)|bewerkt|niet echt|gephotoshopt|met ai|door ai)|"
    r"(gemaakt|bewerkt|gedaan|gegenereerd)\s+(met|door)\s+(ai|a\.i\.|een app|photoshop|kunstmatige intelligentie)|"
    # "foto's uitgewisseld, ook met mijn gezicht erop" is a real photo with a face (session 29): the face
    # has to be put somewhere ("mn gezicht op iemand anders zn lichaam gezet")
    r"(mijn|mn|m'n) gezicht (op|in) (een|iemand|andermans|ander|andere|het|porno|naakt)\w*|"
    r"(mijn|mn|m'n) gezicht (erop|er op|erin|er in) (gezet|geplakt|geplaatst|gemonteerd|gephotoshopt|bewerkt)|"
    r"\b(gezicht|hoofd)\b.{0,40}\b(op|onder)\b.{0,25}\b(lichaam|lijf)\b|gephotoshopt|photoshop|"
    r"\bai\b.{0,30}\b(naakt|foto|beeld|nude)|\b(naakt|foto|beeld|nude)\w*.{0,30}\bai\b|"
    # "het is niet eens echt", not "ik ken de beheerder niet eens echt" (o_ongeduld.yml, session 32)
    r"ben ik niet eens|dat ben ik niet|\b(is|zijn|was|waren)\s+((het|ze|die|dat)\s+)?niet eens echt)"
)


def is_deepfake(text: Optional[str]) -> bool:
    return _has(_DEEPFAKE, norm(text))


_YES = r"(ja+|jep|jup|yes|yep|ja hoor|klopt|zeker|wel|helaas wel)"
_NO = r"(nee+|neen|nope|no|nah|niet|nog niet|nee hoor|helemaal niet|niks|niets|nog niks|nog niets)"
# Words after "ja, ..." / "nee, ..." that make the rest more than a plain yes or no.
_NOT_NEUTRAL_AFTER_YES = re.compile(r"\b(nee|niet|geen|nooit|weet|idk|misschien|denk het|geen idee|maar)\b")
_NOT_NEUTRAL_AFTER_NO = re.compile(r"\b(ja|wel|weet|idk|misschien|denk het|geen idee|maar)\b")


def yes_no(text: Optional[str]) -> Optional[bool]:
    """True / False for a plain yes or no; "ja, ..." / "nee, ..." only when the rest is neutral
    (no question, no doubt, no contrary word, no suicidal language: issue 12)."""
    t = norm(text).strip(" .!?")
    if re.fullmatch(_YES, t):
        return True
    if re.fullmatch(_NO, t):
        return False
    m = re.fullmatch(r"(?:" + _YES + r"|" + _NO + r")[,!. ]+(?P<rest>.*)", t)
    if not m or "?" in (text or ""):
        return None
    rest = m.group("rest")
    from bot.language.safety_phrases import is_suicidal  # the net is loaded on first use, not at import

    if is_suicidal(text):
        return None
    first = t[: len(t) - len(rest)].strip(" ,!.")
    if re.fullmatch(_YES, first):
        return None if _NOT_NEUTRAL_AFTER_YES.search(rest) else True
    return None if _NOT_NEUTRAL_AFTER_NO.search(rest) else False


_STOP_QUESTIONS = (
    r"geen vragen meer|(stop|kap|hou op|ophouden)\w* met (de |die |al die |je |jouw |dat |deze )?"
    r"(vragen|gevraag)|wil (geen|niet meer|niet nog meer) vragen|genoeg vragen|niet zoveel vragen|"
    r"(hou|houd) op met vragen"
)


def wants_to_stop_questions(text: Optional[str], answering: bool = True) -> bool:
    """'stop met die vragen' (anywhere); a bare 'stop' / 'kap' only as an answer to a question."""
    t = norm(text)
    return _has(_STOP_QUESTIONS, t) or (answering and _has(r"^(stop|stoppen|kap|hou op)\b", t))


def wants_questions(text: Optional[str]) -> bool:
    """'stel maar vragen (dan)', 'je mag wel vragen stellen': questions are welcome again."""
    t = norm(text)
    return _has(
        r"\bstel (maar|dan|gerust|je|die|de|ze)?\s*(maar |dan |gerust )?(je |die |de )?vragen\b|"
        # "oke je mag nu vragen stellen als je wil" (o_ongeduld.yml, session 32)
        r"\bje mag (nu |nou |wel |best |gerust |toch )*(je |wat |een paar |me |mij )?vragen( stellen)?\b|^vraag maar\b",
        t,
    ) and not wants_to_stop_questions(text)


def is_question(text: Optional[str]) -> bool:
    return "?" in (text or "")


# --- Amounts in context -------------------------------------------------------------------------
_PAID_WORDS = (
    r"\b(betaald|overgemaakt|gestort|gegeven|gestuurd|opgestuurd|verstuurd|heb .{0,20}betaald|al \w+ betaald)\b"
)
# "ik heb nog niks betaald", "niet betaald", "geen cent overgemaakt": a denial is a fact too (paid = no).
_NOT_PAID = re.compile(
    r"\b(niet|niks|niets|nooit|geen( cent| euro| geld)?)\s+(\w+\s+){0,2}?(betaald|overgemaakt|gestort)\b|\bniet (ge)?betaald\b|\b(nog )?(niks|niets|niet) (aan )?(hem|haar|ze|hun) "
    r"(betaald|gegeven|overgemaakt)|\b(hem|haar|ze|hun) (nog )?(niks|niets|geen cent|geen geld) (betaald|gegeven|overgemaakt)\b|"
    # "Betaald heb ik nog niets" (session 28, f_luisteren.yml: read as report_paid, the case said paid)
    r"\b(betaald|overgemaakt|gestort) (heb|hebben|had) (ik|we|wij|hij|zij|ze) (nog |helemaal |echt |ook )*(niks|niets|niet|geen cent|nooit)\b|"
    # "nog niks gekocht" after "wil steam kaart" (o_ongeduld.yml, session 32: paid stayed unknown)
    r"\b(nog )?(niks|niets|niet|geen (kaart|kaarten|kaartje|code|codes|giftcard\w*|cadeaukaart\w*|paysafe\w*))\s+(\w+\s+)?gekocht\b"
)
_NOT_PAID_BUT = re.compile(r"\b(wil|ga|zal|moet) (\w+ ){0,2}(niet|niks|niets|nooit) (\w+ ){0,2}betalen\b")


# "ze hebben nog niks verstuurd", "voor zover ik weet niet gedeeld", "nee denk het niet" (to "is it
# shared?"): the images are not (known to be) spread -- a fact too (issue 15).
_NOT_SPREAD = re.compile(
    r"\b(aan|naar|met) niemand (\w+ )?(gestuurd|verstuurd|doorgestuurd|gedeeld|laten zien)\b|"
    r"\bniemand (heeft|gezien|gekregen)\b|"
    r"\b(nog )?(niks|niets|niet|nergens)\s+(\w+\s+){0,2}?(verstuurd|gestuurd|gedeeld|doorgestuurd|verspreid|"
    r"online gezet|gepost|rondgestuurd|geplaatst|online|neergezet)\b|\bnog niet (verstuurd|gedeeld|"
    r"verspreid|online|doorgestuurd|gepost)\b|\bniet (verspreid|gedeeld|online)\b|"
    # "en hij heeft t nog nergens gezet" (session 31, l_vragen.yml)
    r"\b(nog )?(nergens|niet|niks|niets)\s+(\w+\s+){0,2}?(gezet|neergezet|geplaatst|gepost)\b"
)
_PROBABLY_NO = re.compile(
    r"^(nee|neen|nope|nah)?\W*(ik )?(denk|geloof) (het|ik) niet\b|\bvolgens mij (niet|nog niet)\b|"
    r"\bniet dat ik weet\b|\bvoor zover ik weet (niet|nog niet|nog niks|niks)\b"
)


def denies_spread(text: Optional[str]) -> bool:
    """'ze hebben nog niks verstuurd' (not: 'ik heb niks verstuurd', which is about the person)."""
    t = norm(text)
    m = _NOT_SPREAD.search(t)
    if not m or re.search(r"\b(niks|niets) meer\b", m.group(0)):
        # "en niks meer gestuurd sinds die ene": what the person (or he) stopped sending, not whether the
        # images went round (n_crisis.yml, session 32)
        return False
    rest = t[m.end() :]
    if (but := re.search(r"\bmaar\b", rest)) and _SPREAD.search(rest[but.end() :]):
        # "ik zei net dat hij ze niet rondgestuurd had maar hij heeft er al 1 naar mn nicht gestuurd": the
        # "no" is taken back (q_gaandeweg.yml, session 34)
        return False
    return not re.search(r"\b(ik heb|heb ik|ik had)\b", t[: m.start()][-25:])


# "hij heeft het al naar mn beste vriendin gestuurd", "het staat op zo'n pornosite": already spread,
# whatever the classifier said (a threat -- "anders stuurt hij het" -- is in the present tense).
_SPREAD = re.compile(
    # "m"/"hem" is the picture in chat style ("ze heeft m doorgestuurd naar een jongen uit de 4e", session 36);
    # "naar mij" is the person shown what he has, no spread
    r"(\b(hij|zij|ze|die|mijn ex|mn ex|m'n ex|iemand|de afperser) |^)(heeft|hebben)(?! (me|mij|ons)\b) (het|ze|die|dat|alles|er|"
    r"m|hem|em|mijn \w+|mn \w+|de \w+)?\s*(al |gewoon |echt )?(\w+ ){0,7}?(naar|in|op|aan|online|rond)\b(?! (me|mij|ons)\b)"
    r"(\s\w+){0,7}?\s*(gestuurd|doorgestuurd|gedeeld|verspreid|gezet|gepost|geplaatst|rondgestuurd)\b|"
    r"\b(hij|zij|ze|die|mijn ex|mn ex|m'n ex|iemand|de afperser) (heeft|hebben) (het|ze|die|dat|alles|"
    r"mijn \w+|mn \w+|de \w+)?\s*(al )?(\w+ ){0,7}?(online gezet|online gepost|rondgestuurd|verspreid)\b|"
    # the verb before where it went: "WTF hij heeft het toch gestuurd. naar mn hele voetbalteam via een ander
    # account" (read as blackmail 1.00, no spread held; n_crisis.yml, session 32); not "... gestuurd naar mij"
    r"\b(hij|zij|ze|die|mijn ex|mn ex|m'n ex|iemand|de afperser) (heeft|hebben)(?! (me|mij|ons)\b) (het|ze|die|dat|alles|"
    r"m|hem|em|mijn \w+|mn \w+|de \w+)?\s*((al|toch|gewoon|echt|net|nu|dus) )*(doorgestuurd|gestuurd|gedeeld|verspreid|gepost|"
    r"geplaatst|rondgestuurd)[.,!]* (naar|in|op|aan|met|bij)\b(?! (me|mij)\b)|"
    # the verb last: "en nu blijkt dat ze m heeft doorgestuurd naar een jongen uit de 4e" (session 36,
    # r_omstanders.yml: read as out of scope, no spread held); not a fear ("bang dat"), a guess ("denk
    # dat") or the person shown it ("dat hij het naar mij heeft gestuurd")
    r"(?<!bang )(?<!denk )(?<!dacht )(?<!niet )\b(dat|omdat|want) (hij|zij|ze|die|mijn ex|mn ex) (het|ze|die|m|hem|em|mijn \w+|mn \w+) "
    r"((?!(me|mij|ons|niet|nooit|geen)\b)\w+ ){0,6}?(heeft|hebben) (doorgestuurd|gestuurd|gedeeld|verspreid|gepost|geplaatst|"
    r"rondgestuurd)\b(?! (naar|aan) (me|mij)\b)|"
    r"\b(in|op) (een|de|hun|die|onze) (groepsapp|groep|klassengroep|groepschat|schoolgroep)\b.{0,25}"
    r"\b(gezet|gedeeld|gestuurd|hebben|staat|rond)\b|"
    # "het staat al in een groepsapp van school" (session 30, k_afsluiten.yml: no spread held)
    r"\b(staat|staan|zit|zitten) (het|ze|de \w+|die \w+)?\s*(al |nu |gewoon )?(in|op) (een|de|hun|die|onze|mijn|mn|m'n) "
    r"(groepsapp|groep|klassengroep|klassenapp|groepschat|schoolgroep|story|stories)\b|"
    r"\b(staat|staan|gaat|gaan) (het|ze|de \w+|die \w+)?\s*(al |nu )?(online|rond|op internet|"
    r"op (een|zo'?n|die|een of andere) \w*site)\b"
)


_NEGATED_WORD = re.compile(r"\b(niet|geen|nie|nee)\s+((via|op|met|in|over)\s+)?([\w.]+)")


def corrected_platform(text: Optional[str], known: Optional[str]) -> Optional[str]:
    """'wacht nee het was via snap niet insta', 'niet insta maar snapchat': the platform said instead
    of the known one, which the message takes back (session 28, f_luisteren.yml: Instagram stayed)."""
    if not known or not text:
        return None
    t = norm(text)
    negated = {canonical_platform(m.group(4)) for m in _NEGATED_WORD.finditer(t)}
    if known not in negated:
        return None
    others = [c for c in (canonical_platform(w) for w in re.findall(r"[\w.]+", t)) if c and c != known]
    return others[0] if others else None


def says_spread(text: Optional[str]) -> bool:
    t = norm(text)
    m = _SPREAD.search(t)
    # "hij heeft screenshots van mn volgers gestuurd": a threat shown, not the images spread; "Hij heeft al
    # voor 50 euro aan kaarten gekocht en de codes gestuurd": money sent (q_gaandeweg.yml, session 34)
    if not m or "screenshot" in m.group(0) or _MONEY_SENT.search(m.group(0)) or denies_spread(t):
        return False
    if "?" in (text or "") and not (m.group(2) and _QUESTION_AFTER.search(t[m.end() :])):
        # a question about spreading is no news ("heeft hij het al naar iemand gestuurd?"); news told as
        # a statement, then a question, is: "hij heeft het net naar mn beste vriendin gestuurd ze appte
        # me net wat is dit???" (session 31, m_wending.yml)
        return False
    # "hij zei voor 12 uur vannacht anders gaat het rond": the threat, not news that it went round
    # (session 28, f_luisteren.yml: got the removal help and "already spread" in the case)
    return not _THREAT_BEFORE.search(t[: m.start()])


_MONEY_SENT = re.compile(
    r"\b(euro|kaart\w*|codes?|geld|bitcoins?|crypto|cadeaukaart\w*|giftcards?|tikkie|paysafe\w*|gekocht|betaald)\b"
)
_THREAT_BEFORE = re.compile(r"\b(anders|of|dan|straks|zodat)\s+$")
_QUESTION_AFTER = re.compile(r"\b(wat|hoe|waarom|wie|help|moet ik|kan ik|wat nu|wat moet)\b")


def probably_no(text: Optional[str]) -> bool:
    return bool(_PROBABLY_NO.search(norm(text)))


def denies_paid(text: Optional[str]) -> bool:
    """'ik heb (nog) niks betaald' (not: 'ik ga niet betalen', which says nothing about the past)."""
    t = norm(text)
    if not _NOT_PAID.search(t):
        return False
    return not (_NOT_PAID_BUT.search(t) and not re.search(r"\b(heb|had|hebben|is)\b", t))


# "eerst wou hij 200 nu zegt ie 400" (report_paid 0.76) made 600 paid (q_gaandeweg.yml, session 34): what
# he wanted or says he wants is a demand
_DEMAND_WORDS = (
    rf"\b({cues.DEMAND_VERBS}|vroeg|vroegen|wou|wouden|wilde|wilden|eiste|zegt|zei|moet|anders|nog|meer|extra|nu)\b"
)
# "hij wilde 200 euro via paypal, ik heb al een deel betaald" made 200 paid (session 28): part of it was
# paid, how much is not said
_PART_PAID = r"\b(een (deel|gedeelte|stuk|stukje)|deels|gedeeltelijk)\b(\s+\w+){0,3}\s+(betaald|overgemaakt|gegeven)\b"
# Paying still to come ("ik denk erover die 200 gewoon te betalen", read as report_paid 0.44 on one
# machine's model, made the 200 demanded into 200 paid): the amount is the demand, not a payment.
_WILL_PAY = (
    r"\b(te betalen|te dokken|(ga|gaan|wil|wilde|zal|zou|kan|moet) (\w+ ){0,3}(betalen|dokken|overmaken)|betaal ik)\b"
)


# "... stuurt ze naar mn school als ik nie 100 euro aan steam kaarten stuur": a condition of paying is the
# demand. Without it the clause joined the one before ("ik heb er 2 gestuurd", pictures) and the 100 became
# paid; the boy got "Bewaar je betaalbewijs" before he had paid anything (session 29, h_nacht.yml).
_IF_I_PAY = (
    r"\b(als|tenzij|zolang|totdat|voordat) (ik|jij|je|we) (\w+ ){0,8}?"
    r"(betaal|betalen|stuur|sturen|overmaak|overmaken|maak|koop|kopen|geef|geven|stort|storten|regel|dok)\b"
)


_THEN_MORE_PAID = r"\b(vorige week|vorige maand|gisteren|eergisteren|daarna|toen|later|erna|de dag erna|een week later|\d+ dagen later)\b"
_DEMAND_STRONG = rf"\b({cues.DEMAND_VERBS}|vroeg|vroegen|moet|anders|nu)\b"


def paid_more_later(text: Optional[str]) -> bool:
    """ "2 dagen later nog 150": a payment after an earlier one (told with no paid word, no demand verb)."""
    t = norm(text)
    return _has(rf"{_THEN_MORE_PAID}.{{0,20}}\bnog\b", t) and not _has(_DEMAND_STRONG, t)


_PAID_THAT = re.compile(
    r"^\s*(die|dat|dat geld|dat bedrag|het|dat ook|die ook) (heb|had|hebben) (ik|we|wij) ((ook|al|toch|gewoon|meteen|echt) )*(betaald|overgemaakt|gestort|gegeven|gestuurd)\b"
)
_RAISED = r"\b(eerst|eerder|eerst was het|inmiddels|ineens|opeens|nu)\b"


def classify_amounts(
    text: str, amount_values: Iterable[str], intent: Optional[str], requested_slot: Optional[str] = None
) -> Dict[str, float]:
    """Split amounts in a message into {'amount_demanded': x, 'amount_paid': y}.

    Each amount is judged by its own clause ('ik heb 200 betaald maar nu willen ze 500'); a clause
    with only an amount belongs to the clause before it ('ik heb al 2x betaald, eerst 100 en toen
    150'). Payments in different clauses add up (paid 250 there): a counsellor needs the total.
    """
    t = norm(text)
    clauses = [c for c in re.split(r"[,.;!?]| en | maar | want | nu ", t) if c.strip()]
    labels = []
    for clause in clauses:
        # "krijgt hij die 100 euro ooit terug?": money that can come back was paid
        paid_here = (
            _has(_PAID_WORDS, clause) or (_has(r"\bterug", clause) and not _has(_DEMAND_WORDS, clause))
        ) and not denies_paid(clause)
        demand_here = _has(_DEMAND_WORDS, clause) or _has(_WILL_PAY, clause) or _has(_IF_I_PAY, clause)
        if demand_here and not paid_here and _has(_THEN_MORE_PAID, clause) and not _has(_DEMAND_STRONG, clause):
            # "eerst 300 en vorige week nog 500 euro" after "ik heb al 2x betaald": a second payment, not a
            # demand ("nog" alone; "nu nog 500" stays a demand; session 29/30, i_anders.yml)
            demand_here = False
        labels.append("amount_paid" if paid_here else "amount_demanded" if demand_here else None)
    for i in range(len(clauses) - 1):
        if labels[i] == "amount_demanded" and _PAID_THAT.search(clauses[i + 1]):
            labels[i] = "amount_paid"  # "hij wilde 200, die heb ik betaald": the demand was paid
    found: Dict[str, List[Tuple[float, int]]] = {}
    for value in amount_values:
        amount = normalise_amount(value)
        if amount is None:
            continue
        written = norm(str(value)).strip(",.;: ")  # "nog 400, anders ...": the clauses are split at the comma
        # as a whole number: "Die persoon wil 150 euro. Mijn zoon heeft al 50 euro gestuurd via een tikkie."
        # put the 50 in the first clause, so it became part of the demand (n_crisis.yml, session 32)
        index = next(
            (i for i, c in enumerate(clauses) if written and re.search(rf"(?<![\d.,]){re.escape(written)}(?!\d)", c)),
            None,
        )
        own = labels[index] if index is not None else None
        before = next((labels[i] for i in range(index - 1, -1, -1) if labels[i]), None) if index else None
        if own:
            slot = own
        elif requested_slot in ("amount_paid", "amount_demanded"):
            slot = requested_slot
        elif before:
            slot = before
        elif intent == "report_paid" and not _has(_PART_PAID, t):
            slot = "amount_paid"
        else:
            slot = "amount_demanded"
        found.setdefault(slot, []).append((amount, -1 if index is None else index))
    out: Dict[str, float] = {}
    for slot, items in found.items():
        out[slot] = items[0][0]
        if slot == "amount_demanded" and len({a for a, _ in items}) > 1 and _has(_RAISED, t):
            out[slot] = items[-1][0]  # "eerst wou hij 200 nu zegt ie 400": the demand now
        if slot == "amount_paid":
            per_clause: Dict[int, float] = {}
            for amount, index in items:
                per_clause.setdefault(index, amount)  # one amount per clause ("50 van de 500")
            if len(per_clause) > 1 and len(set(per_clause.values())) == len(per_clause):
                out[slot] = round(sum(per_clause.values()), 2)
    return out


def amounts_in_text(text: str) -> List[str]:
    return [chunk for chunk, _value, _pos in find_amounts(text)]


# --- Lists ------------------------------------------------------------------------------------
def add_unique(current: Any, *values: Optional[str]) -> List[str]:
    out = list(current or [])
    for v in values:
        if v is not None and v not in out:
            out.append(v)
    return out
