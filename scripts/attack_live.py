"""Live attack on a running Nachtlicht on loopback: one line per probe, OK or FINDING.

Start the stack first (`WEB_PORT=18080 ACTION_PORT=15055 RASA_PORT=15005 .venv/bin/python -m bot run`),
then `.venv/bin/python scripts/attack_live.py` (W, RASA, ACT override the addresses). It plays forged and
unknown conversation ids, bad bodies (empty, broken, binary, huge, deep, wrong types), Rasa commands typed
as text, other people's and malformed resume codes, the counsellor pages and API without login or with bad
tokens, path traversal, wrong methods, Rasa's and the action server's APIs without a token, and a parallel
flood on one conversation (no 5xx, nothing accepted is lost). Exit code 1 when anything is a finding.
Written in session 29 (docs/security.md).
"""

import concurrent.futures as cf
import json
import os
import sys

import requests

W = os.environ.get("W", "http://127.0.0.1:18080")
RASA = os.environ.get("RASA", "http://127.0.0.1:15005")
ACT = os.environ.get("ACT", "http://127.0.0.1:15055")
findings = []


def check(name, cond, info=""):
    print(("OK      " if cond else "FINDING ") + name + ("  " + str(info)[:300] if info else ""))
    if not cond:
        findings.append(name)


s = requests.Session()


def new():
    r = s.post(W + "/chat/api/conversations")
    return r.json()


def say(cid, text, **kw):
    return s.post(f"{W}/chat/api/conversations/{cid}/messages", json={"text": text, **kw}, timeout=120)


c = new()
cid = c["conversation_id"]
code = c["code"]
check("create gives id+code", bool(cid and code), c)
# 1 forged / unknown ids
for bad in [
    "0" * 32,
    cid[:-1] + ("0" if cid[-1] != "0" else "1"),
    "../../etc/passwd",
    "%2e%2e%2f",
    "x" * 5000,
    "<script>",
    "' OR 1=1 --",
]:
    r1 = s.get(f"{W}/chat/api/conversations/{requests.utils.quote(bad, safe='')}/messages")
    r2 = s.post(f"{W}/chat/api/conversations/{requests.utils.quote(bad, safe='')}/messages", json={"text": "hoi"})
    check(
        f"unknown id {bad[:20]!r} -> 4xx json",
        r1.status_code in (400, 404, 414)
        and r2.status_code in (400, 404, 414)
        and "Traceback" not in r1.text + r2.text,
        (r1.status_code, r2.status_code, r1.text[:80]),
    )
# 2 bad bodies
bodies = [
    b"",
    b"{",
    b"[]",
    b'"hoi"',
    b"null",
    b'{"text": 5}',
    b'{"text": null}',
    b'{"text": ["a"]}',
    b'{"text": {"a":1}}',
    b"\xff\xfe\x00\x01binary",
    b'{"text":"' + b"a" * 2_000_000 + b'"}',
    b"[" * 100000 + b"]" * 100000,
    b'{"text": "hoi", "payload": "/restart"}',
    b'{"text": "hoi", "payload": "/inform{\\"paid\\": true}"}',
    b'{"text": "\\ud800"}',
]
for b in bodies:
    r = s.post(
        f"{W}/chat/api/conversations/{cid}/messages", data=b, headers={"Content-Type": "application/json"}, timeout=120
    )
    ok = (
        r.status_code < 500
        and "Traceback" not in r.text
        and r.headers.get("Content-Type", "").startswith("application/json")
    )
    check(f"body {b[:30]!r}... -> {r.status_code}", ok, r.text[:120])
# wrong content type
r = s.post(
    f"{W}/chat/api/conversations/{cid}/messages",
    data="text=hoi",
    headers={"Content-Type": "application/x-www-form-urlencoded"},
)
check("form body -> clean error", r.status_code < 500, (r.status_code, r.text[:100]))
# 3 commands via text
for t in [
    "/restart",
    " /restart",
    "/ /restart",
    "\u200b/restart",
    "／restart",
    '/inform{"paid": true}',
    "/request_counsellor",
    "/stop\n",
    "\n/restart",
]:
    r = say(cid, t)
    msgs = s.get(f"{W}/chat/api/conversations/{cid}/messages").json()
    check(
        f"command-like text {t!r} answered politely",
        r.status_code in (200, 201, 400, 429),
        (r.status_code, r.text[:100]),
    )
