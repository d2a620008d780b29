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
from pathlib import Path
from typing import Callable, NamedTuple

from bot.rasa_server import TOKEN_ENV
from bot.settings import ROOT, Settings, get_settings

# NACHTLICHT_MODEL: another model file (bench/run_bench.py starts a stack with a baseline model).
MODEL = Path(os.environ.get("NACHTLICHT_MODEL") or ROOT / "models" / "nachtlicht.tar.gz")
KINDS = ("actions", "rasa", "web")
PROFILES = {
    "embedded": {"endpoints": "endpoints.yml", "rasa_ports": "5005", "defaults": {}},
    "prod": {
        "endpoints": "endpoints.prod.yml",
        "rasa_ports": "5005,5006",
        # Used only when the variable is unset: a PostgreSQL and a Redis on this machine.
        "defaults": {
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/nachtlicht",
            "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:5432/nachtlicht_tracker",
        },
    },
}


# Sanic (Rasa and the action server) closes a connection on which nothing arrived for
# KEEP_ALIVE_TIMEOUT seconds (default 5), a fresh one too. Under load a client's event loop (Rasa
# calling the action server; our web app calling Rasa) can be busy that long between connecting
# and sending, and the request then fails ("Cannot write to closing transport": a lost bot turn,
# seen in tests/prod). Longer than aiohttp's client-side keep-alive (15 s), so clients close idle
# connections first.
SANIC_ENV = {"SANIC_KEEP_ALIVE_TIMEOUT": "75"}
# One TensorFlow thread per Rasa server: its models are small and see one message at a time,
# so a second thread only adds hand-over costs (about 10 % faster per message with one, and
# replicas then do not fight over the cores; docs/performance.md). Overridable.
RASA_TF_ENV = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}


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


