"""The gentle check question after a half-sign of suicidal thoughts (docs/safety.md, "Half-signs").

The safety net (data/safety/suicidal_phrases.yml) gives the crisis message only on clear words; each
new author's subtle wording is new to it (safety dev sets 9-11). What a counsellor does with a
half-sign ("zorg goed voor haar", "ik wil het alleen even ergens kwijt") is ask. So when the person's
message has a ``check_cues:`` match or the learned risk scorer's (session 25), no net match, and the
answer of that turn holds no crisis message, the web app adds one question, once per conversation, with 113 in it and two buttons:

* "Ja, soms" (or a typed yes, "soms", "misschien", "weet ik niet"; a short answer that says how long,
  when, how, a plan or an attempt; an answer with a half-sign in it, even after "nee"): Rasa gets ``/express_suicidal``
  (its safety rules answer it in every state, also inside the facts form) and the open case becomes
  urgent, exactly as after suicidal words;
* "Nee" (or a typed plain no): the web app answers itself and shows the bot's last question again;
  Rasa does not get the "nee", which would otherwise answer that question; its transcript gets a note.

Anything else the person types goes its normal way (net, classifier). The question is never asked
during a take-over (the counsellor reads along) and never twice.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from bot.language import risk_scorer
from bot.language.fold import fold
from bot.language.safety_phrases import DOMAIN_FILE, check_cue
from bot.language.text_facts import yes_no
from bot.language.trainer_files import read_yaml, response_variants
from bot.web_texts import section

CHECK_YES = "/express_suicidal"  # a Rasa intent: data/rules/safety.yml answers it in every state
CHECK_NO = "/safety_check_no"  # never sent to Rasa: the web app answers it (api.py)

# Typed answers that count as yes: a doubt is a yes here (a counsellor would go on asking).
_MAYBE = re.compile(
    r"(ja+|jawel|jep|yes|ja soms|soms|soms wel|af en toe|een beetje|beetje|wel eens|weleens|misschien|"
    r"best wel|eigenlijk wel|een soort van|soort van|kweenie|weet ik niet|ik weet het niet|ik weet niet|idk|"
    r"ja eigenlijk wel|ja een beetje|ja wel|wel|vaak|steeds|elke dag|elke nacht)"
)


# Answers that say more than yes, and mean it, after "do you think of ending your life?" (safety dev
# set 16's short replies): how long ("al een paar dagen"), when ("vannacht misschien"), how ("met
# pillen", "een touw"), a plan or an attempt. Read only as the answer to the question, only in a short
# message (_SHORT words), never after a plain "nee".
_SHORT = 12
_SAYS_MORE = re.compile(
    r"\bal\s+((een\s+)?(paar|tijdje|tijd)|twee|drie|vier|\d+|heel\s+wat|weken|maanden|dagen|jaren|lang|tijden)\b"
    r"|^((een\s+)?paar|twee|drie|vier|\d+)\s+(dagen|weken|maanden|jaar|keer)(\s+al)?$|\b\d+\s*x\b"
    r"|^(vannacht|vanavond|morgen|straks|binnenkort|vandaag|dit\s+weekend)(\s+(misschien|denk\s+ik|wss|waarschijnlijk|al))?$"
    r"|\bmet\s+(pillen|tabletten|medicijnen|een\s+touw|touw|een\s+mes|mesjes?)\b|\btouw\b|^(ja\s+)?(pillen|slaappillen|een\s+mes)$"
    r"|\bheb\s+het\s+(al\s+)?(eens\s+|een\s+keer\s+|vaker\s+|twee\s+keer\s+)?(geprobeerd|gedaan)\b|\bpoging\b"
    r"|\b(ik\s+heb\s+)?(al\s+)?een\s+plan\b|\bdaar\s+denk\s+ik\s+(wel\s+)?(aan|over)\b|^sinds\b"
)


# A doubt that leads a short answer is a doubt too ("idk ben gwn moe van alles", "misschien als hij het
# stuurt"): found live in session 33, where only a bare "idk" was read. Not when the doubt is about
# something else ("ik weet niet wat ik moet doen", "geen idee hoe dat moet") or the rest says no
# ("idk denk het niet").
_DOUBT_MAX_WORDS = 10
_DOUBT_LEAD = re.compile(
    r"^(idk|ik weet het niet|ik weet niet|weet ik niet|weet niet|kweenie|geen idee|misschien|soms)\b"
    r"(?!\s+(wat|hoe|waar|wie|of|waarom|wanneer|welke|meer|wel hoe|wat ik|hoe ik)\b)"
)
_DOUBT_SAYS_NO = re.compile(r"\b(niet|nie|nee|nooit|geen|never|nope|no|neu|nah)\b")


# Someone asked about the person they write for, who is not sure that person means what they said: "Hij zit
# naast me in de auto, ik ben bij hem. Ik weet niet of hij het echt meent." got "Oké. Je kunt me alles
# vragen" (r_omstanders.yml, session 35). Something was said, and doubt about it is a yes, whatever the length.
_UNSURE_THEY_MEAN_IT = re.compile(
    r"\b(ik )?(weet|weten) (ik |we )?(niet|nie) (zeker )?of (hij|zij|ze|die) het (echt |serieus |wel |ook )?"
    r"(meent|meende|serieus meent|echt bedoelt|zo bedoelt|zo bedoelde)\b"
)


def _doubt_lead(t: str) -> bool:
    lead = _DOUBT_LEAD.match(t)
    if not lead or len(t.split()) > _DOUBT_MAX_WORDS:
        return False
    return not _DOUBT_SAYS_NO.search(t[lead.end() :])


def texts() -> dict:
    return section("safety_check")


# Who the question speaks to, by Rasa's ``writer`` slot: a teenager writing about themselves is
# not asked about "degene over wie je schrijft"; a parent is asked about their child first.
_QUESTION_FOR = {"victim": "question_self", "on_behalf": "question_other"}


def question(writer: str | None = None) -> str:
    """The question for this writer (slot ``writer``); unknown writer: the text that asks both."""
    return texts()[_QUESTION_FOR.get(writer or "", "question")]


def after_no(asked: str | None) -> str:
    """The short answer to "nee": someone asked about the person they write for gets its own."""
    t = texts()
    return t["after_no_other"] if asked == t["question_other"] else t["after_no"]


def questions() -> tuple:
    """Every variant of the question: how the web app knows it was asked."""
    t = texts()
    return tuple(t[key] for key in ("question", *_QUESTION_FOR.values()))


def is_question(text: str | None) -> bool:
    return bool(text) and text in questions()


def buttons() -> list:
    t = texts()
    return [{"title": t["button_yes"], "payload": CHECK_YES}, {"title": t["button_no"], "payload": CHECK_NO}]


def typed_answer(text: str | None) -> str | None:
    """'yes', 'no' or None (not an answer to the question: it goes its normal way)."""
    if not text:
        return None
    t = re.sub(r"[^\w\s]", " ", fold(text))
    t = re.sub(r"\s+", " ", t).strip()
    plain = yes_no(text)
    if plain is True or _MAYBE.fullmatch(t):
        return "yes"
    # a half-sign in the answer to the question about it is no "no" ("nee niemand. en straks ben ik weg")
    if check_cue(text) is not None:
        return "yes"
    if plain is False:
        return "no"
    if len(t.split()) <= _SHORT and _SAYS_MORE.search(t):
        return "yes"
    if _doubt_lead(t) or _UNSURE_THEY_MEAN_IT.search(t):
        return "yes"
    return None


@lru_cache(maxsize=None)
def _openings(response: str) -> tuple:
    """The first words of every variant of a response of domain.yml: how that answer starts."""
    domain, _ = read_yaml(DOMAIN_FILE, dict)
    found = []
    for variant in (domain.get("responses") or {}).get(response) or []:
        said = variant.get("text") if isinstance(variant, dict) else None
        if isinstance(said, str) and said.strip():
            found.append(" ".join(said.split()[:6]))
    return tuple(found)


def _crisis_openings() -> tuple:
    """How a crisis answer (utter_safety) starts."""
    return _openings("utter_safety")


@lru_cache(maxsize=1)
def _not_understood_openings() -> tuple:
    """How "I did not understand" starts (actions/responses.yml, ``rephrase``)."""
    return tuple(" ".join(said.split()[:6]) for said in response_variants(lambda key: key == "rephrase"))


def is_not_understood_reply(text: str | None) -> bool:
    """Is this the bot's "Dat begreep ik niet helemaal. Wil je het anders zeggen?"? Before the check question
    it jars, and it asks for what the question asks better: "Hij zegt net tegen me: het heeft allemaal geen
    zin meer." (nlu_fallback) got both (r_omstanders.yml, session 35). Left out of a turn that ends with it."""
    return bool(text) and " ".join(text.split()).startswith(_not_understood_openings())


