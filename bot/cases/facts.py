"""The facts (slots) that feed a case, normalised. See docs/contracts.md for the list.

``None`` means unknown; the string "onbekend" is never stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional, Tuple


@dataclass(frozen=True)
class Fact:
    """One fact of a case: a Rasa slot of the same name (domain.yml) and a row of the summary."""

    name: str
    kind: str  # "bool" | "float" | "list" | "text"
    label: str  # the row label in the counsellor console
    entity: Optional[str] = None  # the NLU entity that fills it (data/nlu/), if any
    missing: Optional[str] = None  # a key fact: how the summary lists it while unknown
    in_table: bool = True  # shown as a row of the summary table


# The one list of facts, in the order of the summary table. Slot types in domain.yml, the NLU
# entities, the labels and the "nog onbekend" list all follow from it (tests/bot/test_fact_schema.py).
FACTS: Tuple[Fact, ...] = (
    Fact("writer", "text", "Wie schrijft", missing="wie er schrijft"),
    Fact("age", "float", "Leeftijd", entity="age"),
    Fact("age_group", "text", "Leeftijdsgroep", missing="leeftijd"),
    Fact("demand_type", "text", "Eis", entity="demand", missing="wat de afperser eist"),
    Fact("amount_demanded", "float", "Geëist bedrag", entity="amount"),
    Fact("paid", "bool", "Betaald", missing="of er betaald is"),
    Fact("amount_paid", "float", "Betaald bedrag", entity="amount"),
    Fact("payment_method", "text", "Betaalwijze", entity="payment_method"),
    Fact("platform", "text", "Platform", entity="platform", missing="platform"),
    Fact("deadline", "text", "Deadline", entity="deadline", missing="deadline"),
    Fact("deadline_within_24h", "bool", "Deadline binnen 24 uur"),
    Fact("material_spread", "bool", "Al verspreid", missing="of er al iets verspreid is"),
    Fact("audience", "list", "Dreigt te sturen naar", entity="audience"),
    Fact("identifiers", "list", "Gegevens van de dader"),
    Fact("deepfake", "bool", "Deepfake"),
    Fact("suicide_risk", "bool", "Suïciderisico"),
    Fact("advice_given", "list", "Advies al gegeven"),
    Fact("open_questions", "list", "Open vragen"),
    Fact("contact_preference", "text", "Contactvoorkeur"),
    Fact("declined_facts", "list", "Wil liever niet zeggen"),
    Fact("handoff_consent", "bool", "Toestemming overdracht", in_table=False),
)
FACT_NAMES = tuple(f.name for f in FACTS)
BOOL_FACTS = tuple(f.name for f in FACTS if f.kind == "bool")
FLOAT_FACTS = tuple(f.name for f in FACTS if f.kind == "float")
LIST_FACTS = tuple(f.name for f in FACTS if f.kind == "list")
FACT_LABELS = {f.name: f.label for f in FACTS}
# Facts a counsellor needs first; listed as "nog onbekend" when missing (in this order).
KEY_FACTS = ("writer", "age_group", "demand_type", "platform", "paid", "deadline", "material_spread")
MISSING_LABELS = {f.name: f.missing for f in FACTS if f.missing}
# Something was demanded or threatened: any of these known means a threat is known.
THREAT_FACTS = ("demand_type", "amount_demanded", "deadline", "audience")
UNKNOWN_WORDS = {"", "onbekend", "unknown", "none", "null", "weet ik niet"}


def _bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "ja", "yes", "1"):
        return True
    if text in ("false", "nee", "no", "0"):
        return False
    return None


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
        if value is None:
            return None
    text = str(value).strip()
    return None if text.lower() in UNKNOWN_WORDS else text[:500]


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    out = []
    for item in value if isinstance(value, (list, tuple)) else [value]:
        text = _text(item)
        if text is not None and text not in out:
            out.append(text)
    return out[:50]


def normalise_facts(raw: dict | None) -> dict:
    """All fact names, with consistent types; unknown values are None (lists: [])."""
    raw = dict(raw or {})
    facts: dict = {}
    for name in FACT_NAMES:
        value = raw.get(name)
        if name in BOOL_FACTS:
            facts[name] = _bool(value)
        elif name in FLOAT_FACTS:
            facts[name] = _float(value)
        elif name in LIST_FACTS:
            facts[name] = _list(value)
        else:
            facts[name] = _text(value)
    if facts["age_group"] is None and facts["age"] is not None:
        facts["age_group"] = "under_18" if facts["age"] < 18 else "adult"
    return facts


def is_minor(facts: dict) -> bool:
    if facts.get("age_group") == "under_18":
        return True
    age = facts.get("age")
    return age is not None and age < 18


def threat_known(facts: dict, also: Tuple[str, ...] = ()) -> bool:
    """Someone is being extorted: a demand or threat is known (THREAT_FACTS, plus ``also``).
    Never for someone who received another person's image."""
    if facts.get("writer") == "receiver":
        return False
    return any(facts.get(name) for name in THREAT_FACTS + tuple(also))


def active_threat(facts: dict) -> bool:
    """Someone is being extorted right now; for the risk level a payment or a deadline within
    24 hours also shows it."""
    return threat_known(facts, also=("deadline_within_24h", "paid"))
