"""bot/web/rasa_client.py against the fake Rasa server."""

from __future__ import annotations

import pytest

from bot.web.rasa_client import RasaClient, RasaUnavailable, transcript_from_tracker


async def test_send_pause_resume_and_tracker(fake_rasa):
    client = RasaClient([fake_rasa.url], token="rasa-secret")
    try:
        replies = await client.send("c1", "hoi", {"conversation_code": "ABCD-EFGH"})
        assert [r["text"] for r in replies] == ["Ik hoorde: hoi", "Wat wil je nu doen?"]
        await client.pause("c1")
        assert await client.send("c1", "nog iemand?") == []
        await client.append_bot("c1", "Hoi, ik ben Anna.", {"counsellor": True})
        await client.resume("c1")
        tracker = await client.tracker("c1")
        assert tracker["paused"] is False
        assert [(m["sender"], m["text"]) for m in transcript_from_tracker(tracker)] == [
            ("user", "hoi"),
            ("bot", "Ik hoorde: hoi"),
            ("bot", "Wat wil je nu doen?"),
            ("user", "nog iemand?"),
            ("counsellor", "Hoi, ik ben Anna."),
        ]
    finally:
        await client.close()


async def test_wrong_token_and_outage_raise_rasa_unavailable(fake_rasa):
    client = RasaClient([fake_rasa.url], token="wrong")
    try:
        with pytest.raises(RasaUnavailable):
            await client.tracker("c1")
        fake_rasa.down = True
        with pytest.raises(RasaUnavailable):
            await client.send("c1", "hoi")
    finally:
        await client.close()


async def test_conversations_stick_to_a_replica_and_fail_over(fake_rasa):
    client = RasaClient(["http://127.0.0.1:9", fake_rasa.url], token="rasa-secret")
    try:
        assert client._order("abc") == client._order("abc")
        for cid in ("a", "b", "c", "d"):
            assert await client.send(cid, "hoi")
    finally:
        await client.close()


def test_transcript_from_tracker_shows_button_titles_and_skips_other_events():
    tracker = {
        "events": [
            {"event": "action", "name": "action_listen"},
            {
                "event": "user",
                "text": "/request_counsellor",
                "metadata": {"display_text": "Ik wil een mens"},
                "timestamp": 1700000000.5,
            },
            {"event": "slot", "name": "x", "value": 1},
            {"event": "bot", "text": None, "data": {}},
            {
                "event": "bot",
                "text": "Is dat goed?",
                "data": {"buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}]},
            },
            {"event": "bot", "text": "Er is nu een hulpverlener.", "metadata": {"nachtlicht_system": True}},
            {"event": "user", "text": ""},
        ]
    }
    assert transcript_from_tracker(tracker) == [
        {"sender": "user", "text": "Ik wil een mens (knop)", "timestamp": "2023-11-14T22:13:20.500000+00:00"},
        {"sender": "bot", "text": "Is dat goed? [knoppen: Ja | Nee]", "timestamp": None},
        {"sender": "system", "text": "Er is nu een hulpverlener.", "timestamp": None},
    ]
    assert transcript_from_tracker({}) == []
