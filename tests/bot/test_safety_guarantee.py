"""The safety guarantee at the web app's choke point (docs/safety.md, issue 12).

Every message a person sends passes ``POST /chat/api/conversations/{cid}/messages``. When
the deterministic net (data/safety/) matches its text, that same turn answers with 113/112
whatever else happens, and the conversation's open case becomes urgent at once. The fake
Rasa here never says 113 by itself (unless sent "/safe"), so each test shows the web app's
own guarantee, not the bot's rules. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from bot.language.safety_phrases import safety_message

SUICIDAL = "hij wil 500 euro anders stuurt hij het rond, ik wil niet meer leven"


async def _new(client):
    return await (await client.post("/chat/api/conversations")).json()


async def _say(client, cid, **body):
    return await client.post(f"/chat/api/conversations/{cid}/messages", json=body)


async def _all(client, cid):
    return (await (await client.get(f"/chat/api/conversations/{cid}/messages?after=0")).json())["messages"]


def _has_113(messages) -> bool:
    return any("113" in m["text"] for m in messages)


async def test_a_normal_turn_without_113_gets_the_safety_message_added(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    data = await (await _say(client, cid, text=SUICIDAL)).json()
    assert [m["sender"] for m in data["messages"]] == ["bot", "bot", "system"]
    assert data["messages"][-1]["text"] == safety_message()
    assert "113" in safety_message() and "112" in safety_message()
    # Rasa's transcript (what counsellors read) holds it too
    events = fake_rasa.tracker(cid)["events"]
    assert events[-1]["event"] == "bot" and events[-1]["text"] == safety_message()
    assert events[-1]["metadata"] == {"nachtlicht_system": True}


async def test_no_second_safety_message_when_the_bot_already_gave_113(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    fake_rasa.replies_for = lambda message: [{"text": "Bel of chat nu met 113."}]
    data = await (await _say(client, cid, text="ik wil dood")).json()
    assert [m["text"] for m in data["messages"]] == ["Bel of chat nu met 113."]


async def test_ordinary_messages_and_hard_negatives_get_nothing_extra(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    for text in ["hij wil 500 euro", "ik schrok me dood", "ik wil niet meer betalen", "ik wil dat het stopt"]:
        data = await (await _say(client, cid, text=text)).json()
        assert not _has_113(data["messages"]), text


async def test_a_button_payload_cannot_hide_suicidal_words_from_rasa(client, fake_rasa):
    conv = await _new(client)
    cid = conv["conversation_id"]
    data = await (await _say(client, cid, text="ik wil niet meer leven", payload="/greet")).json()
    assert fake_rasa.received[-1] == (
        cid,
        "ik wil niet meer leven",
        {"conversation_code": conv["code"], "opening": True},
    )
    assert _has_113(data["messages"])


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"text": "ik wil dood " + "x" * 2100}, 413, "too_long"),
        ({"text": "ik wil dood", "payload": "geen slash"}, 400, "bad_payload"),
        ({"text": "ik wil dood", "payload": 7}, 400, "bad_payload"),
    ],
)
async def test_a_rejected_message_still_gets_the_safety_message(client, fake_rasa, body, status, code):
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, **body)
    data = await resp.json()
    assert resp.status == status and data["error"] == code
    assert [m["text"] for m in data["messages"]] == [safety_message()]
    assert fake_rasa.received == []  # the rejected message itself never reached the bot
    stored = await _all(client, cid)
    assert [m["sender"] for m in stored] == ["system"] and stored[0]["text"] == safety_message()


async def test_rate_limited_suicidal_message_gets_the_safety_message_once(make_client, fake_rasa):
    client = await make_client(chat_rate_conversation=1)
    cid = (await _new(client))["conversation_id"]
    assert (await _say(client, cid, text="hoi")).status == 200
    for _ in range(3):
        resp = await _say(client, cid, text="kwil dood")
        data = await resp.json()
        assert resp.status == 429 and data["error"] == "rate_limited"
        assert data["messages"][0]["text"] == safety_message()
    stored = await _all(client, cid)
    assert [m["sender"] for m in stored].count("system") == 1  # not repeated on every retry


async def test_open_case_becomes_urgent_at_once(client, fake_rasa, cases):
    cid = (await _new(client))["conversation_id"]
    case = cases.open_case(cid, {"amount_demanded": 300, "handoff_consent": True})
    assert case["risk"] == "normal"
    await _say(client, cid, text="ik zie het niet meer zitten, ik wil er niet meer zijn")
    after = cases.get(case["id"])
    assert after["risk"] == "urgent" and after["facts"]["suicide_risk"] is True
    assert after["status"] == "new" and after["safety_alert_at"]
    assert [c["id"] for c in cases.queue()][0] == case["id"]
    # risk never goes down by itself: a later update without the signal keeps it urgent
    cases.open_case(cid, {"suicide_risk": False, "platform": "snapchat"})
    assert cases.get(case["id"])["risk"] == "urgent"


async def test_during_a_take_over_the_person_gets_113_and_the_counsellor_sees_it(
    client, fake_rasa, cases, counsellor, login_as
):
    auth = {"Authorization": f"Bearer {counsellor}"}
    cid = (await _new(client))["conversation_id"]
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    assert (await client.post(f"/api/cases/{case_id}/take-over", headers=auth)).status == 200
    resp = await _say(client, cid, text="sorry maar ik trek dit niet, ik ga mezelf iets aandoen")
    data = await resp.json()
    assert data["handled_by"] == "counsellor"
    assert [m["text"] for m in data["messages"]] == [safety_message()]
    case = await (await client.get(f"/api/cases/{case_id}", headers=auth)).json()
    assert case["risk"] == "urgent" and case["safety_alert_at"]
    assert "safety_alert" in [a["action"] for a in cases.audit(case_id)]
    await login_as(client)
    fragment = await (await client.get(f"/console/cases/{case_id}/transcript")).text()
    assert "Veiligheidssignaal" in fragment and "113" in fragment
    # an ordinary message during the take-over gets no extra text
    data = await (await _say(client, cid, text="ok dank je")).json()
    assert data["messages"] == []


async def test_rasa_down_still_answers_with_113(client, fake_rasa, cases):
    cid = (await _new(client))["conversation_id"]
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    fake_rasa.down = True
    resp = await _say(client, cid, text="ik wil dood")
    data = await resp.json()
    assert resp.status == 202 and any("113" in m["text"] and "112" in m["text"] for m in data["messages"])
    assert cases.get(case_id)["risk"] == "urgent"
    # a second message while Rasa is still away: the restart notice is not repeated, 113 still comes
    data = await (await _say(client, cid, text="ik wil er niet meer zijn")).json()
    assert [m["text"] for m in data["messages"]] == [safety_message()]


async def test_rasa_down_during_a_take_over_still_answers_with_113(client, fake_rasa, cases, counsellor):
    auth = {"Authorization": f"Bearer {counsellor}"}
    cid = (await _new(client))["conversation_id"]
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    await client.post(f"/api/cases/{case_id}/take-over", headers=auth)
    fake_rasa.down = True
    data = await (await _say(client, cid, text="ik wil niet meer leven")).json()
    assert [m["text"] for m in data["messages"]] == [safety_message()]


async def test_hand_back_and_close_tell_rasa_no_counsellor_is_coming(client, fake_rasa, cases, counsellor):
    auth = {"Authorization": f"Bearer {counsellor}"}
    cid = (await _new(client))["conversation_id"]
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    await client.post(f"/api/cases/{case_id}/take-over", headers=auth)
    await client.post(f"/api/cases/{case_id}/hand-back", headers=auth)
    assert fake_rasa.tracker(cid)["slots"] == {"handoff_done": False}
    fake_rasa.tracker(cid)["slots"].clear()
    await client.post(f"/api/cases/{case_id}/close", headers=auth, json={"outcome": "advice_given"})
    assert fake_rasa.tracker(cid)["slots"] == {"handoff_done": False}


def test_the_web_app_message_is_domain_utter_safety():
    import yaml

    from bot.language.safety_phrases import DOMAIN_FILE

    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    assert safety_message() == domain["responses"]["utter_safety"][0]["text"]


def test_someone_writing_for_another_gets_a_safety_message_for_them_with_113_and_112():
    """A parent got the victim's text ("Het klinkt alsof het nu heel zwaar is", session 12): the
    variant for writer = on_behalf speaks about the other person, and names 113 and 112 too. The web
    app's message stays the first, unconditional variant."""
    import yaml

    from bot.language.safety_phrases import DOMAIN_FILE

    variants = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]["utter_safety"]
    assert "condition" not in variants[0]
    parent = [
        v for v in variants if {"type": "slot", "name": "writer", "value": "on_behalf"} in (v.get("condition") or [])
    ]
    assert len(parent) == 1
    text = parent[0]["text"]
    assert "113" in text and "112" in text and "hem of haar" in text
    assert all("113" in v["text"] and "112" in v["text"] for v in variants)
