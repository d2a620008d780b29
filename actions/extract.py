"""Fill the fact slots from every user message (custom slot mapping action).

Rasa runs this after each user message (all fact slots in domain.yml have a custom mapping
with ``action: action_extract_facts``), also while a form is active. So an amount, platform,
deadline or age mentioned anywhere pre-fills the facts form and nobody is asked what they
already said. Only context-free facts are read here; answers to a specific form question
("ja", "weet ik niet", a bare number) are read by validate_facts_form. The Dutch itself is read in
bot/language/ (text_facts.py, money.py and the word cues in cues.py); this module decides which
fact a message sets in the conversation so far.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answers_a_safety_turn, entities_of, intent_of, previous_bot_action, recent_intents, text_of
from bot.cases.facts import FACT_NAMES, threat_known
from bot.language import cues
from bot.language.money import has_money_marker, normalise_amount, says_money
from bot.language.question_topics import is_hypothetical, question_topic
from bot.language.text_facts import (
    MAX_IDENTIFIERS,
    MAX_OPEN_QUESTIONS,
    QUESTION_INTENTS,
    add_unique,
    age_group_for,
    age_in_text,
    amounts_in_text,
    canonical_audience,
    canonical_demand,
    canonical_payment_method,
    canonical_platform,
    classify_amounts,
    corrected_platform,
    deadline_within_24h,
    denies_paid,
    denies_spread,
    elapsed_time,
    find_deadline,
    find_identifiers,
    find_payment_method,
    find_platform,
    find_writer_role,
    heard_demand,
    is_deepfake,
    is_known_platform,
    is_question,
    latest_deadline,
    names_a_time,
    norm,
    not_about_money,
    only_a_time,
    own_plan_time,
    paid_more_later,
    parse_age,
    platform_in_context,
    says_spread,
    time_of_my_own,
    told_when,
    wants_questions,
    wants_to_stop_questions,
    without_parts,
)

log = logging.getLogger(__name__)
CONSENT_QUESTIONS = ("utter_ask_handoff_consent",)
VICTIM_REPORTS = ("report_blackmail", "report_payment_demand", "report_paid", "report_images_shared")


def _entities(tracker: Tracker, name: str) -> List[Dict[str, Any]]:
    return [e for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == name]


def _surface(entity: Dict[str, Any], text: str) -> str:
    """The words the person typed for an entity (its value may be a synonym's canonical name)."""
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return str(entity.get("value") or "")


@dataclass(frozen=True)
class _Message:
    """The latest user message, as extract_updates reads it."""

    tracker: Tracker
    slots: Dict[str, Any]
    intent: Optional[str]
    text: str  # "" for a button payload
    low: str  # norm(text)
    requested: Optional[str]  # the form question being answered (None when no form is active)


class _Updates(dict):
    """The slot values to set, in the order they were first set."""

    def __init__(self, slots: Dict[str, Any]) -> None:
        super().__init__()
        self.slots = slots

    def put(self, name: str, value: Any) -> None:
        """Set ``name`` unless the value is None or the slot has it already."""
        if value is not None and self.slots.get(name) != value:
            self[name] = value


def _read_message(tracker: Tracker, recovered: Optional[Dict[str, Any]] = None) -> _Message:
    slots = dict(tracker.current_slot_values(), **(recovered or {}))
    intent = intent_of(tracker)
    text = text_of(tracker)
    if text.startswith("/"):
        text = ""  # a button payload such as /affirm carries no facts
    requested = slots.get("requested_slot") if (tracker.active_loop or {}).get("name") else None
    if intent == "nlu_fallback" and slots.get("stage") is not None and 0 < len(text.split()) <= 3:
        # "geld", "via snap" in the middle of a conversation, too short for the classifier: read as the
        # facts they give (a girl answering in single words lost her money demand, session 13)
        intent = "inform"
    return _Message(tracker, slots, intent, text, norm(text), requested)


def extract_updates(tracker: Tracker, recovered: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Slot values to set for the latest user message (only the ones that change), on top of
    ``recovered`` (facts of earlier messages that Rasa reverted, see facts_lost_to_the_fallback).

    The order matters: later facts read earlier ones (the writer role reads the writer, the
    demand reads the amounts and the payment method, ...) and it is the order of the events."""
    m = _read_message(tracker, recovered)
    out = _Updates(m.slots)
    own_threat = _own_threat(m)
    _put_writer(out, m, own_threat)
    _put_writer_role(out, m)
    _put_platform(out, m)
    denied_paid = _put_denied_paid(out, m)
    told_age = _told_age(m)
    money = _put_amounts(out, m, told_age, denied_paid)
    method = _put_payment_method(out, m)
    _put_identifiers(out, m, method)
    _put_demand(out, m, money, method, denied_paid)
    _put_deadline(out, m)
    _put_audience(out, m)
    _put_age(out, m, told_age)
    _put_paid(out, m, money, denied_paid)
    _put_spread(out, m)
    _put_suicide_risk(out, m)
    out.put("safety_recent", safety_recent(tracker))
    out.put("safe_answered", safe_answered(tracker))
    _put_deepfake(out, m, own_threat)
    _put_open_questions(out, m)
    _put_questions_stopped(out, m)
    _put_consent(out, m)
    return dict(out)


def _own_threat(m: _Message) -> bool:
    """A demand for money or "a photo of me": the writer is the one extorted, even if the
    classifier said "received an image"."""
    return bool(
        cues.OWN_IMAGE.search(m.low)
        or entities_of(m.tracker, "amount")
        or entities_of(m.tracker, "demand")
        or entities_of(m.tracker, "payment_method")
    )


def _third_person_extorted(low: str) -> bool:
    """Someone else is the one extorted. A family word next to the writer's own report is the threat's
    audience ("Ik ben slachtoffer van afpersing ... anders krijgen mijn vrouw, mijn kinderen en mijn
    collega's het filmpje" gave a man writing about himself the parents' advice; session 28)."""
    if cues.PEER_EXTORTED.search(low) or cues.HE_IS_EXTORTED.search(low):
        return True
    return bool(cues.ON_BEHALF_WORDS.search(low)) and not cues.I_AM_EXTORTED.search(low)


# "t gaat nie over mij" before the story: someone writes for another (session 30, g_kort.yml)
_NOT_ABOUT_ME = re.compile(r"\b(gaat|is|gaan) (nie|niet) (over|om) (mij|mezelf|mijzelf)\b|\bniet voor (mij|mezelf)\b")
_DEMAND_ON_THEM = re.compile(
    r"\b(wil|wilt|willen|eist|eisen|vraagt|zegt)( \w+)? (dat|of) (ze|zij|hij|ie) (\w+ ){0,4}(gaat|moet|komt|stuurt|betaalt|doet)\b"
)


# "Eerlijk gezegd gaat het om mijn zoon. Hij is 12." after a "general question" (read as the victim):
# the person says who it is about (q_gaandeweg.yml, session 34)
_ABOUT_MY_OTHER = re.compile(
    r"\b(gaat|ging|gaan) (het )?((eigenlijk|eerlijk gezegd|dus|juist|wel|nu|hier) )*(om|over) (mijn|mn|m'n|onze|ons) "
    r"(zoon|dochter|kind|kinderen|broer|broertje|zus|zusje|neef|nicht|vriend|vriendin|leerling|kleinzoon|kleindochter|pupil)\b"
)


def _put_writer(out: _Updates, m: _Message, own_threat: bool) -> None:
    """Who is writing: the victim, someone on their behalf, or someone who received an image."""
    intent, slots, low = m.intent, m.slots, m.low
    if (
        intent != "express_suicidal"
        and slots.get("writer") != "on_behalf"
        and _ABOUT_MY_OTHER.search(low)
        and not cues.MY_MATERIAL.search(low)  # "het gaat om mijn vriend, hij heeft mijn nudes": the extorter
    ):
        out.put("writer", "on_behalf")
    elif intent == "report_on_behalf":
        # The classifier says "on behalf" for first-person reports too ("ik word afgeperst", "iemand
        # op whatsapp ..."): on behalf only when a third person is named; first person: the victim;
        # neither: not known yet (issue 13: no guess from the intent alone)
        named = _third_person_extorted(low)
        if cues.MY_MATERIAL.search(low) and not named:
            out.put("writer", "victim")  # "mijn vriendje heeft mijn nudes": the friend is the extorter
        elif named or cues.THIRD_PERSON.search(low):
            out.put("writer", "on_behalf")
        elif slots.get("writer") != "on_behalf" and cues.ABOUT_ME.search(low):
            out.put("writer", "victim")
    elif intent == "report_received_image":
        if own_threat:
            if slots.get("writer") in (None, "receiver"):
                out.put("writer", "on_behalf" if cues.ON_BEHALF_WORDS.search(low) else "victim")
        else:
            out.put("writer", "receiver")
    elif intent in VICTIM_REPORTS and not slots.get("writer") and cues.RECEIVED_OTHERS.search(low) and not own_threat:
        out.put("writer", "receiver")
    elif intent == "report_blackmail" and slots.get("writer") == "receiver" and _DEMAND_ON_THEM.search(low):
        # "nu wil ie dat ze op cam gaat" after "iemand van roblox heeft foto van haar": she is extorted,
        # the writer is no receiver but writes for her (session 30, g_kort.yml on a new machine kind)
        out.put("writer", "on_behalf")
    elif intent in VICTIM_REPORTS and (
        not slots.get("writer")
        # a receiver becomes the one extorted only with money or a threat of their own in the message: "ik ben
        # 14 btw. en ik heb m niet doorgestuurd echt niet" (report_paid 0.37) made a boy who received a
        # classmate's nude a victim, with "Betaal niet" (r_omstanders.yml on session 36's kind)
        or (
            slots.get("writer") == "receiver"
            and intent in ("report_payment_demand", "report_paid")
            and (own_threat or _names_money(m))
        )
    ):
        out.put("writer", "on_behalf" if _third_person_extorted(low) else "victim")
    elif intent == "express_suicidal" and not slots.get("writer") and cues.OWN_IMAGE.search(low):
        # "iemand op insta heeft een video van mij en ze wil 500 euro ... ik wil echt niet meer leven":
        # the crisis reading came first, and the case never said who was extorted (session 29, h_nacht.yml)
        out.put("writer", "on_behalf" if _third_person_extorted(low) else "victim")
    elif intent not in VICTIM_REPORTS + ("express_suicidal",) and not slots.get("writer"):
        # "ik ben jongerenwerker en heb een vraag over een jongen die ik begeleid": nothing happens yet
        # (the report net makes such an opener out of scope, session 14), but who writes is said; so
        # does "ik ben moeder van een meisje van 14. Ik heb net iets ontdekt" (ask_other; her report
        # after it got the victim's texts, session 30, j_geld.yml)
        if find_writer_role(low) in ("parent", "professional") or _NOT_ABOUT_ME.search(low):
            out.put("writer", "on_behalf")


def _put_writer_role(out: _Updates, m: _Message) -> None:
    """Who they write for: a parent, a professional or a friend (the advice differs)."""
    if out.get("writer", m.slots.get("writer")) == "on_behalf" and m.low:
        role = find_writer_role(m.low)
        if role is None and not m.slots.get("writer_role"):
            # "t gaat nie over mij" / "mn vriendin" / "iemand van roblox heeft foto van haar": the role was
            # said before the report (a friend got the parents' tip; session 28, g_kort.yml)
            earlier = [e.get("text") or "" for e in (m.tracker.events or []) if e.get("event") == "user"][-6:-1]
            role = next((r for r in (find_writer_role(norm(t)) for t in reversed(earlier)) if r), None)
        out.put("writer_role", role)


def _known_word(value: str) -> Optional[str]:
    """A known platform inside a span DIET cut too long ("insta een" from "op insta een naaktfoto")."""
    # also a word joined by a dash: "Roblox-kaarten" (s_tegenspraak.yml, session 36: held as the platform "roblox-kaarten")
    return next((c for c in (canonical_platform(w) for w in re.split(r"[\s-]+", value)) if c), None)


def _platforms_named(tracker: Tracker, text: str) -> List[str]:
    """The platforms the message names as where the contact happened ("ik snap er niks van" names
    no app; "naar mn collega's op LinkedIn sturen" is where it would go, not where it happened)."""
    platforms = [
        canonical_platform(str(e.get("value"))) or _known_word(str(e.get("value"))) or norm(str(e.get("value")))
        for e in _entities(tracker, "platform")
        if e.get("value") and platform_in_context(_surface(e, text), text)
    ]
    # an unknown name needs letters: "2x" or "100" tagged as a platform is none
    platforms = [p for p in platforms if is_known_platform(p) or re.search(r"[a-z]{3,}", p)]
    if not platforms and text and not _entities(tracker, "platform"):
        found = find_platform(text)
        platforms = [found] if found and platform_in_context(found, text) else []
    return platforms


def _put_platform(out: _Updates, m: _Message) -> None:
    """Platform: where the contact happened."""
    known = m.slots.get("platform")
    corrected = corrected_platform(m.text, known)
    if corrected:
        out.put("platform", corrected)
        return
    platforms = without_parts(_platforms_named(m.tracker, m.text), known)
    if (
        platforms
        and not (known and cues.SENT_ONLY.search(m.low))
        and (not known or len(m.low.split()) <= 3 or cues.CONTACT_ON.search(m.low))
    ):
        # a platform already known stays, unless the contact is said to be elsewhere ("hij heeft ze
        # allemaal opgezocht op linkedin" is not where the contact happened)
        out.put("platform", platforms[-1])


def _put_denied_paid(out: _Updates, m: _Message) -> bool:
    """Paid or not: "ik heb nog niks betaald" is a fact (paid = no), and wins over the intent."""
    denied_paid = bool(m.text) and m.intent != "express_suicidal" and denies_paid(m.text)
    if denied_paid:
        out.put("paid", False)
    return denied_paid


def _told_age(m: _Message) -> Optional[float]:
    """An age in the message ("ik ben 16" is an age even as the answer to "how much?"; a bare "16"
    then is an amount)."""
    if m.requested not in ("amount_demanded", "amount_paid") or not cues.BARE_NUMBER.match(m.low):
        return age_in_text(m.low)
    return None


# "wil ze 1.500" as well as "ze wil 1500" (session 31, j_geld.yml on session 24's kind)
_HE_WANTS = r"(?:hij |ze |zij )?(?:wil|wilt|eist|vraagt)(?: (?:hij|ze|zij))?"
# "nu zegt hij: nog 400, anders ..." (session 30, j_geld.yml: no amount held): the demand quoted
_HE_SAYS = r"(?:(?:en |maar )?nu |toen )?(?:zegt|zei|schrijft|schreef|vraagt|vroeg) (?:hij|ze|zij)\s*:?\s*"
# "2 dagen later nog 150" (session 30, j_geld.yml)
_LATER = r"(?:(?:\d+|een|twee|drie|paar) (?:dagen|dag|weken|week) later|daarna|toen|later|gisteren|vorige week)\s+"
_NEW_BARE_AMOUNT = re.compile(
    rf"^(?:{_HE_SAYS}|{_LATER})?(?:(?:en |maar )?(?:nu|nog|weer|extra|opnieuw)\s+(?:{_HE_WANTS}\s+)?|{_HE_WANTS}\s+)"
    r"(\d{1,3}(?:\.\d{3})+|\d{2,6})\b(?!\s*(?:uur|min|dag|keer|x\b|jaar))"
)
# "wil 250. paypal. voor 12 uur": a number wanted is money (session 28, g_kort.yml: no amount held)
_WANTS_N = re.compile(rf"^{_HE_WANTS}\s+\d{{2,6}}\b")


_PAY_N = re.compile(
    r"\b(\d{2,6})\s+(?:euro\s+)?(?:overmaak|overmaken|betaal|betalen|dok|dokken|stort|storten|overgemaakt|betaald)\b|"
    r"\b(?:overmaken|betalen|dokken|storten|tikkie)\s+van\s+(\d{2,6})\b"
)


_OWN_MONEY = re.compile(
    r"\b(zakgeld|per (week|maand)|in de (week|maand)|spaargeld|salaris|loon|bijbaan|verdien\w*|"
    r"op (mijn|mn|m'n|haar|zijn|onze|ons) (rekening|bankrekening|spaarrekening)|spaarrekening|"
    r"tot (het )?(einde|eind) van de maand|"
    r"^(ik heb|heb ik) (nog |maar |nog maar |zelf |zelf maar )\d+)\b"
)
_PAID_OR_DEMANDED = re.compile(
    rf"\b(betaald|overgemaakt|gestort|{cues.DEMAND_VERBS}|eist|moet (\w+ )?(betalen|overmaken))\b"
)


_ROUGHLY = re.compile(r"\b(een paar|paar|enkele|wat|een stuk of wat) (honderd|duizend)\b|\b(honderden|duizenden)\b")
_SOMEONE_ELSES = re.compile(
    r"\b(hem|haar|hun|die|dat|bij (hem|haar)) (\w+ ){0,3}(ook|toen|vorig jaar|eerder|al eens) (\w+ ){0,3}(gebeurd|overkomen)\b"
)


def _clause_of(low: str, amount: str) -> str:
    """The clause (between commas or full stops) that holds the amount; the message when not found."""
    written = norm(amount).strip(",.;: ")
    return next((c for c in re.split(r"[,.;!?]+(?:\s|$)|\s(?:maar|want|dus)\s", low) if written and written in c), low)


def _around(low: str, amount: str, width: int = 30) -> str:
    """The words around an amount in the message (the whole message when it is not found as written)."""
    at = low.find(norm(amount).strip(",.;: "))
    return low if at < 0 else low[max(0, at - width) : at + len(amount) + width]


def _amounts(m: _Message, told_age: Optional[float]) -> List[str]:
    """The amounts in the message (entities; or a clear currency amount in the text), euros first."""
    amounts = [str(v) for v in entities_of(m.tracker, "amount") if v is not None]
    if told_age is not None or cues.ABOUT_AGE.search(m.low):
        # "34", "ik ben 45, hij is 50", "ik ben 17 niet 16": ages, not amounts (issue 15)
        amounts = [a for a in amounts if has_money_marker(a)]
    # "krijgen we die 50 euro nog terug?": a question about an amount already known, no new amount
    # (nor one read from the text below: it made the € 50 paid the amount demanded, issue 15)
    asks_about_known = "?" in (m.text or "") and bool(m.slots.get("amount_demanded") or m.slots.get("amount_paid"))
    told = m.text or ""
    if asks_about_known:
        amounts = []
        # only the question itself: "... dat ze de rest moet betalen, 175 euro, voor zaterdag. Moeten we
        # dat dan maar betalen?" told a new demand before asking (session 30, j_geld.yml: none held)
        told = re.sub(r"[^.!?]*\?+", " ", told)
    low = norm(told)
    if not amounts and low and m.intent not in ("express_suicidal",):
        amounts = [a for a in amounts_in_text(told) if has_money_marker(a)]
        if not amounts and told_age is None and (m.slots.get("demand_type") == "money" or _WANTS_N.search(low)):
            # "nu 800. voor maandag." after a money demand: the new amount, said bare (session 28, g_kort.yml)
            amounts = _NEW_BARE_AMOUNT.findall(low)[:1]
        if not amounts and told_age is None:
            # "als ik geen 150 overmaak": a number paid over is euros (session 28, g_kort.yml)
            amounts = [a or b for a, b in _PAY_N.findall(low)][:1]
        if not amounts and told_age is None and find_payment_method(told):
            # "heb al twee keer 75 gestuurd via paypal": a number beside a way of paying is euros
            # (session 30, j_geld.yml: nothing paid was held)
            amounts = _SENT_N.findall(low)[:1]
    if amounts and _OWN_MONEY.search(low):
        # "Ze krijgt 10 euro zakgeld per week" got "Weer een nieuwe eis, en hoger"; "ik heb het van mn
        # bijbaan geld betaald, ik verdien 300 in de maand" became 300 paid (session 30, j_geld.yml): the
        # person's own money (pocket money, wage, savings) in its own clause is neither demanded nor paid
        amounts = [
            a
            for a in amounts
            if not (_OWN_MONEY.search(_clause_of(low, a)) and not _PAID_OR_DEMANDED.search(_clause_of(low, a)))
        ]
    # "een paar honderd euro aan cadeaukaarten gestuurd" became 100 paid (session 30, j_geld.yml): no
    # exact amount was told
    amounts = [a for a in amounts if not _ROUGHLY.search(_around(low, a, 12))]
    if amounts and (m.intent or "").startswith("ask_"):
        # "politie lijkt me overdreven voor 150 euro", "of dat zin heeft voor driehonderd euro": what it was
        # worth, in a question; it became the amount demanded (session 30, j_geld.yml)
        amounts = [
            a
            for a in amounts
            if not re.search(rf"\bvoor (maar |slechts |zo'?n |nog geen |die )?{re.escape(norm(a))}", low)
        ]
    if amounts and _SOMEONE_ELSES.search(low):
        # "mn vriend zegt dat hem dat vorig jaar ook is gebeurd en die heeft toen 1,5k betaald": a friend's
        # story; the case said 1,500 paid by a boy who had paid nothing (session 30, j_geld.yml)
        amounts = []
    if asks_about_known:
        # "maar 100 euro is niet zo veel ... als ik die kaart koop is het toch klaar?" after 100 asked:
        # an amount already known, told again around a question, is no new fact (it became paid)
        known = {m.slots.get("amount_demanded"), m.slots.get("amount_paid")}
        amounts = [a for a in amounts if normalise_amount(a) not in known]
    # "ze heeft er 1 gestuurd": a count, not euros
    amounts = [a for a in amounts if has_money_marker(a) or (normalise_amount(a) or 0) >= cues.MIN_BARE_AMOUNT]
    # "0,01 btc, dat is zon 600 euro": an amount in euros wins over one without a currency
    amounts.sort(key=lambda a: not has_money_marker(a))
    return amounts


_SENT_N = re.compile(r"\b(\d{2,6})\s+(?:euro\s+)?(?:gestuurd|overgestuurd|verstuurd|gegeven|gedaan)\b")


def _paid_again(low: str, amount: float) -> bool:
    """Is this paid amount said to come on top ("nog 50", not "hij wil nog 200")?"""
    return any(normalise_amount(m.group(1)) == amount for m in cues.PAID_AGAIN.finditer(low))


_COUNT = r"(\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)"
_SEVERAL = re.compile(
    rf"\b(nog |weer |opnieuw )?{_COUNT}\s*(?:keer|x)\s+(?:€\s*)?(\d{{2,5}}|\w*honderd|\w*tig)\b|"
    rf"\b(nog |weer |opnieuw )?{_COUNT}\s+(?:[\w-]+[- ])?(?:kaart\w*|codes?|giftcards?|cadeaubonnen|bonnen|vouchers?)\s+van\s+"
    r"(?:€\s*)?(\d{1,4}|\w*honderd|\w*tig)\b"
)
_PAID_DONE = re.compile(r"\b(gekocht|gestuurd|opgestuurd|verstuurd|betaald|overgemaakt|gegeven|gestort)\b")


def _several_paid(low: str, paid_before: bool = False) -> Optional[Tuple[float, bool, set]]:
    """(total, told as more, the numbers in the phrase) for "twee keer 75 gestuurd" or "nog 2 kaartjes
    van 25 gekocht"; None if not. After a payment was told, "even precies: drie Apple-kaarten van
    honderd" needs no verb."""
    m = _SEVERAL.search(low)
    if not m:
        return None
    # judged in its own clause: "ze wil dat ik twee keer 75 stuur via paypal. heb al 1x 75 gestuurd" is
    # a demand, however much was paid elsewhere in the message (a live try, session 30)
    clause = _clause_of(low, m.group(0))
    told_paid = _PAID_DONE.search(clause) or (paid_before and re.search(r"\b(precies|in totaal|totaal|dus)\b", clause))
    if not told_paid or re.search(r"\b(wil|wilt|willen|wou|eist|eisen|vraagt|vroeg|moet|moeten)\b", clause):
        return None
    again, count, value = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5), m.group(6))
    n = normalise_amount(count)  # "twee" -> 2 (bot/language/money.py reads number words)
    v = normalise_amount(value)
    if not n or n < 2 or not v or n * v < cues.MIN_BARE_AMOUNT:
        return None  # "een kaart van 50 vergeten" is one card, not a total
    return round(n * v, 2), bool(again), {normalise_amount(w) for w in re.findall(r"\d+", m.group(0))}


