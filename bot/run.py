"""Start the whole Nachtlicht system and stop it cleanly on Ctrl-C.

Profiles:
  embedded (default)  one Rasa server (5005), SQLite tracker store and in-memory lock store
                      (endpoints.yml), our tables in SQLite under var/.
  prod                two Rasa server replicas (5005, 5006) sharing Rasa's SQL tracker store on
                      PostgreSQL and Rasa's Redis lock store (endpoints.prod.yml), our tables on
                      PostgreSQL; the web app spreads conversations over the replicas (RASA_URLS).

Processes: Rasa action server (5055, bound to ACTION_HOST, default 127.0.0.1), Rasa server(s)
with the REST channel and the token-protected HTTP API (bound to RASA_INTERFACE, default
127.0.0.1), and our web app (8080). ``--only`` starts a subset (one kind of machine in a
multi-machine setup). If one process dies it is started again after 1, 2, 4 ... 60 s while the
others keep running (``Supervisor``); a process that keeps crashing is reported at every try.
var/run-status.json holds the restart counts that the web app's /health shows.

Every setting comes from bot/settings.py (README, table "Settings"); a bad value stops the start
at once with its name. The children get this process's environment plus what this run decided
(profile, SECRET_KEY, RASA_TOKEN, RASA_URLS) and the variables endpoints*.yml read, all built
from the settings (``children_env``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Callable, NamedTuple

from bot.rasa.server import TOKEN_ENV
from bot.settings import ROOT, Settings, SettingsError, child_environment, endpoint_env, get_settings, local_address

KINDS = ("actions", "rasa", "web")
# The endpoints file of each profile. Every other difference between the profiles (database URLs,
# Rasa ports) is a default in bot/settings.py, chosen by NACHTLICHT_PROFILE.
PROFILES = {"embedded": {"endpoints": "endpoints.yml"}, "prod": {"endpoints": "endpoints.prod.yml"}}


def __getattr__(name: str):
    """``MODEL`` and ``STATUS_FILE`` (NACHTLICHT_MODEL, RUN_STATUS_FILE) as they are now: read from
    the settings when asked for, not at import (bot/web/app.py's /health imports STATUS_FILE)."""
    if name == "MODEL":
        return get_settings().model_path
    if name == "STATUS_FILE":
        return get_settings().run_status_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Sanic (Rasa and the action server) closes a connection on which nothing arrived for
# KEEP_ALIVE_TIMEOUT seconds (default 5), a fresh one too. Under load a client's event loop (Rasa
# calling the action server; our web app calling Rasa) can be busy that long between connecting
# and sending, and the request then fails ("Cannot write to closing transport": a lost bot turn,
# seen in tests/prod). SANIC_KEEP_ALIVE_TIMEOUT (default 75 s) is longer than aiohttp's
# client-side keep-alive (15 s), so clients close idle connections first.
def sanic_env(settings: Settings) -> dict:
    return {"SANIC_KEEP_ALIVE_TIMEOUT": str(settings.sanic_keep_alive_timeout)}


# One TensorFlow thread per Rasa server: its models are small and see one message at a time,
# so a second thread only adds hand-over costs (about 10 % faster per message with one, and
# replicas then do not fight over the cores; docs/performance.md). Overridable (settings).
def rasa_tf_env(settings: Settings) -> dict:
    return {
        "TF_INTRA_OP_PARALLELISM_THREADS": str(settings.tf_intra_op_threads),
        "TF_INTER_OP_PARALLELISM_THREADS": str(settings.tf_inter_op_threads),
    }


class Service(NamedTuple):
    kind: str  # actions | rasa | web; services of the same kind start together
    name: str  # unique: actions, rasa (or rasa1, rasa2, ...), web
    argv: list
    health: str
    env: dict  # extra environment for this process


def wait_http(url: str, seconds: float, procs: list) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if any(p.poll() is not None for _, p in procs):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


_local = local_address  # the address to reach a server bound to a host from this machine


def rasa_names(count: int) -> list:
    return ["rasa"] if count == 1 else [f"rasa{i}" for i in range(1, count + 1)]


def commands(
    rasa_ports: int | list,
    action_port: int,
    endpoints: str,
    token: str,
    web_port: int = 8080,
    settings: Settings | None = None,
) -> list:
    """The services (in start order): action server, Rasa server replica(s), web app."""
    settings = settings or get_settings()
    ports = [rasa_ports] if isinstance(rasa_ports, int) else list(rasa_ports)
    py = sys.executable
    # bot.rasa.action_server = rasa_sdk's server with a webhook token (from SECRET_KEY) and no CORS,
    # bound to ACTION_HOST (rasa_sdk's own `python -m rasa_sdk` has no host option).
    services = [
        Service(
            "actions",
            "actions",
            [py, "-m", "bot.rasa.action_server", "--host", settings.action_host, "--port", str(action_port)],
            f"http://{_local(settings.action_host)}:{action_port}/health",
            sanic_env(settings),
        )
    ]
    for name, port in zip(rasa_names(len(ports)), ports):
        services.append(
            Service(
                "rasa",
                name,
                # bot.rasa.server = `python -m rasa` plus our speed fixes (docs/performance.md)
                # The API token goes by environment, not on the command line: /proc/<pid>/cmdline is
                # readable by every local user, /proc/<pid>/environ only by the owner (bot.rasa.server).
                [
                    py,
                    "-m",
                    "bot.rasa.server",
                    "run",
                    "--model",
                    str(settings.model_path),
                    "--endpoints",
                    endpoints,
                    "--credentials",
                    "credentials.yml",
                    "--enable-api",
                    "--interface",
                    settings.rasa_interface,
                    "--port",
                    str(port),
                ],
                f"http://{_local(settings.rasa_interface)}:{port}/",
                dict(sanic_env(settings), **{TOKEN_ENV: token}, **rasa_tf_env(settings)),
            )
        )
    services.append(
        Service(
            "web",
            "web",
            [py, "-m", "bot.web.app"],
            f"http://{_local(settings.web_host)}:{web_port}/health",
            {"WEB_PORT": str(web_port)},
        )
    )
    return services


def start_services(
    services: list, spawn: Callable[[Service], subprocess.Popen], procs: dict, seconds: float = 180
) -> str | None:
    """Start the services in order; consecutive services of one kind (the Rasa replicas) start
    together. Each group must answer on its health URL before the next starts. ``procs`` gets
    name -> Popen. Returns the name of a service that did not come up (or exited), else None."""
    i = 0
    while i < len(services):
        j = i
        while j < len(services) and services[j].kind == services[i].kind:
            j += 1
        for service in services[i:j]:
            procs[service.name] = spawn(service)
        for service in services[i:j]:
            if not wait_http(service.health, seconds, list(procs.items())):
                return service.name
        i = j
    return None


class Supervisor:
    """Keeps the children running (issue 17): a child that exits is started again after 1, 2,
    4 ... seconds (at most ``cap``), the others keep running; a child that keeps crashing is
    reported loudly at every try and retried at the capped interval, never given up. A child
    that ran ``stable`` seconds starts again from the shortest delay. The restart counts are
    written to ``status_file`` (JSON) for the web app's /health."""

    def __init__(
        self,
        services: list,
        spawn: Callable[[Service], subprocess.Popen],
        procs: dict,
        status_file: Path | None = None,
        cap: float = 60.0,
        stable: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] | None = None,
    ):
        self.services, self.spawn, self.procs = services, spawn, procs
        self.status_file, self.cap, self.stable, self.clock = status_file, cap, stable, clock
        self.log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        now = clock()
        self.started = {s.name: now for s in services}
        self.failures = {s.name: 0 for s in services}
        self.restarts = {s.name: 0 for s in services}
        self.retry_at: dict = {}
        self.write_status()

    def check(self) -> None:
        """One round: notice exits, start what is due. Call about once a second."""
        now = self.clock()
        for service in self.services:
            name = service.name
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                if self.failures[name] and now - self.started[name] >= self.stable:
                    self.failures[name] = 0
                continue
            if name not in self.retry_at:
                self.failures[name] += 1
                delay = min(2.0 ** (self.failures[name] - 1), self.cap)
                code = proc.returncode if proc is not None else "?"
                loud = " -- KEEPS CRASHING, check its log" if self.failures[name] >= 5 else ""
                self.log(
                    f"[run] {name} exited with code {code}; starting it again in {delay:g}s "
                    f"(failure {self.failures[name]} in a row){loud}"
                )
                self.retry_at[name] = now + delay
                self.write_status()
            elif now >= self.retry_at[name]:
                del self.retry_at[name]
                self.procs[name] = self.spawn(service)
                self.started[name] = now
                self.restarts[name] += 1
                self.write_status()

    def status(self) -> dict:
        out = {}
        for name in self.restarts:
            proc = self.procs.get(name)
            running = name not in self.retry_at and proc is not None and proc.poll() is None
            out[name] = {"running": running, "restarts": self.restarts[name], "failures_in_a_row": self.failures[name]}
            if running and getattr(proc, "pid", None):
                out[name]["pid"] = proc.pid
        return out

    def write_status(self) -> None:
        if self.status_file is None:
            return
        try:
            tmp = self.status_file.with_suffix(".tmp")
            tmp.write_text(json.dumps({"updated": time.time(), "services": self.status()}), encoding="utf-8")
            tmp.replace(self.status_file)
        except OSError:
            pass  # the status file is informative; never a reason to stop supervising


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params = dict(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        connect_timeout=5,
    )
    try:
        psycopg2.connect(dbname=parsed.database, **params).close()
        return
    except psycopg2.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed.database)))
    except psycopg2.errors.DuplicateDatabase:
        pass  # created by someone else in the meantime
    finally:
        admin.close()
    print(f"[run] created PostgreSQL database {parsed.database!r}", flush=True)


