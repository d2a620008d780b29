"""Database access: one lazily created SQLAlchemy engine per URL, migrated on first use.

SQLite is the default (``var/nachtlicht.db``); PostgreSQL via ``DATABASE_URL``. The web
app, the action server and the command line all share the database, so:

* SQLite runs in WAL mode with a busy timeout, and every transaction starts with
  ``BEGIN IMMEDIATE`` (writers queue up instead of failing with "database is locked");
* the schema is brought to ``alembic upgrade head`` the first time a process asks for an
  engine. Concurrent upgrades are serialised (SQLite write lock / PostgreSQL advisory lock).
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import ROOT, get_settings

log = logging.getLogger(__name__)

_engines: dict = {}
_lock = threading.Lock()
_MIGRATION_LOCK_ID = 74_2011_7  # arbitrary constant for pg_advisory_xact_lock


def utcnow() -> datetime:
    """Naive UTC 'now' (what we store; SQLite keeps no time zones)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored naive-UTC datetime as an aware one."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def sqlite_wal(dbapi_conn) -> None:
    """WAL with synchronous=NORMAL on a raw sqlite3 connection: one sync per checkpoint instead
    of several per commit; a crashed process loses nothing, a power cut the last commits.
    Our engines use it, and bot.rasa.server gives it to Rasa's SQLite tracker store."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def private_sqlite_file(path: Path) -> None:
    """The database holds every transcript: its folder 0700 (when we create it), the file and
    its WAL/SHM companions 0600, so no other local user can read them."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name.exists():
            name.chmod(0o600)


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
        if path is not None:
            private_sqlite_file(path)
        engine = create_engine(url, future=True, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # pragma: no cover - exercised implicitly
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
            sqlite_wal(dbapi_conn)
            if path is not None:
                private_sqlite_file(path)  # the -wal/-shm files exist from here on

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - exercised implicitly
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """``alembic upgrade head`` on this engine (idempotent, safe to run concurrently)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def get_engine(url: str | None = None, migrate: bool = True) -> Engine:
    """The engine for ``url`` (default: settings.database_url), created and migrated once."""
    url = normalise_url(url or get_settings().database_url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _create(url)
            if migrate:
                upgrade(engine)
            _engines[url] = engine
        return engine


def dispose_all() -> None:
    """Close every engine (tests; process shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _factories.clear()


_factories: dict = {}


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    factory = _factories.get(engine)
    if factory is None:
        factory = _factories.setdefault(engine, sessionmaker(engine, future=True, expire_on_commit=False))
    with factory() as session:
        with session.begin():
            yield session