def _put_amounts(out: _Updates, m: _Message, told_age: Optional[float], denied_paid: bool) -> Dict[str, Any]:
    """The amounts demanded and paid (an amount paid means paid); returns them."""
    amounts = _amounts(m, told_age)
    money = _corrected_amount(m, amounts) or classify_amounts(
        m.text or " ".join(amounts), amounts, m.intent, m.requested
    )
    if (
        set(money) == {"amount_demanded"}
        and m.slots.get("paid") is True
        and m.slots.get("amount_paid")
        and paid_more_later(m.text)
    ):
        # "2 dagen later nog 150 want ze zei dat de eerste niet was aangekomen", after 100 paid: paid
        # again, not a demand (session 30, j_geld.yml)
        money = {"amount_paid": round(float(m.slots["amount_paid"]) + money["amount_demanded"], 2)}
    elif (
        set(money) == {"amount_demanded"}
        and m.slots.get("paid") is True
        and not m.slots.get("amount_paid")
        and m.requested != "amount_demanded"
        and find_payment_method(m.text)
        and not _A_DEMAND.search(m.low)
        and not is_hypothetical(m.text)
    ):
        # "150 euro via tikkie. op insta begon het", after "ik heb betaald en ...": how much was paid,
        # not a new demand (o_ongeduld.yml, session 32)
        money = {"amount_paid": money["amount_demanded"]}
    several = (
        _several_paid(m.low, m.slots.get("paid") is True)
        if not denied_paid and not _SOMEONE_ELSES.search(m.low)
        else None
    )
    if several:
        # "twee keer 75 gestuurd via paypal", "nog 2 kaartjes van 25 gekocht": the total paid, not one
        # card, and not a demand (session 30, j_geld.yml: 75 paid, or 2 demanded)
        total, again, parts = several  # a count or one card of the phrase is no demand
        money = {k: v for k, v in money.items() if k != "amount_demanded" or v not in parts}
        money["amount_paid"] = total
        if again and m.slots.get("amount_paid"):
            money["amount_paid"] = round(float(m.slots["amount_paid"]) + total, 2)
    known = m.slots.get("amount_paid")
    if (
        not several
        and money.get("amount_paid")
        and known
        and money["amount_paid"] != known
        and _paid_again(m.low, money["amount_paid"])
    ):
        money["amount_paid"] = round(float(known) + money["amount_paid"], 2)  # "ik heb nog 50 betaald": the total
    if (
        "amount_demanded" in money
        and "amount_paid" not in money
        and not denied_paid
        and m.intent != "express_suicidal"
        and (it := _PAID_IT.search(m.low))
        and not _SOMEONE_ELSES.search(m.low)
        and "?" not in m.low[it.start() :]
    ):
        # "Ze wilde 1.200 euro, anders ... Ik heb het vanmiddag in bitcoin overgemaakt": the sum demanded
        # was paid (session 31, j_geld.yml on session 24's kind: read as a demand only)
        money["amount_paid"] = money["amount_demanded"]
    if denied_paid:
        # "Nee, hij heeft niets betaald. Hij heeft ook helemaal geen 250 euro." (read as report_paid): the
        # amount of a message that says nothing was paid is no amount paid (session 27, e_begin.yml)
        money.pop("amount_paid", None)
    for name, value in money.items():
        out.put(name, value)
    if "amount_paid" in money and not denied_paid:
        out.put("paid", True)
    return money