def is_thanks_reply(text: str | None) -> bool:
    """Is this the bot's answer to thanks (utter_thank: "Fijn dat ik kon helpen ...")? Before the check
    question it jars: "… ik heb mijn zus bedankt voor alles" was read as thanks (conversation suite,
    d_midden.yml), so the web app leaves it out of a turn that ends with the question."""
    return bool(text) and " ".join(text.split()).startswith(_openings("utter_thank"))


def has_crisis_answer(reply_texts: Iterable[str | None]) -> bool:
    """Does the turn already hold the crisis message (utter_safety, or the web app's safety note)?"""
    from bot.language.safety_phrases import safety_message

    openings = _crisis_openings() + (" ".join(safety_message().split()[:6]),)
    return any(t and " ".join(t.split()).startswith(openings) for t in reply_texts)


def _default_scorer() -> Path:
    from bot.settings import get_settings

    return risk_scorer.path_for(get_settings().model_path)


# The extorter's demand told in three words is no half-sign: the scorer flagged "wil er meer" (more
# pictures; conversation suite g_kort.yml, session 28). The cues and the net still ask or answer.
_THE_DEMAND = re.compile(
    r"^((hij|ze|zij|die|die gast)\s+)?(wil|wilt|willen|vraagt|eist)\s+(er\s+)?(nog\s+)?(meer|extra|nieuwe)(\s+(fotos?|foto's|pics?|nudes?|filmpjes?|videos?|geld))?$"
)


