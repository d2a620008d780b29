"""The action server refuses calls without the webhook token (issue 16, finding 6): a forged
tracker posted to /webhook created an urgent case. Real process on a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bot.rasa.action_server import action_token
from bot.settings import ROOT

FORGED = {
    "next_action": "action_safety_urgent",
    "sender_id": "forged",
    "tracker": {
        "sender_id": "forged",
        "slots": {},
        "latest_message": {},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": None,
    },
    "domain": {},
    "version": "3.6.21",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str) -> int:
    req = urllib.request.Request(
        url, data=json.dumps(FORGED).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    port, secret = _free_port(), "test-secret-key-0123456789"
    env = dict(
        os.environ,
        SECRET_KEY=secret,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('actions') / 'db.sqlite'}",
    )
    env.pop("SANIC_HOST", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.rasa.action_server", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("action server did not start")
    yield base, action_token(secret)
    proc.terminate()
    proc.wait(timeout=15)


def test_webhook_without_or_with_a_wrong_token_is_refused(action_server):
    base, token = action_server
    assert _post(base + "/webhook") == 401
    assert _post(base + "/webhook?token=guess") == 401
    assert _post(base + "/actions") == 401


def test_webhook_with_the_token_is_served(action_server):
    base, token = action_server
    assert _post(f"{base}/webhook?token={token}") != 401


def test_the_token_comes_from_the_secret_key_and_none_without_one():
    assert action_token("") == "" and len(action_token("x")) == 64 and action_token("x") != action_token("y")