# up to five words between "ik heb" and the verb, none of them a negation ("ik heb het nog niet betaald")
_NO_NEGATION = r"(((?!(niks|niets|niet|nie|geen|nooit|nog)\b)\w+ ){0,5})"
_PAID_IT = re.compile(
    rf"\bik heb (het|dat|dat geld|het geld|het bedrag|die \w+) {_NO_NEGATION}(betaald|overgemaakt|gestort|overgeboekt)\b"
)
# "Ik heb al een paar honderd euro aan cadeaukaarten gestuurd" (inform 0.53; session 31, j_geld.yml on
# session 24's kind): money or a way of paying sent by the person is a payment, whatever the intent
_I_SENT_MONEY = re.compile(
    rf"\bik heb (al |toch |net |gisteren |vanmiddag |vanochtend |vanavond |ook )*{_NO_NEGATION}"
    r"(aan |in |met |via )?(euro|geld|cadeaukaart\w*|giftcard\w*|gift cards?|paysafe\w*|steam ?kaart\w*|"
    r"apple[- ]?kaart\w*|bitcoin\w*|crypto|tikkie)\b.{0,20}\b(gestuurd|betaald|overgemaakt|gegeven|gekocht en gestuurd)\b"
)


_X_NOT_Y = re.compile(
    r"\b(?:het was|was het|het is|is het|het waren|was|nee|sorry)\b.{0,12}?\b(\d{2,6})\s*(?:euro\s+)?(?:niet|geen|ipv|i\.p\.v\.|in plaats van)\s+(?:€\s*)?(\d{2,6})\b"
)


