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
import urllib.request
from dataclasses import dataclass
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


@dataclass
class BotRun:
    proc: subprocess.Popen
    web: str
    status_file: Path
    log: Path
    action_port: int
    rasa_ports: list
    env: dict


def start_bot_run(
    tmp_path: Path, profile: str = "embedded", env_extra: dict | None = None, replicas: int = 1
) -> BotRun:
    if not MODEL.exists():
        pytest.skip("no trained model")
    web_port, action_port = _free_port(), _free_port()
    rasa_ports = [_free_port() for _ in range(replicas)]
    env = dict(
        os.environ,
        WEB_PORT=str(web_port),
        RASA_PORTS=",".join(map(str, rasa_ports)),
        RASA_PORT="",
        RASA_URL="",
        RASA_URLS="",
        ACTION_PORT=str(action_port),
        RUN_STATUS_FILE=str(tmp_path / "status.json"),
        PYTHONPATH=str(ROOT),
        SECRET_KEY="",
        RASA_TOKEN="",
        ACTION_ENDPOINT_URL="",
        CHAT_RATE_CONVERSATION="100000",
        CHAT_RATE_ADDRESS="100000",
        **(env_extra or {}),
    )
    argv = [sys.executable, "-m", "bot", "run", "--profile", profile]
    if profile == "embedded":
        # the project's endpoints.yml, filled from the settings (ACTION_PORT, TRACKER_STORE_URL)
        env.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'nachtlicht.db'}",
            TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
        )
    log = open(tmp_path / "run.log", "wb")
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    web = f"http://127.0.0.1:{web_port}"
    if _wait(lambda: _chat_answers(web), 420) is None:
        proc.kill()
        pytest.fail("bot run did not come up:\n" + (tmp_path / "run.log").read_text()[-3000:])
    return BotRun(proc, web, tmp_path / "status.json", tmp_path / "run.log", action_port, rasa_ports, env)


def stop_bot_run(run: BotRun) -> None:
    if run.proc.poll() is None:
        run.proc.kill()
        run.proc.wait(timeout=30)
    for info in _status(run.status_file).values():  # never leave children behind
        if info.get("pid"):
            try:
                os.kill(info["pid"], signal.SIGKILL)
            except OSError:
                pass


@pytest.fixture
def bot_run(tmp_path):
    run = start_bot_run(tmp_path)
    yield run
    stop_bot_run(run)


def _messages(web: str, cid: str) -> dict:
    status, body = call("GET", f"{web}/chat/api/conversations/{cid}/messages?after=0")
    assert status == 200, body
    return body


def _answered_after(web: str, cid: str, message_id: int) -> bool:
    body = _messages(web, cid)
    return body["pending"] == 0 and any(
        m["sender"] in ("bot", "system") and m["id"] > message_id and "start opnieuw" not in m["text"]
        for m in body["messages"]
    )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_kill_9_of_each_process_recovers_nothing_is_lost_and_sigterm_stops_all(bot_run):
    proc, web, status_file, log = bot_run.proc, bot_run.web, bot_run.status_file, bot_run.log
    before = _status(status_file)
    assert set(before) == {"actions", "rasa", "web"} and all(s["running"] for s in before.values())
    status, conv = call("POST", f"{web}/chat/api/conversations", {})
    cid = conv["conversation_id"]
    status, _ = call("POST", f"{web}/chat/api/conversations/{cid}/messages", {"text": "hoi"})
    assert status == 200

    # --- Rasa: the message sent right after the crash waits and is answered by itself
    os.kill(before["rasa"]["pid"], signal.SIGKILL)
    killed = time.time()
    status, body = call(
        "POST", f"{web}/chat/api/conversations/{cid}/messages", {"text": "iemand dreigt mijn naaktfoto te delen"}
    )
    assert status == 202 and body["pending"] == 1, body
    assert "start opnieuw" in body["messages"][0]["text"] and "113" in body["messages"][0]["text"]
    waited = _wait(lambda: _answered_after(web, cid, body["user_message"]["id"]), 300)
    assert waited is not None, log.read_text()[-3000:]
    rasa_recovery = time.time() - killed
    assert proc.poll() is None  # bot run itself kept going
    after = _status(status_file)
    assert after["rasa"]["restarts"] == 1 and after["web"]["restarts"] == 0 and after["actions"]["restarts"] == 0
    _, health = call("GET", f"{web}/health")
    assert health["supervisor"]["rasa"]["restarts"] == 1 and "pid" not in health["supervisor"]["rasa"]
    late = [m for m in _messages(web, cid)["messages"] if m["sender"] == "user"][-1]
    assert late["delivery"] == "late"

    # --- action server: kill -9 while its port is taken, so it crashes in a loop (backoff);
    # Rasa and the web app are not touched and the chat keeps answering.
    action_port = bot_run.action_port
    os.kill(after["actions"]["pid"], signal.SIGKILL)
    # Bound but not listening, without SO_REUSEADDR: the action server cannot bind (it exits at
    # once) and Rasa's calls are refused at once instead of hanging on a socket nobody reads.
    blocker = socket.socket()
    for _ in range(100):
        try:
            blocker.bind(("0.0.0.0", action_port))
            break
        except OSError:
            time.sleep(0.05)
    try:
        looped = _wait(lambda: _status(status_file)["actions"]["restarts"] >= 3, 120)
        assert looped is not None, log.read_text()[-3000:]
        # Rasa and the web app keep answering: a turn that needs a custom action gets the
        # polite "send it again" notice with 112/113, never silence or an error.
        status, conv = call("POST", f"{web}/chat/api/conversations", {})
        status, body = call(
            "POST",
            f"{web}/chat/api/conversations/{conv['conversation_id']}/messages",
            {"text": "iemand dreigt mijn naaktfoto te delen"},
        )
        assert status == 200 and body["messages"], body
        now = _status(status_file)
        assert now["rasa"]["restarts"] == 1 and now["web"]["restarts"] == 0 and now["rasa"]["running"]
        assert "actions exited with code" in log.read_text()
    finally:
        blocker.close()
    freed = time.time()
    assert _wait(lambda: _healthy(f"http://127.0.0.1:{action_port}/health"), 120) is not None, log.read_text()[-3000:]
    action_recovery = time.time() - freed

    # --- web app: kill -9; the conversation and every message are still there afterwards
    history = [(m["id"], m["text"]) for m in _messages(web, cid)["messages"]]
    os.kill(_status(status_file)["web"]["pid"], signal.SIGKILL)
    web_recovery = _wait(lambda: _chat_answers(web), 60)
    assert web_recovery is not None, log.read_text()[-3000:]
    assert [(m["id"], m["text"]) for m in _messages(web, cid)["messages"]][: len(history)] == history
    status, ready = call("GET", f"{web}/health/ready")
    assert status == 200 and ready["ready"] is True
    print(
        f"\nrecovery after kill -9 (embedded, python -m bot run): rasa {rasa_recovery:.0f}s until the waiting "
        f"message was answered; action server {action_recovery:.0f}s after its port was free again "
        f"(crash loop before); web {web_recovery:.0f}s"
    )

    pids = [info["pid"] for info in _status(status_file).values() if info.get("pid")]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    time.sleep(1)
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


