"""Start a Rasa server with our performance fixes: ``python -m bot.rasa.server run ...``.

Takes the same arguments as ``python -m rasa``. ``python -m bot run`` starts every Rasa
server this way (``NACHTLICHT_RASA_FIXES=0`` runs it without them). The fixes keep Rasa's
behaviour and only remove work that profiling (py-spy on a loaded server, docs/performance.md)
showed to be wasted:

1. Rasa 3.6 checks every action-server response with ``jsonschema.validate(result, schema)``,
   which first validates the large events schema itself against the JSON Schema meta-schema,
   on every call: about 60 % of the Rasa server's CPU time. We check the schema once, build
   the validator once, and validate each response against it (same checks, same error).
2. ``Event.resolve_by_type`` walks the whole Event class tree for every event it
   deserialises (every event of the tracker on every message): ~5 %. We remember the answer
   per type name.
3. Rasa's SQL tracker store on SQLite (the embedded default) runs in SQLite's default
   rollback-journal mode with full syncs: several fsyncs per message, ~40 ms of each
   message's latency (the same conversation took p50 117 ms on SQLite, 73 ms on PostgreSQL).
   Its connections now use WAL with ``synchronous=NORMAL``, as our own tables do (bot/storage/db.py):
   a crash of the process loses nothing; a power cut may lose the last commits.
"""

from __future__ import annotations

import sys
from typing import Any

_validator: Any = None


def _validator_for_action_responses():
    global _validator
    if _validator is None:
        from jsonschema.validators import validator_for
        from rasa.core.actions.action import RemoteAction

        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def validate_action_result(self, result: dict) -> bool:
    """RemoteAction._validate_action_result with a validator built once."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_validator_for_action_responses().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


_original_resolve_by_type: Any = None
_event_classes: dict = {}


def resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Event.resolve_by_type, remembering each class found (unknown names: Rasa's answer)."""
    cls = _event_classes.get(type_name)
    if cls is None:
        cls = _original_resolve_by_type(type_name, default)
        if cls is not None and getattr(cls, "type_name", None) == type_name:
            _event_classes[type_name] = cls
    return cls


def sqlite_fast_commits(dbapi_connection, _record) -> None:
    """SQLAlchemy "connect" hook: WAL and synchronous=NORMAL for SQLite connections only."""
    import sqlite3

    from bot.storage.db import sqlite_wal

    if isinstance(dbapi_connection, sqlite3.Connection):
        sqlite_wal(dbapi_connection)


def apply() -> None:
    global _original_resolve_by_type
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    RemoteAction._validate_action_result = validate_action_result
    if not event.contains(Engine, "connect", sqlite_fast_commits):
        event.listen(Engine, "connect", sqlite_fast_commits)
    if _original_resolve_by_type is None:
        _original_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_by_type)


# Rasa's HTTP API token, handed over by `bot run` in the environment (never on the command line,
# where every local user can read it in /proc/<pid>/cmdline).
TOKEN_ENV = "NACHTLICHT_RASA_AUTH_TOKEN"


def with_token(args: list, env: dict | None = None) -> list:
    """``args`` plus ``--auth-token=<token>`` from the environment (``env``, default this
    process's; removed from it, bot.settings.take_env), if set.
    "=": a random token can start with "-", which argparse would take for an option."""
    from bot.settings import take_env

    token = take_env(TOKEN_ENV, env)
    return [*args, f"--auth-token={token}"] if token else list(args)


def hide_version() -> None:
    """Rasa answers "/" with "Hello from Rasa: 3.6.21" and "/version" to anyone: an attacker
    learns which known bugs to try (issue 16, finding 14). "/" now says "ok" (our health check)
    and "/version" needs the API token like the rest of the HTTP API. Not a speed fix: always on."""
    import rasa.server

    original = rasa.server.create_app
    if getattr(original, "_nachtlicht", False):
        return

    def create_app(*args: Any, **kwargs: Any):
        from sanic import response

        app = original(*args, **kwargs)
        token = kwargs.get("auth_token") or ""

        @app.middleware("request")
        async def _no_version(request):
            path = request.path.rstrip("/")  # Sanic also routes "/version/"
            if path == "":
                return response.text("ok")
            if path == "/version" and (not token or request.args.get("token") != token):
                return response.json({"error": "unauthorized"}, status=401)
            return None

        return app

    create_app._nachtlicht = True  # type: ignore[attr-defined]
    rasa.server.create_app = create_app


def seed_responses(seed: int) -> None:
    """TEXT_SEED (reproducible test runs, bot/settings.py): Rasa picks a variant of a domain
    response with numpy's global random state, so which variant a conversation gets depends on
    every conversation before it. Seeded here from the response's name and how many bot messages
    the conversation already holds, a replayed conversation gets the same variants. Not for
    production (the variants would then be the same for everyone)."""
    import zlib

    import numpy as np
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    original = TemplatedNaturalLanguageGenerator.generate
    if getattr(original, "_nachtlicht_seeded", False):
        return

    async def generate(self, utter_action, tracker, output_channel, **kwargs):
        said = sum(1 for e in tracker.events if getattr(e, "type_name", "") == "bot")
        np.random.seed(zlib.crc32(f"{seed}|{utter_action}|{said}".encode("utf-8")))
        return await original(self, utter_action, tracker, output_channel, **kwargs)

    generate._nachtlicht_seeded = True  # type: ignore[attr-defined]
    TemplatedNaturalLanguageGenerator.generate = generate


def main(argv: list | None = None) -> None:
    from bot.settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"Rasa server cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    hide_version()
    # NACHTLICHT_RASA_FIXES=0 runs Rasa as shipped (to measure the fixes, or rule them out)
    if settings.rasa_fixes:
        apply()
    if settings.text_seed is not None:
        seed_responses(settings.text_seed)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *with_token(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
