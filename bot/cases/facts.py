"""The facts (slots) that feed a case, normalised. See docs/contracts.md for the list.

``None`` means unknown; the string "onbekend" is never stored.
"""
from __future__ import annotations

import math
from typing import Any

BOOL_FACTS = ("paid", "deadline_within_24h", "material_spread", "deepfake", "suicide_risk", "handoff_consent")
FLOAT_FACTS = ("age", "amount_demanded", "amount_paid")
LIST_FACTS = ("audience", "advice_given", "open_questions", "declined_facts", "identifiers")
TEXT_FACTS = ("writer", "age_group", "demand_type", "payment_method", "platform", "deadline", "contact_preference")
FACT_NAMES = (
    "writer", "age", "age_group", "demand_type", "amount_demanded", "paid", "amount_paid", "payment_method",
    "platform", "deadline", "deadline_within_24h", "material_spread", "audience", "deepfake", "suicide_risk",
    "advice_given", "open_questions", "contact_preference", "handoff_consent", "declined_facts", "identifiers",
)
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


def active_threat(facts: dict) -> bool:
    """Someone is being extorted right now (not: someone who received another person's image)."""
    if facts.get("writer") == "receiver":
        return False
    return bool(facts.get("demand_type") or facts.get("amount_demanded") or facts.get("deadline")
                or facts.get("deadline_within_24h") or facts.get("audience") or facts.get("paid"))
