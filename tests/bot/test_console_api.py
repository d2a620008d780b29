"""The counsellor JSON API under /api/ (Bearer tokens)."""

from __future__ import annotations

import pytest

ENDPOINTS = [
    ("GET", "/api/me"),
    ("GET", "/api/outcomes"),
    ("GET", "/api/cases"),
    ("GET", "/api/cases/1"),
    ("POST", "/api/cases/1/take-over"),
    ("POST", "/api/cases/1/reply"),
    ("POST", "/api/cases/1/hand-back"),
    ("POST", "/api/cases/1/close"),
    ("POST", "/api/cases/1/reveal"),
    ("GET", "/api/handover"),
    ("GET", "/api/nothing"),
]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nlc_wrong"}, {"Authorization": "Basic YW5uYTp4"}, {"Authorization": "Bearer "}],
)
async def test_every_api_call_needs_a_valid_token(client, cases, counsellor, headers):
    case_id = cases.open_case("conv-1", {})["id"]
    for method, path in ENDPOINTS:
        resp = await client.request(method, path, headers=headers, json={"text": "hoi", "outcome": "other"})
        assert resp.status == 401, (method, path)
        assert (await resp.json())["error"] == "unauthorized"
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert cases.get(case_id)["status"] == "new"


async def test_console_session_cookie_is_not_an_api_login(client, counsellor, login_as):
    await login_as(client)
    assert (await client.get("/api/cases")).status == 401


async def test_reissued_token_replaces_the_old_one(client, accounts, counsellor):
    new = accounts.issue_token("anna")
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {counsellor}"})).status == 401
    resp = await client.get("/api/me", headers={"Authorization": f"Bearer {new}"})
    assert await resp.json() == {"name": "anna"}


async def test_list_and_get_cases_with_summary_fields(client, cases, counsellor, fake_rasa):
    auth = {"Authorization": f"Bearer {counsellor}"}
    low = cases.open_case("conv-a", {"platform": "discord"})["id"]
    top = cases.open_case("conv-b", {"suicide_risk": True, "contact_preference": "bel 0612345678"})["id"]
    fake_rasa.tracker("conv-b")["events"] += [
        {"event": "user", "text": "ik wil niet meer, bel 0612345678", "timestamp": 1700000000.0},
        {
            "event": "bot",
            "text": "Bel 113.",
            "timestamp": 1700000001.0,
            "data": {"buttons": [{"title": "Ja", "payload": "/affirm"}]},
        },
        {"event": "action", "name": "action_listen"},
    ]
    data = await (await client.get("/api/cases", headers=auth)).json()
    assert [c["id"] for c in data["cases"]] == [top, low]
    first = data["cases"][0]
    assert first["risk"] == "urgent" and first["status"] == "new" and first["code"]
    assert first["facts"]["suicide_risk"] is True and "0612345678" not in str(first)
    assert set(first["facts"]) >= {
        "writer",
        "age_group",
        "demand_type",
        "amount_demanded",
        "paid",
        "amount_paid",
        "payment_method",
        "platform",
        "deadline",
        "material_spread",
        "audience",
        "advice_given",
        "open_questions",
        "contact_preference",
    }
    assert first["summary"].startswith("Onbekend wie er schrijft.")
    one = await (await client.get(f"/api/cases/{top}", headers=auth)).json()
    assert one["transcript_source"] == "rasa"
    assert [(m["sender"], m["text"]) for m in one["transcript"]] == [
        ("user", "ik wil niet meer, bel [telefoonnummer verborgen]"),
        ("bot", "Bel 113. [knoppen: Ja]"),
    ]
    assert one["audit"][0]["action"] == "case_opened"
    assert (await client.get("/api/cases/999", headers=auth)).status == 404
    assert (await client.get("/api/cases?status=nope", headers=auth)).status == 400
    assert (await (await client.get("/api/cases?status=all", headers=auth)).json())["cases"]


async def test_api_actions_mirror_the_console(client, cases, counsellor, fake_rasa):
    auth = {"Authorization": f"Bearer {counsellor}"}
    case_id = cases.open_case("conv-api", {"contact_preference": "mail a@b.nl"})["id"]
    resp = await client.post(f"/api/cases/{case_id}/reply", headers=auth, json={"text": "hoi"})
    assert resp.status == 409 and "Neem het gesprek eerst over" in (await resp.json())["message"]
    taken = await (await client.post(f"/api/cases/{case_id}/take-over", headers=auth)).json()
    assert taken["status"] == "in_progress" and taken["assigned_to"] == "anna" and taken["paused"] is True
    assert fake_rasa.tracker("conv-api")["paused"] is True
    resp = await client.post(f"/api/cases/{case_id}/reply", headers=auth, json={"text": "Hoi, ik ben Anna."})
    data = await resp.json()
    assert resp.status == 200 and data["message"]["sender"] == "counsellor" and data["warning"] is None
    assert (await client.post(f"/api/cases/{case_id}/reply", headers=auth, json={"text": 5})).status == 400
    assert (await client.post(f"/api/cases/{case_id}/reply", headers=auth, data="x")).status == 400
    assert (
        await client.post(
            f"/api/cases/{case_id}/reply",
            headers=auth,
            data="{",
        )
    ).status == 400
    revealed = await (await client.post(f"/api/cases/{case_id}/reveal", headers=auth)).json()
    assert revealed["facts"]["contact_preference"] == "mail a@b.nl" and revealed["revealed"] is True
    back = await (await client.post(f"/api/cases/{case_id}/hand-back", headers=auth)).json()
    assert back["status"] == "handed_back" and fake_rasa.tracker("conv-api")["paused"] is False
    resp = await client.post(f"/api/cases/{case_id}/close", headers=auth, json={"outcome": "nope"})
    assert resp.status == 400
    closed = await (
        await client.post(
            f"/api/cases/{case_id}/close",
            headers=auth,
            json={"outcome": "removal_started", "note": "StopNCII uitgelegd"},
        )
    ).json()
    assert closed["status"] == "closed" and closed["outcome"] == "removal_started"
    assert (await client.post(f"/api/cases/{case_id}/take-over", headers=auth)).status == 409
    actions = [a["action"] for a in cases.audit(case_id)]
    assert actions == ["case_opened", "take_over", "reply", "reveal", "hand_back", "close"]
    outcomes = await (await client.get("/api/outcomes", headers=auth)).json()
    assert "advice_given" in outcomes["outcomes"]
    handover = await (await client.get("/api/handover?hours=12", headers=auth)).json()
    assert [c["id"] for c in handover["cases"]] == [case_id] and handover["since"] < handover["until"]


