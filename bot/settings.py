"""All Nachtlicht settings: the only module that reads the process environment.

Every setting is a field of ``Settings``, read from the environment variable(s) named in its
metadata (``metadata["env"]``; the first one set wins). README.md's settings table lists every
one of them (tests/bot/test_settings.py keeps the two in step). Values are checked when read:
a bad one raises ``SettingsError`` with the variable's name, what it must be and what it was,
so a typo stops the start instead of quietly becoming a default. An empty variable counts as
unset.

Defaults are the embedded profile: SQLite under ``var/``, no external services. With
``NACHTLICHT_PROFILE=prod`` (``python -m bot run --profile prod`` sets it for its children) the
database URLs and the Rasa ports default to the production profile's.

Reading the settings is cheap and has no side effects: nothing here opens a connection or
creates a file; callers build engines and clients lazily.

``python -m bot.settings --export`` checks the settings and prints ``export ...`` lines for the
variables endpoints.yml and endpoints.prod.yml read (``eval`` them before starting Rasa yourself,
as ``make shell`` does); ``python -m bot run`` hands the same values to its children.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping, MutableMapping
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ("embedded", "prod")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes"), ("0", "false", "no")

Env = Mapping[str, str]


class SettingsError(ValueError):
    """A setting has a value we cannot use. The message names the variable, says what it must be
    and what it was (a password in a URL shown as ***)."""

    def __init__(self, variable: str, expected: str, got: str):
        self.variable = variable
        shown = re.sub(r":[^:@/]+@", ":***@", got)
        super().__init__(
            f"{variable} must be {expected} (got {shown!r}); correct it or unset it "
            f"(every setting: README.md, table 'Settings')"
        )


def _found(env: Env, names: tuple) -> tuple | None:
    """(name, value) of the first of ``names`` that is set and not empty."""
    for name in names:
        value = env.get(name)
        if value not in (None, ""):
            return name, value
    return None


def _reader(names: str | tuple, default: Any, parse: Callable[[str, str], Any] | None = None) -> Callable[[Env], Any]:
    """``read(env)``: the setting from ``env`` (parsed and checked), else ``default`` (a value, or
    a function of ``env`` for defaults that depend on other settings, e.g. the profile)."""
    names = (names,) if isinstance(names, str) else tuple(names)

    def read(env: Env) -> Any:
        found = _found(env, names)
        if found is None:
            return default(env) if callable(default) else default
        return parse(*found) if parse else found[1]

    read.names = names  # type: ignore[attr-defined]
    return read


def _setting(read: Callable[[Env], Any], secret: bool = False) -> Any:
    """A dataclass field read from the process environment by ``read`` (``Settings()`` reads
    every field that is not given). ``secret``: left out of repr() (logs, tracebacks)."""
    return field(default_factory=lambda: read(os.environ), repr=not secret, metadata={"env": read.names, "read": read})


# --- parsers: (variable name, raw value) -> value, or SettingsError ------------------------------


def _integer(low: int | None = None, high: int | None = None) -> Callable[[str, str], int]:
    if low is not None and high is not None:
        expected = f"a whole number from {low} to {high}"
    elif low is not None:
        expected = f"a whole number of at least {low}"
    else:
        expected = "a whole number"

    def parse(name: str, raw: str) -> int:
        text = raw.strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise SettingsError(name, expected, raw)
        value = int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise SettingsError(name, expected, raw)
        return value

    return parse


_port = _integer(1, 65535)
_positive = _integer(1)
_not_negative = _integer(0)


def _boolean(name: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(name, "one of " + "/".join(TRUE_WORDS + FALSE_WORDS), raw)


def _one_of(options: tuple, case: Callable[[str], str] = str.lower) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = case(raw.strip())
        if value not in options:
            raise SettingsError(name, "one of " + ", ".join(options), raw)
        return value

    return parse


def _ports(name: str, raw: str) -> tuple:
    parts = [p for p in raw.split(",") if p.strip()]
    if not parts:
        raise SettingsError(name, "one or more ports (1 to 65535), comma-separated", raw)
    try:
        return tuple(_port(name, p) for p in parts)
    except SettingsError:
        raise SettingsError(name, "one or more ports (1 to 65535), comma-separated", raw) from None


def _http_url(name: str, raw: str) -> str:
    url = raw.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(name, "an http:// or https:// URL", raw)
    return url


def _http_urls(name: str, raw: str) -> tuple:
    urls = tuple(u.strip().rstrip("/") for u in raw.split(",") if u.strip())
    if not urls:
        raise SettingsError(name, "one or more http(s) URLs, comma-separated", raw)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(name, "one or more http(s) URLs, comma-separated", raw)
    return urls


def _exit_url(name: str, raw: str) -> str:
    url = raw.strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    raise SettingsError(name, "an http(s) URL or a path on this site starting with /", raw)


def _database_url(name: str, raw: str) -> str:
    url = raw.strip()
    if not re.match(r"^[a-z][a-z0-9+]*://", url):
        raise SettingsError(name, "a database URL such as sqlite:////path/file.db or postgresql://user@host/db", raw)
    return url


def _timezone(name: str, raw: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(name, "a time zone name such as Europe/Amsterdam", raw) from None
    return raw.strip()


def _readable(read: Callable[[str], Any], expected: str) -> Callable[[str, str], str]:
    """A check for a text setting that ``read`` must accept (it raises ValueError otherwise)."""

    def parse(name: str, raw: str) -> str:
        try:
            read(raw)
        except ValueError:
            raise SettingsError(name, expected, raw) from None
        return raw

    return parse


def _read_dates(raw: str) -> None:
    for day in filter(None, (d.strip() for d in raw.split(","))):
        date.fromisoformat(day)


def _read_schedule(raw: str) -> None:
    from bot.office_hours import OfficeHours  # imports this module: read the schedule lazily

    OfficeHours.parse(raw)


_dates = _readable(_read_dates, "dates as YYYY-MM-DD, comma-separated")
_schedule = _readable(_read_schedule, "a weekly schedule like 'mon-fri 09:00-17:00; sat 10:00-14:00'")


def _path(name: str, raw: str) -> Path:
    path = Path(raw.strip()).expanduser()
    return path if path.is_absolute() else ROOT / path  # relative: to the repository


def _stripped(name: str, raw: str) -> str:
    return raw.strip()


# --- the settings whose defaults others depend on -----------------------------------------------


def local_address(host: str) -> str:
    """The address to reach a server bound to ``host`` from this machine."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


