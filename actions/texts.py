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
from typing import Any, Dict, List, Optional, Set, Tuple

from bot import helplines
from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

RESPONSES_FILE = Path(__file__).resolve().parent / "responses.yml"


def parse_responses(path: Path = RESPONSES_FILE) -> Dict[str, Any]:
    """The texts in ``path``; a mistake is a TrainerFileError with its line and the fix."""
    data, text = read_yaml(path, dict)
    for key, value in data.items():
        line = line_of(text, f"{key}:")
        if isinstance(value, dict):  # a table, e.g. one text per topic
            bad = [k for k, v in value.items() if not isinstance(v, str)]
            if bad:
                raise TrainerFileError(path, line, f"{key}: '{bad[0]}' moet een tekst zijn")
            continue
        if not isinstance(value, list) or not value:
            raise TrainerFileError(path, line, f"{key}: geef een of meer varianten (regels met '- ')")
        for item in value:
            if isinstance(item, dict) and set(item) == {"title", "payload"}:
                continue  # a list of buttons (skip_buttons)
            if isinstance(item, dict):
                if not isinstance(item.get("text"), str) or not item["text"].strip():
                    raise TrainerFileError(
                        path,
                        line,
                        f"{key}: een variant is geen tekst. Staat er ': ' in de zin? Zet de hele zin tussen dubbele "
                        "aanhalingstekens. (Een variant met 'when:' heeft ook 'text:' nodig.)",
                    )
            elif not (isinstance(item, str) and item.strip()):
                raise TrainerFileError(
                    path, line, f"{key}: een variant is geen tekst; zet hem tussen dubbele aanhalingstekens"
                )
    return data


@lru_cache(maxsize=1)
def _load() -> Dict[str, Any]:
    # a broken file is refused with its reason and the last good one is used (never down)
    return load_or_last_good(RESPONSES_FILE, parse_responses)


def texts() -> Dict[str, Any]:
    return _load()


def raw(key: str) -> Any:
    data = _load()
    if key not in data:
        raise KeyError(f"No text '{key}' in {RESPONSES_FILE.name}")
    return data[key]


def _as_variant(item: Any) -> Dict[str, Any]:
    return {"text": item} if isinstance(item, str) else dict(item)


def all_variants(key: str) -> List[Dict[str, Any]]:
    """Every variant of a text, whatever its conditions ({"text": ..., "when": ...})."""
    return [_as_variant(v) for v in raw(key)]


def _matches(when: Dict[str, Any], slots: Dict[str, Any]) -> bool:
    return all(slots.get(name) == value for name, value in when.items())


# Asked once after a disclosure (actions/extract.py, safe_answered); every text that asks it uses
# these exact words, so that the choke point below can leave it out (tests/actions/test_texts.py).
SAFE_NOW_QUESTION = "Ben je nu op een veilige plek?"


def _specificity(when: Dict[str, Any]) -> Tuple[int, bool]:
    # who is writing decides first among equally specific variants: a parent whose child is in
    # danger gets the parent's text, not "Ben je nu op een veilige plek?" about themselves
    return (len(when), "writer" in when)


def _without_safe_question(variant: Dict[str, Any]) -> Dict[str, Any]:
    out = dict(variant)
    if isinstance(out.get("text"), str):
        out["text"] = " ".join(out["text"].replace(SAFE_NOW_QUESTION, " ").split())
    return out


def variants(key: str, slots: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
    """All variants that apply to these slots: conditional ones first win, and among them the most
    specific ({safety_recent, writer: on_behalf} before {safety_recent}; with as many conditions,
    one about the writer first). Once the person has answered the safe-now question
    (``safe_answered``), no variant asks it again: the one choke point every action text passes."""
    slots = slots or {}
    items = all_variants(key)
    conditional = [v for v in items if v.get("when") and _matches(v["when"], slots)]
    if conditional:
        most = max(_specificity(v["when"]) for v in conditional)
        options = [v for v in conditional if _specificity(v["when"]) == most]
    else:
        options = [v for v in items if not v.get("when")]
    if slots.get("safe_answered"):
        options = [_without_safe_question(v) for v in options]
    return options


def fill(text: str, **fields: Any) -> str:
    """Placeholders from the action's fields, else from the helpline facts (texts/helplines.yml)."""
    return helplines.fill(text, **fields)


def flat(text: str) -> str:
    """A text as compared for repeats: lowercase, single spaces."""
    return " ".join(str(text or "").split()).lower()


_UNREAD = object()
_seed: Any = _UNREAD


def variant_seed() -> Optional[int]:
    """TEXT_SEED from the settings (read once per process; None: variants at random)."""
    global _seed
    if _seed is _UNREAD:
        from bot.settings import get_settings

        _seed = get_settings().text_seed
    return _seed


def pick(
    key: str,
    slots: Optional[Dict[str, Any]] = None,
    rng: Optional[random.Random] = None,
    avoid: Optional[Set[str]] = None,
    **fields: Any,
) -> Dict[str, Any]:
    """One variant: {"text": ..., "buttons": [...]} with placeholders filled. With ``avoid`` (texts
    the person already got, lowercased with single spaces), a variant not sent before is chosen
    while there is one: "Dank je dat je dat vertelt." twice reads like a machine (issue 15)."""
    options = variants(key, slots)
    if not options:
        raise KeyError(f"No variant of '{key}' applies")
    if avoid:
        fresh = [o for o in options if flat(fill(o["text"], **fields)) not in avoid]
        options = fresh or options
    seed = variant_seed() if rng is None else None
    if seed is not None:
        # TEXT_SEED: the choice depends only on the text and how much was said before, so a
        # conversation replayed gets the same variants whatever ran before it
        rng = random.Random(f"{seed}|{key}|{len(avoid or ())}")
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


def say(
    dispatcher: Any,
    key: str,
    slots: Optional[Dict[str, Any]] = None,
    extra_buttons: Optional[List[Dict[str, str]]] = None,
    avoid: Optional[Set[str]] = None,
    **fields: Any,
) -> str:
    chosen = pick(key, slots, avoid=avoid, **fields)
    buttons = list(chosen.get("buttons") or []) + list(extra_buttons or [])
    if buttons:
        dispatcher.utter_message(text=chosen["text"], buttons=buttons)
    else:
        dispatcher.utter_message(text=chosen["text"])
    return chosen["text"]
