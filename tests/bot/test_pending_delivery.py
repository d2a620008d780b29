"""Messages that could not reach Rasa are kept and answered later (issue 17, bot/web/chat/delivery.py).

With the fake Rasa "down" (500 to everything), on SQLite and PostgreSQL like every web test.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.language.safety_phrases import safety_message
from bot.storage.conversations import ConversationStore
from bot.storage.db import get_engine, session_scope, utcnow
from bot.storage.models import ChatMessage
from bot.web.chat.api import CHAT_KEY
from bot.web.chat.delivery import Delivery
from bot.web.chat.texts import DELIVERY_NOTES, MESSAGES
from bot.web.rasa_client import RasaClient, RasaUnavailable, transcript_from_tracker


async def _new(client) -> str:
    return (await (await client.post("/chat/api/conversations")).json())["conversation_id"]


async def _say(client, cid, text):
    return await client.post(f"/chat/api/conversations/{cid}/messages", json={"text": text})


async def _messages(client, cid) -> dict:
    return await (await client.get(f"/chat/api/conversations/{cid}/messages?after=0")).json()


def _delivery(client, fake_rasa) -> Delivery:
    settings = client.nl_settings
    return Delivery(
        ConversationStore(get_engine(settings.database_url)), RasaClient((fake_rasa.url,), fake_rasa.token), settings
    )


def _heard(fake_rasa, cid) -> list:
    return [m for sender, m, _ in fake_rasa.received if sender == cid]


async def test_the_web_app_answers_a_kept_message_by_itself_when_rasa_is_back(client, fake_rasa):
    cid = await _new(client)
    fake_rasa.down = True
    assert (await _say(client, cid, "hoi")).status == 202
    data = await _messages(client, cid)
    assert data["pending"] == 1
    fake_rasa.down = False
    # No new message from the person: the background loop of the web app delivers it.
    for _ in range(80):
        data = await _messages(client, cid)
        if data["pending"] == 0:
            break
        await asyncio.sleep(0.25)
    assert data["pending"] == 0
    senders = [(m["sender"], m["delivery"]) for m in data["messages"]]
    assert senders[:2] == [("user", "late"), ("system", None)]
    assert [m["text"] for m in data["messages"] if m["sender"] == "bot"] == ["Ik hoorde: hoi", "Wat wil je nu doen?"]
    [(_, _, metadata)] = [r for r in fake_rasa.received if r[0] == cid]
    assert metadata["delivered_late"] is True and metadata["sent_at"]
    assert metadata["opening"] is True  # delivered late, still the person's first message


async def test_messages_kept_during_a_restart_keep_their_order_and_the_notice_comes_once(client, fake_rasa):
    cid = await _new(client)
    fake_rasa.down = True
    notices = []
    for text in ("een", "twee", "drie"):
        resp = await _say(client, cid, text)
        assert resp.status == 202
        notices += (await resp.json())["messages"]
    assert [m["text"] for m in notices] == [MESSAGES["restarting"]]  # once, not three times
    fake_rasa.down = False
    resp = await _say(client, cid, "vier")  # the next message takes the waiting ones along first
    assert resp.status == 200
    assert _heard(fake_rasa, cid) == ["een", "twee", "drie", "vier"]
    data = await _messages(client, cid)
    assert data["pending"] == 0
    assert [m["delivery"] for m in data["messages"] if m["sender"] == "user"] == ["late", "late", "late", None]


async def test_an_old_kept_message_is_not_answered_but_the_person_is_asked_to_send_it_again(client, fake_rasa):
    cid = await _new(client)
    fake_rasa.down = True
    await _say(client, cid, "hij wil 200 euro voor vanavond")
    with session_scope(get_engine(client.nl_settings.database_url)) as s:
        s.execute(
            update(ChatMessage)
            .where(ChatMessage.conversation_id == cid)
            .values(created_at=utcnow() - timedelta(minutes=client.nl_settings.pending_max_minutes + 1))
        )
    fake_rasa.down = False
    assert await _delivery(client, fake_rasa).deliver_all() == 1
    assert _heard(fake_rasa, cid) == []  # an answer to something said long ago reads as not listening
    data = await _messages(client, cid)
    user = [m for m in data["messages"] if m["sender"] == "user"][0]
    assert user["delivery"] == "resend" and data["pending"] == 0
    assert data["messages"][-1]["text"] == MESSAGES["resend"].format(quote="hij wil 200 euro voor vanavond")
    # the counsellor's transcript (Rasa's tracker) says what happened and what was written
    transcript = transcript_from_tracker(fake_rasa.tracker(cid))
    assert transcript[-1]["sender"] == "system" and "hij wil 200 euro voor vanavond" in transcript[-1]["text"]


async def test_a_message_rasa_may_have_read_is_not_sent_twice(client, fake_rasa, monkeypatch):
    cid = await _new(client)
    from bot.web.chat.api import CHAT_KEY

    async def dropped(*_a, **_k):
        raise RasaUnavailable("server disconnected", maybe_handled=True)

    monkeypatch.setattr(client.app[CHAT_KEY].rasa, "send", dropped)
    resp = await _say(client, cid, "ben je er nog")
    assert resp.status == 200
    data = await resp.json()
    assert data["user_message"]["delivery"] == "resend" and data["pending"] == 0
    assert data["messages"][0]["text"] == MESSAGES["resend"].format(quote="ben je er nog")
    assert "113" in data["messages"][-1]["text"]  # the restart notice with 112/113


async def test_a_suicidal_message_kept_during_a_restart_gets_113_then_and_later(client, fake_rasa):
    cid = await _new(client)
    fake_rasa.down = True
    data = await (await _say(client, cid, "ik wil dood")).json()
    assert any("113" in m["text"] for m in data["messages"])
    fake_rasa.down = False
    await _delivery(client, fake_rasa).deliver_all()
    texts = [m["text"] for m in (await _messages(client, cid))["messages"]]
    # the fake's late answer has no 113: the safety message is added to it
    assert texts[-3:] == ["Ik hoorde: ik wil dood", "Wat wil je nu doen?", safety_message()]


async def test_a_take_over_meanwhile_means_rasa_only_records_the_kept_message(client, fake_rasa, cases, counsellor):
    cid = await _new(client)
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    # Only the webhook is down, so the web app's own delivery loop cannot answer the kept message
    # before the take-over (a race on a busy machine); the take-over itself reaches Rasa.
    fake_rasa.webhook_down = True
    await _say(client, cid, "hallo??")
    auth = {"Authorization": f"Bearer {counsellor}"}
    assert (await client.post(f"/api/cases/{case_id}/take-over", headers=auth)).status == 200
    fake_rasa.webhook_down = False
    # the app's own delivery (its per-conversation locks): a second Delivery object would race the
    # app's background loop for the same message, which one web process never does
    await client.server.app[CHAT_KEY].delivery.deliver_all()
    data = await _messages(client, cid)
    assert data["pending"] == 0 and not [m for m in data["messages"] if m["sender"] == "bot"]
    assert _heard(fake_rasa, cid) == ["hallo??"]
    transcript = transcript_from_tracker(fake_rasa.tracker(cid))
    assert [m["text"] for m in transcript if m["sender"] == "user"] == ["hallo??" + DELIVERY_NOTES["late"]]


async def test_kept_messages_survive_a_restart_of_the_web_app(make_client, fake_rasa):
    first = await make_client()
    cid = await _new(first)
    fake_rasa.down = True
    await _say(first, cid, "is daar iemand")
    await first.close()  # the web app dies with the message still waiting
    fake_rasa.down = False
    second = await make_client()
    for _ in range(40):
        if (await _messages(second, cid))["pending"] == 0:
            break
        await asyncio.sleep(0.25)
    assert _heard(fake_rasa, cid) == ["is daar iemand"]


async def test_the_counsellor_fallback_transcript_marks_what_happened(client, fake_rasa, cases):
    cid = await _new(client)
    fake_rasa.down = True
    await _say(client, cid, "hoi")
    [user] = [m for m in cases.chat_transcript(cid) if m["sender"] == "user"]
    assert user["text"] == "hoi" + DELIVERY_NOTES["pending"]


@pytest.mark.parametrize("mode, maybe", [("refused", False), ("error", False), ("slow", True)])
async def test_rasa_client_says_whether_a_failed_message_may_have_been_read(fake_rasa, mode, maybe):
    url = "http://127.0.0.1:9" if mode == "refused" else fake_rasa.url
    fake_rasa.down = mode == "error"
    fake_rasa.delay = 1.0 if mode == "slow" else 0
    client = RasaClient((url,), fake_rasa.token, timeout=0.3)
    try:
        with pytest.raises(RasaUnavailable) as info:
            await client.send("a" * 32, "hoi")
    finally:
        await client.close()
    assert info.value.maybe_handled is maybe