async def test_two_way_messaging_between_person_and_counsellor(client, cases, counsellor, fake_rasa):
    """The whole channel: the person chats with the bot, a counsellor takes over, they talk,
    the counsellor hands back and the bot answers again."""
    auth = {"Authorization": f"Bearer {counsellor}"}
    conv = await (await client.post("/chat/api/conversations")).json()
    cid = conv["conversation_id"]
    chat = f"/chat/api/conversations/{cid}/messages"
    first = await (await client.post(chat, json={"text": "ik word afgeperst"})).json()
    assert first["handled_by"] == "bot" and first["messages"]

    # the Rasa action opens the case for this conversation
    case = cases.open_case(cid, {"writer": "victim", "age": 15, "demand_type": "money", "amount_demanded": 300})
    assert case["code"] == conv["code"] and case["risk"] == "high"
    await client.post(f"/api/cases/{case['id']}/take-over", headers=auth)

    # the person sees that a counsellor joined (polling)
    last = first["messages"][-1]["id"]
    polled = await (await client.get(f"{chat}?after={last}")).json()
    assert polled["handled_by"] == "counsellor"
    assert [m["sender"] for m in polled["messages"]] == ["system"]
    last = polled["messages"][-1]["id"]

    # the person's message goes to the counsellor, not to the bot (Rasa only records it)
    sent = await (await client.post(chat, json={"text": "hallo? ben je een mens?"})).json()
    assert sent == {"messages": [], "handled_by": "counsellor", "user_message": sent["user_message"]}
    assert fake_rasa.received[-1][1] == "hallo? ben je een mens?"
    one = await (await client.get(f"/api/cases/{case['id']}", headers=auth)).json()
    assert one["transcript"][-1] == {
        "sender": "user",
        "text": "hallo? ben je een mens?",
        "timestamp": one["transcript"][-1]["timestamp"],
    }

    # the counsellor's reply reaches the person's chat, marked as from a counsellor
    await client.post(f"/api/cases/{case['id']}/reply", headers=auth, json={"text": "Ja, ik ben Anna van Helpwanted."})
    polled = await (await client.get(f"{chat}?after={last}")).json()
    assert [(m["sender"], m["text"]) for m in polled["messages"]] == [
        ("user", "hallo? ben je een mens?"),
        ("counsellor", "Ja, ik ben Anna van Helpwanted."),
    ]
    last = polled["messages"][-1]["id"]

    # hand back: the bot answers again
    await client.post(f"/api/cases/{case['id']}/hand-back", headers=auth)
    again = await (await client.post(chat, json={"text": "oke dank je"})).json()
    assert again["handled_by"] == "bot" and again["messages"][0]["text"] == "Ik hoorde: oke dank je"
    polled = await (await client.get(f"{chat}?after={last}")).json()
    # (the fake's "Wat wil je nu doen?" was said before: not repeated word for word, bot/web/chat/repeats.py)
    assert [m["sender"] for m in polled["messages"]] == ["system", "user", "bot"], polled

    # the full transcript in the tracker holds bot, person, counsellor and system messages
    one = await (await client.get(f"/api/cases/{case['id']}", headers=auth)).json()
    senders = [m["sender"] for m in one["transcript"]]
    assert senders == ["user", "bot", "bot", "system", "user", "counsellor", "system", "user", "bot", "bot"]


async def test_reply_still_reaches_the_chat_when_rasa_is_down(client, cases, counsellor, fake_rasa):
    auth = {"Authorization": f"Bearer {counsellor}"}
    conv = await (await client.post("/chat/api/conversations")).json()
    case = cases.open_case(conv["conversation_id"], {})
    await client.post(f"/api/cases/{case['id']}/take-over", headers=auth)
    fake_rasa.down = True
    data = await (
        await client.post(f"/api/cases/{case['id']}/reply", headers=auth, json={"text": "Ben je er nog?"})
    ).json()
    assert "Rasa" in data["warning"]
    # the person's own message is kept for the counsellor, even without Rasa
    sent = await client.post(f"/chat/api/conversations/{conv['conversation_id']}/messages", json={"text": "ja"})
    assert sent.status == 200 and (await sent.json())["handled_by"] == "counsellor"
    msgs = (await (await client.get(f"/chat/api/conversations/{conv['conversation_id']}/messages")).json())["messages"]
    assert [m["sender"] for m in msgs] == ["system", "counsellor", "user"]
    one = await (await client.get(f"/api/cases/{case['id']}", headers=auth)).json()
    assert one["transcript_source"] == "chat" and one["transcript"][-1]["text"] == "ja"
    assert (await client.post(f"/api/cases/{case['id']}/hand-back", headers=auth)).status == 503