_profile = _reader(("NACHTLICHT_PROFILE", "RUN_PROFILE"), "embedded", _one_of(PROFILES))
PROD_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/nachtlicht"
PROD_TRACKER_STORE_URL = "postgresql://postgres@127.0.0.1:5432/nachtlicht_tracker"
_rasa_interface = _reader("RASA_INTERFACE", "127.0.0.1")
_rasa_ports = _reader(
    ("RASA_PORTS", "RASA_PORT"), lambda env: (5005, 5006) if _profile(env) == "prod" else (5005,), _ports
)


def _default_database_url(env: Env) -> str:
    return PROD_DATABASE_URL if _profile(env) == "prod" else f"sqlite:///{ROOT / 'var' / 'nachtlicht.db'}"


def _default_tracker_url(env: Env) -> str:
    return PROD_TRACKER_STORE_URL if _profile(env) == "prod" else f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"


def _default_rasa_urls(env: Env) -> tuple:
    host = local_address(_rasa_interface(env))
    return tuple(f"http://{host}:{port}" for port in _rasa_ports(env))


@dataclass(frozen=True)
class Settings:
    # embedded | prod. Chooses defaults below; /health checks Redis in "prod". `python -m bot
    # run --profile` sets it for its children (RUN_PROFILE: older name, still read).
    run_profile: str = _setting(_profile)
    # Our own tables (cases, conversations, counsellors). PostgreSQL in production.
    database_url: str = _setting(_reader("DATABASE_URL", _default_database_url, _database_url))
    # Rasa's SQL tracker store (the conversations): endpoints.yml and endpoints.prod.yml pass it
    # to Rasa; ``python -m bot purge`` deletes old conversations from its ``events`` table.
    tracker_store_url: str = _setting(_reader("TRACKER_STORE_URL", _default_tracker_url, _database_url))
    # PostgreSQL schema of the tracker store (Rasa's own variable, honoured by purge as by Rasa).
    postgresql_schema: str = _setting(_reader("POSTGRESQL_SCHEMA", "", _stripped))
    # Rasa's Redis lock store (production profile, endpoints.prod.yml): one conversation is
    # handled by one Rasa server at a time, also with several replicas.
    redis_host: str = _setting(_reader("REDIS_HOST", "127.0.0.1"))
    redis_port: int = _setting(_reader("REDIS_PORT", 6379, _port))
    redis_db: int = _setting(_reader("REDIS_DB", 1, _not_negative))
    redis_password: str = _setting(_reader("REDIS_PASSWORD", ""), secret=True)
    lock_store_prefix: str = _setting(_reader("LOCK_STORE_PREFIX", "nachtlicht"))
    # Where Rasa finds the action server ("": http://<ACTION_HOST>:<ACTION_PORT>/webhook, see
    # action_webhook_url), and the address and port the action server binds to.
    action_endpoint_url: str = _setting(_reader("ACTION_ENDPOINT_URL", "", _http_url))
    action_host: str = _setting(_reader("ACTION_HOST", "127.0.0.1"))
    action_port: int = _setting(_reader("ACTION_PORT", 5055, _port))
    # The address Rasa servers bind to (REST channel + token-protected HTTP API), their ports
    # (started by `python -m bot run`), and where the web app reaches them (default: those).
    rasa_interface: str = _setting(_rasa_interface)
    rasa_ports: tuple = _setting(_rasa_ports)
    rasa_urls: tuple = _setting(_reader(("RASA_URLS", "RASA_URL"), _default_rasa_urls, _http_urls))
    # Token for Rasa's HTTP API (``rasa run --enable-api --auth-token``); random per run if unset.
    rasa_token: str = _setting(_reader("RASA_TOKEN", ""), secret=True)
    # Our speed fixes in the Rasa server (bot/rasa/server.py); off to compare or rule them out.
    rasa_fixes: bool = _setting(_reader("NACHTLICHT_RASA_FIXES", True, _boolean))
    # `python -m bot run`: the model, another endpoints file, where restart counts go (/health).
    model_path: Path = _setting(_reader("NACHTLICHT_MODEL", ROOT / "models" / "nachtlicht.tar.gz", _path))
    rasa_endpoints: str = _setting(_reader("RASA_ENDPOINTS", ""))
    run_status_file: Path = _setting(_reader("RUN_STATUS_FILE", ROOT / "var" / "run-status.json", _path))
    # Given by `python -m bot run` to Rasa and the action server: Sanic's 5 s keep-alive loses
    # requests under load (docs/architecture.md); one TensorFlow thread per Rasa server
    # (docs/performance.md; 0 lets TensorFlow decide).
    sanic_keep_alive_timeout: int = _setting(_reader("SANIC_KEEP_ALIVE_TIMEOUT", 75, _positive))
    tf_intra_op_threads: int = _setting(_reader("TF_INTRA_OP_PARALLELISM_THREADS", 1, _not_negative))
    tf_inter_op_threads: int = _setting(_reader("TF_INTER_OP_PARALLELISM_THREADS", 1, _not_negative))
    web_host: str = _setting(_reader("WEB_HOST", "127.0.0.1"))
    web_port: int = _setting(_reader("WEB_PORT", 8080, _port))
    # Secret for session cookies/CSRF and the action server's webhook token; generated per run
    # by `python -m bot run` when unset (sessions then do not survive a restart).
    secret_key: str = _setting(_reader("SECRET_KEY", ""), secret=True)
    session_minutes: int = _setting(_reader("SESSION_MINUTES", 480, _positive))
    # A console session ends after this many minutes without use (and SESSION_MINUTES after login).
    session_idle_minutes: int = _setting(_reader("SESSION_IDLE_MINUTES", 30, _positive))
    # The address people and counsellors use, e.g. https://nachtlicht.example.nl: with https,
    # cookies are Secure and HSTS is sent (never decided by a client-sent X-Forwarded-Proto).
    public_url: str = _setting(_reader("PUBLIC_URL", "", _http_url))
    # Where the chat page's "Snel weg" button goes ("": a neutral weather search, bot/web/chat/page.py).
    quick_exit_url: str = _setting(_reader("QUICK_EXIT_URL", "", _exit_url))
    timezone: str = _setting(_reader("TIMEZONE", "Europe/Amsterdam", _timezone))
    # Weekly schedule, e.g. "mon-fri 09:00-17:00; sat 10:00-14:00"; closed days as ISO dates.
    office_hours: str = _setting(_reader("OFFICE_HOURS", "mon-fri 09:00-17:00", _schedule))
    closed_days: str = _setting(_reader("CLOSED_DAYS", "", _dates))
    retention_days: int = _setting(_reader("RETENTION_DAYS", 90, _positive))
    # A conversation code stops working this many days after its case was closed (issue 16).
    resume_days_after_close: int = _setting(_reader("RESUME_DAYS_AFTER_CLOSE", 7, _not_negative))
    # Failed resume attempts (wrong codes) allowed per 10 minutes: per network (/24, /48) and in all.
    resume_failures_network: int = _setting(_reader("RESUME_FAILURES_NETWORK", 20, _positive))
    resume_failures_total: int = _setting(_reader("RESUME_FAILURES_TOTAL", 200, _positive))
    max_message_chars: int = _setting(_reader("MAX_MESSAGE_CHARS", 2000, _positive))
    # A message that could not reach Rasa (restart) is answered when Rasa is back, if it is not
    # older than this; otherwise the person is asked to send it again (bot/web/chat/delivery.py).
    pending_max_minutes: int = _setting(_reader("PENDING_MAX_MINUTES", 15, _positive))
    # Chat rate limits (messages per minute): per conversation and per client address.
    chat_rate_conversation: int = _setting(_reader("CHAT_RATE_CONVERSATION", 20, _positive))
    chat_rate_address: int = _setting(_reader("CHAT_RATE_ADDRESS", 60, _positive))
    # Behind a reverse proxy: take the client address from the last X-Forwarded-For entry.
    trust_forwarded_for: bool = _setting(_reader("TRUST_FORWARDED_FOR", False, _boolean))
    log_level: str = _setting(_reader("LOG_LEVEL", "INFO", _one_of(LOG_LEVELS, str.upper)))
    # Texts with several variants are picked at random. With a seed, the same conversation gets
    # the same variants every run (Rasa's responses and actions/responses.yml): for reproducible
    # test runs (the conversation suite sets it). Leave unset in production.
    text_seed: int | None = _setting(_reader("TEXT_SEED", None, _not_negative))

    @property
    def action_webhook_url(self) -> str:
        """The URL Rasa calls: ACTION_ENDPOINT_URL, else the action server of this machine."""
        return self.action_endpoint_url or f"http://{local_address(self.action_host)}:{self.action_port}/webhook"


