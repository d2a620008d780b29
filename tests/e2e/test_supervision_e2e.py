"""`python -m bot run` keeps the system running (issue 17): kill -9 of the Rasa server or the
web app, and the chat answers again by itself; SIGTERM still stops everything. Embedded
profile, free ports, its own databases and status file."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chat_helpers import call

from bot.settings import ROOT

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "nachtlicht.tar.gz"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(path: Path) -> dict:
    try:
        return json.loads(path.read_text())["services"]
    except (OSError, ValueError, KeyError):
        return {}


def _chat_answers(web: str) -> bool:
    status, conv = call("POST", f"{web}/chat/api/conversations", {})
    if status != 201:
        return False
    status, body = call("POST", f"{web}/chat/api/conversations/{conv['conversation_id']}/messages", {"text": "hoi"})
    return status == 200 and any(m["sender"] == "bot" for m in body["messages"])


def _wait(predicate, seconds: float) -> float | None:
    start = time.time()
    while time.time() - start < seconds:
        try:
            if predicate():
                return time.time() - start
        except OSError:
            pass
        time.sleep(1)
    return None


@pytest.fixture
def bot_run(tmp_path):
    if not MODEL.exists():
        pytest.skip("no trained model")
    web_port, rasa_port, action_port = _free_port(), _free_port(), _free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
                         '  token: ${ACTION_ENDPOINT_TOKEN}\n'
                         f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp_path / "tracker.db"}"\n')
    env = dict(os.environ, WEB_PORT=str(web_port), RASA_PORT=str(rasa_port), RASA_PORTS="", RASA_URL="", RASA_URLS="",
               ACTION_PORT=str(action_port), DATABASE_URL=f"sqlite:///{tmp_path / 'nachtlicht.db'}",
               TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'tracker.db'}", RUN_STATUS_FILE=str(tmp_path / "status.json"),
               PYTHONPATH=str(ROOT), SECRET_KEY="", RASA_TOKEN="", ACTION_ENDPOINT_URL="")
    log = open(tmp_path / "run.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--endpoints", str(endpoints)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    web = f"http://127.0.0.1:{web_port}"
    if _wait(lambda: _chat_answers(web), 300) is None:
        proc.kill()
        pytest.fail("bot run did not come up:\n" + (tmp_path / "run.log").read_text()[-3000:])
    yield proc, web, tmp_path / "status.json", tmp_path / "run.log"
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)
    for info in _status(tmp_path / "status.json").values():  # never leave children behind
        if info.get("pid"):
            try:
                os.kill(info["pid"], signal.SIGKILL)
            except OSError:
                pass


def test_kill_9_of_rasa_and_of_the_web_app_recover_and_sigterm_stops_all(bot_run):
    proc, web, status_file, log = bot_run
    before = _status(status_file)
    assert set(before) == {"actions", "rasa", "web"} and all(s["running"] for s in before.values())

    os.kill(before["rasa"]["pid"], signal.SIGKILL)
    rasa_recovery = _wait(lambda: _chat_answers(web), 300)  # loading the model: ~40 s idle, minutes on a busy machine
    assert rasa_recovery is not None, log.read_text()[-3000:]
    assert proc.poll() is None  # bot run itself kept going
    after = _status(status_file)
    assert after["rasa"]["restarts"] == 1 and after["web"]["restarts"] == 0 and after["actions"]["restarts"] == 0
    _, health = call("GET", f"{web}/health")
    assert health["supervisor"]["rasa"]["restarts"] == 1 and "pid" not in health["supervisor"]["rasa"]

    os.kill(after["web"]["pid"], signal.SIGKILL)
    web_recovery = _wait(lambda: _chat_answers(web), 60)
    assert web_recovery is not None, log.read_text()[-3000:]
    status, ready = call("GET", f"{web}/health/ready")
    assert status == 200 and ready["ready"] is True
    print(f"\nrecovery after kill -9 (embedded): rasa {rasa_recovery:.0f}s, web {web_recovery:.0f}s")

    pids = [info["pid"] for info in _status(status_file).values() if info.get("pid")]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    time.sleep(1)
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