def _local(host: str) -> str:
    """The address to reach a server bound to ``host`` from this machine."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def rasa_names(count: int) -> list:
    return ["rasa"] if count == 1 else [f"rasa{i}" for i in range(1, count + 1)]


# Restart counts for /health (bot/web/app.py); RUN_STATUS_FILE moves it (tests, several runs).
STATUS_FILE = Path(os.environ.get("RUN_STATUS_FILE") or ROOT / "var" / "run-status.json")


def commands(rasa_ports: int | list, action_port: int, endpoints: str, token: str, web_port: int = 8080,
             settings: Settings | None = None) -> list:
    """The services (in start order): action server, Rasa server replica(s), web app."""
    settings = settings or get_settings()
    ports = [rasa_ports] if isinstance(rasa_ports, int) else list(rasa_ports)
    py = sys.executable
    # rasa_sdk 3.6 has no --host option; its `run()` binds to $SANIC_HOST (default 0.0.0.0).
    # bot.action_server = rasa_sdk's server with a webhook token (from SECRET_KEY) and no CORS.
    services = [Service("actions", "actions", [py, "-m", "bot.action_server", "--port", str(action_port)],
                        f"http://{_local(settings.action_host)}:{action_port}/health",
                        dict(SANIC_ENV, SANIC_HOST=settings.action_host))]
    for name, port in zip(rasa_names(len(ports)), ports):
        services.append(Service(
            "rasa", name,
            # bot.rasa_server = `python -m rasa` plus our speed fixes (docs/performance.md)
            # The API token goes by environment, not on the command line: /proc/<pid>/cmdline is
            # readable by every local user, /proc/<pid>/environ only by the owner (bot.rasa_server).
            [py, "-m", "bot.rasa_server", "run", "--model", str(MODEL), "--endpoints", endpoints,
             "--credentials", "credentials.yml", "--enable-api",
             "--interface", settings.rasa_interface, "--port", str(port)],
            f"http://{_local(settings.rasa_interface)}:{port}/",
            dict(SANIC_ENV, **{TOKEN_ENV: token}, **{k: os.environ.get(k, v) for k, v in RASA_TF_ENV.items()})))
    services.append(Service("web", "web", [py, "-m", "bot.web.app"],
                            f"http://{_local(settings.web_host)}:{web_port}/health", {}))
    return services


def start_services(services: list, spawn: Callable[[Service], subprocess.Popen], procs: dict,
                   seconds: float = 180) -> str | None:
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

    def __init__(self, services: list, spawn: Callable[[Service], subprocess.Popen], procs: dict,
                 status_file: Path | None = None, cap: float = 60.0, stable: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, log: Callable[[str], None] | None = None):
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
                self.log(f"[run] {name} exited with code {code}; starting it again in {delay:g}s "
                         f"(failure {self.failures[name]} in a row){loud}")
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
            out[name] = {"running": running, "restarts": self.restarts[name],
                         "failures_in_a_row": self.failures[name]}
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


def rasa_ports(profile: str) -> list:
    raw = os.environ.get("RASA_PORTS") or os.environ.get("RASA_PORT") or PROFILES[profile]["rasa_ports"]
    return [int(p) for p in raw.split(",") if p.strip()]


def endpoint_env(settings: Settings, action_port: int) -> dict:
    """The variables endpoints*.yml read, from the settings (one source of truth)."""
    from bot.action_server import action_token
    from bot.db import normalise_url

    return {
        "ACTION_ENDPOINT_URL": settings.action_endpoint_url or f"http://{_local(settings.action_host)}:{action_port}/webhook",
        # Rasa sends it with every action call; bot.action_server refuses calls without it.
        "ACTION_ENDPOINT_TOKEN": action_token(settings.secret_key),
        "TRACKER_STORE_URL": normalise_url(settings.tracker_store_url),
        "REDIS_HOST": settings.redis_host, "REDIS_PORT": str(settings.redis_port), "REDIS_DB": str(settings.redis_db),
        "REDIS_PASSWORD": settings.redis_password, "LOCK_STORE_PREFIX": settings.lock_store_prefix,
    }


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params = dict(host=parsed.host or "127.0.0.1", port=parsed.port or 5432, user=parsed.username,
                  password=parsed.password, connect_timeout=5)
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
    from bot.db import normalise_url

    problems = []
    for name, url in (("DATABASE_URL", settings.database_url), ("TRACKER_STORE_URL", settings.tracker_store_url)):
        url = normalise_url(url)
        if not url.startswith("postgresql"):
            problems.append(f"{name} must be a postgresql:// URL in the prod profile (is {url.split(':')[0]})")
            continue
        try:
            ensure_pg_database(url)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            problems.append(f"{name}: PostgreSQL not usable ({exc.__class__.__name__}: {str(exc).strip()[:200]})")
    if not settings.lock_store_prefix.isalnum():
        problems.append("LOCK_STORE_PREFIX must consist of letters and digits only")
    if not redis_needed:
        return problems
    try:
        import redis

        redis.Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db,
                    password=settings.redis_password or None, socket_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        problems.append(f"Redis at {settings.redis_host}:{settings.redis_port} not usable "
                        f"({exc.__class__.__name__}: {str(exc).strip()[:200]})")
    return problems


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=sorted(PROFILES), default=os.environ.get("NACHTLICHT_PROFILE", "embedded"))
    parser.add_argument("--endpoints", default=os.environ.get("RASA_ENDPOINTS"),
                        help="Rasa endpoints file (default: endpoints.yml, or endpoints.prod.yml for --profile prod)")
    parser.add_argument("--only", default=",".join(KINDS),
                        help="comma-separated subset of actions,rasa,web to start (default: all)")
    args = parser.parse_args(argv)
    only = [k.strip() for k in args.only.split(",") if k.strip()]
    if not only or set(only) - set(KINDS):
        parser.error("--only takes a comma-separated subset of " + ",".join(KINDS))
    profile = PROFILES[args.profile]
    endpoints = args.endpoints or profile["endpoints"]
    if "rasa" in only and not MODEL.exists():
        print(f"No trained model at {MODEL}. Run 'make train' first.", file=sys.stderr)
        return 1
    for key, value in profile["defaults"].items():
        if not os.environ.get(key):
            os.environ[key] = value
    os.environ["RUN_PROFILE"] = args.profile  # the web app's /health checks Redis in prod
    if not os.environ.get("SECRET_KEY"):  # one per run: the children must share it (action server token)
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(32)
    settings = get_settings()
    # Everything this process and its children create (databases, logs, Rasa's tracker store)
    # is readable by this user only; var/ holds every transcript.
    os.umask(0o077)
    (ROOT / "var").mkdir(mode=0o700, exist_ok=True)
    (ROOT / "var").chmod(0o700)  # also when an older run created it 0755
    if args.profile == "prod":
        problems = check_prod(settings, redis_needed="rasa" in only)
        if problems:
            print("[run] the prod profile cannot start:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
    token = settings.rasa_token or secrets.token_urlsafe(24)
    ports = rasa_ports(args.profile)
    action_port = settings.action_port
    rasa_urls = ",".join(f"http://{_local(settings.rasa_interface)}:{p}" for p in ports)
    env = dict(os.environ, RASA_TOKEN=token, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3",
               RASA_URLS=os.environ.get("RASA_URLS") or os.environ.get("RASA_URL") or rasa_urls,
               SECRET_KEY=settings.secret_key, **endpoint_env(settings, action_port))
    services = [s for s in commands(ports, action_port, endpoints, token, settings.web_port, settings) if s.kind in only]
    procs: dict = {}

    def stop_all(*_: object) -> None:
        for name, proc in reversed(list(procs.items())):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in procs.items():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        print("Nachtlicht stopped.", flush=True)

    def on_term(*_: object) -> None:
        raise KeyboardInterrupt

    def spawn(service: Service) -> subprocess.Popen:
        print(f"[run] starting {service.name} ...", flush=True)
        return subprocess.Popen(service.argv, cwd=ROOT, env=dict(env, **service.env))

    signal.signal(signal.SIGTERM, on_term)
    # A shell starting us in the background (`... &`, nohup) sets SIGINT to "ignore", and Python
    # keeps that: Ctrl-C / kill -INT would then leave every process running.
    signal.signal(signal.SIGINT, on_term)
    try:
        failed = start_services(services, spawn, procs)
        if failed:
            print(f"[run] {failed} did not come up; stopping. See its output above.", file=sys.stderr)
            stop_all()
            return 1
        where = {"actions": "/webhook", "rasa": "webhooks/rest/webhook", "web": "/ (chat), /console/"}
        lines = [f"  {s.name:<8} {s.health.rsplit('/', 1)[0] if s.kind != 'rasa' else s.health}{where[s.kind]}"
                 for s in services]
        print(f"\n[run] Nachtlicht is up (profile {args.profile}, endpoints {endpoints}):\n" + "\n".join(lines)
              + (f"\n  the web app spreads conversations over {env['RASA_URLS']}" if "web" in only else "")
              + "\nPress Ctrl-C to stop.", flush=True)
        supervisor = Supervisor(services, spawn, procs, status_file=STATUS_FILE)
        while True:  # a crash of one child never stops the others (issue 17)
            supervisor.check()
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\n[run] stopping ...", flush=True)
        stop_all()
        return 0


if __name__ == "__main__":
    sys.exit(main())