def get_settings(overrides: Env | None = None) -> Settings:
    """Fresh settings from the current environment (cheap; tests change env vars), with
    ``overrides`` (variable -> value) taking the place of the environment's values. Raises
    SettingsError on the first bad value."""
    if not overrides:
        return Settings()
    env = {**os.environ, **overrides}
    return Settings(**{f.name: f.metadata["read"](env) for f in fields(Settings)})


def child_environment(extra: Mapping[str, str]) -> dict:
    """The environment for a child process (Rasa, the action server, the web app): this
    process's, plus ``extra``, whose values the caller built from Settings (bot/run.py)."""
    return {**os.environ, **{k: str(v) for k, v in extra.items()}}


def take_env(name: str, env: MutableMapping | None = None) -> str:
    """Remove ``name`` from the environment (``env``, default this process's) and return its value
    ("" if unset): for a secret a parent hands over (bot/rasa/server.py's API token), so that this
    process's own children do not inherit it."""
    env = os.environ if env is None else env
    return env.pop(name, None) or ""


def endpoint_env(settings: Settings, action_port: int | None = None) -> dict:
    """The variables endpoints.yml and endpoints.prod.yml read, from the settings (one source).
    ``action_port``: the port of the action server started (default: ACTION_PORT)."""
    from bot.rasa.action_server import action_token
    from bot.storage.db import normalise_url

    if action_port is not None and action_port != settings.action_port:
        settings = replace(settings, action_port=action_port)
    return {
        "ACTION_ENDPOINT_URL": settings.action_webhook_url,
        # Rasa sends it with every action call; bot.rasa.action_server refuses calls without it.
        "ACTION_ENDPOINT_TOKEN": action_token(settings.secret_key),
        "TRACKER_STORE_URL": normalise_url(settings.tracker_store_url),
        "REDIS_HOST": settings.redis_host,
        "REDIS_PORT": str(settings.redis_port),
        "REDIS_DB": str(settings.redis_db),
        "REDIS_PASSWORD": settings.redis_password,
        "LOCK_STORE_PREFIX": settings.lock_store_prefix,
    }


def main(argv: list | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bot.settings",
        description="Check the settings (environment variables); --export prints "
        "shell lines setting what endpoints*.yml read.",
    )
    parser.add_argument(
        "--export", action="store_true", help="print 'export NAME=value' lines for endpoints.yml / endpoints.prod.yml"
    )
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"Settings error: {exc}", file=sys.stderr)
        return 2
    if args.export:
        if not settings.secret_key:
            print("# SECRET_KEY is not set: the action server will refuse every call", file=sys.stderr)
        for name, value in endpoint_env(settings).items():
            print(f"export {name}={shlex.quote(value)}")
    else:
        print("settings OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