def due(
    text: str | None,
    reply_texts: Iterable[str | None],
    asked_before: bool,
    suicidal: bool,
    scorer_path: Path | None = None,
    opening: Callable[[], bool] | None = None,
    opening_message: bool = False,
) -> bool:
    """Should this turn end with the check question? ``suicidal``: the net matched the words (or the
    turn was answered as suicidal); when False the net did not match, so its patterns are not run again
    (every message of the chat passes here). A half-sign of ``check_cues:`` asks; so does the learned
    risk scorer (bot/language/risk_scorer.py, session 25) at its threshold, on wording no list knows
    yet. Since session 26 it reads every message (it learned answers in the middle of a conversation);
    ``opening()``, when given, limits it to the person's first messages (risk_scorer.OPENING_MESSAGES,
    session 25's rule; asked only when the scorer would ask: the web app counts in the database).
    ``opening_message``: the web app marked the message as one of the person's opening messages (the
    scorer's lower threshold, session 33).
    ``scorer_path``: another trained scorer (tests); by default the one next to the Rasa model."""
    if suicidal or asked_before or not text:
        return False
    if check_cue(text, matched=None) is None:
        if _THE_DEMAND.search(fold(text).strip(" .!?")) or not risk_scorer.flags(
            text, scorer_path or _default_scorer(), opening=opening_message
        ):
            return False
        if opening is not None and not opening():
            return False
    return not has_crisis_answer(list(reply_texts))
