"""Shared pytest fixtures.

``live_stack``: the real system (action server, Rasa server with the trained model, our web
app) on free ports, with its own SQLite databases in a temporary folder. Used by the
end-to-end and browser tests; started once per test session, only when a test asks for it.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "nachtlicht.tar.gz"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveStack:
    web_url: str
    rasa_url: str
    action_url: str
    database_url: str
    rasa_token: str
    env: dict
    logdir: Path
    procs: dict = field(default_factory=dict)

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run ``python -m bot ARGS`` against this stack's database."""
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=self.env, input=input,
                              capture_output=True, text=True, timeout=120)

    def create_counsellor(self, name: str, password: str) -> str:
        """Create a counsellor account; returns a fresh API token for it."""
        added = self.cli("users", "add", name, input=password + "\n")
        assert added.returncode == 0, added.stderr
        issued = self.cli("users", "token", name)
        assert issued.returncode == 0, issued.stderr
        return issued.stdout.strip().splitlines()[-1].strip()

    def stop(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def logs(self, name: str) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_stack(tmp: Path, database_url: str | None = None, extra_env: dict | None = None) -> LiveStack:
    from bot.run import wait_http, commands

    if not MODEL.exists():
        raise RuntimeError(f"No trained model at {MODEL}; run 'make train' first.")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    database_url = database_url or f"sqlite:///{tmp / 'nachtlicht.db'}"
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp / "rasa_tracker.db"}"\n'
    )
    token = secrets.token_urlsafe(16)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3", DATABASE_URL=database_url,
        RASA_URL=f"http://127.0.0.1:{rasa_port}", RASA_URLS=f"http://127.0.0.1:{rasa_port}",
        RASA_TOKEN=token, WEB_PORT=str(web_port), WEB_HOST="127.0.0.1",
        SECRET_KEY=secrets.token_urlsafe(32), **(extra_env or {}),
    )
    stack = LiveStack(web_url=f"http://127.0.0.1:{web_port}", rasa_url=f"http://127.0.0.1:{rasa_port}",
                      action_url=f"http://127.0.0.1:{action_port}", database_url=database_url,
                      rasa_token=token, env=env, logdir=tmp)
    try:
        for name, cmd, health in commands(rasa_port, action_port, str(endpoints), token, web_port):
            log = open(tmp / f"{name}.log", "wb")
            stack.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            if not wait_http(health, 240, list(stack.procs.items())):
                raise RuntimeError(f"{name} did not answer on {health} (or exited) within 240s")
    except Exception:
        for name in list(stack.procs)[::-1]:
            stack.stop(name)
        logs = "\n".join(f"--- {n} ---\n{stack.logs(n)[-3000:]}" for n in stack.procs)
        raise RuntimeError(f"live stack failed to start:\n{logs}")
    return stack


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory) -> LiveStack:
    stack = start_stack(tmp_path_factory.mktemp("stack"))
    yield stack
    for name in reversed(list(stack.procs)):
        stack.stop(name)
