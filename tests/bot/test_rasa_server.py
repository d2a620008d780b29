"""bot.rasa.server's speed fixes must behave exactly like the Rasa code they replace."""

from __future__ import annotations

import os

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from bot.rasa import server as rasa_server
from bot.run import commands

ORIGINAL_VALIDATE = RemoteAction._validate_action_result
ORIGINAL_RESOLVE = Event.resolve_by_type

GOOD = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "amount", "value": 500, "timestamp": None},
            {"event": "active_loop", "name": "facts_form"},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"text": "Betaal niet.", "buttons": [{"title": "Ja", "payload": "/affirm"}]}],
    },
    {"responses": [{"text": "hoi"}]},
]
BAD = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": "not a list"},
    {"events": [], "responses": "not a list"},
    {"events": [{"event": "no_such_event", "name": "x"}]},
]


@pytest.fixture(autouse=True)
def patched():
    rasa_server.apply()
    yield
    RemoteAction._validate_action_result = ORIGINAL_VALIDATE  # other tests see Rasa as shipped
    Event.resolve_by_type = ORIGINAL_RESOLVE
    if event.contains(Engine, "connect", rasa_server.sqlite_fast_commits):
        event.remove(Engine, "connect", rasa_server.sqlite_fast_commits)
    rasa_server._original_resolve_by_type = None
    rasa_server._event_classes.clear()


@pytest.mark.parametrize("response", GOOD)
def test_valid_action_responses_pass_like_in_rasa(response):
    action = RemoteAction("action_x", None)
    assert ORIGINAL_VALIDATE(action, response) is True
    assert action._validate_action_result(response) is True


@pytest.mark.parametrize("response", BAD)
def test_invalid_action_responses_fail_with_rasas_error(response):
    action = RemoteAction("action_x", None)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        ORIGINAL_VALIDATE(action, response)
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(response)
    assert ours.value.message == theirs.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_event_types_resolve_as_in_rasa():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "slot", "action", "active_loop"} <= names
    for _ in range(2):  # the second round comes from the cache
        for name in names:
            assert Event.resolve_by_type(name) is ORIGINAL_RESOLVE(name)
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_bot_run_starts_rasa_through_the_patched_entry_point():
    rasa = [s for s in commands([5005], 5055, "endpoints.yml", "tok") if s.kind == "rasa"][0]
    assert rasa.argv[1:4] == ["-m", "bot.rasa.server", "run"]


def test_sqlite_tracker_store_connections_use_wal(tmp_path):
    """What Rasa's SQLTrackerStore does on SQLite: its own engine, its own connections."""
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}", future=True)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    engine.dispose()
    rasa_server.apply()  # applying twice registers the hook once
    assert event.contains(Engine, "connect", rasa_server.sqlite_fast_commits)


@pytest.mark.postgres
def test_postgresql_connections_are_left_alone(pg_databases):
    engine = create_engine(pg_databases("nachtlicht_rasa_server"), future=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_text_seed_makes_rasas_response_variants_repeatable(monkeypatch):
    """TEXT_SEED: a domain response's variant depends on the response and on how many bot messages
    the conversation holds, not on numpy's global state (what other conversations drew)."""
    import asyncio

    import numpy as np
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    monkeypatch.setattr(TemplatedNaturalLanguageGenerator, "generate", TemplatedNaturalLanguageGenerator.generate)
    rasa_server.seed_responses(3)
    domain = Domain.load("domain.yml")
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)

    def text(bot_messages: int) -> str:
        tracker = DialogueStateTracker.from_events("x", [BotUttered(f"m{n}") for n in range(bot_messages)])
        np.random.seed(int.from_bytes(os.urandom(4), "little"))  # whatever ran before
        return asyncio.run(nlg.generate("utter_distress", tracker, "rest"))["text"]

    assert len({text(2) for _ in range(6)}) == 1
    assert len({text(n) for n in range(12)}) > 1


@pytest.mark.parametrize(("recent", "names_113"), [(True, False), (False, True)])
def test_a_person_at_risk_asking_for_a_human_hears_of_113_unless_it_was_just_said(recent, names_113):
    """Rasa picks the consent question's variant on the slots: suicide_risk and safety_recent (the crisis
    message in one of the last three turns). Later, 113 comes first (n_crisis.yml, session 32)."""
    from rasa.core.nlg.generator import ResponseVariationFilter
    from rasa.shared.core.domain import Domain

    responses = Domain.load("domain.yml").responses
    chosen = ResponseVariationFilter(responses).responses_for_utter_action(
        "utter_ask_handoff_consent", "rest", {"suicide_risk": True, "safety_recent": recent}
    )
    assert chosen and all(("113" in r["text"]) is names_113 for r in chosen)
    calm = ResponseVariationFilter(responses).responses_for_utter_action(
        "utter_ask_handoff_consent", "rest", {"suicide_risk": None, "safety_recent": False}
    )
    assert len(calm) == 2 and not any("113" in r["text"] for r in calm)
