"""Command line: ``python -m bot COMMAND ...``.

run      start action server, Rasa and the web app (what ``make run`` does)
users    manage counsellor accounts (add, token, list, ...)
purge    delete closed cases and conversations older than the retention period
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "run": "bot.run",
    "users": "bot.cli.users",
    "purge": "bot.cli.purge",
}


def main(argv: list | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(COMMANDS[argv[0]])
    return module.main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