def _paid_steps(tracker: Tracker) -> List[float]:
    """The amounts added to the amount paid so far (100, then 250: [100, 150])."""
    held = [e.get("value") for e in tracker.events or [] if e.get("event") == "slot" and e.get("name") == "amount_paid"]
    steps, before = [], 0.0
    for value in held:
        if value is None:
            continue
        steps.append(round(float(value) - before, 2))
        before = float(value)
    return steps


def _corrected_amount(m: _Message, amounts: List[str]) -> Optional[Dict[str, float]]:
    """An amount already held that the message takes back gets the new one: "het was in totaal 150
    euro, niet 100" (100 paid: 150 paid, not 150 demanded), "ik zie dat ik 2500 schreef: het is 1500"
    (session 28, f_luisteren.yml)."""
    values = [v for v in (normalise_amount(a) for a in amounts) if v]
    said = _X_NOT_Y.search(m.low)
    if said:
        # "nee sorry het was 250 niet 200", "het was 120 niet 150" (bare numbers; session 30, j_geld.yml)
        new, old = normalise_amount(said.group(1)), normalise_amount(said.group(2))
        for name in ("amount_demanded", "amount_paid"):
            held = m.slots.get(name)
            if held and new and old and float(held) == old:
                return {name: new}
        held = m.slots.get("amount_paid")
        if held and new and old and old in _paid_steps(m.tracker):
            # one of several payments corrected: 100 + 150 held as 250, "het was 120 niet 150" -> 220
            return {"amount_paid": round(float(held) - old + new, 2)}
    for name in ("amount_paid", "amount_demanded"):
        held = m.slots.get(name)
        if not held:
            continue
        k = re.escape(f"{float(held):g}")
        if not re.search(
            rf"\b(niet|geen|nee)\s+(€\s*)?{k}\b|\b{k}\s*(euro\s+)?(geschreven|schreef|gezegd|zei|getypt|typte)\b", m.low
        ):
            continue
        others = [v for v in values if v != float(held)]
        if others:
            return {name: float(others[0])}  # the first other: "150 euro, niet 100 ... een kaart van 50"
    return None


# also a bill: "ik wil niet dat mn ouders het op de rekening zien" (about calling 113; session 31)
_MY_ACCOUNT = re.compile(
    r"\bop (mijn|mn|m'n|haar|zijn|onze|ons) (bank|spaar)?rekening\b|"
    r"\bop (de|hun|mijn|mn|de telefoon|de mobiele) ?(telefoon|beltegoed|mobiele)?rekening (zien|zie|staan|staat|komen|komt)\b"
)
_BANK_PAYMENT = re.compile(
    r"\b(overgemaakt|overmaken|overgeboekt|tikkie|iban|overschrijving|bankoverschrijving|naar (een|zijn|haar|die|hun) rekening)\b"
)


def _put_payment_method(out: _Updates, m: _Message) -> Optional[str]:
    """The payment method named in the message (returned; None when none)."""
    methods = [canonical_payment_method(str(v)) for v in entities_of(m.tracker, "payment_method") if v]
    if methods and methods[-1] in ("other", "bank") and not _about_money(m, without_bank=methods[-1] == "bank"):
        # a word the NLU tagged that names no method, or "het gaat om mijn bankrekening" (phishing):
        # without money or paying in the message it is no payment method
        methods = []
    if (
        methods[-1:] in ([], ["bank"], ["other"])
        and _MY_ACCOUNT.search(m.low)
        and not _BANK_PAYMENT.search(m.low)
        and find_payment_method(m.text) in (None, "bank")
    ):
        # "ik heb maar 120 op mn rekening": the person's own account, not how they paid (session 30)
        return None
    method = (
        methods[-1]
        if methods
        else (find_payment_method(m.text) if m.intent in ("report_payment_demand", "report_paid", "inform") else None)
    )
    if method == "bank" and ("tikkie" in methods or m.slots.get("payment_method") == "tikkie"):
        # "De Tikkie ging naar een rekening van de ING": a Tikkie is paid from a bank account, and the
        # Tikkie is what the advice and the counsellor need (session 28, f_luisteren.yml)
        method = "tikkie"
    if not (method == "other" and m.slots.get("payment_method")):  # "een kaart" never undoes "paysafecard"
        out.put("payment_method", method)
    return method


