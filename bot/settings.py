"""All Nachtlicht settings, read from the environment in one place.

Defaults are the embedded profile: SQLite under ``var/``, no external services.
Nothing here opens a connection; callers build engines/clients lazily.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    try:
        return int(_env(name, str(default)))
    except ValueError:
        return default


def _default_sqlite_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'nachtlicht.db'}"


def _default_tracker_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"  # what endpoints.yml uses


@dataclass(frozen=True)
class Settings:
    # Our own tables (cases, conversations, counsellors). PostgreSQL in production.
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", _default_sqlite_url()))
    # Rasa's SQL tracker store (the conversations). endpoints.prod.yml passes this URL to Rasa;
    # ``python -m bot purge`` deletes old conversations from its ``events`` table.
    tracker_store_url: str = field(default_factory=lambda: _env("TRACKER_STORE_URL", _default_tracker_url()))
    # Rasa's Redis lock store (production profile, endpoints.prod.yml): one conversation is
    # handled by one Rasa server at a time, also with several replicas.
    redis_host: str = field(default_factory=lambda: _env("REDIS_HOST", "127.0.0.1"))
    redis_port: int = field(default_factory=lambda: _env_int("REDIS_PORT", 6379))
    redis_db: int = field(default_factory=lambda: _env_int("REDIS_DB", 1))
    redis_password: str = field(default_factory=lambda: _env("REDIS_PASSWORD", ""))
    lock_store_prefix: str = field(default_factory=lambda: _env("LOCK_STORE_PREFIX", "nachtlicht"))
    # Where Rasa finds the action server, and the address the action server binds to.
    action_endpoint_url: str = field(default_factory=lambda: _env("ACTION_ENDPOINT_URL", ""))
    action_host: str = field(default_factory=lambda: _env("ACTION_HOST", "127.0.0.1"))
    action_port: int = field(default_factory=lambda: _env_int("ACTION_PORT", 5055))
    # Set by `python -m bot run --profile ...` for its children: /health checks Redis in "prod".
    run_profile: str = field(default_factory=lambda: _env("RUN_PROFILE", "embedded"))
    # The address Rasa servers bind to (REST channel + token-protected HTTP API).
    rasa_interface: str = field(default_factory=lambda: _env("RASA_INTERFACE", "127.0.0.1"))
    # Where the web app reaches Rasa (comma-separated list for several replicas).
    rasa_urls: tuple = field(
        default_factory=lambda: tuple(
            u.strip().rstrip("/")
            for u in _env("RASA_URLS", _env("RASA_URL", "http://127.0.0.1:5005")).split(",")
            if u.strip()
        )
    )
    # Token for Rasa's HTTP API (``rasa run --enable-api --auth-token``).
    rasa_token: str = field(default_factory=lambda: _env("RASA_TOKEN", ""))
    web_host: str = field(default_factory=lambda: _env("WEB_HOST", "127.0.0.1"))
    web_port: int = field(default_factory=lambda: _env_int("WEB_PORT", 8080))
    # Secret for session cookies/CSRF; generated per process when unset (sessions then
    # do not survive a restart, which is acceptable for the embedded profile).
    secret_key: str = field(default_factory=lambda: _env("SECRET_KEY", ""))
    session_minutes: int = field(default_factory=lambda: _env_int("SESSION_MINUTES", 480))
    # A console session ends after this many minutes without use (and SESSION_MINUTES after login).
    session_idle_minutes: int = field(default_factory=lambda: _env_int("SESSION_IDLE_MINUTES", 30))
    # The address people and counsellors use, e.g. https://nachtlicht.example.nl: with https,
    # cookies are Secure and HSTS is sent (never decided by a client-sent X-Forwarded-Proto).
    public_url: str = field(default_factory=lambda: _env("PUBLIC_URL", ""))
    timezone: str = field(default_factory=lambda: _env("TIMEZONE", "Europe/Amsterdam"))
    # Weekly schedule, e.g. "mon-fri 09:00-17:00; sat 10:00-14:00"; closed days as ISO dates.
    office_hours: str = field(default_factory=lambda: _env("OFFICE_HOURS", "mon-fri 09:00-17:00"))
    closed_days: str = field(default_factory=lambda: _env("CLOSED_DAYS", ""))
    retention_days: int = field(default_factory=lambda: _env_int("RETENTION_DAYS", 90))
    # A conversation code stops working this many days after its case was closed (issue 16).
    resume_days_after_close: int = field(default_factory=lambda: _env_int("RESUME_DAYS_AFTER_CLOSE", 7))
    # Failed resume attempts (wrong codes) allowed per 10 minutes: per network (/24, /48) and in all.
    resume_failures_network: int = field(default_factory=lambda: _env_int("RESUME_FAILURES_NETWORK", 20))
    resume_failures_total: int = field(default_factory=lambda: _env_int("RESUME_FAILURES_TOTAL", 200))
    max_message_chars: int = field(default_factory=lambda: _env_int("MAX_MESSAGE_CHARS", 2000))
    # A message that could not reach Rasa (restart) is answered when Rasa is back, if it is not
    # older than this; otherwise the person is asked to send it again (bot/chat/pending.py).
    pending_max_minutes: int = field(default_factory=lambda: _env_int("PENDING_MAX_MINUTES", 15))
    # Chat rate limits (messages per minute): per conversation and per client address.
    chat_rate_conversation: int = field(default_factory=lambda: _env_int("CHAT_RATE_CONVERSATION", 20))
    chat_rate_address: int = field(default_factory=lambda: _env_int("CHAT_RATE_ADDRESS", 60))
    # Behind a reverse proxy: take the client address from the last X-Forwarded-For entry.
    trust_forwarded_for: bool = field(default_factory=lambda: _env("TRUST_FORWARDED_FOR", "") in ("1", "true", "yes"))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "INFO"))


def get_settings() -> Settings:
    """Fresh settings from the current environment (cheap; tests change env vars)."""
    return Settings()
