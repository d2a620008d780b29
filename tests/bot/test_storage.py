"""Models and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from bot.storage.conversations import CODE_ALPHABET, ConversationStore, new_code, normalise_code
from bot.storage.db import dispose_all, get_engine, session_scope, upgrade
from bot.storage.models import Base, Case, ChatMessage, Conversation

TABLES = {"alembic_version", "audit_log", "cases", "chat_messages", "conversations", "counsellors", "sessions"}


def test_migrations_create_every_table_and_match_the_models(database_url):
    engine = get_engine(database_url)
    assert set(inspect(engine).get_table_names()) == TABLES
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert ctx.get_current_revision() == "0003"
        diff = [d for d in compare_metadata(ctx, Base.metadata)]
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_is_idempotent_and_safe_from_several_threads(database_url):
    engine = get_engine(database_url)
    errors = []

    def run():
        try:
            upgrade(engine)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    dispose_all()
    assert set(inspect(get_engine(database_url)).get_table_names()) == TABLES


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'x' / 'n.db'}")  # parent folder is created
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    dispose_all()


def test_conversations_get_random_ids_and_unambiguous_codes(database_url):
    store = ConversationStore.from_url(database_url)
    a, b = store.create(), store.create()
    assert a["conversation_id"] != b["conversation_id"] and len(a["conversation_id"]) == 32
    int(a["conversation_id"], 16)
    assert a["code"] != b["code"]
    assert len(a["code"]) == 19 and a["code"][4] == a["code"][9] == a["code"][14] == "-"
    assert all(c in CODE_ALPHABET for c in a["code"].replace("-", ""))
    assert store.by_code(a["code"].lower().replace("-", " "))["conversation_id"] == a["conversation_id"]
    assert store.by_code("0000-0000") is None  # 0 is not in the alphabet
    assert normalise_code("abcd efgh") == "ABCD-EFGH" and normalise_code("IIII-1111") is None
    assert all(c in CODE_ALPHABET for c in new_code().replace("-", ""))


def test_messages_are_ordered_and_cascade_with_their_conversation(database_url):
    store = ConversationStore.from_url(database_url)
    cid = store.create()["conversation_id"]
    first = store.add_message(cid, "user", "hoi", touch=True)
    later = store.add_messages(
        cid, [("bot", "hallo", [{"title": "Ja", "payload": "/affirm"}]), ("bot", "tweede", None)]
    )
    assert [m["id"] for m in later] == sorted(m["id"] for m in later) and later[0]["id"] > first["id"]
    assert later[0]["buttons"] == [{"title": "Ja", "payload": "/affirm"}] and later[1]["buttons"] == []
    assert [m["text"] for m in store.messages_after(cid, first["id"])] == ["hallo", "tweede"]
    assert later[0]["created_at"].endswith("+00:00")
    engine = get_engine(database_url)
    with session_scope(engine) as s:
        s.delete(s.get(Conversation, cid))
    with session_scope(engine) as s:
        assert s.execute(select(ChatMessage)).first() is None
        assert s.execute(select(Case)).first() is None


def test_sqlite_files_are_private(tmp_path):
    """Issue 16, finding 13: the databases hold every transcript; other local users must not read them."""
    import stat

    from bot.storage.conversations import ConversationStore
    from bot.storage.db import dispose_all, get_engine

    folder = tmp_path / "data"
    url = f"sqlite:///{folder / 'nachtlicht.db'}"
    ConversationStore(get_engine(url)).create()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    dispose_all()