# a number that counts pictures, years or hours is no money: "ze heeft er 1 gestuurd en nu zegt hij dat hij die
# anders naar haar klas stuurt" (report_payment_demand 1.00) held a money demand (session 35, Intel kind)
_COUNTED = re.compile(
    r"\ber (nog |wel |ook |weer )?\d{1,2}\b(?! ?(euro|eur|€))|\b\d{1,2} (foto\w*|filmpjes?|video\w*|pics?|nudes?|keer|x|jaar|uur|min\w*|dagen|weken)\b"
    r"|\b(ben|is|was|wordt) \d{1,2}\b"
    # an age: "een meisje van 13" (r_omstanders.yml on session 36's kind: a demand for new pictures became money)
    r"|\b(meisje|jongen|zoon|dochter|kind|leerling|leerlinge|kleinzoon|kleindochter|broer|zus|neef|nicht|vriend|"
    r"vriendin|meid|knul|puber|tiener|student|studente|man|vrouw|klasgenoot|klasgenote)(tje|je)? (van|is|was|wordt) "
    r"(pas |bijna |net |al )?\d{1,2}\b(?! ?(euro|eur|€))|\b\d{1,2} ?(j|jr|jarige)\b"
)


def _names_money(m: _Message) -> bool:
    """A word about money in the message (the classifier's payment intents alone are not enough)."""
    low = _COUNTED.sub(" ", m.low)
    return bool(cues.MONEY_WORDS.search(low) or says_money(low))


def _about_money(m: _Message, without_bank: bool = False) -> bool:
    """Money or paying in the message or its intent; ``without_bank``: "bank" itself does not count."""
    if m.intent in ("report_payment_demand", "report_paid"):
        return True
    if without_bank:
        return bool(cues.PAYING.search(m.low) or says_money(m.low))
    return _names_money(m)


def _put_identifiers(out: _Updates, m: _Message, method: Optional[str]) -> None:
    """The extorter's handle, profile link, IBAN, wallet address, gift-card codes (masked for counsellors)."""
    slots = m.slots
    found = find_identifiers(m.text, method or slots.get("payment_method")) if m.intent != "express_suicidal" else []
    if found:
        merged = add_unique(slots.get("identifiers"), *found)[-MAX_IDENTIFIERS:]
        if merged != list(slots.get("identifiers") or []):
            out["identifiers"] = merged


def _put_demand(out: _Updates, m: _Message, money: Dict[str, Any], method: Optional[str], denied_paid: bool) -> None:
    """What is demanded: money wins when money is in the same message."""
    intent, slots = m.intent, m.slots
    demands = [canonical_demand(str(v)) for v in entities_of(m.tracker, "demand") if v]
    demands = [d for d in demands if d]
    if demands and demands[-1] == "more_images" and m.requested != "demand_type" and cues.BARE_MATERIAL.match(m.low):
        demands = []  # "fotos" on its own names the material they have, not a demand for more
    correction = bool(m.text) and not_about_money(m.text)
    heard = heard_demand(m.text) if m.text and intent != "express_suicidal" else None
    if m.requested != "demand_type" and not (
        _A_DEMAND.search(m.low) or cues.DEMANDER.search(m.low) or _WANTS_CAM.search(m.low)
    ):
        # "tinder match. videocall." is how the images came, not a demand: "webcam" kept the money demand told
        # next out ("nu 800. voor maandag." got no "betaal niet"; session 35, Intel kind)
        demands = [d for d in demands if d != "webcam"]
        heard = None if heard == "webcam" else heard
    if correction:
        _correct_demand(out, slots, heard, demands)
    elif "amount_demanded" in money or (method and intent != "report_paid"):
        out.put("demand_type", "money")
    elif (
        (demands or heard)  # heard: no demand tagged on session 24's kind (session 31)
        and intent == "report_payment_demand"
        # "money" too: the facts are read twice in a turn, and the second read made it "webcam" again
        and slots.get("demand_type") in (None, "money")
        and m.requested != "demand_type"
        and _names_money(m)
    ):
        # "toen we aan het facetimen waren.. ze zei ik moet betalen anders ...": the video call is how the
        # images came, the demand is money; "webcam" left the first script without "betaal niet"
        # (conversation suite j_geld.yml, session 30)
        out.put("demand_type", "money")
    elif (
        heard == "money"
        and slots.get("demand_type") in ("other", "more_images", "webcam")
        and m.requested != "demand_type"
        and not is_hypothetical(m.text)
    ):
        # "wil geld" after "iemand heeft n foto" (held as a demand for pictures): what he wants, said in words,
        # and the advice must say "betaal niet" (g_kort.yml on session 35's kind)
        out.put("demand_type", "money")
    elif (
        heard in ("meeting", "sex")
        and slots.get("demand_type") in (None, "other", "more_images", "webcam")
        and m.requested != "demand_type"
        and cues.DEMANDER.search(m.low)
        and not is_hypothetical(m.text)
    ):
        # "hem fotos gestuurd. nu wil hij dat ik zaterdag naar hem toe kom": "fotos" (tagged as the
        # demand) is what was sent; the demand that can end in abuse is the one the advice must follow
        # (session 30, k_afsluiten.yml: got "Stuur niets meer", no word about not meeting him)
        out.put("demand_type", heard)
    elif (
        _WANTS_CAM.search(m.low)
        and set(demands) <= {"more_images", "other", "webcam"}
        # "webcam" too: the facts are read twice in a turn, and the second read made it "more_images" again
        # (r_omstanders.yml, session 35)
        and slots.get("demand_type") in (None, "other", "more_images", "webcam")
        and not is_hypothetical(m.text)
    ):
        # "nu wil hij dat ik voor hem op cam ga anders zet ie mn fotos online": "fotos" (tagged) is the
        # material he has; the demand is the webcam (session 31, m_wending.yml)
        out.put("demand_type", "webcam")
    elif demands and (not slots.get("demand_type") or m.requested == "demand_type" or cues.DEMANDER.search(m.low)):
        # a demand already known changes only when someone is said to want something ("oke ik ga nu
        # naar hem toe" is the writer's plan, tagged "meeting" by the NLU)
        out.put("demand_type", demands[-1])
    elif (
        heard
        and intent in VICTIM_REPORTS + ("report_on_behalf", "inform")
        and slots.get("demand_type") in (None, "other")
    ):
        out.put("demand_type", heard)
    elif (
        heard in ("meeting", "sex")
        and slots.get("demand_type") in ("more_images", "webcam")
        and cues.DEMANDER.search(m.low)
        and not is_hypothetical(m.text)
    ):
        # "hij wil ook dat ik zaterdag naar zijn huis kom" after a demand for pictures: the demand that
        # can end in abuse is the one the advice must follow, whatever the classifier read (session 12)
        out.put("demand_type", heard)
    elif intent == "report_payment_demand" and slots.get("demand_type") in (None, "other", "money") and _names_money(m):
        out.put("demand_type", "money")  # a demand already heard ("meer video's") is not undone by the intent alone
    elif (
        intent == "report_on_behalf"
        and slots.get("demand_type") in (None, "other")
        and _names_money(m)
        and cues.DEMANDER.search(m.low)
    ):
        # "iemand heeft een foto van hem ... en wil geld van hem": a grandmother's report named the
        # demand, and the case said none (conversation suite, session 13)
        out.put("demand_type", "money")
    elif (
        (intent == "report_paid" and not denied_paid and (cues.PAYMENT_WORDS.search(m.low) or method))
        or "amount_paid" in money
    ) and not slots.get("demand_type"):
        # not from the intent alone: "hij vroeg om fotos en ik heb er 2 gestuurd" (report_paid 0.77) is
        # pictures sent, and "money" then kept out the demand for more pictures told next (n_crisis.yml,
        # session 32)
        out.put("demand_type", "money")


