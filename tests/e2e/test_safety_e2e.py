"""Safety end to end with the real system (trained model, action server, web app), issue 12:
113 during a take-over, urgent without a second question, no false "a counsellor is coming"
after a hand-back or a close (a new yes opens or re-queues the case), a button payload that
cannot hide suicidal words, and a suicidal answer inside the facts questions."""

from __future__ import annotations

import pytest
from chat_helpers import call, say, texts

pytestmark = pytest.mark.e2e
FALSE_PROMISES = ("staat al klaar", "gaat je gesprek al lezen", "staat klaar voor een hulpverlener")


def _new(stack) -> str:
    status, conv = call("POST", f"{stack.web_url}/chat/api/conversations", {})
    assert status == 201
    return conv["conversation_id"]


def _case(stack, token, cid, status="open"):
    code, data = call("GET", f"{stack.web_url}/api/cases?status={status}", token=token)
    assert code == 200
    found = [c for c in data["cases"] if c["conversation_id"] == cid]
    return found[0] if found else None


def _consent_then_yes(stack, cid) -> str:
    ask = texts(say(stack, cid, "ik wil met een hulpverlener praten")["messages"])
    assert not any(p in ask for p in FALSE_PROMISES), ask
    assert "hulpverlener" in ask.lower() and "?" in ask, ask  # the consent question
    return texts(say(stack, cid, "ja dat is goed")["messages"])


def test_take_over_hand_back_close_and_asking_again(live_stack):
    token = live_stack.create_counsellor("safe", "een-lang-wachtwoord-456")
    cid = _new(live_stack)
    say(live_stack, cid, "iemand op snap wil 300 euro anders stuurt hij mn fotos naar mn klas")
    _consent_then_yes(live_stack, cid)
    case = _case(live_stack, token, cid)
    assert case and case["status"] == "new" and case["risk"] != "urgent"

    # during a take-over: 113 for the person in the same turn, urgent + banner for the counsellor
    status, _ = call("POST", f"{live_stack.web_url}/api/cases/{case['id']}/take-over", {}, token=token)
    assert status == 200
    during = say(live_stack, cid, "ik kan dit niet meer, ik wil dood")
    assert during["handled_by"] == "counsellor" and "113" in texts(during["messages"])
    _, full = call("GET", f"{live_stack.web_url}/api/cases/{case['id']}", token=token)
    assert full["risk"] == "urgent" and full["safety_alert_at"]

    # hand back: asking for a person again gets the consent question, and a yes re-queues the case
    status, _ = call("POST", f"{live_stack.web_url}/api/cases/{case['id']}/hand-back", {}, token=token)
    assert status == 200
    _consent_then_yes(live_stack, cid)
    again = _case(live_stack, token, cid)
    assert again["id"] == case["id"] and again["status"] == "new" and again["risk"] == "urgent"  # never lower

    # close: asking again opens a new case after a new yes
    status, _ = call(
        "POST", f"{live_stack.web_url}/api/cases/{case['id']}/close", {"outcome": "advice_given"}, token=token
    )
    assert status == 200
    _consent_then_yes(live_stack, cid)
    new_case = _case(live_stack, token, cid)
    assert new_case and new_case["id"] != case["id"] and new_case["status"] == "new"


def test_suicidal_with_a_waiting_case_is_urgent_without_a_second_question(live_stack):
    token = live_stack.create_counsellor("safe2", "een-lang-wachtwoord-789")
    cid = _new(live_stack)
    say(live_stack, cid, "hij dreigt mijn video naar mijn ouders te sturen")
    _consent_then_yes(live_stack, cid)
    answer = texts(say(live_stack, cid, "ik zie het echt niet meer zitten, ik wil er niet meer zijn")["messages"])
    assert "113" in answer and "Mag ik doorgeven" not in answer
    assert _case(live_stack, token, cid)["risk"] == "urgent"


def test_a_button_payload_cannot_hide_suicidal_words(live_stack):
    cid = _new(live_stack)
    status, body = call(
        "POST",
        f"{live_stack.web_url}/chat/api/conversations/{cid}/messages",
        {"text": "ik wil niet meer leven", "payload": "/greet"},
    )
    assert status == 200 and "113" in texts(body["messages"])


def test_a_suicidal_answer_inside_the_questions(live_stack):
    cid = _new(live_stack)
    say(live_stack, cid, "die gast wil 200 euro anders zet hij mn naaktfoto online")
    say(live_stack, cid, "ja is goed")  # yes to the questions
    answer = texts(say(live_stack, cid, "nee, ik wil niet meer")["messages"])
    assert "113" in answer, answer
