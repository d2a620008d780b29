"""Fixtures for custom-action tests: trackers built from saved JSON, a dispatcher, the domain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
TRACKERS = ROOT / "tests" / "fixtures" / "trackers"


def load_tracker(name: str, **overrides) -> Tracker:
    """A Tracker from tests/fixtures/trackers/NAME.json; keyword arguments replace fields."""
    data = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    data.update(overrides)
    return Tracker(
        sender_id=data["sender_id"],
        slots=data.get("slots", {}),
        latest_message=data.get("latest_message", {}),
        events=data.get("events", []),
        paused=data.get("paused", False),
        followup_action=data.get("followup_action"),
        active_loop=data.get("active_loop", {}),
        latest_action_name=data.get("latest_action_name"),
    )


@pytest.fixture
def tracker_from():
    return load_tracker


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


# --- cases in a real SQLite database, office hours (tests of action_handoff and the safety actions)
@pytest.fixture
def case_db(tmp_path, monkeypatch):
    from bot.storage.db import dispose_all

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nachtlicht.db'}")
    monkeypatch.setenv("OFFICE_HOURS", "mon-fri 09:00-17:00")
    yield
    dispose_all()


@pytest.fixture
def closed(monkeypatch):
    """No counsellor online; the next opening is 'morgen (dinsdag) vanaf 09:00'."""
    from bot.office_hours import OfficeHours

    monkeypatch.setattr(OfficeHours, "is_open", lambda self, now=None: False)
    monkeypatch.setattr(OfficeHours, "describe_next", lambda self, now=None: "morgen (dinsdag) vanaf 09:00")


@pytest.fixture
def open_now(monkeypatch):
    from bot.office_hours import OfficeHours

    monkeypatch.setattr(OfficeHours, "is_open", lambda self, now=None: True)


@pytest.fixture(autouse=True)
def first_variant(monkeypatch):
    """Texts pick a random variant; every action test sees the first applicable one
    (tests/actions/test_texts.py checks all variants)."""
    from actions import texts

    class First:
        @staticmethod
        def choice(options):
            return options[0]

    monkeypatch.setattr(texts, "random", First)
