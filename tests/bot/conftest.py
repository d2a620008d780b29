"""Fixtures for the web app, case and storage tests.

``database_url`` is parametrized: every test that uses it runs against a fresh SQLite file
in tmp_path AND against PostgreSQL. PostgreSQL comes from the ``pg_databases`` factory in
tests/conftest.py (DATABASE_URL_PG, default postgresql://postgres@127.0.0.1:5432/test): one
throw-away database ``nachtlicht_test_<random>`` per test session, migrated, truncated before
each test and dropped at the end. When PostgreSQL cannot be reached the
PostgreSQL half is skipped with a message, except with CI=true, where it fails.
"""

from __future__ import annotations

import pytest
from console_helpers import PASSWORD, csrf_from, login
from fake_rasa import FakeRasa

from bot.settings import Settings
from bot.storage.db import dispose_all

TABLES = "audit_log, chat_messages, cases, sessions, conversations, counsellors"


@pytest.fixture(scope="session")
def pg_url(pg_databases):
    """A fresh, migrated PostgreSQL database for this test session (or skip / fail)."""
    url = pg_databases("nachtlicht_test")
    yield url
    dispose_all()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, monkeypatch):
    """A real, empty, migrated database (SQLite file, then PostgreSQL); also set as DATABASE_URL."""
    from bot.storage.db import get_engine

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'nachtlicht.db'}"
    else:
        url = request.getfixturevalue("pg_url")
        with get_engine(url).begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    monkeypatch.setenv("DATABASE_URL", url)
    # never the developer's var/rasa_tracker.db (``python -m bot purge`` cleans the tracker store too)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'rasa_tracker.db'}")
    yield url
    dispose_all()


@pytest.fixture
def make_settings(database_url, tmp_path):
    def make(**overrides) -> Settings:
        values = dict(
            database_url=database_url,
            # no trained risk scorer beside it: the check question on the cues alone, whatever
            # 'make train' left in models/ (tests/bot/test_risk_scorer.py trains its own)
            model_path=tmp_path / "no-model" / "nachtlicht.tar.gz",
            rasa_urls=("http://127.0.0.1:9",),
            rasa_token="rasa-secret",
            web_host="127.0.0.1",
            web_port=8080,
            secret_key="s" * 32,
            session_minutes=60,
            timezone="Europe/Amsterdam",
            office_hours="mon-fri 09:00-17:00",
            closed_days="",
            retention_days=90,
            max_message_chars=2000,
            chat_rate_conversation=20,
            chat_rate_address=60,
            trust_forwarded_for=False,
            log_level="INFO",
        )
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
async def fake_rasa(aiohttp_server):
    fake = FakeRasa()
    server = await aiohttp_server(fake.make_app())
    fake.url = str(server.make_url("")).rstrip("/")
    return fake


@pytest.fixture
def make_client(aiohttp_client, fake_rasa, make_settings):
    """``await make_client(**settings_overrides)`` -> aiohttp test client of our web app."""
    from bot.web.app import create_app

    async def make(**overrides):
        settings = make_settings(**dict({"rasa_urls": (fake_rasa.url,)}, **overrides))
        client = await aiohttp_client(create_app(settings))
        client.nl_settings = settings
        return client

    return make


@pytest.fixture
async def client(make_client):
    return await make_client()


@pytest.fixture
def accounts(database_url):
    from bot.auth import Accounts

    return Accounts.from_settings()


@pytest.fixture
def counsellor(accounts):
    """An account 'anna' with PASSWORD; returns its API token."""
    accounts.add("anna", PASSWORD)
    return accounts.issue_token("anna")


@pytest.fixture
def cases(make_settings):
    from bot.cases.service import CaseService
    from bot.storage.db import get_engine

    settings = make_settings()
    return CaseService(get_engine(settings.database_url), settings)


@pytest.fixture
def login_as():
    return login


@pytest.fixture
def csrf():
    return csrf_from