def _correct_demand(out: _Updates, slots: Dict[str, Any], heard: Optional[str], demands: List[str]) -> None:
    """ "ik heb nog niks gezegd over geld": the money guess goes, the demand heard (if any) comes."""
    if slots.get("demand_type") == "money":
        out["demand_type"] = None
    if slots.get("amount_demanded") is not None:
        out["amount_demanded"] = None
    if heard or (demands and demands[-1] != "money"):
        out["demand_type"] = heard or demands[-1]


_GIVEN_UNTIL = re.compile(
    r"\b(geeft|geven|gaf|gaven|gegeven|krijg|kreeg|heb|heeft)\s+(me|mij|ons|hem|haar|je|jou)?\s*(nog\s+)?(tot|t/m|uiterlijk)\b"
)
# "hij zegt dat ik tot morgen heb om te beslissen", "... dat ik voor zaterdag moet laten weten of ik kom":
# the blackmailer's time told in other words, read as out of scope (conversation suite, d_midden.yml)
# "hij zei vrijdag.. nee wacht het was zaterdag" (session 28, f_luisteren.yml: no deadline held)
_HE_SAYS_I = re.compile(
    r"\b(hij|ze|zij|die)\s+(zegt|zei|schrijft|schreef|appt|appte|eist|eiste|wil|wilt)\s+((dat\s+)?(ik|je)\b|"
    # what he wants, and by when: "Zij wil dat hij het vannacht nog doet" (a grandmother, nlu_fallback: no
    # deadline held; r_omstanders.yml on session 36's kind)
    r"(?<=wil )dat\s+(ik|je|hij|zij|ze)\b|(?<=wilt )dat\s+(ik|je|hij|zij|ze)\b|"
    r"((voor|tot|uiterlijk)\s+)?(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|morgen\w*|vanavond|vannacht|"
    r"overmorgen|vandaag|volgende\s+week|dit\s+weekend)\b)"
)


# the words around a time that the NLU may tag on their own ("voor" + "vanavond" is one deadline)
_TIME_PARTICLE = re.compile(r"(voor|tot|om|binnen|uiterlijk|nog|na|over|vanaf|uur)")
_EVERY_SO_OFTEN = re.compile(
    r"\b(elke|iedere|om de)\s+(\d+\s*)?(min\w*|minuut|minuten|uur|seconde\w*|sec|dag|nacht|avond)\b"
)


def _put_deadline(out: _Updates, m: _Message) -> None:
    """Deadline as written, and whether it is within 24 hours."""
    if m.text and (own_plan_time(m.text) or told_when(m.text)):
        # "ik ga morgen naar de politie": the person's plan; "hij kwam vandaag naar me toe": when it
        # was told; neither is the demand's deadline
        return
    if answers_a_safety_turn(m.tracker):
        # the answer to the crisis message or the check question ("ja. vooral vannacht") is about the
        # person, not the demand (conversation suite, d_midden.yml: "zondag" became "vannacht")
        return
    deadlines = [
        str(v)
        for v in entities_of(m.tracker, "deadline")
        if v and not time_of_my_own(m.text, str(v)) and not elapsed_time(m.text, str(v))
    ]
    deadlines = latest_deadline(m.text, deadlines)
    if any(names_a_time(d) for d in deadlines):
        # "vanavond om 10 uur bel ik, neem op of het gaat naar je directeur": "directeur" tagged as a deadline too
        # made the case say "vanavond om 10 uur directeur" (s_tegenspraak.yml, session 36)
        deadlines = [d for d in deadlines if names_a_time(d) or _TIME_PARTICLE.fullmatch(norm(d))]
    if _EVERY_SO_OFTEN.search(m.low):
        # "ik check elke 5 min mn telefoon": how often, not by when (session 30, j_geld.yml: deadline "min")
        deadlines = [
            d for d in deadlines if not re.search(rf"\b{re.escape(norm(d))}\b", _EVERY_SO_OFTEN.search(m.low).group(0))
        ]
    bare = only_a_time(m.text) if m.text and m.intent != "express_suicidal" else None
    if bare and not deadlines and not m.slots.get("deadline") and threat_known(m.slots):
        deadlines = [bare]  # "morgen" (zei ie) right after the demand, even when nobody asked
    if not any(names_a_time(d) for d in deadlines):
        # "nog" tagged as a deadline would overwrite "vanavond"; none tagged in a report: read the text
        found = (
            find_deadline(m.text)
            if m.text
            and not m.slots.get("deadline")
            and (
                m.intent in VICTIM_REPORTS + ("report_on_behalf", "inform")
                # "ze geven me tot morgenavond", read as goodbye (0.41) on one machine kind (session 14)
                or (threat_known(m.slots) and (_GIVEN_UNTIL.search(m.low) or _HE_SAYS_I.search(m.low)))
                # "En nu wil hij nog 100 euro, voor zaterdag." (out_of_scope 1.00: no deadline held;
                # q_gaandeweg.yml, session 34)
                # (his demand with an amount: "als ik niet terug wil moet ik zaterdag ... langskomen" is the
                # time of the meeting, and the deadline came after it, i_anders.yml)
                or (threat_known(m.slots) and _HE_WANTS_AMOUNT.search(m.low))
            )
            else None
        )
        deadlines = [found] if found else []
    if deadlines:
        written = " ".join(dict.fromkeys(deadlines))
        out.put("deadline", written)
        out.put("deadline_within_24h", deadline_within_24h(written))


def _put_audience(out: _Updates, m: _Message) -> None:
    """Audience (a list: who it would be sent to)."""
    audience = [canonical_audience(str(v)) for v in entities_of(m.tracker, "audience") if v]
    audience = [a for a in audience if a]
    if audience and m.intent in ("express_suicidal", "express_distress") and not _SHOWN_TO.search(m.low):
        # "ik ben het zat allemaal. zorg goed voor mn moeder" (a farewell) held the mother as the threat's
        # audience, and the next answer said "Ik heb ook gelezen dat iemand je bedreigt" (a live try,
        # session 34): in words of despair a person is an audience only when something is sent or seen
        return
    if audience:
        merged = add_unique(m.slots.get("audience"), *audience)
        if merged != list(m.slots.get("audience") or []):
            out["audience"] = merged


_SHOWN_TO = re.compile(
    r"\b(naar|aan|stuur\w*|sturen|gestuurd|verstuur\w*|doorgestuurd|deel\w*|gedeeld|post\w*|gepost|laten zien|laat zien|"
    r"ziet|zien|gezien|krijgt|krijgen|gekregen|weet|weten|rond\w*|lek\w*|leak\w*|verspreid\w*|anders|online|groep\w*)\b"
)


_CLAIMED_AGE = re.compile(
    r"\b(?:zei|zegt|zeggen|zeiden|beweerde|beweert|deed alsof|deed of|dacht dat)\s+(?:dat\s+)?(?:hij|ze|zij|die)\s+"
    # "hij zegt hij is 16", "hij zei hij is 12" (t_jong.yml, session 36: the extorter's claim became the girl's age)
    r"(?:is\s+|was\s+|zou\s+)?(?:ook\s+|pas\s+|maar\s+)?(\d{1,2})\b"
)


_MY_OWN_AGE = re.compile(r"\bik ben (pas |al |zelf |ook |nog maar )?\d{1,2}\b")
_THEIR_AGE = re.compile(
    r"\b(hij|zij|ze|die|zoon|dochter|kind|broer\w*|zus\w*|vriend\w*|leerling\w*|kleinzoon|kleindochter)"
    r" (is|was|wordt) (pas |al |nog maar )?\d{1,2}\b"
)


