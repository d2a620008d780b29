"""The counsellor summary: a Dutch paragraph and a field table, from the facts only.

Deterministic template (no language model): the same facts always give the same text, so
counsellors learn where to look and tests can pin the wording.
"""

from __future__ import annotations

from bot.cases.facts import BOOL_FACTS, FACT_LABELS, FACTS, KEY_FACTS, MISSING_LABELS, is_minor, normalise_facts
from bot.language.vocab import platform_name

WRITER = {
    "victim": "Het slachtoffer schrijft zelf",
    "on_behalf": "Iemand schrijft namens het slachtoffer (bijvoorbeeld een ouder, vriend(in) of professional)",
    "receiver": "Iemand heeft een intieme foto of video van een ander ontvangen",
}
WRITER_SHORT = {"victim": "slachtoffer zelf", "on_behalf": "namens het slachtoffer", "receiver": "ontvanger van beeld"}
AGE_GROUP = {"under_18": "minderjarig", "adult": "volwassen"}
DEMAND = {
    "money": "geld",
    "more_images": "meer foto's of video's",
    "webcam": "videobellen of iets doen voor de webcam",
    "meeting": "een afspraak in het echt",
    "relationship": "dat de relatie doorgaat",
    "sex": "seks",
    "other": "iets anders",
}
PAYMENT = {
    "bank": "bankoverschrijving",
    "tikkie": "Tikkie",
    "paypal": "PayPal",
    "giftcard": "cadeaukaarten",
    "crypto": "crypto",
    "other": "een andere manier",
}
AUDIENCE = {
    "friends": "vrienden",
    "family": "familie",
    "school": "school",
    "work": "werk",
    "followers": "volgers",
    "partner": "partner",
    "everyone": "iedereen",
}
ADVICE = {
    "dont_pay": "niet betalen",
    "keep_evidence": "bewijs bewaren",
    "stop_block_report": "contact stoppen, blokkeren en melden",
    "police": "aangifte bij de politie",
    "removal": "beelden laten verwijderen",
    "support": "iemand in vertrouwen nemen",
    "safety": "veiligheid (113/112)",
    "bank": "wat te doen na betalen (bank, cadeaukaart, crypto)",
    "parent_advice": "advies voor wie schrijft voor een ander",
    "csg": "niet afspreken, 112, Centrum Seksueel Geweld",
    "kindertelefoon": "volwassene in vertrouwen nemen, Kindertelefoon",
    "receiver_advice": "advies voor wie een beeld ontving",
    "platform_tips": "tips voor het platform",
}
# Kinds of identifiers (bot/language/text_facts.py find_identifiers stores "kind: value").
IDENTIFIER = {
    "link": "profiellink",
    "handle": "gebruikersnaam",
    "iban": "IBAN",
    "wallet": "wallet-adres",
    "giftcard_code": "cadeaukaartcode",
}
UNKNOWN = "onbekend"


def euro(amount: float) -> str:
    """Dutch euro notation: € 1.250 or € 1.250,50."""
    whole = int(amount)
    cents = round((amount - whole) * 100)
    if cents == 100:
        whole, cents = whole + 1, 0
    text = f"{whole:,}".replace(",", ".")
    return f"€ {text}" + (f",{cents:02d}" if cents else "")


def join_nl(items: list) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _label(mapping: dict, value: str | None) -> str:
    return mapping.get(value, value) if value else UNKNOWN


def _age(facts: dict) -> str:
    parts = []
    if facts["age"] is not None:
        parts.append(f"{facts['age']:g} jaar")
    group = "under_18" if is_minor(facts) else facts["age_group"]
    if group:
        parts.append(AGE_GROUP.get(group, group))
    return ", ".join(parts)


def display_value(name: str, facts: dict) -> str:
    """One fact as Dutch display text (``onbekend`` only for display, never stored)."""
    value = facts.get(name)
    if name in BOOL_FACTS:
        return UNKNOWN if value is None else ("ja" if value else "nee")
    if name in ("amount_demanded", "amount_paid"):
        return UNKNOWN if value is None else euro(value)
    if name == "age":
        return UNKNOWN if value is None else f"{value:g} jaar"
    if name == "writer":
        return _label(WRITER_SHORT, value)
    if name == "age_group":
        return _label(AGE_GROUP, value)
    if name == "demand_type":
        return _label(DEMAND, value)
    if name == "payment_method":
        return _label(PAYMENT, value)
    if name == "platform":
        return platform_name(value) if value else UNKNOWN
    if name == "audience":
        return join_nl([AUDIENCE.get(a, a) for a in value]) if value else UNKNOWN
    if name == "advice_given":
        return join_nl([ADVICE.get(a, a) for a in value]) if value else "nog geen"
    if name == "open_questions":
        return " | ".join(value) if value else "geen"
    if name == "declined_facts":
        return join_nl([FACT_LABELS.get(f, f).lower() for f in value]) if value else "-"
    if name == "identifiers":
        return "; ".join(identifier_text(i) for i in value) if value else "geen"
    return UNKNOWN if value in (None, "") else str(value)


def field_rows(raw_facts: dict) -> list:
    """(label, value) rows for the summary table, in a fixed order."""
    facts = normalise_facts(raw_facts)
    return [(fact.label, display_value(fact.name, facts)) for fact in FACTS if fact.in_table]