@pytest.mark.prod
def test_prod_profile_a_killed_replica_leaves_no_gap_and_a_killed_web_app_loses_nothing(
    tmp_path, pg_databases, redis_lock_env
):
    """`python -m bot run --profile prod`: kill -9 of one Rasa replica while a conversation that
    lives on it keeps talking (the other replica answers every message), then kill -9 of the web
    app right after a counsellor reply (the case and the reply are there after its restart)."""
    from bot.cases.service import CaseService
    from bot.settings import Settings
    from bot.storage.db import get_engine
    from bot.web.rasa_client import RasaClient

    database_url = pg_databases("nachtlicht_run")
    run = start_bot_run(
        tmp_path,
        "prod",
        dict(redis_lock_env, DATABASE_URL=database_url, TRACKER_STORE_URL=pg_databases("nachtlicht_run_tracker")),
        replicas=2,
    )
    try:
        web, log = run.web, run.log
        # (the supervisor writes its status file on its own beat: on a loaded machine the chat can
        # answer before the first write, so wait for it)
        _wait(lambda: set(_status(run.status_file)) == {"actions", "rasa1", "rasa2", "web"}, 60)
        before = _status(run.status_file)
        assert set(before) == {"actions", "rasa1", "rasa2", "web"}
        urls = [f"http://127.0.0.1:{p}" for p in run.rasa_ports]
        while True:  # a conversation whose home is replica 1
            status, conv = call("POST", f"{web}/chat/api/conversations", {})
            if RasaClient(urls)._order(conv["conversation_id"])[0] == urls[0]:
                break
        cid = conv["conversation_id"]
        assert call("POST", f"{web}/chat/api/conversations/{cid}/messages", {"text": "hoi"})[0] == 200

        os.kill(before["rasa1"]["pid"], signal.SIGKILL)
        killed, answered = time.time(), 0
        while not (_status(run.status_file).get("rasa1", {}).get("running") and _healthy(urls[0] + "/")):
            status, body = call("POST", f"{web}/chat/api/conversations/{cid}/messages", {"text": "ben je er nog?"})
            assert status == 200 and any(m["sender"] == "bot" for m in body["messages"]), (status, body)
            answered += 1
            assert time.time() - killed < 420, log.read_text()[-3000:]
            time.sleep(2)
        replica_recovery = time.time() - killed
        assert answered >= 3
        after = _status(run.status_file)
        assert after["rasa1"]["restarts"] == 1 and after["rasa2"]["restarts"] == 0 and after["web"]["restarts"] == 0

        # counsellor reply, then kill -9 of the web app
        env = dict(run.env, DATABASE_URL=database_url)
        added = subprocess.run(
            [sys.executable, "-m", "bot", "users", "add", "anna"],
            cwd=ROOT,
            env=env,
            input="nachtwacht-run-2026!\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stderr
        issued = subprocess.run(
            [sys.executable, "-m", "bot", "users", "token", "anna"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        token = issued.stdout.strip().splitlines()[-1].strip()
        settings = Settings(database_url=database_url)
        case_id = CaseService(get_engine(database_url), settings).open_case(cid, {"handoff_consent": True})["id"]
        assert call("POST", f"{web}/api/cases/{case_id}/take-over", {}, token=token)[0] == 200
        status, _ = call(
            "POST", f"{web}/api/cases/{case_id}/reply", {"text": "Hoi, ik ben Anna. Ik lees mee."}, token=token
        )
        assert status == 200
        os.kill(_status(run.status_file)["web"]["pid"], signal.SIGKILL)
        web_recovery = _wait(lambda: _chat_answers(web), 60)
        assert web_recovery is not None, log.read_text()[-3000:]
        status, case = call("GET", f"{web}/api/cases/{case_id}", token=token)
        assert status == 200 and case["status"] == "in_progress", case
        texts = [m["text"] for m in _messages(web, cid)["messages"] if m["sender"] == "counsellor"]
        assert texts == ["Hoi, ik ben Anna. Ik lees mee."]
        print(
            f"\nkill -9 (prod profile, python -m bot run): replica 1 back after {replica_recovery:.0f}s, "
            f"{answered} messages of its conversation answered by replica 2 meanwhile, no gap; "
            f"web app {web_recovery:.0f}s"
        )
    finally:
        stop_bot_run(run)