def _put_age(out: _Updates, m: _Message, told_age: Optional[float]) -> None:
    """Age, and the age group (from the age, or from words such as "minderjarig")."""
    # (a bare number answering "how much?" is an amount, even if tagged as an age)
    ages = (
        []
        if m.requested in ("amount_demanded", "amount_paid")
        else [parse_age(v) for v in entities_of(m.tracker, "age")]
    )
    ages = [told_age] if told_age is not None else [a for a in ages if a is not None]  # "sorry ik ben 17, niet 16"
    if told_age is None:
        # "Hij wil het binnen 24 uur" (the NLU tagged 24 as an age; session 30 on a new machine kind)
        ages = [a for a in ages if not re.search(rf"\b{a:g}\s*(uur|u\b|min|dagen|euro|keer)", m.low)]
    # "een jongen die zei dat hij 15 was": the age the extorter claimed, not the person's (a mother's daughter of
    # 14 became 15; session 30, j_geld.yml); also when the text reader found it ("hij zegt hij is 16", session 36)
    claimed = {parse_age(n) for n in _CLAIMED_AGE.findall(m.low)}
    ages = [a for a in ages if a not in claimed]
    their = _THEIR_AGE.search(m.low)
    if their and _MY_OWN_AGE.search(m.low) and out.get("writer", m.slots.get("writer")) != "victim":
        # "ik ben de zus van iemand, ik ben 16 en mijn broertje is 11": the age of the one written for (t_jong.yml,
        # session 36: the case said 16)
        named = parse_age(re.search(r"\d{1,2}", their.group(0)).group(0))
        ages = [named] if named is not None else ages
    if cues.ABOUT_AGE.search(m.low) and told_age is None:
        ages = []  # "ik ben bijna 18": no age to note
    if (
        ages
        and out.get("writer", m.slots.get("writer")) == "on_behalf"
        and _MY_OWN_AGE.search(m.low)
        and not _THEIR_AGE.search(m.low)
    ):
        # the writer's own age is not the age of the one they write for: a boyfriend's "ik ben 17 ik kan dit
        # toch ook zelf regelen voor haar" made his girlfriend of 16 17 (r_omstanders.yml, session 35)
        ages = []
    if ages:
        out.put("age", ages[-1])
        out.put("age_group", age_group_for(ages[-1]))
    else:
        for pattern, group in cues.AGE_KEYWORDS:
            if pattern.search(m.low):
                out.put("age_group", group)
                break


# facts given by the intent itself (paid, spread, suicide risk, deepfake)


_SENT_OR_BOUGHT = re.compile(r"\b(gestuurd|opgestuurd|verstuurd|gekocht|gegeven|doorgegeven)\b")


def _put_paid(out: _Updates, m: _Message, money: Dict[str, Any], denied_paid: bool) -> None:
    """Paid: money sent as the person tells it, or the classifier's "already paid" with a word of paying."""
    if (
        not denied_paid
        and m.intent != "express_suicidal"
        and m.slots.get("paid") is not True
        and (sent := _I_SENT_MONEY.search(m.low))
        and "?" not in m.low[sent.start() :]
        and not is_hypothetical(m.text)
        and not _SOMEONE_ELSES.search(m.low)
    ):
        out.put("paid", True)
        return
    if (
        m.intent == "report_paid"
        and not denied_paid
        and (
            cues.PAYMENT_WORDS.search(m.low)
            or "amount_paid" in money
            # "een paar honderd euro aan cadeaukaarten gestuurd": a way of paying sent is a payment
            or (find_payment_method(m.text) and _SENT_OR_BOUGHT.search(m.low))
        )
        and not _SOMEONE_ELSES.search(m.low)  # a friend's story: he paid, not the person (session 30)
        # "hij heeft me een wallet adres gestuurd. moet ik daar iets mee?" (0.93): sent to the person,
        # no payment (session 31, l_vragen.yml)
        and not (_SENT_TO_ME.search(m.low) and not cues.PAYMENT_WORDS.search(m.low) and "amount_paid" not in money)
    ):
        out.put("paid", True)  # "ik heb hem fotos gestuurd" (report_paid by the classifier) is no payment


_SENT_TO_ME = re.compile(r"\b(hij|ze|zij|die|die gast|die persoon) (heeft|had|stuurde|stuurt) (me|mij)\b")
_HOW_QUESTION = re.compile(r"^((en|maar|ok|oke|dus) )?(hoe|waar|wat|welke|moet ik|kan ik|mag ik)\b")
_ABOUT_EVIDENCE = re.compile(r"\b(screenshot\w*|schermafbeelding\w*|bewijs|bewaren|opslaan)\b")


def _put_spread(out: _Updates, m: _Message) -> None:
    text, intent = m.text, m.intent
    if text and intent != "express_suicidal" and denies_spread(text):
        out.put("material_spread", False)  # "ze hebben nog niks verstuurd" (issue 15: read as spread)
    elif is_hypothetical(m.text):  # a fear or a question, not news
        return
    elif intent == "report_images_shared" and _HOW_QUESTION.match(m.low) and _ABOUT_EVIDENCE.search(m.low):
        # "hoe maak ik een screenshot op discord zonder dat die foto erop staat" (0.52): a how-to
        # question, no news that the images went round (session 30, k_afsluiten.yml)
        return
    elif (
        intent == "report_images_shared"
        # a "no" the person said earlier is not overturned by the classifier's reading alone: "de codes
        # staan nog in mn mail" (0.70) after "nee niemand heeft nog iets gekregen" (session 27, e_begin.yml)
        and m.slots.get("material_spread") is not False
        and not cues.UNSURE.search(m.low)
        and _spread_reading_holds(m)
    ) or (text and intent != "express_suicidal" and says_spread(text)):
        out.put("material_spread", True)


# A spread report by the classifier alone sets "already spread" only when it is sure, or the message
# speaks of images or people seeing them: "het is echt gênant" (report_images_shared 0.31 on one
# machine's model) put "Het materiaal is al verspreid" in the case (conversation suite, session 13).
# Words that say the images went somewhere; the spread words add images, platforms and seeing
_GONE_SOMEWHERE = (
    r"gedeeld|verspreid\w*|gestuurd|doorgestuurd|gepost|geplaatst|gezet|online|rond\w*|gezien|gelekt|geleakt|"
    r"staat|staan|story|groep\w*|iedereen|site|internet|reddit|forum|porno\w*|klas\w*"
)
_SPREAD_WORDS = re.compile(
    rf"\b({_GONE_SOMEWHERE}|foto\w*|video\w*|filmpje\w*|beeld\w*|pics?|nudes?|naakt\w*|sta|lek\w*|leak\w*|"
    r"\w*expos\w*|app|insta\w*|snap\w*|whatsapp|telegram|tiktok|ziet|zien|weet|weten|gekregen|ontvangen|"
    r"facebook|everyone|out|shared|posted)\b"
)
SPREAD_SURE = 0.5


def _spread_reading_holds(m: _Message) -> bool:
    if question_topic(m.text) == "sent_picture":
        # "ik heb hem gister een foto in mn ondergoed gestuurd", "ik heb er vandaag toch nog 1 gestuurd": the
        # person's own sending (read as already spread, the next answers gave the removal help; a live try,
        # session 35)
        return False
    if _A_DEMAND.search(m.low) and not _SPREAD_WORDS.search(m.low):
        return False  # "hij wil het morgen hebben" (0.58): a demand, nothing spread (session 28)
    # what the person did themself: "ik heb ze zelf gestuurd" (to him), "ik heb van alles screenshots
    # gemaakt" (0.58 and 0.76 on session 24's kind, session 31, m_wending.yml): no spread told
    own = _cut(m.low, _OWN_DOING, _OWN_SENT_CLAUSE, _MY_OWN_ASK)
    if own != m.low and not _SPREADING.search(_cut(own, _HAS_ONLY, _NOTHING_THERE, _STORED_THERE)):
        return False
    if _HAS_ONLY.search(m.low) and not _SPREADING.search(m.low):
        # "jongen heeft mn pics" (0.90) got "Wat heftig dat de beelden al zijn verspreid" (session 28,
        # g_kort.yml): someone has the images; nothing says they went anywhere
        return False
    confidence = ((m.tracker.latest_message or {}).get("intent") or {}).get("confidence")
    return confidence is None or confidence >= SPREAD_SURE or bool(_SPREAD_WORDS.search(m.low))


def _cut(text: str, *patterns: "re.Pattern[str]") -> str:
    """The text with what each pattern matches cut out, in this order (a later pattern sees what the
    earlier ones left: merged into one alternation they could match differently)."""
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


