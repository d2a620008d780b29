"""Rasa's SQL tracker store seen from our side: delete old conversations (``python -m bot purge``).

Rasa keeps every conversation as rows of one table, ``events`` (rasa.core.tracker_store.
SQLTrackerStore.SQLEvent: id, sender_id, type_name, timestamp in Unix seconds, intent_name,
action_name, data), on SQLite (embedded profile) or PostgreSQL (production profile); the URL is
settings.tracker_store_url (TRACKER_STORE_URL). We delete with SQLAlchemy Core on that table,
so Rasa itself is not imported. Rasa's ``POSTGRESQL_SCHEMA`` (settings.postgresql_schema) is
honoured as it is by Rasa.

What is deleted: the trackers of the conversations just purged from our database, and of every
other conversation whose newest event is older than the cutoff and that is not (any more) in our
database -- e.g. one reached through Rasa directly, or left behind when an earlier purge could not
reach the tracker store. A conversation that is still in our database is never touched.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, delete, func, inspect, select
from sqlalchemy.engine import Engine, make_url

from bot.storage.db import normalise_url

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
)
CHUNK = 500


def tracker_engine(url: str, schema: str | None = None) -> Engine | None:
    """An engine for Rasa's tracker store, or None when an SQLite file does not exist (yet).
    ``schema``: the PostgreSQL schema (default: POSTGRESQL_SCHEMA from the settings)."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:" or not Path(parsed.database).exists():
            return None
        return create_engine(url, future=True, connect_args={"timeout": 30})
    if schema is None:
        from bot.settings import get_settings

        schema = get_settings().postgresql_schema
    kwargs = {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}
    return create_engine(url, future=True, **kwargs)


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def purge_trackers(
    url: str,
    conversation_ids: Iterable[str],
    cutoff: datetime,
    still_ours: Callable[[list], set],
    dry_run: bool = False,
) -> int:
    """Delete trackers from Rasa's tracker store (see the module docstring).

    ``conversation_ids``: purged from our database just now (deleted whatever their age);
    ``cutoff``: naive UTC; ``still_ours(ids)`` -> those ids that are conversations in our
    database (kept). Returns the number of conversations deleted (or, with ``dry_run``, that
    would be)."""
    engine = tracker_engine(url)
    if engine is None:
        return 0
    try:
        if not inspect(engine).has_table("events"):
            return 0
        purged = set(conversation_ids)
        limit = cutoff.replace(tzinfo=timezone.utc).timestamp()
        with engine.connect() as conn:
            expired = set(
                conn.execute(
                    select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(func.max(EVENTS.c.timestamp) < limit)
                ).scalars()
            )
            present = set()
            for chunk in _chunks(sorted(purged)):
                present |= set(
                    conn.execute(select(EVENTS.c.sender_id).distinct().where(EVENTS.c.sender_id.in_(chunk))).scalars()
                )
        orphans = sorted(expired - purged)
        keep = set(still_ours(orphans)) if orphans else set()
        doomed = sorted(present | (set(orphans) - keep))
        if not dry_run and doomed:
            with engine.begin() as conn:
                for chunk in _chunks(doomed):
                    conn.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk)))
        return len(doomed)
    finally:
        engine.dispose()
