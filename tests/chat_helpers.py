"""Helpers for tests that talk to the web app's chat, console and counsellor APIs, shared by
tests/bot (aiohttp test client + fake Rasa), tests/e2e and tests/prod (real processes).
(A module with a unique name in tests/, which pytest puts on sys.path for tests/conftest.py.)"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

# Bad message bodies for POST /chat/api/conversations/{cid}/messages: (aiohttp request kwargs,
# expected status, expected error code). The same kwargs work for aiohttp's test client and
# for a real aiohttp.ClientSession.
BAD_MESSAGE_BODIES = [
    ({"data": "{not json", "headers": {"Content-Type": "application/json"}}, 400, "bad_json"),
    ({"data": b"\xff\xfe\x00\x81binary", "headers": {"Content-Type": "application/json"}}, 400, "bad_json"),
    (
        {"data": b'{"text": "ho\xc3\x28i \xed\xa0\x80"}', "headers": {"Content-Type": "application/json"}},
        400,
        "bad_json",
    ),
    ({"data": b"\x89PNG\r\n\x1a\n\x00\x00", "headers": {"Content-Type": "image/png"}}, 400, "bad_content_type"),
    ({"data": "text=hoi", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400, "bad_content_type"),
    ({"data": "hoi"}, 400, "bad_content_type"),
    ({"json": ["hoi"]}, 400, "bad_json"),
    ({"json": "hoi"}, 400, "bad_json"),
    ({"json": {"text": 42}}, 400, "bad_json"),
    ({"json": {"text": ["a"]}}, 400, "bad_json"),
    ({"json": {}}, 400, "empty"),
    ({"json": {"text": ""}}, 400, "empty"),
    ({"json": {"text": "   \n\t "}}, 400, "empty"),
    ({"json": {"text": "\u0000\u0001"}}, 400, "empty"),
    ({"json": {"text": "x", "payload": "geen slash"}}, 400, "bad_payload"),
    ({"json": {"text": "x", "payload": 5}}, 400, "bad_payload"),
    ({"json": {"text": "x" * 2001}}, 413, "too_long"),
    ({"json": {"text": "help " * 20_480}}, 413, "too_long"),  # 100 KB
    (
        {"data": b'{"text": "' + b"a" * 300_000 + b'"}', "headers": {"Content-Type": "application/json"}},
        413,
        "too_long",
    ),
]
TRACE_MARKERS = ("Traceback", 'File "', "Error:", "Exception")


async def json_error(resp, status: int, code: str) -> dict:
    """Check an aiohttp response is the chat API's JSON error ``code`` with a Dutch message."""
    text = await resp.text()
    assert resp.status == status, text
    assert resp.content_type == "application/json"
    data = json.loads(text)
    assert data["error"] == code
    assert isinstance(data["message"], str) and data["message"]
    assert not any(marker in text for marker in TRACE_MARKERS), text
    return data


def call(method: str, url: str, body: dict | None = None, token: str | None = None) -> tuple:
    """(status, parsed JSON) of a request to a running web app."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def say(stack, cid: str, text: str) -> dict:
    """The person sends ``text`` through the web app's chat API; returns the 200 answer."""
    status, body = call("POST", f"{stack.web_url}/chat/api/conversations/{cid}/messages", {"text": text})
    assert status == 200, body
    return body


def texts(messages: list) -> str:
    return "\n".join(m["text"] or "" for m in messages)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