def check_prod(settings: Settings, redis_needed: bool = True) -> list:
    """Problems that keep the production profile from starting (empty list: fine). Creates
    missing PostgreSQL databases and pings Redis (needed by the Rasa servers only)."""
    from bot.storage.db import normalise_url

    problems = []
    for name, url in (("DATABASE_URL", settings.database_url), ("TRACKER_STORE_URL", settings.tracker_store_url)):
        url = normalise_url(url)
        if not url.startswith("postgresql"):
            problems.append(f"{name} must be a postgresql:// URL in the prod profile (is {url.split(':')[0]})")
            continue
        try:
            ensure_pg_database(url)
        except Exception as exc:
            problems.append(f"{name}: PostgreSQL not usable ({exc.__class__.__name__}: {str(exc).strip()[:200]})")
    if not settings.lock_store_prefix.isalnum():
        problems.append("LOCK_STORE_PREFIX must consist of letters and digits only")
    if not redis_needed:
        return problems
    try:
        import redis

        redis.Redis(
            host=settings.redis_host,
            port=settings.redis_port,
            db=settings.redis_db,
            password=settings.redis_password or None,
            socket_timeout=3,
        ).ping()
    except Exception as exc:
        problems.append(
            f"Redis at {settings.redis_host}:{settings.redis_port} not usable "
            f"({exc.__class__.__name__}: {str(exc).strip()[:200]})"
        )
    return problems


