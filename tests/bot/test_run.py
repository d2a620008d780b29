"""``python -m bot run``: the service definitions, the start order, the prod profile's checks.
(The processes themselves are started by tests/e2e, tests/browser and tests/prod.)"""

from __future__ import annotations

import re
import socket
import sys

import pytest

from bot.rasa.server import TOKEN_ENV, with_token
from bot.run import Service, check_prod, commands, endpoint_env, main, start_services
from bot.settings import ROOT, get_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_commands_bind_loopback_and_protect_rasas_api(monkeypatch):
    monkeypatch.delenv("RASA_INTERFACE", raising=False)
    monkeypatch.delenv("ACTION_HOST", raising=False)
    services = commands([5005, 5006], 5055, "endpoints.prod.yml", "tok", 8080, get_settings())
    assert [s.name for s in services] == ["actions", "rasa1", "rasa2", "web"]
    actions = services[0].argv
    assert actions[actions.index("--host") + 1] == "127.0.0.1"  # bot.rasa.action_server binds to ACTION_HOST
    for service in services[:3]:  # Sanic must not drop connections of clients busy under load
        assert int(service.env["SANIC_KEEP_ALIVE_TIMEOUT"]) > 15
    for rasa, port in zip(services[1:3], ("5005", "5006")):
        argv = rasa.argv
        assert argv[argv.index("--interface") + 1] == "127.0.0.1" and argv[argv.index("--port") + 1] == port
        assert "--enable-api" in argv and not any("tok" in a for a in argv)  # not in /proc/<pid>/cmdline
        assert rasa.env[TOKEN_ENV] == "tok"
        assert argv[argv.index("--endpoints") + 1] == "endpoints.prod.yml"
    assert [s.name for s in commands(5005, 5055, "endpoints.yml", "t")] == ["actions", "rasa", "web"]


