"""Shared pytest fixtures.

``live_stack``: the real system (action server, Rasa server with the trained model, our web
app) on free ports, with its own SQLite databases in a temporary folder. Used by the
end-to-end and browser tests; started once per test session, only when a test asks for it.
``start_stack(..., profile="prod", replicas=2)`` starts the production profile instead
(endpoints.prod.yml: PostgreSQL tracker store, Redis lock store; tests/prod).

``pg_databases``: a factory of throw-away PostgreSQL databases (dropped at the end of the
session); ``redis_lock_env``: Rasa lock-store settings on a test Redis database with a key
prefix of its own. Without a reachable server these skip, except with CI=true, where they fail.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "nachtlicht.tar.gz"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("DATABASE_URL_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_TEST_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/13")


def unavailable(message: str, hint: str) -> None:
    """Skip locally; fail with CI=true (CI must never pass without running the test)."""
    if IN_CI:
        pytest.fail(f"{message} -- CI=true requires these tests to run.", pytrace=False)
    pytest.skip(f"{message}; {hint}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@dataclass
class LiveStack:
    web_url: str
    rasa_urls: list
    action_url: str
    database_url: str
    tracker_url: str
    rasa_token: str
    env: dict
    logdir: Path
    services: dict = field(default_factory=dict)  # name -> bot.run.Service
    procs: dict = field(default_factory=dict)  # name -> Popen

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run ``python -m bot ARGS`` against this stack's databases."""
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def create_counsellor(self, name: str, password: str) -> str:
        """Create a counsellor account; returns a fresh API token for it."""
        added = self.cli("users", "add", name, input=password + "\n")
        assert added.returncode == 0, added.stderr
        issued = self.cli("users", "token", name)
        assert issued.returncode == 0, issued.stderr
        return issued.stdout.strip().splitlines()[-1].strip()

    def spawn(self, service) -> subprocess.Popen:
        log = open(self.logdir / f"{service.name}.log", "ab")
        try:
            return subprocess.Popen(
                service.argv, cwd=ROOT, env=dict(self.env, **service.env), stdout=log, stderr=subprocess.STDOUT
            )
        finally:
            log.close()

    def start(self, *names: str, seconds: float = 240) -> None:
        """(Re)start services by name (together) and wait until they answer."""
        from bot.run import start_services

        group = [self.services[n] for n in names]
        failed = start_services(group, self.spawn, self.procs, seconds)
        if failed:
            raise RuntimeError(
                f"{failed} did not answer on {self.services[failed].health} (or exited):\n" + self.logs(failed)[-3000:]
            )

    def stop(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def kill(self, name: str) -> None:
        """``kill -9``: no shutdown handlers, no flushing."""
        proc = self.procs[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop(name)

    def logs(self, name: str) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_stack(
    tmp: Path,
    database_url: str | None = None,
    extra_env: dict | None = None,
    profile: str = "embedded",
    replicas: int = 1,
) -> LiveStack:
    """Start the system with ``bot.run``'s service definitions on free ports (see module doc)."""
    from bot.run import check_prod, commands, start_services
    from bot.settings import endpoint_env, get_settings

    if not MODEL.exists():
        raise RuntimeError(f"No trained model at {MODEL}; run 'make train' first.")
    rasa_ports = [free_port() for _ in range(replicas)]
    action_port, web_port = free_port(), free_port()
    database_url = database_url or f"sqlite:///{tmp / 'nachtlicht.db'}"
    rasa_urls = [f"http://127.0.0.1:{p}" for p in rasa_ports]
    token = secrets.token_urlsafe(16)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        TF_CPP_MIN_LOG_LEVEL="3",
        DATABASE_URL=database_url,
        TRACKER_STORE_URL=f"sqlite:///{tmp / 'rasa_tracker.db'}",
        RASA_URL=rasa_urls[0],
        RASA_URLS=",".join(rasa_urls),
        ACTION_ENDPOINT_URL="",
        ACTION_HOST="127.0.0.1",
        ACTION_PORT=str(action_port),
        RASA_INTERFACE="127.0.0.1",
        RASA_TOKEN=token,
        WEB_PORT=str(web_port),
        WEB_HOST="127.0.0.1",
        SECRET_KEY=secrets.token_urlsafe(32),
    )
    env.update(extra_env or {})
    with pytest.MonkeyPatch.context() as mp:  # the settings the processes will see
        for key, value in env.items():
            mp.setenv(key, value)
        settings = get_settings()
    env.update(endpoint_env(settings))  # what endpoints.yml / endpoints.prod.yml read, from the settings
    endpoints = str(ROOT / ("endpoints.prod.yml" if profile == "prod" else "endpoints.yml"))
    if profile == "prod":
        problems = check_prod(settings)
        if problems:
            raise RuntimeError("prod profile cannot start: " + "; ".join(problems))
    stack = LiveStack(
        web_url=f"http://127.0.0.1:{web_port}",
        rasa_urls=rasa_urls,
        action_url=f"http://127.0.0.1:{action_port}",
        database_url=database_url,
        tracker_url=env["TRACKER_STORE_URL"],
        rasa_token=token,
        env=env,
        logdir=tmp,
    )
    services = commands(rasa_ports, action_port, endpoints, token, web_port, settings)
    stack.services = {s.name: s for s in services}
    try:
        failed = start_services(services, stack.spawn, stack.procs, 240)
        if failed:
            raise RuntimeError(f"{failed} did not answer on {stack.services[failed].health} (or exited) within 240s")
    except Exception as exc:
        stack.stop_all()
        logs = "\n".join(f"--- {n} ---\n{stack.logs(n)[-3000:]}" for n in stack.procs)
        raise RuntimeError(f"live stack failed to start ({exc}):\n{logs}") from exc
    return stack


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> LiveStack:
    stack = start_stack(tmp_path_factory.mktemp("stack"))
    yield stack
    stack.stop_all()


@pytest.fixture(scope="session")
def conversation_stack(tmp_path_factory) -> LiveStack:
    """A live stack for the conversation suite (tests/conversations): chat rate limits raised,
    because the suite sends hundreds of messages from one address; a counsellor ``suite`` with
    its API token in ``stack.token``."""
    stack = start_stack(
        tmp_path_factory.mktemp("conversations"),
        # TEXT_SEED: the same variants every run, so a failure is the same failure in CI and here
        extra_env={"CHAT_RATE_ADDRESS": "100000", "CHAT_RATE_CONVERSATION": "100000", "TEXT_SEED": "1"},
    )
    try:
        stack.token = stack.create_counsellor("suite", "zeven-blauwe-vogels-op-een-dak")
        yield stack
    finally:  # also when the account cannot be made: no processes left behind
        stack.stop_all()


@pytest.fixture(scope="session")
def pg_databases():
    """``pg_databases(prefix)`` -> URL of a new, empty PostgreSQL database ``<prefix>_<random>``,
    created from DATABASE_URL_PG (default postgresql://postgres@127.0.0.1:5432/test) and dropped
    at the end of the session."""
    state: dict = {"admin": None, "names": []}

    def create(prefix: str = "nachtlicht_test") -> str:
        if state["admin"] is None:
            try:
                import psycopg2

                state["admin"] = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
            except Exception as exc:
                unavailable(
                    f"PostgreSQL not reachable at {PG_ADMIN_URL} ({exc.__class__.__name__}: {str(exc).strip()[:200]})",
                    "set DATABASE_URL_PG or start PostgreSQL to run these tests",
                )
            state["admin"].autocommit = True
        name = f"{prefix}_{secrets.token_hex(4)}"
        with state["admin"].cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        state["names"].append(name)
        return with_database(PG_ADMIN_URL, name)

    yield create
    if state["admin"] is not None:
        from bot.storage.db import dispose_all

        dispose_all()
        with state["admin"].cursor() as cur:
            for name in state["names"]:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        state["admin"].close()


@pytest.fixture(scope="session")
def redis_lock_env():
    """Environment for Rasa's Redis lock store in tests (endpoints.prod.yml): the database of
    REDIS_URL_TEST (default redis://127.0.0.1:6379/13) and a key prefix of this session, whose
    keys are deleted at the end."""
    import redis

    parts = urlsplit(REDIS_TEST_URL)
    db = int((parts.path or "/13").strip("/") or 13)
    client = redis.Redis(
        host=parts.hostname or "127.0.0.1", port=parts.port or 6379, db=db, password=parts.password, socket_timeout=3
    )
    try:
        client.ping()
    except Exception as exc:
        unavailable(
            f"Redis not reachable at {REDIS_TEST_URL} ({exc.__class__.__name__}: {exc})",
            "set REDIS_URL_TEST or start Redis to run these tests",
        )
    finally:
        client.close()  # no idle connection of ours while the tests look at Redis's clients
    prefix = "nltest" + secrets.token_hex(4)
    yield {
        "REDIS_HOST": parts.hostname or "127.0.0.1",
        "REDIS_PORT": str(parts.port or 6379),
        "REDIS_DB": str(db),
        "REDIS_PASSWORD": parts.password or "",
        "LOCK_STORE_PREFIX": prefix,
    }
    for key in client.scan_iter(match=prefix + ":*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def prod_stack(tmp_path_factory, pg_databases, redis_lock_env) -> LiveStack:
    """The production profile, once per test module: endpoints.prod.yml with Rasa's SQL tracker
    store on a throw-away PostgreSQL database, Rasa's Redis lock store (test database, own key
    prefix), two Rasa replicas, the action server and the web app with our tables on another
    throw-away PostgreSQL database. Chat rate limits are set high (load test from one address)."""
    env = dict(
        redis_lock_env,
        TRACKER_STORE_URL=pg_databases("nachtlicht_prod_tracker"),
        CHAT_RATE_CONVERSATION="100000",
        CHAT_RATE_ADDRESS="100000",
    )
    stack = start_stack(
        tmp_path_factory.mktemp("prod"),
        database_url=pg_databases("nachtlicht_prod"),
        extra_env=env,
        profile="prod",
        replicas=2,
    )
    yield stack
    stack.stop_all()
