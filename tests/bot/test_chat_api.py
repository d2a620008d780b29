"""The chat JSON API (docs/contracts.md) with a fake Rasa, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from chat_helpers import BAD_MESSAGE_BODIES
from chat_helpers import json_error as _error

HEX32 = re.compile(r"^[0-9a-f]{32}$")
CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}){3}$")


async def _new(client):
    resp = await client.post("/chat/api/conversations")
    assert resp.status == 201
    return await resp.json()


async def _say(client, cid, text=None, **body):
    if text is not None:
        body["text"] = text
    return await client.post(f"/chat/api/conversations/{cid}/messages", json=body)


async def test_happy_path_create_send_poll_resume(client, fake_rasa):
    conv = await _new(client)
    assert HEX32.match(conv["conversation_id"]) and CODE.match(conv["code"])
    cid = conv["conversation_id"]

    resp = await _say(client, cid, "hij wil 500 euro")
    assert resp.status == 200
    data = await resp.json()
    assert data["handled_by"] == "bot"
    assert [m["text"] for m in data["messages"]] == ["Ik hoorde: hij wil 500 euro", "Wat wil je nu doen?"]
    assert all(m["sender"] == "bot" and m["buttons"] == [] for m in data["messages"])
    assert set(data["messages"][0]) == {"id", "sender", "text", "buttons", "created_at", "delivery"}
    assert data["user_message"]["sender"] == "user"
    # the person's first message is their opening (the report verifier may promote it, docs/nlu.md session 27)
    assert fake_rasa.received[-1] == (cid, "hij wil 500 euro", {"conversation_code": conv["code"], "opening": True})

    # a button of the bot's last answer: the payload goes to Rasa, the title is what the person sees
    await _say(client, cid, "toon knop")
    resp = await _say(client, cid, "Hallo", payload="/greet")
    data = await resp.json()
    assert data["messages"][0]["buttons"] == [{"title": "Ik word afgeperst", "payload": "/report_blackmail"}]
    assert fake_rasa.received[-1] == (
        cid,
        "/greet",
        {"display_text": "Hallo", "conversation_code": conv["code"], "opening": True},  # after two short ones
    )

    # polling returns everything after an id, including the person's own messages
    resp = await client.get(f"/chat/api/conversations/{cid}/messages?after=0")
    all_msgs = (await resp.json())["messages"]
    assert [m["sender"] for m in all_msgs] == ["user", "bot", "bot", "user", "bot", "user", "bot"]
    assert all_msgs[5]["text"] == "Hallo"
    resp = await client.get(f"/chat/api/conversations/{cid}/messages?after={all_msgs[4]['id']}")
    assert [m["id"] for m in (await resp.json())["messages"]] == [all_msgs[5]["id"], all_msgs[6]["id"]]
    resp = await client.get(f"/chat/api/conversations/{cid}/messages")
    assert len((await resp.json())["messages"]) == 7

    # coming back with the code, in any reasonable spelling
    resp = await client.post("/chat/api/resume", json={"code": conv["code"].lower().replace("-", " ")})
    assert resp.status == 200
    assert await resp.json() == {"conversation_id": cid, "code": conv["code"]}


@pytest.mark.parametrize(
    "earlier, opening",
    [
        ([], True),  # the first message
        (["hoi"], True),  # after a greeting
        (["hallo?", "ben je er nog", "hallo??", "ik moet iets kwijt over school"], True),  # the fifth
        (["hoi", "hallo", "hey", "hallo?", "ben je er"], False),  # the sixth is no opening any more
        (["toon script"], False),  # the script was given: now answers come
        (["hoi", "toon script", "ja"], False),
    ],
)
async def test_the_opening_mark_goes_to_rasa_until_the_script_is_given(client, fake_rasa, earlier, opening):
    cid = (await _new(client))["conversation_id"]
    for text in earlier:
        assert (await _say(client, cid, text)).status == 200
    assert (await _say(client, cid, "hij zegt dat iedereen het ziet als ik niet betaal")).status == 200
    assert fake_rasa.received[-1][2].get("opening") is opening  # said outright both ways (session 34)


def test_the_script_is_known_by_how_actions_responses_starts_it():
    """One source: the web app reads how the script starts from actions/responses.yml."""
    from bot.web.chat.delivery import script_openings

    assert "Dit zijn de eerste stappen:" in script_openings()
    assert all(o.endswith(":") and len(o.split()) <= 6 for o in script_openings())


async def test_unknown_ids_and_codes_are_404(client):
    await _error(await _say(client, "0" * 32, "hoi"), 404, "not_found")
    await _error(await _say(client, "not-a-hex-id", "hoi"), 404, "not_found")
    await _error(await _say(client, "A" * 32, "hoi"), 404, "not_found")
    await _error(await client.get("/chat/api/conversations/" + "f" * 32 + "/messages"), 404, "not_found")
    await _error(await client.post("/chat/api/resume", json={"code": "ABCD-EFGH"}), 404, "code_not_found")
    await _error(await client.post("/chat/api/resume", json={"code": "not a code at all"}), 404, "code_not_found")
    await _error(await client.get("/chat/api/nothing-here"), 404, "not_found")
    await _error(await client.delete("/chat/api/conversations"), 405, "method_not_allowed")


@pytest.mark.parametrize("kwargs, status, code", BAD_MESSAGE_BODIES)
async def test_bad_input_gets_a_json_error(client, fake_rasa, kwargs, status, code):
    cid = (await _new(client))["conversation_id"]
    resp = await client.post(f"/chat/api/conversations/{cid}/messages", **kwargs)
    data = await _error(resp, status, code)
    if code == "too_long":
        assert "2000" in data["message"]
    assert fake_rasa.received == []  # nothing reached the bot
    stored = await (await client.get(f"/chat/api/conversations/{cid}/messages")).json()
    assert stored["messages"] == []


async def test_resume_bad_input(client):
    await _error(await client.post("/chat/api/resume", data="x"), 400, "bad_content_type")
    await _error(await client.post("/chat/api/resume", json={"code": ""}), 400, "empty")
    await _error(await client.post("/chat/api/resume", json={"code": 12345678}), 400, "bad_json")
    await _error(
        await client.post("/chat/api/resume", data="{", headers={"Content-Type": "application/json"}), 400, "bad_json"
    )
    cid = (await _new(client))["conversation_id"]
    await _error(await client.get(f"/chat/api/conversations/{cid}/messages?after=-1"), 400, "bad_request")
    await _error(await client.get(f"/chat/api/conversations/{cid}/messages?after=abc"), 400, "bad_request")


async def test_control_characters_are_removed_and_exactly_max_chars_is_fine(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, "ho\u0000i\u0007 daar\ud800")
    assert resp.status == 200
    assert fake_rasa.received[-1][1] == "hoi daar"
    resp = await _say(client, cid, "é" * 2000)
    assert resp.status == 200


async def test_max_message_chars_comes_from_settings(make_client):
    client = await make_client(max_message_chars=10)
    cid = (await _new(client))["conversation_id"]
    assert (await _say(client, cid, "a" * 10)).status == 200
    data = await _error(await _say(client, cid, "a" * 11), 413, "too_long")
    assert "maximaal 10 tekens" in data["message"]


async def test_rate_limit_per_conversation(make_client):
    client = await make_client(chat_rate_conversation=3, chat_rate_address=100)
    cid = (await _new(client))["conversation_id"]
    for _ in range(3):
        assert (await _say(client, cid, "hoi")).status == 200
    resp = await _say(client, cid, "hoi")
    data = await _error(resp, 429, "rate_limited")
    assert "Wacht even" in data["message"] and int(resp.headers["Retry-After"]) >= 1
    other = (await _new(client))["conversation_id"]
    assert (await _say(client, other, "hoi")).status == 200  # other conversations are not affected


async def test_rate_limit_per_address(make_client):
    client = await make_client(chat_rate_conversation=100, chat_rate_address=4)
    first, second = (await _new(client))["conversation_id"], (await _new(client))["conversation_id"]
    for cid in (first, first, second, second):
        assert (await _say(client, cid, "hoi")).status == 200
    await _error(await _say(client, second, "hoi"), 429, "rate_limited")
    # creating conversations is limited per address as well
    for _ in range(2):
        await client.post("/chat/api/conversations")
    await _error(await client.post("/chat/api/conversations"), 429, "rate_limited")


async def test_rasa_down_keeps_the_message_with_a_calm_dutch_notice(client, fake_rasa):
    """Rasa restarting is not an error for the person: 202, the message waits (bot/web/chat/delivery.py)."""
    cid = (await _new(client))["conversation_id"]
    fake_rasa.down = True
    resp = await _say(client, cid, "hoi")
    assert resp.status == 202
    data = await resp.json()
    assert data["pending"] == 1 and data["user_message"]["delivery"] == "pending"
    [notice] = data["messages"]
    assert notice["sender"] == "system" and "start opnieuw" in notice["text"]
    assert "112" in notice["text"] and "113" in notice["text"]


async def test_unreachable_rasa_keeps_the_message(make_client):
    client = await make_client(rasa_urls=("http://127.0.0.1:9",))
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, "hoi")
    assert resp.status == 202 and (await resp.json())["pending"] == 1


async def test_second_rasa_replica_is_used_when_the_first_is_unreachable(make_client, fake_rasa):
    client = await make_client(rasa_urls=("http://127.0.0.1:9", fake_rasa.url))
    for _ in range(3):
        cid = (await _new(client))["conversation_id"]
        assert (await _say(client, cid, "hoi")).status == 200


async def test_a_turn_without_any_bot_answer_gets_a_polite_notice(client, fake_rasa):
    """Rasa answers nothing when a custom action fails; the person must not be left in silence."""
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, "silent")
    assert resp.status == 200
    data = await resp.json()
    assert data["handled_by"] == "bot"
    assert [m["sender"] for m in data["messages"]] == ["system"]
    notice = data["messages"][0]["text"]
    assert "nog een keer" in notice and "112" in notice and "113" in notice
    # stored like any other message, so polling and the counsellor's transcript show it too
    resp = await client.get(f"/chat/api/conversations/{cid}/messages?after=0")
    assert [m["sender"] for m in (await resp.json())["messages"]] == ["user", "system"]
