"""Security of the chat API (issue 16, findings 3, 12 and 14): no Rasa commands from the
client, deeply nested JSON is bad JSON, no bidirectional overrides in stored text."""

from __future__ import annotations

import pytest


async def _new(client):
    return await (await client.post("/chat/api/conversations")).json()


async def _say(client, cid, **body):
    return await client.post(f"/chat/api/conversations/{cid}/messages", json=body)


@pytest.mark.parametrize("text", ["/restart", "/session_start", '/inform{"platform": "x"}', "//back", "/nlu_fallback"])
async def test_typed_text_never_reaches_rasa_as_a_command(client, fake_rasa, text):
    cid = (await _new(client))["conversation_id"]
    assert (await _say(client, cid, text=text)).status == 200
    sent = fake_rasa.received[-1][1]
    assert not sent.startswith("/") and sent == text.lstrip("/")
    stored = (await (await client.get(f"/chat/api/conversations/{cid}/messages?after=0")).json())["messages"]
    assert stored[0]["text"] == text  # the transcript shows what was typed


async def test_only_a_payload_the_bot_offered_goes_to_rasa(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    # nothing offered yet: a made-up command is not sent; its text is
    await _say(client, cid, text="Hallo", payload="/restart")
    assert fake_rasa.received[-1][1] == "Hallo"
    assert (await _say(client, cid, payload='/inform{"platform": "evil"}')).status == 400
    # offered by the bot's last answer ("toon knop" -> a button /greet titled "Hallo")
    await _say(client, cid, text="toon knop")
    await _say(client, cid, text="Hallo", payload="/greet")
    assert fake_rasa.received[-1][1] == "/greet"
    # offered, but another text with it: the text counts (the transcript must show what Rasa got)
    await _say(client, cid, text="toon knop")
    await _say(client, cid, text="iets heel anders", payload="/greet")
    assert fake_rasa.received[-1][1] == "iets heel anders"
    # an old button, after the person typed something else: its title is sent as text
    await _say(client, cid, text="toon knop")
    await _say(client, cid, text="nog iets")
    await _say(client, cid, text="Hallo", payload="/greet")
    assert fake_rasa.received[-1][1] == "Hallo"


@pytest.mark.parametrize("payload", ["/restart\n", "/greet\n", "/x" + "y" * 100])
async def test_payload_pattern_has_no_trailing_newline_loophole(client, fake_rasa, payload):
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, text="Hallo", payload=payload)
    assert resp.status == 400 and (await resp.json())["error"] == "bad_payload"


async def test_a_lone_slash_is_an_empty_message(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, text="///")
    assert resp.status == 400 and (await resp.json())["error"] == "empty"
    assert fake_rasa.received == []


async def test_deeply_nested_json_is_bad_json_not_a_500(client, fake_rasa, counsellor):
    cid = (await _new(client))["conversation_id"]
    body = "[" * 100_000 + "]" * 100_000
    resp = await client.post(
        f"/chat/api/conversations/{cid}/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400 and (await resp.json())["error"] == "bad_json"
    resp = await client.post(
        "/api/cases/1/reply",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {counsellor}"},
    )
    assert resp.status == 400


async def test_bidirectional_overrides_are_removed(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    await _say(client, cid, text="betaal \u202eniet\u202c nu \u2066x\u2069")
    stored = (await (await client.get(f"/chat/api/conversations/{cid}/messages?after=0")).json())["messages"]
    assert stored[0]["text"] == "betaal niet nu x"


# --- finding 1: the resume code ------------------------------------------------------------------
async def test_codes_are_long_and_unguessable(client):
    from bot.storage.conversations import CODE_ALPHABET

    code = (await _new(client))["code"]
    raw = code.replace("-", "")
    assert len(raw) == 16 and set(raw) <= set(CODE_ALPHABET)  # 31**16: about 79 bits


async def test_guessing_with_changing_addresses_is_limited_per_network_and_in_all(make_client, fake_rasa, caplog):
    client = await make_client(
        trust_forwarded_for=True, chat_rate_address=1000, resume_failures_network=5, resume_failures_total=12
    )
    statuses = []
    with caplog.at_level("WARNING", logger="nachtlicht.security"):
        for i in range(8):  # one /24 network, a new address each time (spoofable X-Forwarded-For)
            resp = await client.post(
                "/chat/api/resume",
                json={"code": "ABCD-EFGH-JKMN-PQRS"},
                headers={"X-Forwarded-For": f"198.51.100.{i + 1}"},
            )
            statuses.append(resp.status)
    assert statuses[:5] == [404] * 5 and set(statuses[5:]) == {429}
    for i in range(10):  # other networks: the global limit stops them too
        resp = await client.post(
            "/chat/api/resume", json={"code": "ABCD-EFGH-JKMN-PQRS"}, headers={"X-Forwarded-For": f"203.0.{i}.9"}
        )
        statuses.append(resp.status)
    assert statuses[-1] == 429 and statuses.count(404) == 12
    events = [r.getMessage() for r in caplog.records if r.name == "nachtlicht.security"]
    assert any('"resume_failed"' in e for e in events) and any('"resume_limited"' in e for e in events)
    assert not any("ABCD" in e for e in events)  # never the code itself


async def test_a_code_expires_some_days_after_its_case_was_closed(client, cases, database_url):
    from datetime import timedelta

    from sqlalchemy import update

    from bot.storage.db import get_engine, utcnow
    from bot.storage.models import Case

    conv = await _new(client)
    case = cases.open_case(conv["conversation_id"], {"handoff_consent": True})
    cases.close(case["id"], {"id": None, "name": "anna"}, "advice_given")
    resp = await client.post("/chat/api/resume", json={"code": conv["code"]})
    assert resp.status == 200  # closed just now: still works for a few days
    with get_engine(database_url).begin() as db:
        db.execute(update(Case).where(Case.id == case["id"]).values(closed_at=utcnow() - timedelta(days=8)))
    resp = await client.post("/chat/api/resume", json={"code": conv["code"]})
    assert resp.status == 404
    cases.open_case(conv["conversation_id"], {"handoff_consent": True})  # a new open case: works again
    assert (await client.post("/chat/api/resume", json={"code": conv["code"]})).status == 200


@pytest.mark.parametrize("text", ["/ /restart", '/\n/inform{"platform": "x"}', "  //session_start"])
async def test_no_slash_command_survives_the_stripping(client, fake_rasa, text):
    cid = (await _new(client))["conversation_id"]
    assert (await _say(client, cid, text=text)).status == 200
    assert not fake_rasa.received[-1][1].startswith("/")


async def test_the_safety_check_of_a_crafted_huge_text_does_not_stall_the_chat(client, fake_rasa):
    """A 250 KB text of tiny clauses took 41 s of blocking work in the review; now it is read
    in a worker thread and as a whole when it is huge."""
    import asyncio
    import time

    cid = (await _new(client))["conversation_id"]
    crafted = ",".join(f"c{i}" for i in range(40_000))
    send = asyncio.ensure_future(_say(client, cid, text=crafted))
    await asyncio.sleep(0.05)
    t = time.perf_counter()
    assert (await client.get("/health")).status == 200
    assert time.perf_counter() - t < 0.5
    resp = await send
    assert resp.status == 413