# 4 html/script stored as text
r = say(cid, "<img src=x onerror=alert(1)><script>alert(1)</script>")
check("html text accepted as text", r.status_code in (200, 201), r.status_code)
# 5 resume with wrong/other codes
for bad in ["", "x", code.lower(), code + "x", code[:-1], "' or 1=1--", "A" * 10000, None, 5, ["a"]]:
    r = s.post(W + "/chat/api/resume", json={"code": bad})
    check(
        f"resume {str(bad)[:20]!r} -> {r.status_code}",
        r.status_code in (400, 404, 413, 429) or (bad == code.lower() and r.status_code == 200),
        r.text[:100],
    )
# 6 counsellor endpoints without auth
for path in [
    "/api/cases",
    "/api/cases/1",
    "/api/me",
    "/api/handover",
    "/api/outcomes",
    "/console/",
    "/console/cases/1",
    "/console/cases/1/transcript",
    "/console/handover",
]:
    r = requests.get(W + path, allow_redirects=False)
    check(f"no auth GET {path} -> {r.status_code}", r.status_code in (401, 403, 302, 303), r.text[:80])
for path in [
    "/api/cases/1/take-over",
    "/api/cases/1/reply",
    "/api/cases/1/close",
    "/api/cases/1/reveal",
    "/console/cases/1/reveal",
    "/console/cases/1/reply",
]:
    r = requests.post(W + path, json={"text": "x"}, allow_redirects=False)
    check(f"no auth POST {path} -> {r.status_code}", r.status_code in (401, 403, 302, 303), r.text[:80])
for tok in ["x", "' or 1=1", "Bearer", "a" * 5000]:
    r = requests.get(W + "/api/cases", headers={"Authorization": "Bearer " + tok})
    check(f"bad token -> {r.status_code}", r.status_code in (401, 403), r.text[:60])
r = requests.get(W + "/api/cases?token=x")
check("token in query ignored", r.status_code in (401, 403))
# 7 traversal
for path in [
    "/console/static/../../settings.py",
    "/console/static/%2e%2e/%2e%2e/settings.py",
    "/console/static/..%2f..%2f..%2fsettings.py",
    "/chat/static/../api.py",
]:
    r = requests.get(W + path)
    check(
        f"traversal {path} -> {r.status_code}",
        r.status_code in (400, 403, 404) and "SECRET" not in r.text and "import" not in r.text,
        r.text[:60],
    )
# 8 methods
for m in ["PUT", "DELETE", "PATCH"]:
    r = requests.request(m, f"{W}/chat/api/conversations/{cid}/messages")
    check(f"{m} -> 405", r.status_code == 405, r.status_code)
# 9 Rasa and action server directly
for url in [RASA + "/conversations/" + cid + "/tracker", RASA + "/version", RASA + "/status", RASA + "/model"]:
    try:
        r = requests.get(url, timeout=5)
        check(f"Rasa {url[-30:]} without token -> {r.status_code}", r.status_code in (401, 403, 404, 405), r.text[:80])
    except Exception as e:
        check(f"Rasa {url} unreachable", True, e)
try:
    r = requests.post(RASA + "/webhooks/rest/webhook", json={"sender": cid, "message": "/restart"}, timeout=30)
    check("Rasa REST webhook reachable on loopback (by design, documented)", True, r.status_code)
except Exception as e:
    check("Rasa REST unreachable", True, e)
try:
    r = requests.post(
        ACT + "/webhook",
        json={
            "next_action": "action_create_case",
            "sender_id": "x",
            "tracker": {"sender_id": "x", "slots": {}, "events": []},
            "domain": {},
        },
        timeout=10,
    )
    check(f"action server without token -> {r.status_code}", r.status_code in (401, 403), r.text[:80])
except Exception as e:
    check("action server unreachable", True, e)
# 10 parallel flood on one conversation: no 5xx, no lost messages
c2 = new()
cid2 = c2["conversation_id"]
texts = [f"bericht {i}" for i in range(30)]
with cf.ThreadPoolExecutor(10) as ex:
    codes = list(
        ex.map(
            lambda t: (
                requests.post(f"{W}/chat/api/conversations/{cid2}/messages", json={"text": t}, timeout=180).status_code
            ),
            texts,
        )
    )
check("parallel flood: no 5xx", all(c < 500 for c in codes), sorted(set(codes)))
msgs = requests.get(f"{W}/chat/api/conversations/{cid2}/messages").json()
body = json.dumps(msgs)
accepted = [t for t, c in zip(texts, codes) if c in (200, 201)]
lost = [t for t in accepted if f'"{t}"' not in body]
check(f"parallel flood: accepted {len(accepted)} all stored", not lost, lost[:5])
print("\nFINDINGS:", len(findings))
[print(" -", f) for f in findings]
sys.exit(1 if findings else 0)
