"""The web app's own texts (texts/web.yml): chat notices, the chat page's script, the lines the
person sees when a counsellor joins or leaves, the console's messages.

One catalogue for trainers; helpline facts are filled in from texts/helplines.yml, and
``{help_now}`` is the catalogue's 112/113 line. Placeholders a caller fills later (``{max}``,
``{quote}``, ``{code}``, ``{days}``, ``{n}``) stay as they are.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict

from bot import helplines
from bot.language.trainer_files import load_or_last_good, read_yaml

WEB_FILE = helplines.TEXTS_DIR / "web.yml"


def _parse(path) -> dict:
    return read_yaml(path, dict)[0]


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    # a broken file is refused with its reason and the last good one is used (never down)
    return load_or_last_good(WEB_FILE, _parse)


def help_now() -> str:
    return helplines.fill(_catalogue()["help_now"])


def section(name: str) -> Dict[str, str]:
    """One section of texts/web.yml with helpline facts and {help_now} filled in."""
    now = help_now()
    return {key: helplines.fill(text, help_now=now) for key, text in (_catalogue().get(name) or {}).items()}
