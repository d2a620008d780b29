"""The texts of Nachtlicht's custom actions, read from actions/responses.yml.

``pick(key, slots)`` chooses a variant like Rasa's conditional response variations: among
the variants whose ``when`` matches the slots, or else among those without ``when``.
``say(dispatcher, key, slots, **fields)`` sends it (with buttons, if any). Helpline facts
(numbers, addresses, opening hours) are never written in a text: ``{kindertelefoon_phone}``
and the like come from texts/helplines.yml.
"""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bot import helplines

RESPONSES_FILE = Path(__file__).resolve().parent / "responses.yml"


@lru_cache(maxsize=1)
def _load() -> Dict[str, Any]:
    return yaml.safe_load(RESPONSES_FILE.read_text(encoding="utf-8")) or {}


def texts() -> Dict[str, Any]:
    return _load()


def raw(key: str) -> Any:
    data = _load()
    if key not in data:
        raise KeyError(f"No text '{key}' in {RESPONSES_FILE.name}")
    return data[key]


def _as_variant(item: Any) -> Dict[str, Any]:
    return {"text": item} if isinstance(item, str) else dict(item)


def _matches(when: Dict[str, Any], slots: Dict[str, Any]) -> bool:
    return all(slots.get(name) == value for name, value in when.items())


def variants(key: str, slots: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
    """All variants that apply to these slots (conditional ones first win)."""
    slots = slots or {}
    items = [_as_variant(v) for v in raw(key)]
    conditional = [v for v in items if v.get("when") and _matches(v["when"], slots)]
    if conditional:
        return conditional
    return [v for v in items if not v.get("when")]


def fill(text: str, **fields: Any) -> str:
    """Placeholders from the action's fields, else from the helpline facts (texts/helplines.yml)."""
    return helplines.fill(text, **fields)


def pick(key: str, slots: Optional[Dict[str, Any]] = None, rng: Optional[random.Random] = None,
         **fields: Any) -> Dict[str, Any]:
    """One variant: {"text": ..., "buttons": [...]} with placeholders filled."""
    options = variants(key, slots)
    if not options:
        raise KeyError(f"No variant of '{key}' applies")
    chosen = dict((rng or random).choice(options))
    chosen.pop("when", None)
    chosen["text"] = fill(chosen["text"], **fields)
    if chosen.get("buttons"):
        chosen["buttons"] = [dict(b) for b in chosen["buttons"]]
    return chosen


def text(key: str, slots: Optional[Dict[str, Any]] = None, **fields: Any) -> str:
    return pick(key, slots, **fields)["text"]


def entry(table: str, name: str, **fields: Any) -> Optional[str]:
    """A single text from a table (e.g. platform_tips/instagram); None if absent."""
    value = (raw(table) or {}).get(name)
    return None if value is None else fill(value, **fields)


def say(dispatcher: Any, key: str, slots: Optional[Dict[str, Any]] = None,
        extra_buttons: Optional[List[Dict[str, str]]] = None, **fields: Any) -> str:
    chosen = pick(key, slots, **fields)
    buttons = list(chosen.get("buttons") or []) + list(extra_buttons or [])
    if buttons:
        dispatcher.utter_message(text=chosen["text"], buttons=buttons)
    else:
        dispatcher.utter_message(text=chosen["text"])
    return chosen["text"]
