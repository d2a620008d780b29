"""The web app's own texts (texts/web.yml): chat notices, the chat page's script, the lines the
person sees when a counsellor joins or leaves, the console's messages.

One catalogue for trainers; helpline facts are filled in from texts/helplines.yml, and
``{help_now}`` is the catalogue's 112/113 line. Placeholders a caller fills later (``{max}``,
``{quote}``, ``{code}``, ``{days}``, ``{n}``) stay as they are.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict

from bot import helplines
from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

WEB_FILE = helplines.TEXTS_DIR / "web.yml"

# The keys the code reads (Python and chat.js). A file without one of them is refused (the last
# good copy is used and `make check` says FOUT), instead of a KeyError that stops the web app.
# tests/bot/test_vocab.py checks this list against every key the code uses.
REQUIRED: Dict[str, frozenset] = {
    "chat": frozenset(
        "empty bad_json bad_content_type bad_payload bad_request too_long not_found code_not_found "
        "rate_limited restarting resend method_not_allowed no_answer server_error".split()
    ),
    "repeat": frozenset(["short"]),  # and at least one "again_..." opening
    "system": frozenset(["take_over", "hand_back", "closed"]),
    "page": frozenset(
        "who_bot who_human label_bot label_counsellor label_user label_system typing_bot empty too_long "
        "network rate_limited unavailable gone resumed code_format code_unknown failed restarting".split()
    ),
    "console": frozenset("taken_over handed_back closed sent sent_no_tracker revealed logged_out expired".split()),
    "delivery_notes": frozenset(["pending", "late", "resend"]),
}


def parse(path: Path | str) -> dict:
    """texts/web.yml, refused (TrainerFileError with its line) when a text the code needs is missing."""
    data, text = read_yaml(path, dict)
    if not isinstance(data.get("help_now"), str) or not data["help_now"].strip():
        raise TrainerFileError(path, line_of(text, "help_now:"), "de tekst 'help_now:' (de 112/113-regel) ontbreekt")
    for name, keys in REQUIRED.items():
        section = data.get(name)
        if not isinstance(section, dict):
            raise TrainerFileError(
                path, line_of(text, f"{name}:"), f"het blok '{name}:' ontbreekt of heeft geen teksten"
            )
        missing = sorted(keys - set(section))
        if name == "repeat" and not any(str(k).startswith("again") for k in section):
            missing.append("again_1")
        if missing:
            raise TrainerFileError(
                path,
                line_of(text, f"{name}:"),
                f"in het blok '{name}:' ontbreekt '{missing[0]}:'; de code gebruikt die tekst. Zet hem terug",
            )
        for key, value in section.items():
            if not isinstance(value, str) or not value.strip():
                raise TrainerFileError(
                    path, line_of(text, f"{key}:"), f"'{name}.{key}' moet een tekst zijn (tussen aanhalingstekens)"
                )
    return data


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    # a broken file is refused with its reason and the last good one is used (never down)
    return load_or_last_good(WEB_FILE, parse)


def help_now() -> str:
    return helplines.fill(_catalogue()["help_now"])


def section(name: str) -> Dict[str, str]:
    """One section of texts/web.yml with helpline facts and {help_now} filled in."""
    now = help_now()
    return {key: helplines.fill(text, help_now=now) for key, text in (_catalogue().get(name) or {}).items()}
