"""The layout shows the roles (issue 18): Dutch language understanding (bot/language), storage
(bot/storage), cases (bot/cases), Rasa plug-ins (bot/nlu, bot/rasa) and the custom actions never
import the web app (bot/web); the language package imports nothing of the rest of the bot but
its own modules and the masking patterns."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_WEB = ["bot/language", "bot/storage", "bot/cases", "bot/nlu", "bot/rasa", "actions"]


def imports_of(path: Path) -> set:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_the_web_app_imports_the_web_app():
    wrong = []
    for folder in NOT_WEB:
        for path in (ROOT / folder).rglob("*.py"):
            wrong += [
                f"{path.relative_to(ROOT)}: {n}" for n in imports_of(path) if n == "bot.web" or n.startswith("bot.web.")
            ]
    assert not wrong, wrong


def test_the_language_package_stands_on_its_own():
    allowed = ("bot.language", "bot.redact")
    wrong = []
    for path in (ROOT / "bot" / "language").rglob("*.py"):
        wrong += [
            f"{path.relative_to(ROOT)}: {n}"
            for n in imports_of(path)
            if (n.startswith("bot.") or n.startswith("actions")) and not n.startswith(allowed)
        ]
    assert not wrong, wrong
