"""Deterministic report net (issue 13): clear sextortion wording is a report, whatever the
classifier thinks of it.

The classifier misses plain first-person reports on unseen wording ("ik word gechanteerd met
een …" became "Bedoel je: het gaat om iemand anders?"). Trainers maintain the word lists in
``data/safety/report_phrases.yml``; matching runs on the same normalised text as the safety net
(bot/language/safety_phrases.py). The NLU component ``bot/nlu/report_net.py`` uses it to re-route a message to
the script when the classifier said fallback, out of scope, a question, "on behalf" without
anyone named, or a request for a person without any word asking for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from bot.language.money import has_money_marker
from bot.language.safety_phrases import ROOT, normalise
from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

DEFAULT_FILE = ROOT / "data" / "safety" / "report_phrases.yml"
MAX_CHARS = 8_000  # a report is said early; a huge text is read up to here
BLACKMAIL, PAYMENT = "report_blackmail", "report_payment_demand"


@dataclass(frozen=True)
class Verdict:
    intent: str  # report_blackmail | report_payment_demand
    by: str  # "direct" | "threat+material" | "vague"
    third_person: bool  # someone else is named ("mijn zoon", "een meisje uit mijn klas")
    statement: bool  # says it is happening ("ik word gechanteerd", "hij dreigt"), not only asks
    asks_person: bool = False  # asks for a person ("ik wil met een hulpverlener praten")


def _compile(path: Path | str, text: str, key: str, items) -> list:
    if items is None:
        return []
    if not isinstance(items, list):
        raise TrainerFileError(path, line_of(text, f"{key}:"), f"'{key}:' moet een lijst zijn (regels met '- ')")
    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise TrainerFileError(
                path,
                line_of(text, f"{key}:"),
                f"'{item}' onder '{key}:' is geen tekst: zet het patroon tussen dubbele aanhalingstekens",
            )
        try:
            out.append(re.compile(item))
        except re.error as exc:
            raise TrainerFileError(path, line_of(text, item[:30]), f"patroon {item!r} werkt niet ({exc})") from exc
    return out


@dataclass
class ReportNet:
    direct: list
    threat: list
    material: list
    exclusions: list
    money: list
    third_person: list
    statement: list
    person: list
    not_money: list
    not_intimate: list
    intimate: list
    secret: list
    secret_unless: list
    no_threat: list
    trouble: list
    scam: list
    scam_unless: list
    vague: list
    # session 18 (scripts/nlu_devset_lookalikes5.yml): read with ``= field(default_factory=list)`` so an
    # older copy of the file (var/last_good/) without them still loads
    no_material: list = field(default_factory=list)
    general_question: list = field(default_factory=list)
    perpetrator: list = field(default_factory=list)
    perpetrator_unless: list = field(default_factory=list)
    report_hint: list = field(default_factory=list)  # session 23
    pressure: list = field(default_factory=list)  # session 23

    @classmethod
    def from_file(cls, path: Path | str = DEFAULT_FILE) -> "ReportNet":
        data, text = read_yaml(path, dict)
        # one list per field, in the file under the field's name
        return cls(*(_compile(path, text, f.name, data.get(f.name)) for f in fields(cls)))

    def check(self, text: str | None) -> Verdict | None:
        """The verdict for a message, or None when it does not read as a report."""
        if not text:
            return None
        norm = self._cut(text)

        def has(patterns: list) -> bool:
            return any(p.search(norm) for p in patterns)

        # a threat with the material is the stronger reading (reroute trusts it without a statement), so it
        # wins when the crime is named too ("nu eisen ze 350 euro, anders gaat de opname naar zijn school")
        if has(self.threat) and has(self.material):
            by = "threat+material"
        elif has(self.direct):
            by = "direct"
        elif has(self.vague) and not self.not_sextortion(text):
            by = "vague"  # rerouted only from an unsure classifier (reroute)
        else:
            return None
        intent = PAYMENT if self._names_money(norm) else BLACKMAIL
        return Verdict(intent, by, has(self.third_person), has(self.statement), has(self.person))

    def names_third_person(self, text: str | None) -> bool:
        """Someone else is named as the one it happens to ("mijn zoon", "een meisje uit mijn klas")."""
        return bool(text) and any(p.search(self._cut(text)) for p in self.third_person)

    def says_not_intimate(self, text: str | None) -> bool:
        """Does the message say the images are ordinary, and name nothing intimate besides?"""
        if not text:
            return False
        norm = normalise(text[:MAX_CHARS])
        if not any(p.search(norm) for p in self.not_intimate):
            return False
        for p in self.not_intimate:  # "geen naaktfoto's" must not count as naming one
            norm = p.sub(" ", norm)
        return not any(p.search(norm) for p in self.intimate)

    def tells_a_secret_only(self, text: str | None) -> bool:
        """Is the threat to TELL something about the person ("hij weet dat ik vreemd ben gegaan en
        vertelt het aan mijn vriend"), with no image, nothing intimate and no spreading named?"""
        return self._only(text, self.secret, (*self.material, *self.intimate, *self.secret_unless))

    def says_no_threat(self, text: str | None) -> bool:
        """Does the message say outright that nobody threatens or demands anything (`no_threat:`), with
        nothing in the rest of it that still does?"""
        if not text:
            return False
        norm = normalise(text[:MAX_CHARS])
        if not any(p.search(norm) for p in self.no_threat):
            return False
        for p in self.no_threat:
            norm = p.sub(" ", norm)
        return not any(p.search(norm) for p in (*self.direct, *self.threat, *self.statement))

    def _said_only(self, text: str | None, cues: list, unless: tuple) -> bool:
        """A line of ``cues`` matches, and with those lines cut out no line of ``unless`` does."""
        if not text or not cues:
            return False
        # the cues are read before the exclusions (which cut "geen foto's" out of "er worden geen foto's gedeeld")
        if not any(p.search(normalise(text[:MAX_CHARS])) for p in cues):
            return False
        norm = self._cut(text)
        for p in cues:
            norm = p.sub(" ", norm)
        return not any(p.search(norm) for p in unless)

    def says_no_material(self, text: str | None) -> bool:
        """Said that there are no images ("hij heeft geen foto's van me", "ik heb niks gestuurd", "er
        worden geen foto's gedeeld") and, besides, no crime, threat, nothing intimate and no money."""
        if not self._said_only(text, self.no_material, (*self.direct, *self.threat, *self.intimate)):
            return False
        return not self._names_money(self._cut(text))

    def asks_in_general(self, text: str | None) -> bool:
        """A general or what-if question ("kunnen ze met AI een naaktfoto van mij maken?", "is dat
        waar?", "vraag voor school") that says nothing is happening: no crime, threat, statement, trouble
        or money."""
        unless = (*self.direct, *self.threat, *self.statement, *self.trouble)
        if not self._said_only(text, self.general_question, unless):
            return False
        return not self._names_money(self._cut(text))

    def threatened_someone(self, text: str | None) -> bool:
        """The writer (or their child) is the one who threatened ("ik heb mijn ex gedreigd dat ...") and
        nothing says that someone threatens the writer (`statement:`, `perpetrator_unless:`)."""
        return self._said_only(text, self.perpetrator, (*self.statement, *self.perpetrator_unless))

    def nothing_happening(self, text: str | None) -> bool:
        """No crime, threat, material, intimacy, money or sign of trouble named at all (`trouble:`): what
        a report "on behalf" of someone needs before it is one."""
        if not text:
            return False
        norm = self._cut(text)
        lists = (self.direct, self.threat, self.material, self.intimate, self.trouble, self.vague)
        return not (any(p.search(norm) for ps in lists for p in ps) or self._names_money(norm))

    def names_nothing_of_it(self, text: str | None) -> bool:
        """Names nothing a report is made of: no crime, threat, material, nothing intimate, no vague
        trouble, no money (a word, or an amount with a sign: "100€") and no hint (`report_hint:`). A
        report reading of such a message is the classifier's guess ("Is dit gratis?"), not a report."""
        return self._names_none(
            text, (self.direct, self.threat, self.material, self.intimate, self.vague, self.report_hint)
        )

    def names_no_pressure(self, text: str | None) -> bool:
        """Names nobody doing anything to the writer: no crime, threat, vague trouble, statement, hint,
        word of pressure (`pressure:`) and no money. Images or something intimate may be named ("is
        snapchat veilig om pikante fotos te sturen?"): a question or a worry, not a report."""
        return self._names_none(
            text, (self.direct, self.threat, self.vague, self.report_hint, self.statement, self.pressure)
        )

    def _names_none(self, text: str | None, lists: tuple) -> bool:
        """A text, and (after the exclusions) no line of ``lists`` and no money in it."""
        if not text:
            return False
        norm = self._cut(text)
        if any(p.search(norm) for ps in lists for p in ps):
            return False
        return not (self._names_money(norm) or has_money_marker(text[:MAX_CHARS]))

    def is_a_scam_only(self, text: str | None) -> bool:
        """A scam or other money trouble (`scam:`) with no crime, material, intimacy or spreading named."""
        return self._only(text, self.scam, (*self.direct, *self.material, *self.intimate, *self.scam_unless))

    def _cut(self, text: str) -> str:
        """The normalised text (up to MAX_CHARS) with the `exclusions:` cut out."""
        norm = normalise(text[:MAX_CHARS])
        for ex in self.exclusions:
            norm = ex.sub(" ", norm)
        return norm

    def _only(self, text: str | None, cues: list, unless: tuple) -> bool:
        """A line of ``cues`` matches and no line of ``unless`` does (after the exclusions)."""
        if not text:
            return False
        norm = self._cut(text)
        return any(p.search(norm) for p in cues) and not any(p.search(norm) for p in unless)

    def not_sextortion(self, text: str | None) -> bool:
        """Said to be something else: ordinary images (`not_intimate:`), a secret told (`secret:`),
        nobody threatening (`no_threat:`), a scam (`scam:`), no images at all (`no_material:`), a
        general question (`general_question:`), or the writer is the one who threatened (`perpetrator:`)."""
        return (
            self.says_not_intimate(text)
            or self.tells_a_secret_only(text)
            or self.says_no_threat(text)
            or self.is_a_scam_only(text)
            or self.says_no_material(text)
            or self.asks_in_general(text)
            or self.threatened_someone(text)
        )

    def _names_money(self, norm: str) -> bool:
        for ex in self.not_money:  # "hij wil geen geld", "ik heb nog niks betaald"
            norm = ex.sub(" ", norm)
        return any(p.search(norm) for p in self.money)

    def names_money(self, text: str | None) -> bool:
        """Does the message name money as the demand (a money word, a payment method, an amount in
        euros), after the denials of `not_money:` are cut out?"""
        return bool(text) and self._names_money(normalise(text[:MAX_CHARS]))


# Classifier answers that the net may overrule (issue 13). Not the form's answer intents
# (inform, affirm, deny, dont_know, prefer_not_to_say), not other reports, not suicidal/distress.
UNSURE_INTENTS = {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", "bot_challenge"}
ON_BEHALF = "report_on_behalf"
COUNSELLOR = "request_counsellor"
DISTRESS = "express_distress"
RECEIVED = "report_received_image"


def reroute(model_intent: str | None, verdict: Verdict | None) -> str | None:
    """The report intent to use instead of the classifier's, or None to keep the classifier's."""
    if verdict is None:
        return None
    model_intent = model_intent or "nlu_fallback"
    if verdict.by == "vague":
        # "mijn zoon heeft iets stoms gestuurd en wordt nu onder druk gezet" read as out of scope: a
        # report (on behalf of someone named), but only when the classifier had nothing better
        if model_intent in UNSURE_INTENTS or model_intent == "ask_other":
            return ON_BEHALF if verdict.third_person else verdict.intent
        return None
    if not (verdict.statement or verdict.by == "threat+material"):
        return None  # naming the topic ("wat is sextortion?") is not reporting it
    if model_intent in UNSURE_INTENTS:
        return verdict.intent
    if model_intent.startswith("ask_") and verdict.statement:  # "hij dreigt ..., moet ik betalen?"
        return verdict.intent
    if model_intent == DISTRESS and verdict.by == "threat+material":
        # "ik heb domme dingen gedaan op snap en nu wil iemand cash van me anders gaat het filmpje rond.
        # ik durf het aan niemand te vertellen" (session 14, scripts/nlu_devset_teens.yml): the fear is
        # heard in the script's first words; without the script the person gets no advice at all
        return verdict.intent
    if model_intent == RECEIVED and verdict.by == "threat+material":
        # "MIJN ZOON MOET BETALEN ANDERS KOMT ZIJN NAAKTFILMPJE ONLINE" read as "I received an image":
        # a threat with a demand is extortion, whoever's image it is (scripts/nlu_devset_others.yml)
        return ON_BEHALF if verdict.third_person else verdict.intent
    if model_intent == ON_BEHALF and not verdict.third_person:  # "ik word gechanteerd" is not on behalf
        return verdict.intent
    if model_intent == COUNSELLOR and verdict.statement and not (verdict.asks_person or verdict.third_person):
        # "iemand heeft een filmpje van me en wil 300 euro" read as a request for a person (0.62, found
        # by playing a conversation, session 12): the consent question came before any advice
        return verdict.intent
    return None


FAMILY = (BLACKMAIL, PAYMENT)
# The web app's mark (a key of the message metadata Rasa gets) on the person's opening messages: only
# those may the report verifier promote (bot/web/chat/delivery.py, bot/nlu/report_verifier.py)
OPENING = "opening"
# Reports the classifier may make of a message that says its images are ordinary (not_intimate:)
NOT_SEXTORTION = FAMILY + ("report_images_shared", "report_paid", "report_on_behalf")


# A bare number is money only beside a paying verb: DIET also tags ages and counts as amounts
# ("mn broertje van 12", "naar 3 van mn volgers").
_PAY_NEAR = re.compile(
    r"\b(stuur\w*|betaal\w*|betalen|overmak\w*|maak\w* over|kost\w*|geef|geven|dok\w*|vroeg|vraagt|wil|wilt|eist|eiste|eisen)\b"
)


def _is_money(entity: dict, text: str) -> bool:
    if entity.get("entity") == "payment_method":
        return True
    if entity.get("entity") != "amount":
        return False
    value = str(entity.get("value") or "")
    if entity.get("extractor") == "MoneySpans" or has_money_marker(value):
        return True
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    return bool(
        _PAY_NEAR.search(text[max(0, start - 25) : start].lower()) or _PAY_NEAR.search(text[end : end + 25].lower())
    )


def family_intent(text: str | None, net: "ReportNet", entities=()) -> str:
    """Blackmail or payment demand by the money the message names: a payment method or an amount the
    NLU found ("€300", "een robux kaart", "250 stuur") or a money word."""
    money = any(_is_money(e, text or "") for e in entities or ()) or net.names_money(text)
    return PAYMENT if money else BLACKMAIL


def split_family(model_intent: str | None, text: str | None, net: "ReportNet", entities=()) -> str | None:
    """Blackmail or payment demand by the money the message names, not by the classifier (issue 13:
    the difference between the two is an entity, not a way of writing). None when nothing changes.

    Measured on the development sets (docs/nlu.md, session 13): the classifier keeps deciding
    whether a message is a report at all (merging the two intents in training cost recall);
    this rule then decides which of the two."""
    if model_intent not in FAMILY:
        return None
    intent = family_intent(text, net, entities)
    return intent if intent != model_intent else None


def only_a_guess(model_intent: str | None, text: str | None, net: "ReportNet", entities=()) -> str | None:
    """Why a report reading of the classifier is only its guess (session 23), or None when it may stand.

    "nothing_named": the message names nothing a report is made of ("Is dit gratis?", read as
    blackmail); "no_pressure": it names images but nobody doing anything to the writer ("is snapchat
    veilig om pikante fotos te sturen?"). Money the NLU found (an amount, a payment method) counts too.
    Every report reading needs a word of pressure when images are named, images shared included: "is
    snapchat veilig ..." read as report_images_shared got "Wat heftig dat de beelden al zijn verspreid"
    (a live try); images really posted name it ("gepost", "staat op", "gaat rond")."""
    if model_intent not in NOT_SEXTORTION or not text:
        return None
    if any(_is_money(e, text) for e in entities or ()):
        return None
    no_pressure = net.names_no_pressure(text)
    if net.names_nothing_of_it(text) and (model_intent != "report_images_shared" or no_pressure):
        # a reading of images shared also needs no word of `pressure:` ("iedereen op school weet het",
        # an answer inside a conversation, names nothing else)
        return "nothing_named"
    return "no_pressure" if no_pressure else None


@lru_cache(maxsize=1)
def default_net() -> ReportNet:
    return load_or_last_good(DEFAULT_FILE, ReportNet.from_file)
