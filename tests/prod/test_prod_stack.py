"""Proofs for the production profile (issue 7), against real processes: two Rasa replicas
sharing Rasa's SQL tracker store on PostgreSQL and Rasa's Redis lock store, the action server and
the web app with our tables on PostgreSQL (the ``prod_stack`` fixture in tests/conftest.py,
started once for this module).

Run: .venv/bin/python -m pytest tests/prod -m prod        (PostgreSQL on 127.0.0.1:5432 and Redis
on 127.0.0.1:6379; locally skipped without them, with CI=true they must run)
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from chat_helpers import BAD_MESSAGE_BODIES, TRACE_MARKERS, NoRedirect, call, json_error, say, texts

pytestmark = [pytest.mark.prod, pytest.mark.e2e]

PASSWORD = "nachtwacht-prod-2026!"
REPORT = "die gast op insta wil 500 euro via tikkie vanavond anders stuurt hij mn nudes naar mn vrienden"


# ----------------------------------------------------------------------------- helpers
def rest(stack, replica: int, cid: str, text: str, code: str | None = None) -> list:
    """Send a message straight to one Rasa replica's REST channel; returns its replies."""
    body = {"sender": cid, "message": text}
    if code:
        body["metadata"] = {"conversation_code": code}
    req = urllib.request.Request(
        f"{stack.rasa_urls[replica]}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=120) as resp:
        assert resp.status == 200
        return json.loads(resp.read())


def tracker(stack, cid: str, replica: int = 0) -> dict:
    """The conversation's tracker from one replica's HTTP API (token from the settings)."""
    status, body = call(
        "GET", f"{stack.rasa_urls[replica]}/conversations/{cid}/tracker?token={stack.rasa_token}&include_events=ALL"
    )
    assert status == 200, body
    return body


def user_texts(track: dict) -> list:
    return [e.get("text") for e in track["events"] if e.get("event") == "user"]


def rasa_saw(track: dict) -> list:
    """The person's messages in Rasa's events, each once, in order. (After "Bedoel je ...?" the
    two-stage fallback replays the clarified message, so a text may be there twice.)"""
    return list(dict.fromkeys(user_texts(track)))


def reply_text(replies: list) -> str:
    return "\n".join(r.get("text") or "" for r in replies).lower()


def new_conversation(stack) -> dict:
    status, conv = call("POST", f"{stack.web_url}/chat/api/conversations", {})
    assert status == 201, conv
    return conv


def home_replica(stack, cid: str) -> int:
    """The replica the web app sends this conversation to (bot/web/rasa_client.py's hash routing)."""
    from bot.web.rasa_client import RasaClient

    return stack.rasa_urls.index(RasaClient(stack.rasa_urls)._order(cid)[0])


def listening_addresses(port: int) -> set:
    """Local addresses of the TCP sockets listening on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] != "0A" or int(hex_port, 16) != port:  # 0A = LISTEN
                continue
            if len(address) == 8:
                found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
            else:
                raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8))
                found.add(socket.inet_ntop(socket.AF_INET6, raw))
    return found


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


def case_of(stack, token: str, cid: str) -> dict:
    status, queue = call("GET", f"{stack.web_url}/api/cases?status=all", token=token)
    assert status == 200, queue
    matches = [c for c in queue["cases"] if c["conversation_id"] == cid]
    assert matches, f"no case for {cid}"
    return matches[0]


@pytest.fixture(scope="module")
def counsellor(prod_stack) -> str:
    return prod_stack.create_counsellor("anna", PASSWORD)


def hand_off(stack, cid: str) -> None:
    """Through the web app: the person asks for a counsellor and agrees."""
    asked = say(stack, cid, "ik wil met een hulpverlener praten")
    assert "hulpverlener" in texts(asked["messages"]).lower()
    say(stack, cid, "ja dat is goed")


# ----------------------------------------------------------------------------- the profile itself
def test_profile_binds_loopback_uses_postgresql_and_redis_and_rasa_api_needs_the_token(prod_stack, redis_lock_env):
    ports = {"web": port_of(prod_stack.web_url), "actions": port_of(prod_stack.action_url)}
    ports.update({f"rasa{i + 1}": port_of(u) for i, u in enumerate(prod_stack.rasa_urls)})
    for name, port in ports.items():
        addresses = listening_addresses(port)
        assert addresses, f"{name} does not listen on {port}"
        assert addresses <= {"127.0.0.1", "::1"}, f"{name} listens on {addresses}, not only on loopback"

    for url in prod_stack.rasa_urls:
        for query in ("", "?token=wrong-token"):
            status, body = call("GET", f"{url}/conversations/someone/tracker{query}")
            assert status == 401, (url, query, body)
        status, _ = call("GET", f"{url}/status?token={prod_stack.rasa_token}")
        assert status == 200

    # A message lands in the PostgreSQL tracker store, under Redis locks taken by both replicas.
    import redis
    from sqlalchemy import create_engine, text

    from bot.storage.db import get_engine, session_scope
    from bot.storage.models import Conversation

    cid = new_conversation(prod_stack)["conversation_id"]
    for replica in (0, 1):
        assert rest(prod_stack, replica, cid, "hoi")
    assert prod_stack.tracker_url.startswith("postgresql://")
    engine = create_engine(prod_stack.tracker_url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": cid}
        ).scalar()
    engine.dispose()
    assert rows == 2
    assert prod_stack.database_url.startswith("postgresql://")  # our tables
    with session_scope(get_engine(prod_stack.database_url)) as s:
        assert s.get(Conversation, cid) is not None
    client = redis.Redis(
        host=redis_lock_env["REDIS_HOST"],
        port=int(redis_lock_env["REDIS_PORT"]),
        db=int(redis_lock_env["REDIS_DB"]),
        password=redis_lock_env["REDIS_PASSWORD"] or None,
    )
    own = client.client_id()
    users = [
        c
        for c in client.client_list()
        if int(c["id"]) != own
        and c["db"] == redis_lock_env["REDIS_DB"]
        and not c["cmd"].startswith(("ping", "client", "scan"))
    ]
    client.close()
    assert len(users) >= 2, f"the Rasa replicas are not connected to the Redis lock store: {users}"


# ----------------------------------------------------------------------------- replicas share the conversation
def test_conversation_alternating_between_replicas_keeps_slots_and_flow(prod_stack, counsellor):
    conv = new_conversation(prod_stack)
    cid, code = conv["conversation_id"], conv["code"]

    greeting = rest(prod_stack, 0, cid, "hoi", code)
    assert "chatbot" in reply_text(greeting)
    script = reply_text(rest(prod_stack, 1, cid, REPORT, code))
    assert ("betaal" in script or "betalen" in script) and "schuld" in script, script
    slots = tracker(prod_stack, cid, replica=0)["slots"]  # written by replica 2, read by replica 1
    assert slots["amount_demanded"] == 500 and slots["platform"] == "instagram"
    assert slots["payment_method"] == "tikkie" and slots["stage"] == "script"

    asked = reply_text(rest(prod_stack, 0, cid, "ik wil met een hulpverlener praten", code))
    assert "hulpverlener" in asked
    # "ja" only means "yes, hand me over" in the context that replica 1 left behind
    handed = reply_text(rest(prod_stack, 1, cid, "ja dat is goed", code))
    assert code.lower() in handed or "hulpverlener" in handed, handed
    final = tracker(prod_stack, cid, replica=0)
    assert final["slots"]["handoff_consent"] is True and final["slots"]["handoff_done"] is True
    assert final["slots"]["case_code"] == code
    assert rasa_saw(final) == ["hoi", REPORT, "ik wil met een hulpverlener praten", "ja dat is goed"]
    assert tracker(prod_stack, cid, replica=1)["events"] == final["events"]

    case = case_of(prod_stack, counsellor, cid)
    assert case["facts"]["amount_demanded"] == 500 and case["facts"]["platform"] == "instagram"
    assert case["code"] == code


def test_concurrent_messages_of_one_conversation_on_both_replicas_are_serialised(prod_stack):
    """The lock store: two messages of one conversation that reach both replicas at the same
    moment are handled one after the other, each with its own bot turn. (With Rasa 3.6's own
    RedisLockStore one of the two is lost now and then; bot/rasa/lock_store.py.)"""
    cids = [new_conversation(prod_stack)["conversation_id"] for _ in range(5)]
    for cid in cids:
        rest(prod_stack, 0, cid, "hoi")
    start = threading.Barrier(2 * len(cids))

    def send(replica: int, cid: str, text: str) -> list:
        start.wait()
        return rest(prod_stack, replica, cid, text)

    with ThreadPoolExecutor(2 * len(cids)) as pool:
        futures = [
            pool.submit(send, replica, cid, text)
            for cid in cids
            for replica, text in ((0, "wat moet ik doen als iemand mij afperst"), (1, "moet ik betalen?"))
        ]
        assert all(f.result() for f in futures)
    for cid in cids:
        events = tracker(prod_stack, cid)["events"]
        assert sorted(rasa_saw({"events": events})) == sorted(
            ["hoi", "wat moet ik doen als iemand mij afperst", "moet ik betalen?"]
        ), user_texts({"events": events})
        # every user message is followed by at least one bot message before the next one
        blocks = "".join("u" if e["event"] == "user" else "b" for e in events if e["event"] in ("user", "bot"))
        assert re.fullmatch(r"(ub+)+", blocks), blocks


# ----------------------------------------------------------------------------- kill -9 and restarts
def test_kill_9_of_a_rasa_server_mid_conversation(prod_stack, counsellor):
    conv = new_conversation(prod_stack)
    cid, code = conv["conversation_id"], conv["code"]
    home = home_replica(prod_stack, cid)
    name = f"rasa{home + 1}"
    say(prod_stack, cid, "hoi")
    script = say(prod_stack, cid, "iemand op snapchat wil 750 euro van me anders zet hij mijn naaktfoto online")
    assert any(word in texts(script["messages"]).lower() for word in ("betaal", "betalen"))
    assert tracker(prod_stack, cid, home)["slots"]["amount_demanded"] == 750

    prod_stack.kill(name)  # kill -9: no shutdown, no flushing
    # The web app fails over to the other replica; the conversation keeps its context.
    during = say(prod_stack, cid, "ik wil met een hulpverlener praten")
    assert during["handled_by"] == "bot" and "hulpverlener" in texts(during["messages"]).lower()
    other = 1 - home
    assert tracker(prod_stack, cid, other)["slots"]["amount_demanded"] == 750

    prod_stack.start(name)  # restart; the web app routes the conversation back to it
    assert home_replica(prod_stack, cid) == home
    before = tracker(prod_stack, cid, home)
    assert before["slots"]["amount_demanded"] == 750 and before["slots"]["platform"] == "snapchat"
    handed = say(prod_stack, cid, "ja dat is goed")  # answers the question asked by the other replica
    assert code in texts(handed["messages"]) or "hulpverlener" in texts(handed["messages"]).lower()
    after = tracker(prod_stack, cid, home)
    assert after["slots"]["handoff_done"] is True
    assert rasa_saw(after)[-2:] == ["ik wil met een hulpverlener praten", "ja dat is goed"]
    case = case_of(prod_stack, counsellor, cid)
    assert case["facts"]["amount_demanded"] == 750 and case["facts"]["platform"] == "snapchat"


def test_web_app_restart_loses_no_case_and_no_counsellor_reply(prod_stack, counsellor):
    cid = new_conversation(prod_stack)["conversation_id"]
    say(prod_stack, cid, REPORT)
    hand_off(prod_stack, cid)
    case = case_of(prod_stack, counsellor, cid)
    api = f"{prod_stack.web_url}/api/cases/{case['id']}"
    status, _ = call("POST", f"{api}/take-over", {}, token=counsellor)
    assert status == 200
    status, replied = call("POST", f"{api}/reply", {"text": "Hoi, ik ben Anna. Ik lees even mee."}, token=counsellor)
    assert status == 200 and not replied.get("warning"), replied
    assert say(prod_stack, cid, "oke dankje, ben je er nog?")["handled_by"] == "counsellor"

    prod_stack.kill("web")
    prod_stack.start("web")

    after = case_of(prod_stack, counsellor, cid)
    assert after["id"] == case["id"] and after["status"] == "in_progress" and after["paused"]
    status, inbox = call("GET", f"{prod_stack.web_url}/chat/api/conversations/{cid}/messages?after=0")
    assert status == 200 and inbox["handled_by"] == "counsellor"
    shown = [(m["sender"], m["text"]) for m in inbox["messages"]]
    assert ("counsellor", "Hoi, ik ben Anna. Ik lees even mee.") in shown
    assert ("user", "oke dankje, ben je er nog?") in shown
    status, full = call("GET", api, token=counsellor)
    assert status == 200 and full["transcript_source"] == "rasa"
    transcript = json.dumps(full["transcript"], ensure_ascii=False)
    assert "Ik lees even mee" in transcript and "ben je er nog" in transcript

    # and the handoff goes on after the restart
    status, replied = call(
        "POST", f"{api}/reply", {"text": "Ja, ik ben er. Je hoeft niet te betalen."}, token=counsellor
    )
    assert status == 200
    status, inbox = call("GET", f"{prod_stack.web_url}/chat/api/conversations/{cid}/messages?after=0")
    assert [m["text"] for m in inbox["messages"] if m["sender"] == "counsellor"][
        -1
    ] == "Ja, ik ben er. Je hoeft niet te betalen."
    status, _ = call("POST", f"{api}/hand-back", {}, token=counsellor)
    assert status == 200
    back = say(prod_stack, cid, "moet ik betalen?")
    assert back["handled_by"] == "bot" and back["messages"]


# ----------------------------------------------------------------------------- load
CONVERSATIONS, MESSAGES = 50, 8


def script_for(i: int) -> list:
    amount = 101 + i
    return [
        "hoi",
        f"iemand op snapchat wil {amount} euro van me anders stuurt hij mijn foto's naar iedereen",
        "wat moet ik nu doen",
        "ik heb nog niet betaald",
        "moet ik naar de politie",
        "hoe blokkeer ik hem",
        "oke dankjewel",
        "doei",
    ]


async def test_50_concurrent_conversations_of_8_messages(prod_stack):
    """Zero lost or cross-delivered messages, zero 5xx, each conversation with its own slots."""
    statuses: list = []
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as http:

        async def create() -> str:
            async with http.post(f"{prod_stack.web_url}/chat/api/conversations") as resp:
                assert resp.status == 201
                return (await resp.json())["conversation_id"]

        cids = await asyncio.gather(*[create() for _ in range(CONVERSATIONS)])

        async def converse(i: int, cid: str) -> list:
            returned = []
            for text in script_for(i):
                async with http.post(
                    f"{prod_stack.web_url}/chat/api/conversations/{cid}/messages", json={"text": text}
                ) as resp:
                    statuses.append(resp.status)
                    body = await resp.json()
                    assert resp.status == 200, body
                assert body["handled_by"] == "bot" and body["user_message"]["text"] == text
                assert body["messages"], f"no bot reply to {text!r} in conversation {i}"
                returned.append((body["user_message"], body["messages"]))
            return returned

        results = await asyncio.gather(*[converse(i, cid) for i, cid in enumerate(cids)], return_exceptions=True)
        elapsed = time.monotonic() - started
        failures = [r for r in results if isinstance(r, BaseException)]
        assert not failures, f"{len(failures)} conversations failed, first: {failures[0]!r}"
        assert len(statuses) == CONVERSATIONS * MESSAGES and set(statuses) == {200}

        seen_ids: set = set()
        for i, (cid, turns) in enumerate(zip(cids, results)):
            async with http.get(f"{prod_stack.web_url}/chat/api/conversations/{cid}/messages?after=0") as resp:
                stored = (await resp.json())["messages"]
            expected = []
            for user_message, bot_messages in turns:
                expected += [user_message["id"]] + [m["id"] for m in bot_messages]
            assert [m["id"] for m in stored] == expected, f"conversation {i}: stored messages differ"
            assert [m["text"] for m in stored if m["sender"] == "user"] == script_for(i)
            assert not seen_ids & set(expected)
            seen_ids |= set(expected)
    print(
        f"\n{CONVERSATIONS} conversations x {MESSAGES} messages in {elapsed:.1f}s "
        f"({CONVERSATIONS * MESSAGES / elapsed:.1f} messages/s)"
    )

    for name in prod_stack.procs:  # no bot turn lost on the way to the action server
        assert "Failed to run custom action" not in prod_stack.logs(name), name
    for i, cid in enumerate(cids):
        track = tracker(prod_stack, cid, replica=i % 2)
        assert rasa_saw(track) == script_for(i), f"conversation {i}: Rasa saw {user_texts(track)}"
        assert track["slots"]["amount_demanded"] == 101 + i, f"conversation {i}: {track['slots']['amount_demanded']}"


# ----------------------------------------------------------------------------- bad input
POLITE = [
    "<script>alert('nachtlicht')</script><b>help</b>",
    "'; DROP TABLE cases; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM chat_messages WHERE 1=1;--",
    "{{7*7}} ${jndi:ldap://x/a} %s%s%n",
    "😭😭😭",
    "🙈",
    "a",
]


def no_trace(text: str) -> None:
    assert not any(marker in text for marker in TRACE_MARKERS), text[:500]


async def test_bad_input_is_refused_or_answered_politely_and_the_service_keeps_answering(prod_stack, counsellor):
    web = prod_stack.web_url
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:

        async def new() -> dict:
            async with http.post(f"{web}/chat/api/conversations") as resp:
                return await resp.json()

        # malformed requests: a clear 4xx, nothing stored, nothing reaches Rasa
        for kwargs, status, code in BAD_MESSAGE_BODIES:
            cid = (await new())["conversation_id"]
            async with http.post(f"{web}/chat/api/conversations/{cid}/messages", **kwargs) as resp:
                await json_error(resp, status, code)
            async with http.get(f"{web}/chat/api/conversations/{cid}/messages?after=0") as resp:
                assert (await resp.json())["messages"] == [], kwargs
            assert user_texts(tracker(prod_stack, cid)) == [], kwargs

        # unknown conversation ids and codes, hostile ids
        for cid in ["0" * 32, "f" * 32, "not-an-id", "1%27%20OR%20%271%27%3D%271", "..%2F..%2Fetc%2Fpasswd", "x" * 300]:
            async with http.post(f"{web}/chat/api/conversations/{cid}/messages", json={"text": "hoi"}) as resp:
                await json_error(resp, 404, "not_found")
            async with http.get(f"{web}/chat/api/conversations/{cid}/messages") as resp:
                await json_error(resp, 404, "not_found")
        for code in ["ABCD-EFGH", "' OR 1=1 --", "<script>", "😭", "x" * 500]:
            async with http.post(f"{web}/chat/api/resume", json={"code": code}) as resp:
                await json_error(resp, 404, "code_not_found")

        # odd but valid text: a polite answer from the bot, stored exactly as written
        conv = await new()
        cid = conv["conversation_id"]
        for text in POLITE:
            async with http.post(f"{web}/chat/api/conversations/{cid}/messages", json={"text": text}) as resp:
                body_text = await resp.text()
                assert resp.status == 200, body_text
                no_trace(body_text)
                body = json.loads(body_text)
            assert body["handled_by"] == "bot" and any(m["text"] for m in body["messages"]), (text, body)
            assert body["user_message"]["text"] == text
        async with http.get(f"{web}/chat/api/conversations/{cid}/messages?after=0") as resp:
            stored = (await resp.json())["messages"]
        assert [m["text"] for m in stored if m["sender"] == "user"] == POLITE
        assert rasa_saw(tracker(prod_stack, cid)) == POLITE

    # the tables are still there and the HTML is shown escaped to the counsellor
    hand_off(prod_stack, cid)
    case = case_of(prod_stack, counsellor, cid)
    jar = urllib.request.HTTPCookieProcessor()
    browser = urllib.request.build_opener(jar, NoRedirect)

    def fetch(path: str, form: dict | None = None) -> tuple:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with browser.open(urllib.request.Request(web + path, data=data), timeout=60) as resp:
                return resp.status, resp.read().decode(), resp.headers
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace"), err.headers

    case_path = f"/console/cases/{case['id']}"
    status, _, headers = fetch(case_path)
    assert status in (302, 303) and "/console/login" in headers["Location"]
    status, body, headers = fetch(f"{case_path}/take-over", {"csrf_token": "x"})
    assert status in (302, 303, 401, 403) and "/console/login" in headers.get("Location", "/console/login")
    assert case_of(prod_stack, counsellor, cid)["status"] == "new"

    status, page, _ = fetch("/console/login")
    login_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    status, _, headers = fetch(
        "/console/login", {"csrf_token": "forged", "name": "anna", "password": PASSWORD, "next": "/console/"}
    )
    assert status == 403
    status, _, headers = fetch(
        "/console/login", {"csrf_token": login_csrf, "name": "anna", "password": PASSWORD, "next": "/console/"}
    )
    assert status == 303, status
    status, page, _ = fetch(case_path)
    assert status == 200
    transcript_status, fragment, _ = fetch(f"{case_path}/transcript")
    shown = page + (fragment if transcript_status == 200 else "")
    assert "&lt;script&gt;alert(" in shown and "<script>alert(" not in shown
    assert "<b>help</b>" not in shown
    for path, form in [
        (f"{case_path}/take-over", {}),
        (f"{case_path}/take-over", {"csrf_token": "wrong"}),
        (f"{case_path}/close", {"outcome": "advice_given"}),
    ]:
        status, body, _ = fetch(path, form)
        assert status == 403, (path, form, status)
        no_trace(body)
    assert case_of(prod_stack, counsellor, cid)["status"] == "new"
    for path in ["/api/cases", f"/api/cases/{case['id']}"]:
        status, body = call("GET", web + path)
        assert status == 401
        status, body = call("GET", web + path, token="not-a-token")
        assert status == 401

    # still answering, all processes alive
    status, health = call("GET", f"{web}/health")
    assert status == 200 and health["status"] == "ok"
    fresh = new_conversation(prod_stack)["conversation_id"]
    assert say(prod_stack, fresh, "hoi")["messages"]
    assert all(proc.poll() is None for proc in prod_stack.procs.values())


# ----------------------------------------------------------------------------- retention
def test_retention_purge_deletes_old_conversations_from_our_database_and_rasas_tracker_store(prod_stack, counsellor):
    from sqlalchemy import bindparam, create_engine, select, text, update

    from bot.storage.db import get_engine, session_scope, utcnow
    from bot.storage.models import Case, Conversation

    def conversation(reach_case: bool) -> str:
        cid = new_conversation(prod_stack)["conversation_id"]
        say(prod_stack, cid, REPORT)
        if reach_case:
            hand_off(prod_stack, cid)
        return cid

    old_closed, recent_closed, old_open = conversation(True), conversation(True), conversation(True)
    old_idle = conversation(False)
    orphan = "orphan-" + old_idle[:8]  # reached Rasa directly; not in our database
    rest(prod_stack, 0, orphan, "hoi")
    for cid in (old_closed, recent_closed):
        case = case_of(prod_stack, counsellor, cid)
        status, _ = call(
            "POST",
            f"{prod_stack.web_url}/api/cases/{case['id']}/close",
            {"outcome": "advice_given", "note": "test"},
            token=counsellor,
        )
        assert status == 200

    long_ago = utcnow() - timedelta(days=120)
    backdated = [old_closed, old_open, old_idle]
    with session_scope(get_engine(prod_stack.database_url)) as s:
        s.execute(update(Case).where(Case.conversation_id == old_closed).values(closed_at=long_ago))
        s.execute(update(Conversation).where(Conversation.id.in_(backdated)).values(last_seen_at=long_ago))
    tracker_db = create_engine(prod_stack.tracker_url, future=True)
    with tracker_db.begin() as conn:
        conn.execute(
            text("UPDATE events SET timestamp = timestamp - :shift WHERE sender_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"shift": 120 * 86400, "ids": backdated + [orphan]},
        )

    def senders() -> set:
        with tracker_db.connect() as conn:
            return set(conn.execute(text("SELECT DISTINCT sender_id FROM events")).scalars())

    before = senders()
    assert {old_closed, recent_closed, old_open, old_idle, orphan} <= before

    dry = prod_stack.cli("purge", "--days", "90", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Zou verwijderen: 1 casussen, 2 gesprekken" in dry.stdout, dry.stdout
    assert "tracker store: 3 gesprekken" in dry.stdout, dry.stdout
    assert senders() == before

    done = prod_stack.cli("purge", "--days", "90")
    assert done.returncode == 0, done.stderr
    assert "Verwijderd: 1 casussen, 2 gesprekken" in done.stdout and "tracker store: 3 gesprekken" in done.stdout
    assert senders() == before - {old_closed, old_idle, orphan}
    with session_scope(get_engine(prod_stack.database_url)) as s:
        left = set(
            s.execute(
                select(Conversation.id).where(Conversation.id.in_([old_closed, recent_closed, old_open, old_idle]))
            ).scalars()
        )
    assert left == {recent_closed, old_open}
    tracker_db.dispose()

    # the conversation with the open case goes on, with its context
    status, full = call(
        "GET", f"{prod_stack.web_url}/api/cases/{case_of(prod_stack, counsellor, old_open)['id']}", token=counsellor
    )
    assert status == 200 and full["transcript_source"] == "rasa" and full["transcript"]
    assert tracker(prod_stack, old_open)["slots"]["amount_demanded"] == 500
    again = prod_stack.cli("purge", "--days", "90")
    assert "Verwijderd: 0 casussen, 0 gesprekken" in again.stdout and "tracker store: 0 gesprekken" in again.stdout
