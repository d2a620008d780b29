"""The web app's own texts (texts/web.yml): chat notices, the chat page's script, the lines the
person sees when a counsellor joins or leaves, the console's messages.

One catalogue for trainers; helpline facts are filled in from texts/helplines.yml, and
``{help_now}`` is the catalogue's 112/113 line. Placeholders a caller fills later (``{max}``,
``{quote}``, ``{code}``, ``{days}``, ``{n}``) stay as they are.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict

import yaml

from bot import helplines

WEB_FILE = helplines.TEXTS_DIR / "web.yml"


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    return yaml.safe_load(WEB_FILE.read_text(encoding="utf-8")) or {}


def help_now() -> str:
    return helplines.fill(_catalogue()["help_now"])


def section(name: str) -> Dict[str, str]:
    """One section of texts/web.yml with helpline facts and {help_now} filled in."""
    now = help_now()
    return {key: helplines.fill(text, help_now=now) for key, text in (_catalogue().get(name) or {}).items()}