def run_settings(profile: str | None = None) -> Settings:
    """The settings of this run: the environment's, for ``profile`` (default: NACHTLICHT_PROFILE),
    with a SECRET_KEY and a RASA_TOKEN made up when unset (all children must share them; the
    action server's webhook token is derived from SECRET_KEY). Raises SettingsError."""
    settings = get_settings({"NACHTLICHT_PROFILE": profile} if profile else None)
    return replace(
        settings,
        secret_key=settings.secret_key or secrets.token_urlsafe(32),
        rasa_token=settings.rasa_token or secrets.token_urlsafe(24),
    )


def children_env(settings: Settings) -> dict:
    """What the children get on top of this process's environment, all from ``settings``: what this
    run decided (profile, secret, token, the replicas), so that every child reads the same
    settings, and the variables endpoints.yml / endpoints.prod.yml read."""
    return {
        "NACHTLICHT_PROFILE": settings.run_profile,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "RASA_TOKEN": settings.rasa_token,
        "RASA_URLS": ",".join(settings.rasa_urls),
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        **endpoint_env(settings),
    }


def main(argv: list | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    only = [k.strip() for k in args.only.split(",") if k.strip()]
    if not only or set(only) - set(KINDS):
        parser.error("--only takes a comma-separated subset of " + ",".join(KINDS))
    try:
        settings = run_settings(args.profile)
    except SettingsError as exc:  # a bad value stops the start at once, with its name
        print(f"[run] cannot start: {exc}", file=sys.stderr)
        return 2
    endpoints = args.endpoints or settings.rasa_endpoints or PROFILES[settings.run_profile]["endpoints"]
    code = _prepare(settings, only)
    if code:
        return code
    env = child_environment(children_env(settings))
    services = [
        s
        for s in commands(
            list(settings.rasa_ports), settings.action_port, endpoints, settings.rasa_token, settings.web_port, settings
        )
        if s.kind in only
    ]
    return _run(services, env, settings, endpoints, only)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=None,
        help="embedded or prod (default: $NACHTLICHT_PROFILE, else embedded)",
    )
    parser.add_argument(
        "--endpoints",
        default=None,
        help="Rasa endpoints file (default: $RASA_ENDPOINTS, else endpoints.yml, or "
        "endpoints.prod.yml for --profile prod)",
    )
    parser.add_argument(
        "--only", default=",".join(KINDS), help="comma-separated subset of actions,rasa,web to start (default: all)"
    )
    return parser