def identifier_text(item: str) -> str:
    """ "iban: NL91..." -> "IBAN NL91..." (masked by bot/redact.py until a counsellor reveals it)."""
    kind, _, value = str(item).partition(": ")
    return f"{IDENTIFIER.get(kind, kind)} {value}".strip()


def summary_text(raw_facts: dict) -> str:
    """The Dutch summary paragraph for counsellors."""
    f = normalise_facts(raw_facts)
    sentences = [
        _writer_and_age(f),
        _demand_sentence(f),
        _payment_sentence(f),
        _deadline_sentence(f),
        *_threat_details(f),
        _advice_sentence(f),
        *_person_details(f),
        _missing_sentence(f),
    ]
    return " ".join(s for s in sentences if s)


def _writer_and_age(f: dict) -> str:
    who = WRITER.get(f["writer"], "Onbekend wie er schrijft") if f["writer"] else "Onbekend wie er schrijft"
    age = _age(f)
    if age:
        return f"{who}. Leeftijd: {age}."
    if {"age", "age_group"} & set(f["declined_facts"]):
        return f"{who}. Leeftijd: wil de persoon liever niet zeggen."
    return f"{who}. Leeftijd onbekend."


def _demand_sentence(f: dict) -> str | None:
    """What the extorter demands and on which platform (for a receiver: where the image came in)."""
    via = f" via {platform_name(f['platform'])}" if f["platform"] else ""
    if f["demand_type"]:
        demand = DEMAND.get(f["demand_type"], f["demand_type"])
        amount = f": {euro(f['amount_demanded'])}" if f["amount_demanded"] is not None else ""
        return f"Afpersing{via}; de afperser eist {demand}{amount}."
    if f["amount_demanded"] is not None:
        return f"Afpersing{via}; de afperser eist {euro(f['amount_demanded'])}."
    if f["writer"] != "receiver":
        return (
            f"Contact{via}; wat de afperser eist, is nog niet bekend."
            if via
            else "Wat de afperser eist en via welk platform, is nog niet bekend."
        )
    if via:
        return f"Het beeld kwam binnen{via}."
    return None


def _payment_sentence(f: dict) -> str | None:
    if f["paid"] is True:
        bits = []
        if f["amount_paid"] is not None:
            bits.append(euro(f["amount_paid"]))
        if f["payment_method"]:
            bits.append(f"via {PAYMENT.get(f['payment_method'], f['payment_method'])}")
        return "Er is al betaald" + (": " + " ".join(bits) if bits else "") + "."
    if f["paid"] is False:
        return "Er is (nog) niet betaald."
    if f["demand_type"] == "money" or f["amount_demanded"] is not None:
        return "Of er al betaald is, is niet bekend."
    return None


def _deadline_sentence(f: dict) -> str | None:
    if f["deadline"]:
        soon = " (binnen 24 uur)" if f["deadline_within_24h"] else ""
        return f"Deadline: {f['deadline']}{soon}."
    if f["deadline_within_24h"]:
        return "Er is een deadline binnen 24 uur."
    return None


def _threat_details(f: dict) -> list:
    """Audience, spread, the extorter's identifiers, deepfake and suicide risk."""
    out = []
    if f["audience"]:
        out.append(f"Dreigt het te sturen naar {join_nl([AUDIENCE.get(a, a) for a in f['audience']])}.")
    if f["material_spread"] is True:
        out.append("Het materiaal is al verspreid.")
    elif f["material_spread"] is False:
        out.append("Het materiaal is (nog) niet verspreid.")
    if f["identifiers"]:
        out.append(
            "Gegevens van de dader (voor melden, bank en politie): "
            + "; ".join(identifier_text(i) for i in f["identifiers"])
            + "."
        )
    if f["deepfake"]:
        out.append("Het gaat mogelijk om een deepfake (nepbeeld).")
    if f["suicide_risk"]:
        out.append("LET OP: signalen van suïciderisico.")
    return out


def _advice_sentence(f: dict) -> str:
    if f["advice_given"]:
        return f"De bot gaf al advies over: {join_nl([ADVICE.get(a, a) for a in f['advice_given']])}."
    return "De bot heeft nog geen advies gegeven."


def _person_details(f: dict) -> list:
    """The person's open questions, contact preference and what they would rather not say."""
    out = []
    if f["open_questions"]:
        out.append("Open vragen van de persoon: " + "; ".join(f"“{q}”" for q in f["open_questions"]) + ".")
    if f["contact_preference"]:
        out.append(f"Contactvoorkeur: {f['contact_preference']}.")
    if f["declined_facts"]:
        out.append(f"Wil liever niet zeggen: {join_nl([FACT_LABELS.get(x, x).lower() for x in f['declined_facts']])}.")
    return out


def _missing_sentence(f: dict) -> str | None:
    """The key facts still unknown (not those declined, nor those that do not apply)."""
    declined = set(f["declined_facts"])
    if declined & {"age", "age_group"}:
        declined |= {"age", "age_group"}
    missing = [
        MISSING_LABELS[k]
        for k in KEY_FACTS
        if f[k] in (None, "", [])
        and k not in declined
        and not (k == "age_group" and f["age"] is not None)
        and not (k == "paid" and f["demand_type"] not in (None, "money") and f["amount_demanded"] is None)
        and not (k in ("demand_type", "paid", "deadline") and f["writer"] == "receiver")
    ]
    return f"Nog onbekend: {join_nl(missing)}." if missing else None