_A_DEMAND = re.compile(rf"\b({cues.DEMAND_VERBS})\b")
_HE_WANTS_AMOUNT = re.compile(
    r"\b((hij|zij|ze|die) (wil|wilt|eist|vraagt)|(wil|wilt|eist|vraagt) (hij|zij|ze|die))\b.{0,25}\d"
)
_WANTS_CAM = re.compile(
    r"\b(wil|wilt|eist|eiste|vraagt|moet)\b.{0,25}\b(op (de )?cam (ga|gaan|kom|komen)|voor (de |hem |haar )?(web)?(cam|camera|kamera))\b|"
    # "nu wil hij dat ik vanavond met hem bel op discord met mn camera aan" (t_jong.yml, session 36)
    r"\b(wil|wilt|eist|eiste|vraagt|moet)\b.{0,60}\bmet (mn|mijn|m.n|je|de) (camera|cam|kamera) aan\b"
    r"|\bvoor (de |hem |haar )?(web)?(cam|camera|kamera) (moet|moest|moeten|gaat|gaan) (gaan )?(zitten|staan|doen)\b"
)
_OWN_DOING = re.compile(
    r"\b(ik|we) (heb|hebben) (ze|het|die|hem|de foto\w*|die foto\w*|van alles|alles|\w+ )?\s*"
    r"(zelf |ooit |toen |al |wel |net )*(\w+ ){0,2}(gestuurd|verstuurd|screenshots? gemaakt|gescreenshot|bewaard|opgeslagen)\b"
)
# the same in a clause of its own: "Daar staan foto's in die ik vroeger naar mijn vrouw heb gestuurd"
# (report_images_shared 0.90 held spread; q_gaandeweg.yml, session 34)
_OWN_SENT_CLAUSE = re.compile(
    r"\b(die|dat|wat) (ik|we) (\w+ ){0,6}?(heb|hebben|had|hadden) (gestuurd|verstuurd|opgestuurd|gemaakt)\b"
)
_STORED_THERE = re.compile(
    r"\b(daar|daarin|er|hierin|erin) sta(at|an) ([\w']+ ){0,3}?in\b|\bsta(at|an) ([\w']+ ){0,3}?(daar|er)in\b"
    # "de fotos staan er wel in" (in the chat; r_omstanders.yml, session 35)
    r"|\bsta(at|an) (er|daar) ([\w']+ ){0,2}?in\b"
)
# what the person asks whether to do: "zal ik die hele chat naar mezelf doorsturen?" (r_omstanders.yml, session 35)
_MY_OWN_ASK = re.compile(
    r"\b(zal|moet|kan|mag) ik\b.{0,40}\b(doorsturen|door sturen|sturen|delen|versturen|forwarden|opsturen)\b"
)
_HAS_ONLY = re.compile(r"\b(heeft|hebben|heb|had|hadden|bezit)\b")
# "Er staat niemand voor de deur. Ik heb van alles screenshots gemaakt." (m_wending.yml): "staat" with
# nobody or nothing is not the images being somewhere
_NOTHING_THERE = re.compile(r"\bsta(at|an) (er )?(niemand|niets|niks)\b")
_SPREADING = re.compile(rf"\b({_GONE_SOMEWHERE}|school)\b")


def _put_suicide_risk(out: _Updates, m: _Message) -> None:
    if m.intent == "express_suicidal":
        out.put("suicide_risk", True)
        advice = add_unique(m.slots.get("advice_given"), "safety")
        if advice != list(m.slots.get("advice_given") or []):
            out["advice_given"] = advice


def _put_deepfake(out: _Updates, m: _Message, own_threat: bool) -> None:
    if m.text and (m.intent != "report_received_image" or own_threat) and is_deepfake(m.text):
        out.put("deepfake", True)


def _put_open_questions(out: _Updates, m: _Message) -> None:
    """The person's own questions, newest last."""
    text, intent = m.text, m.intent
    if text and (intent in QUESTION_INTENTS or (intent in ("nlu_fallback", "out_of_scope") and is_question(text))):
        questions = [q for q in list(m.slots.get("open_questions") or []) if q != text.strip()]
        questions.append(text.strip()[:300])
        out["open_questions"] = questions[-MAX_OPEN_QUESTIONS:]


def _put_questions_stopped(out: _Updates, m: _Message) -> None:
    """ "stop met de vragen" holds for the whole conversation; "stel maar vragen" lifts it."""
    if m.text and wants_to_stop_questions(m.text, answering=bool(m.requested)):
        out.put("questions_stopped", True)
    elif m.text and m.slots.get("questions_stopped") and wants_questions(m.text):
        out.put("questions_stopped", False)


def _put_consent(out: _Updates, m: _Message) -> None:
    """Consent for the counsellor (answer to the consent question)."""
    if previous_bot_action(m.tracker) in CONSENT_QUESTIONS:
        if m.intent == "affirm":
            out.put("handoff_consent", True)
            if not m.slots.get("contact_preference"):
                out.put("contact_preference", "chat")
        elif m.intent in ("deny", "prefer_not_to_say") and previous_bot_action(m.tracker) == CONSENT_QUESTIONS[0]:
            out.put("handoff_consent", False)


SAFETY_RECENT_TURNS = 3


def safety_recent(tracker: Tracker) -> bool:
    """Was suicidal language in one of the last SAFETY_RECENT_TURNS user messages (this one included)?

    While true, the texts stay gentle: no jump to the questions or the practical menu (issue 12)."""
    return (
        "express_suicidal" in recent_intents(tracker, SAFETY_RECENT_TURNS) or intent_of(tracker) == "express_suicidal"
    )


def safe_answered(tracker: Tracker) -> bool:
    """Did the bot ask "Ben je nu op een veilige plek?" and has the person written since?

    Asked once per conversation: "ja ik ben thuis op mn kamer" got the same question again, as
    if not heard (issue 15). The 113 line stays in the texts; "ik ben niet veilig" is in the safety
    net (112 and 113 at once) whatever this says."""
    from actions.texts import SAFE_NOW_QUESTION, flat

    asked = False
    for event in tracker.events or []:
        if event.get("event") == "bot" and flat(SAFE_NOW_QUESTION) in flat(event.get("text")):
            asked = True
        elif asked and event.get("event") == "user":
            return True
    return False


# Besides the case facts, what the person said about themselves that the conversation uses.
RECOVERABLE = ("writer_role", "questions_stopped")


class ActionExtractFacts(Action):
    def name(self) -> Text:
        return "action_extract_facts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        recovered = facts_lost_to_the_fallback(tracker)
        updates = dict(recovered, **extract_updates(tracker, recovered))
        if tracker.get_slot("case_code") and set(updates) & set(FACT_NAMES):
            update_case(tracker, updates)
        return [SlotSet(name, value) for name, value in updates.items()]


def facts_lost_to_the_fallback(tracker: Tracker) -> Dict[str, Any]:
    """Facts read from a message that Rasa's two-stage fallback then reverted.

    "een jongen van insta heeft fotos van mij" gets "Bedoel je ...?"; when the next message is
    clear, Rasa reverts the unclear message with every event after it (also the facts read from
    it: platform = instagram) and replays the clear one. The person did say it, so the facts come
    back: the slots this action set between the unclear message and the revert, where the
    current value is different (later values win; the replayed message is read after them)."""
    events = tracker.events or []
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users or users[-1] < 2:
        return {}
    replay = users[-1]
    rewind = replay - 2
    if (
        events[rewind].get("event") != "rewind"
        or events[replay - 1].get("name") != "action_listen"
        or any(e.get("event") == "action" for e in events[replay + 1 :])  # the first action on the replay
    ):
        return {}
    activation = max(
        (
            i
            for i, e in enumerate(events[:rewind])
            if e.get("event") == "active_loop" and e.get("name") == "action_two_stage_fallback"
        ),
        default=None,
    )
    if activation is None:
        return {}
    unclear = max((i for i, e in enumerate(events[:activation]) if e.get("event") == "user"), default=None)
    if unclear is None:
        return {}
    lost: Dict[str, Any] = {}
    reading = False  # this action runs in Rasa's slot extraction: its slots follow the user event
    for event in events[unclear:rewind]:
        kind = event.get("event")
        if kind in ("action", "user_featurization"):
            reading = False
        elif kind == "user":
            reading = True
        elif kind == "slot" and reading and event.get("name") in FACT_NAMES + RECOVERABLE:
            lost[event["name"]] = event.get("value")
    current = tracker.current_slot_values()
    return {name: value for name, value in lost.items() if current.get(name) != value}


def update_case(tracker: Tracker, updates: Dict[str, Any]) -> None:
    """A case exists (handed off before): facts told now reach it, also after a hand-back."""
    from bot.cases.service import CaseService  # imported here: no database work at import time

    facts = {name: tracker.get_slot(name) for name in FACT_NAMES}
    facts.update({k: v for k, v in updates.items() if k in FACT_NAMES})
    try:
        CaseService.from_settings().update_facts(tracker.sender_id, facts)
    except Exception:
        log.exception("could not update the case of conversation %s", tracker.sender_id)
