"""End to end with the real system (trained Rasa model, action server, web app):
a Dutch blackmail conversation, consent, the case in the queue with its summary fields,
take over, a counsellor reply in the person's chat, a message back, hand back, close."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from chat_helpers import NoRedirect, call, say, texts

pytestmark = pytest.mark.e2e


def test_blackmail_conversation_to_counsellor_and_back(live_stack):
    token = live_stack.create_counsellor("anna", "een-lang-wachtwoord-123")
    status, conv = call("POST", f"{live_stack.web_url}/chat/api/conversations", {})
    assert status == 201
    cid = conv["conversation_id"]

    greeting = say(live_stack, cid, "hoi")
    assert "chatbot" in texts(greeting["messages"]).lower()

    report = say(
        live_stack,
        cid,
        "die gast op insta wil 500 euro via tikkie vanavond anders stuurt hij mn nudes naar mn vrienden",
    )
    script = texts(report["messages"]).lower()
    assert "niet" in script and ("betaal" in script or "betalen" in script), script  # the don't-pay advice comes first
    assert "schuld" in script  # "het is niet jouw schuld"

    consent = say(live_stack, cid, "ik wil met een hulpverlener praten")
    assert consent["handled_by"] == "bot"
    assert "hulpverlener" in texts(consent["messages"]).lower()
    handoff = say(live_stack, cid, "ja dat is goed")
    assert conv["code"] in texts(handoff["messages"]) or "hulpverlener" in texts(handoff["messages"]).lower()

    # The case is in the counsellor queue with the summary fields.
    status, queue = call("GET", f"{live_stack.web_url}/api/cases", token=token)
    assert status == 200
    case = next(c for c in queue["cases"] if c["conversation_id"] == cid)
    facts = case["facts"]
    assert facts["amount_demanded"] == 500
    assert facts["platform"] == "instagram"
    assert facts["payment_method"] == "tikkie"
    assert facts["deadline"] and "vanavond" in facts["deadline"]
    assert not facts.get("paid")
    assert case["risk"] == "high", case["risk_reason"]  # deadline within 24 hours
    assert "500" in case["summary"] and "Instagram" in case["summary"]
    assert case["code"] == conv["code"]

    # Take over: the bot pauses, the counsellor's reply reaches the chat.
    status, _ = call("POST", f"{live_stack.web_url}/api/cases/{case['id']}/take-over", {}, token=token)
    assert status == 200
    paused = say(live_stack, cid, "hallo? is daar iemand")
    assert paused["handled_by"] == "counsellor"
    assert not [m for m in paused["messages"] if m["sender"] == "bot"]
    status, replied = call(
        "POST",
        f"{live_stack.web_url}/api/cases/{case['id']}/reply",
        {"text": "Hoi, ik ben Anna van de hulplijn. Goed dat je schreef."},
        token=token,
    )
    assert status == 200, replied
    status, inbox = call("GET", f"{live_stack.web_url}/chat/api/conversations/{cid}/messages?after=0")
    assert status == 200
    from_counsellor = [m for m in inbox["messages"] if m["sender"] == "counsellor"]
    assert from_counsellor and "Anna" in from_counsellor[-1]["text"]
    say(live_stack, cid, "dankjewel, wat moet ik nu doen")

    # The transcript (from Rasa's tracker store) holds both sides of the takeover.
    status, full = call("GET", f"{live_stack.web_url}/api/cases/{case['id']}", token=token)
    assert status == 200 and full["transcript_source"] == "rasa"
    transcript = json.dumps(full["transcript"], ensure_ascii=False)
    assert "is daar iemand" in transcript and "Anna" in transcript and "wat moet ik nu doen" in transcript

    # Hand back: the bot answers again. Close with an outcome.
    status, _ = call("POST", f"{live_stack.web_url}/api/cases/{case['id']}/hand-back", {}, token=token)
    assert status == 200
    back = say(live_stack, cid, "moet ik betalen?")
    assert back["handled_by"] == "bot" and [m for m in back["messages"] if m["sender"] == "bot"]
    assert "niet" in texts(back["messages"]).lower()
    status, closed = call(
        "POST",
        f"{live_stack.web_url}/api/cases/{case['id']}/close",
        {"outcome": "advice_given", "note": "advies gegeven"},
        token=token,
    )
    assert status == 200 and closed["status"] == "closed"
    status, full = call("GET", f"{live_stack.web_url}/api/cases/{case['id']}", token=token)
    actions = [a.get("action") for a in full["audit"]]
    assert {"case_opened", "take_over", "reply", "hand_back", "close"} <= set(actions), actions


def test_console_and_api_refuse_without_login(live_stack):
    for path in ["/api/cases", "/api/cases/1", "/api/handover", "/api/me"]:
        status, _ = call("GET", live_stack.web_url + path)
        assert status == 401, path
    status, _ = call("POST", live_stack.web_url + "/api/cases/1/take-over", {})
    assert status == 401
    req = urllib.request.Request(live_stack.web_url + "/console/")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        resp = opener.open(req, timeout=10)
        status, location = resp.status, resp.headers.get("Location", "")
    except urllib.error.HTTPError as err:
        status, location = err.code, err.headers.get("Location", "")
    assert status in (302, 303, 401, 403)
    if status in (302, 303):
        assert "login" in location