def _prepare(settings: Settings, only: list) -> int:
    """Checks and preparations before anything starts: 0, or the exit code when it cannot start."""
    if "rasa" in only and not settings.model_path.exists():
        print(f"No trained model at {settings.model_path}. Run 'make train' first.", file=sys.stderr)
        return 1
    # Everything this process and its children create (databases, logs, Rasa's tracker store)
    # is readable by this user only; var/ holds every transcript.
    os.umask(0o077)
    (ROOT / "var").mkdir(mode=0o700, exist_ok=True)
    (ROOT / "var").chmod(0o700)  # also when an older run created it 0755
    if settings.run_profile == "prod":
        problems = check_prod(settings, redis_needed="rasa" in only)
        if problems:
            print("[run] the prod profile cannot start:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
    return 0


def _run(services: list, env: dict, settings: Settings, endpoints: str, only: list) -> int:
    """Start the services, keep them running, and stop them all on Ctrl-C or SIGTERM."""
    procs: dict = {}
    spawn = _spawner(env)
    signal.signal(signal.SIGTERM, _on_term)
    # A shell starting us in the background (`... &`, nohup) sets SIGINT to "ignore", and Python
    # keeps that: Ctrl-C / kill -INT would then leave every process running.
    signal.signal(signal.SIGINT, _on_term)
    try:
        failed = start_services(services, spawn, procs)
        if failed:
            print(f"[run] {failed} did not come up; stopping. See its output above.", file=sys.stderr)
            _stop_all(procs)
            return 1
        _print_up(services, settings.run_profile, endpoints, env, only)
        supervisor = Supervisor(services, spawn, procs, status_file=settings.run_status_file)
        while True:  # a crash of one child never stops the others (issue 17)
            supervisor.check()
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\n[run] stopping ...", flush=True)
        _stop_all(procs)
        return 0


def _spawner(env: dict) -> Callable[[Service], subprocess.Popen]:
    def spawn(service: Service) -> subprocess.Popen:
        print(f"[run] starting {service.name} ...", flush=True)
        return subprocess.Popen(service.argv, cwd=ROOT, env=dict(env, **service.env))

    return spawn


def _on_term(*_: object) -> None:
    raise KeyboardInterrupt


def _stop_all(procs: dict) -> None:
    """SIGTERM to every child still running (the last started first), then wait for them
    (at most 15 s each, then kill)."""
    for proc in reversed(list(procs.values())):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("Nachtlicht stopped.", flush=True)


def _print_up(services: list, profile: str, endpoints: str, env: dict, only: list) -> None:
    """Where each service answers."""
    where = {"actions": "/webhook", "rasa": "webhooks/rest/webhook", "web": "/ (chat), /console/"}
    lines = [
        f"  {s.name:<8} {s.health.rsplit('/', 1)[0] if s.kind != 'rasa' else s.health}{where[s.kind]}" for s in services
    ]
    print(
        f"\n[run] Nachtlicht is up (profile {profile}, endpoints {endpoints}):\n"
        + "\n".join(lines)
        + (f"\n  the web app spreads conversations over {env['RASA_URLS']}" if "web" in only else "")
        + "\nPress Ctrl-C to stop.",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
