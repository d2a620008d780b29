"""Helpline facts (texts/helplines.yml), flattened to text placeholders.

``fields()`` gives {"kindertelefoon_phone": "0800-0432", ..., "helpwanted_hours": "..."};
``fill(text)`` puts them into ``{placeholders}``; ``numbers()``/``addresses()`` give what the
text lint and the masking accept. This module reads nothing at import; the file is read once,
on first use (bot/web/chat/texts.py and bot/redact.py use it when they are imported).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional, Set

from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

TEXTS_DIR = Path(__file__).resolve().parent.parent / "texts"
HELPLINES_FILE = TEXTS_DIR / "helplines.yml"
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z_0-9]*)\}")
# The 112/113 line is built from these; a helplines.yml without one of them is refused (the
# last good copy is used), so the crisis answer never shows "{zmp_short}" instead of a number.
REQUIRED_FIELDS = ("emergency_phone", "zmp_phone", "zmp_short", "zmp_site")
# Placeholders that code fills when it sends a text (not helpline facts): the actions
# ({next_opening}, {case_code}, {when}, {platform_name}, {description}, {hint}), the web app
# ({help_now}, {max}, {quote}, {code}, {days}) and the chat page ({n}).
CALLER_FIELDS = frozenset(
    "next_opening next_opening_cap case_code code when platform_name description hint max quote days n help_now".split()
)


@lru_cache(maxsize=1)
def facts() -> Dict[str, Dict[str, str]]:
    # a broken file is refused with its reason and the last good one is used (never down)
    return load_or_last_good(HELPLINES_FILE, parse)


def parse(path: Path) -> Dict[str, Dict[str, str]]:
    data, text = read_yaml(path, dict)
    out = {}
    for service, values in data.items():
        if not isinstance(values, dict):
            raise TrainerFileError(
                path, line_of(text, f"{service}:"), f"{service}: geef naam, nummer enz. als 'sleutel: waarde'"
            )
        out[str(service)] = {str(k): str(v) for k, v in values.items()}
    have = {f"{service}_{key}" for service, values in out.items() for key in values}
    for field in REQUIRED_FIELDS:
        if field not in have:
            service, key = field.split("_", 1)
            raise TrainerFileError(
                path,
                line_of(text, f"{service}:"),
                f"'{key}:' bij '{service}:' ontbreekt; de 112/113-regel gebruikt hem. Zet hem terug",
            )
    return out


def unknown_placeholders(text: str) -> Set[str]:
    """The {names} in a text that are neither a helpline fact nor filled in by the code."""
    known = set(fields(with_hours=False)) | {"helpwanted_hours"} | CALLER_FIELDS
    return {name for name in _PLACEHOLDER.findall(text) if name not in known}


def hours_text(schedule: Optional[str] = None) -> str:
    """Helpwanted's opening hours in Dutch, from the OFFICE_HOURS setting."""
    from bot.office_hours import OfficeHours

    try:
        hours = OfficeHours.from_settings() if schedule is None else OfficeHours.parse(schedule)
    except Exception:
        return "op werkdagen overdag"
    return hours.describe_schedule()


def fields(with_hours: bool = True) -> Dict[str, str]:
    out = {f"{service}_{key}": value for service, values in facts().items() for key, value in values.items()}
    if with_hours:
        out["helpwanted_hours"] = hours_text()
    return out


def numbers() -> Set[str]:
    return {v for values in facts().values() for k, v in values.items() if k in ("phone", "short")}


def addresses() -> Set[str]:
    return {v for values in facts().values() for k, v in values.items() if k in ("email", "site")}


def fill(text: str, **given: Any) -> str:
    """``{name}`` placeholders from ``given``, else from the helpline facts.

    Anything else in braces (a button payload's JSON) stays, and an unknown placeholder stays
    visible instead of failing: tests/actions/test_texts.py finds it."""
    if "{" not in text:
        return text
    values: Dict[str, Any] = fields_for(text)
    values.update({k: v for k, v in given.items() if v is not None})
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def fields_for(text: str) -> Dict[str, Any]:
    """The helpline fields, only when the text uses one (the opening hours read the settings)."""
    if not any(f"{{{service}_" in text for service in facts()):
        return {}
    return dict(fields(with_hours="{helpwanted_hours}" in text))