def test_endpoint_env_comes_from_the_settings(monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", "postgres://u:p@db:5432/tracker")
    monkeypatch.setenv("REDIS_HOST", "redis.internal")
    monkeypatch.setenv("REDIS_DB", "4")
    monkeypatch.delenv("ACTION_ENDPOINT_URL", raising=False)
    env = endpoint_env(get_settings(), 5999)
    assert env["TRACKER_STORE_URL"] == "postgresql://u:p@db:5432/tracker"
    assert env["REDIS_HOST"] == "redis.internal" and env["REDIS_DB"] == "4" and env["REDIS_PASSWORD"] == ""
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5999/webhook"
    # every variable endpoints.yml and endpoints.prod.yml read is provided
    for name in ("endpoints.yml", "endpoints.prod.yml"):
        lines = [ln for ln in (ROOT / name).read_text().splitlines() if not ln.lstrip().startswith("#")]
        wanted = set(re.findall(r"\$\{([A-Z_]+)\}", "\n".join(lines)))
        assert wanted and wanted <= set(env), name


def _http_server(port: int) -> list:
    return [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]


def test_start_services_in_order_replicas_together_and_stops_at_a_failure():
    import subprocess

    ports = [_free_port() for _ in range(4)]
    services = [
        Service(kind, name, _http_server(port), f"http://127.0.0.1:{port}/", {})
        for (kind, name), port in zip(
            [("actions", "actions"), ("rasa", "rasa1"), ("rasa", "rasa2"), ("web", "web")], ports
        )
    ]
    spawned, procs = [], {}

    def spawn(service):
        spawned.append((service.name, sorted(procs)))
        return subprocess.Popen(service.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    try:
        assert start_services(services, spawn, procs, seconds=30) is None
        # rasa2 is started before rasa1 answered (together), web only after both
        assert spawned == [
            ("actions", []),
            ("rasa1", ["actions"]),
            ("rasa2", ["actions", "rasa1"]),
            ("web", ["actions", "rasa1", "rasa2"]),
        ]
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait()

    broken = [
        Service(
            "actions", "actions", [sys.executable, "-c", "raise SystemExit(3)"], f"http://127.0.0.1:{_free_port()}/", {}
        ),
        services[3],
    ]
    spawned, procs = [], {}
    assert start_services(broken, spawn, procs, seconds=30) == "actions"
    assert [name for name, _ in spawned] == ["actions"]  # the web app was never started


def test_prod_profile_refuses_sqlite_and_bad_settings(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.db")
    monkeypatch.setenv("TRACKER_STORE_URL", "sqlite:////tmp/y.db")
    monkeypatch.setenv("LOCK_STORE_PREFIX", "nacht-licht")
    monkeypatch.setenv("REDIS_PORT", "9")
    problems = check_prod(get_settings())
    assert any("DATABASE_URL must be a postgresql" in p for p in problems)
    assert any("TRACKER_STORE_URL must be a postgresql" in p for p in problems)
    assert any("LOCK_STORE_PREFIX" in p for p in problems)
    assert any("Redis at 127.0.0.1:9 not usable" in p for p in problems)
    assert main(["--profile", "prod", "--only", "web"]) == 1
    assert "the prod profile cannot start" in capsys.readouterr().err


@pytest.mark.postgres
def test_prod_profile_creates_missing_postgresql_databases(pg_databases, monkeypatch):
    import psycopg2

    base = pg_databases("nachtlicht_run_test")  # a server we may create databases on
    ours, tracker = base + "_ours", base + "_tracker"
    monkeypatch.setenv("DATABASE_URL", ours)
    monkeypatch.setenv("TRACKER_STORE_URL", tracker)
    try:
        assert check_prod(get_settings(), redis_needed=False) == []
        for url in (ours, tracker):
            psycopg2.connect(url, connect_timeout=3).close()  # exists now
        assert check_prod(get_settings(), redis_needed=False) == []  # and a second run is fine
    finally:
        admin = psycopg2.connect(base, connect_timeout=3)
        admin.autocommit = True
        with admin.cursor() as cur:
            for url in (ours, tracker):
                cur.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        admin.close()


def test_sigint_stops_everything_even_when_started_in_the_background(tmp_path):
    """`make run &` or nohup start us with SIGINT ignored; Ctrl-C / kill -INT must still stop
    the processes we started (here the web app alone: --only web needs no model)."""
    import os
    import signal
    import subprocess
    import time

    from bot.run import wait_http

    port = _free_port()
    env = dict(
        os.environ,
        WEB_PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'n.db'}",
        PYTHONPATH=str(ROOT),
        RUN_STATUS_FILE=str(tmp_path / "status.json"),
    )  # not the developer's var/run-status.json
    sup = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--only", "web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert wait_http(f"http://127.0.0.1:{port}/health", 60, [("run", sup)]), "web app did not come up"
        sup.send_signal(signal.SIGINT)
        assert sup.wait(timeout=30) == 0
        assert "Nachtlicht stopped." in sup.stdout.read()
        deadline = time.time() + 10
        while time.time() < deadline and wait_http(f"http://127.0.0.1:{port}/health", 1, []):
            time.sleep(0.5)
        assert not wait_http(f"http://127.0.0.1:{port}/health", 1, []), "the web app is still running"
    finally:
        if sup.poll() is None:
            sup.kill()


def test_rasa_servers_run_tensorflow_single_threaded_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("TF_INTRA_OP_PARALLELISM_THREADS", raising=False)
    monkeypatch.delenv("TF_INTER_OP_PARALLELISM_THREADS", raising=False)
    rasa = [s for s in commands([5005], 5055, "endpoints.yml", "tok") if s.kind == "rasa"][0]
    assert rasa.env["TF_INTRA_OP_PARALLELISM_THREADS"] == "1" and rasa.env["TF_INTER_OP_PARALLELISM_THREADS"] == "1"
    monkeypatch.setenv("TF_INTRA_OP_PARALLELISM_THREADS", "2")
    rasa = [s for s in commands([5005], 5055, "endpoints.yml", "tok") if s.kind == "rasa"][0]
    assert rasa.env["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"


def test_a_token_starting_with_a_dash_reaches_rasa_as_the_token():
    """secrets.token_urlsafe() starts with "-" about once in 64 runs; Rasa's argparse must still
    read it as the value of --auth-token (it failed to start: "expected one argument")."""
    import argparse

    from rasa.cli.arguments.run import add_server_arguments

    rasa = [s for s in commands([5005], 5055, "endpoints.yml", "-abc_DEF") if s.kind == "rasa"][0]
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    env = dict(rasa.env)
    args, _ = parser.parse_known_args(with_token(rasa.argv[4:], env))
    assert args.auth_token == "-abc_DEF"
    assert TOKEN_ENV not in env  # taken out before Rasa starts its own child processes


class _Proc:
    """A stand-in for a child process: ``dead`` makes poll() report an exit."""

    def __init__(self):
        self.dead, self.returncode = False, None

    def poll(self):
        if self.dead:
            self.returncode = -9
            return -9
        return None


def test_supervisor_restarts_a_dead_child_with_backoff_and_leaves_the_others(tmp_path):
    """Issue 17: one crash stopped everything; now only that child is started again."""
    import json

    from bot.run import Supervisor

    clock = [0.0]
    services = [
        Service("actions", "actions", [], "", {}),
        Service("rasa", "rasa", [], "", {}),
        Service("web", "web", [], "", {}),
    ]
    procs = {s.name: _Proc() for s in services}
    spawned, logs = [], []

    def spawn(service):
        spawned.append(service.name)
        return _Proc()

    status = tmp_path / "status.json"
    sup = Supervisor(
        services, spawn, procs, status_file=status, cap=8, stable=60, clock=lambda: clock[0], log=logs.append
    )
    others = (procs["actions"], procs["web"])
    delays = []
    for _ in range(6):  # rasa crashes right after every start
        procs["rasa"].dead = True
        sup.check()
        start = clock[0]
        while not spawned or len(spawned) == len(delays):
            clock[0] += 0.5
            sup.check()
        delays.append(clock[0] - start)
    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]  # doubled, capped, never given up
    assert spawned == ["rasa"] * 6 and (procs["actions"], procs["web"]) == others
    assert "KEEPS CRASHING" in logs[-1]
    saved = json.loads(status.read_text())["services"]
    assert saved["rasa"]["restarts"] == 6 and saved["web"] == {"running": True, "restarts": 0, "failures_in_a_row": 0}
    clock[0] += 61  # ran long enough: the next crash starts from 1 s again
    sup.check()
    procs["rasa"].dead = True
    sup.check()
    assert logs[-1].endswith("again in 1s (failure 1 in a row)")
