"""``python -m bot purge`` also cleans Rasa's SQL tracker store (bot/rasa/tracker_store.py), on SQLite
and PostgreSQL. The trackers are written by Rasa's own SQLTrackerStore, so the table is the real
one; the production stack test (tests/prod) does the same with trackers written by running Rasa
servers."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update

from bot.__main__ import main as bot_main

DAY = 86400


@pytest.fixture
def tracker_url(database_url, tmp_path, pg_databases, monkeypatch) -> str:
    """Rasa's tracker store on the same kind of database as ours (a file / a database of its own)."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'rasa_tracker.db'}"
    else:
        url = pg_databases("nachtlicht_tracker_test")
    monkeypatch.setenv("TRACKER_STORE_URL", url)
    return url


def write_trackers(url: str, ages: dict) -> None:
    """A short conversation per sender id, its events ``ages[sender]`` days old, saved by Rasa."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(host=url)
    try:
        for sender, days in ages.items():
            t0 = time.time() - days * DAY
            events = [
                ActionExecuted("action_session_start", timestamp=t0),
                SessionStarted(timestamp=t0),
                ActionExecuted("action_listen", timestamp=t0),
                UserUttered("hoi", timestamp=t0 + 1),
                BotUttered("Hoi, ik ben de chatbot van Nachtlicht.", timestamp=t0 + 2),
                ActionExecuted("action_listen", timestamp=t0 + 2),
            ]
            asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    finally:
        store.engine.dispose()


def senders(url: str) -> set:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT DISTINCT sender_id FROM events")).scalars())
    finally:
        engine.dispose()


def test_purge_deletes_purged_and_orphaned_trackers_only(database_url, tracker_url, capsys):
    from bot.cases.service import CaseService
    from bot.storage.conversations import ConversationStore
    from bot.storage.db import get_engine, session_scope, utcnow
    from bot.storage.models import Case, Conversation

    cases = CaseService.from_settings()
    anna = {"id": None, "name": "anna"}
    cases.close(cases.open_case("old-closed", {})["id"], anna, "advice_given")
    cases.open_case("old-open", {})
    recent = ConversationStore.from_url(database_url).create()["conversation_id"]
    idle = ConversationStore.from_url(database_url).create()["conversation_id"]
    long_ago = utcnow() - timedelta(days=100)
    with session_scope(get_engine(database_url)) as s:
        s.execute(update(Case).where(Case.conversation_id == "old-closed").values(closed_at=long_ago))
        s.execute(
            update(Conversation)
            .where(Conversation.id.in_(["old-closed", "old-open", idle]))
            .values(last_seen_at=long_ago)
        )
    # "old-closed" is purged from our database, so its tracker goes whatever its age; "old-open"
    # is idle but has an open case: kept. Orphans (not in our database) go once they are old.
    write_trackers(
        tracker_url, {"old-closed": 1, "old-open": 100, recent: 1, idle: 100, "orphan-old": 100, "orphan-new": 1}
    )
    everything = senders(tracker_url)

    assert bot_main(["purge", "--days", "90", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Zou verwijderen: 1 casussen, 2 gesprekken" in out
    assert "Zou verwijderen uit Rasa's tracker store: 3 gesprekken." in out
    assert senders(tracker_url) == everything

    assert bot_main(["purge", "--days", "90"]) == 0
    out = capsys.readouterr().out
    assert "Verwijderd: 1 casussen, 2 gesprekken" in out and "tracker store: 3 gesprekken." in out
    assert senders(tracker_url) == {"old-open", recent, "orphan-new"}
    with session_scope(get_engine(database_url)) as s:
        assert set(s.execute(select(Conversation.id)).scalars()) == {"old-open", recent}

    assert bot_main(["purge", "--days", "90"]) == 0
    assert "tracker store: 0 gesprekken." in capsys.readouterr().out
    # retention 0: the idle conversation goes from both databases, so does the recent orphan;
    # the conversation with an open case stays, however old its tracker
    assert bot_main(["purge", "--days", "0"]) == 0
    assert senders(tracker_url) == {"old-open"}


def test_purge_without_a_tracker_store_yet(database_url, tracker_url, capsys):
    assert bot_main(["purge", "--days", "30"]) == 0
    assert "tracker store: 0 gesprekken." in capsys.readouterr().out
    if tracker_url.startswith("sqlite"):
        assert not Path(tracker_url[len("sqlite:///") :]).exists()  # not created by the purge


def test_unreachable_tracker_store_fails_with_a_message_after_purging_our_database(database_url, monkeypatch, capsys):
    from bot.storage.conversations import ConversationStore
    from bot.storage.db import get_engine, session_scope, utcnow
    from bot.storage.models import Conversation

    idle = ConversationStore.from_url(database_url).create()["conversation_id"]
    with session_scope(get_engine(database_url)) as s:
        s.execute(
            update(Conversation).where(Conversation.id == idle).values(last_seen_at=utcnow() - timedelta(days=100))
        )
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://postgres@127.0.0.1:9/nowhere")
    assert bot_main(["purge", "--days", "90"]) == 1
    captured = capsys.readouterr()
    assert "Verwijderd: 0 casussen, 1 gesprekken" in captured.out
    assert "tracker store kon niet worden opgeschoond" in captured.err and "alsnog" in captured.err
    assert "Traceback" not in captured.err
