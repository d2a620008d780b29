"""The gentle check question after a half-sign (bot/web/chat/safety_check.py, docs/safety.md).

It is added at the web app's choke point, the same one that adds the safety message, so every
path of the bot gets it. The fake Rasa answers "Ik hoorde: …" + "Wat wil je nu doen?" (no 113), so
each test shows the web app's own behaviour. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from bot.language.safety_phrases import SafetyNet, safety_message
from bot.web.chat import safety_check

HALF_SIGN = "hij wil 300 euro anders gaat het naar mn school. ik wil het alleen even ergens kwijt"


async def _new(client):
    return await (await client.post("/chat/api/conversations")).json()


async def _say(client, cid, **body):
    return await client.post(f"/chat/api/conversations/{cid}/messages", json=body)


def _question(messages) -> list:
    return [m for m in messages if safety_check.is_question(m["text"])]


async def _asked(client, fake_rasa):
    conv = await _new(client)
    data = await (await _say(client, conv["conversation_id"], text=HALF_SIGN)).json()
    assert _question(data["messages"]), data
    return conv, data


# ---------------------------------------------------------------------------- the question


async def test_a_half_sign_gets_the_question_with_113_and_two_buttons(client, fake_rasa):
    conv, data = await _asked(client, fake_rasa)
    asked = data["messages"][-1]
    assert asked["sender"] == "system" and asked["text"] == safety_check.question()
    assert "113" in asked["text"] and "0800-0113" in asked["text"]
    assert [b["payload"] for b in asked["buttons"]] == [safety_check.CHECK_YES, safety_check.CHECK_NO]
    # Rasa's answer comes first, the question last; no crisis message (the net did not match)
    assert data["messages"][0]["text"].startswith("Ik hoorde")
    assert safety_message() not in [m["text"] for m in data["messages"]]
    # the counsellor's transcript (Rasa's tracker) holds the question
    events = fake_rasa.tracker(conv["conversation_id"])["events"]
    assert events[-1]["text"] == safety_check.question() and events[-1]["metadata"] == {"nachtlicht_system": True}


async def test_a_thanks_reply_is_left_out_of_a_turn_that_asks(client, fake_rasa, monkeypatch):
    """ "… ik heb mijn zus gebeld om haar te bedanken voor alles" was read as thanks: "Fijn dat ik kon
    helpen" before the question jarred (conversation suite, d_midden.yml, session 26)."""
    thanks = "Fijn dat ik kon helpen. Je kunt me altijd nog iets vragen."
    monkeypatch.setattr(fake_rasa, "replies_for", lambda message: [{"text": thanks}])
    conv = await _new(client)
    data = await (await _say(client, conv["conversation_id"], text=HALF_SIGN)).json()
    assert [m["text"] for m in data["messages"]] == [safety_check.question()]
    # a turn without the question keeps the thanks
    other = await _new(client)
    data = await (await _say(client, other["conversation_id"], text="dank je wel")).json()
    assert [m["text"] for m in data["messages"]] == [thanks]
    assert safety_check.is_thanks_reply("Graag gedaan. Wil je nog iets weten? Vraag het gerust.")
    assert not safety_check.is_thanks_reply("Wat wil je nu doen?") and not safety_check.is_thanks_reply(None)


async def test_the_check_question_leaves_out_i_did_not_understand(client, fake_rasa, monkeypatch):
    """ "Hij zegt net tegen me: het heeft allemaal geen zin meer." (nlu_fallback) got "Dat begreep ik niet
    helemaal. Wil je het anders zeggen?" before the check question (r_omstanders.yml, session 35)."""
    rephrase = "Dat begreep ik niet helemaal. Wil je het anders zeggen? Kort mag ook, bijvoorbeeld: 'ze willen geld'."
    monkeypatch.setattr(fake_rasa, "replies_for", lambda message: [{"text": rephrase}])
    conv = await _new(client)
    data = await (await _say(client, conv["conversation_id"], text=HALF_SIGN)).json()
    assert [m["text"] for m in data["messages"]] == [safety_check.question()]
    other = await _new(client)  # without the question it stays
    data = await (await _say(client, other["conversation_id"], text="qwerty")).json()
    assert [m["text"] for m in data["messages"]] == [rephrase]
    assert safety_check.is_not_understood_reply(
        "Sorry, dat snapte ik niet goed. Kun je het op een andere manier zeggen?"
    )
    assert not safety_check.is_not_understood_reply("Wat wil je nu doen?") and not safety_check.is_not_understood_reply(
        None
    )


def test_not_sure_someone_means_it_is_a_yes():
    """ "Hij zit naast me in de auto, ik ben bij hem. Ik weet niet of hij het echt meent." (the answer about the
    person written for) got "Oké. Je kunt me alles vragen" (r_omstanders.yml, session 35)."""
    for text in (
        "Hij zit naast me in de auto, ik ben bij hem. Ik weet niet of hij het echt meent.",
        "weet niet of ze het meent",
    ):
        assert safety_check.typed_answer(text) == "yes", text
    assert safety_check.typed_answer("ik weet niet of hij het filmpje heeft") is None


@pytest.mark.parametrize(
    "writer, asks",
    [("victim", "Denk jij daar ook aan?"), ("on_behalf", "Merk je dat bij degene over wie je schrijft?")],
)
async def test_the_question_speaks_to_the_writer(client, fake_rasa, writer, asks):
    """A teenager about themselves is not asked about "degene over wie je schrijft" (Rasa's writer slot)."""
    conv = await _new(client)
    cid = conv["conversation_id"]
    fake_rasa.tracker(cid)["slots"] = {"writer": writer}
    data = await (await _say(client, cid, text=HALF_SIGN)).json()
    asked = data["messages"][-1]
    assert asked["text"] == safety_check.question(writer) and asks in asked["text"] and "113" in asked["text"]
    assert safety_check.question(writer) != safety_check.question()
    # still once per conversation, whichever variant was asked
    fake_rasa.tracker(cid)["slots"] = {}
    data = await (await _say(client, cid, text=HALF_SIGN + " echt")).json()
    assert not _question(data["messages"])
    # and its answer works the same: "nee" gives the short answer and the bot's question again
    data = await (await _say(client, cid, text="nee")).json()
    assert [m["text"] for m in data["messages"]][0] != safety_check.texts()["after_no"]  # asked two turns ago


@pytest.mark.parametrize(
    "writer, answer", [("victim", "after_no"), ("on_behalf", "after_no_other"), (None, "after_no")]
)
async def test_the_answer_to_no_fits_the_question_that_was_asked(client, fake_rasa, writer, answer):
    """A parent who says "nee" about their child may notice it later, in the child or in themselves."""
    cid = (await _new(client))["conversation_id"]
    if writer:
        fake_rasa.tracker(cid)["slots"] = {"writer": writer}
    data = await (await _say(client, cid, text=HALF_SIGN)).json()
    assert data["messages"][-1]["text"] == safety_check.question(writer)
    fake_rasa.tracker(cid)["slots"] = {}  # the answer follows what was asked, not a later reading
    data = await (await _say(client, cid, text="Nee", payload=safety_check.CHECK_NO)).json()
    texts = [m["text"] for m in data["messages"]]
    assert texts == [safety_check.texts()[answer], "Wat wil je nu doen?"]
    assert "113" in texts[0]
    assert safety_check.texts()["after_no_other"] != safety_check.texts()["after_no"]


async def test_the_question_is_asked_when_rasa_cannot_tell_the_writer(client, fake_rasa):
    fake_rasa.tracker_down = True  # the answer came, reading the writer slot fails
    conv, data = await _asked(client, fake_rasa)
    assert data["messages"][-1]["text"] == safety_check.question()


async def test_the_question_is_asked_once_per_conversation(client, fake_rasa):
    conv, _ = await _asked(client, fake_rasa)
    cid = conv["conversation_id"]
    await _say(client, cid, text="hij wil het weer")  # the question answered by something else
    data = await (await _say(client, cid, text="zorg jij goed voor haar? ik wil het alleen even ergens kwijt")).json()
    assert not _question(data["messages"])


async def test_suicidal_words_get_the_crisis_message_not_the_question(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    data = await (await _say(client, cid, text=HALF_SIGN + ", ik wil niet meer leven")).json()
    assert data["messages"][-1]["text"] == safety_message()
    assert not _question(data["messages"])


async def test_no_question_when_rasa_already_gave_the_crisis_message(client, fake_rasa):
    crisis = safety_check._crisis_openings()[0] + " … 113 …"
    fake_rasa.replies_for = lambda message: [{"text": crisis}]
    cid = (await _new(client))["conversation_id"]
    data = await (await _say(client, cid, text=HALF_SIGN)).json()
    assert [m["text"] for m in data["messages"]] == [crisis]


@pytest.mark.parametrize(
    "text",
    [
        "hij wil 500 euro",
        "ik schaam me dood, mijn leven is kapot als dit uitkomt",
        "ik kan niet meer slapen en ik ben zo bang",
        "bedankt voor alles, ik ga nu slapen",
        "hoe stop ik dit voor altijd? hij maakt steeds nieuwe accounts aan",
        "ok morgen ben ik weg op schoolkamp tot vrijdag, kan hij dan iets doen?",
        "ik heb me gesneden aan een blikje",
        "ik heb een brief geschreven aan de politie over de afperser",
    ],
)
async def test_ordinary_worry_gets_no_question(client, fake_rasa, text):
    cid = (await _new(client))["conversation_id"]
    data = await (await _say(client, cid, text=text)).json()
    assert not _question(data["messages"]) and not any("113" in m["text"] for m in data["messages"])


# ---------------------------------------------------------------------------- the answer


@pytest.mark.parametrize("body", [{"text": "Ja, soms", "payload": "/express_suicidal"}, {"text": "ja soms"}])
async def test_yes_gets_the_crisis_answer_and_an_urgent_case(client, fake_rasa, cases, body):
    conv, _ = await _asked(client, fake_rasa)
    cid = conv["conversation_id"]
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    data = await (await _say(client, cid, **body)).json()
    # Rasa gets the safety intent (its rules answer it in every state), the transcript the words
    assert fake_rasa.received[-1] == (
        cid,
        safety_check.CHECK_YES,
        # opening: no advice script yet in this conversation (a command is never promoted anyway)
        {"conversation_code": conv["code"], "opening": True, "display_text": body["text"]},
    )
    assert any("113" in m["text"] for m in data["messages"])
    assert data["user_message"]["text"] == body["text"]
    case = cases.get(case_id)
    assert case["risk"] == "urgent" and case["facts"]["suicide_risk"] is True


@pytest.mark.parametrize("text", ["misschien", "weet ik niet", "een beetje", "Ja."])
async def test_a_doubt_counts_as_yes(client, fake_rasa, text):
    conv, _ = await _asked(client, fake_rasa)
    await _say(client, conv["conversation_id"], text=text)
    assert fake_rasa.received[-1][1] == safety_check.CHECK_YES


@pytest.mark.parametrize("body", [{"text": "Nee", "payload": "/safety_check_no"}, {"text": "nee hoor"}])
async def test_no_gets_a_short_answer_and_the_bots_question_again(client, fake_rasa, body):
    conv, _ = await _asked(client, fake_rasa)
    cid = conv["conversation_id"]
    sent = len(fake_rasa.received)
    data = await (await _say(client, cid, **body)).json()
    assert len(fake_rasa.received) == sent  # Rasa never reads this "nee" as the answer to its question
    texts = [m["text"] for m in data["messages"]]
    assert texts == [safety_check.texts()["after_no"], "Wat wil je nu doen?"]
    assert data["user_message"]["text"] == body["text"]
    assert fake_rasa.tracker(cid)["events"][-1]["text"] == safety_check.texts()["transcript_no"]
    # the next "ja" is an ordinary answer again
    await _say(client, cid, text="ja")
    assert fake_rasa.received[-1][1] == "ja"


async def test_other_words_after_the_question_go_their_normal_way(client, fake_rasa):
    conv, _ = await _asked(client, fake_rasa)
    cid = conv["conversation_id"]
    await _say(client, cid, text="hoe blokkeer ik hem op snap")
    assert fake_rasa.received[-1][1] == "hoe blokkeer ik hem op snap"


async def test_another_button_of_the_same_turn_is_not_an_answer(client, fake_rasa):
    fake_rasa.replies_for = lambda message: (
        [{"text": "Wil je hulp?", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]
        if message != "/affirm"
        else [{"text": "Goed."}]
    )
    conv, data = await _asked(client, fake_rasa)
    cid = conv["conversation_id"]
    assert [b["payload"] for b in data["messages"][0]["buttons"]] == ["/affirm"]
    await _say(client, cid, text="Ja", payload="/affirm")
    assert fake_rasa.received[-1][1] == "/affirm"


async def test_check_payloads_are_refused_when_the_question_was_not_asked(client, fake_rasa):
    cid = (await _new(client))["conversation_id"]
    resp = await _say(client, cid, payload=safety_check.CHECK_NO)
    assert resp.status == 400 and (await resp.json())["error"] == "bad_payload"
    # a forged yes with words: the words count (no crisis path, nothing marked)
    await _say(client, cid, text="hoi", payload=safety_check.CHECK_YES)
    assert fake_rasa.received[-1][1] == "hoi"


async def test_no_question_during_a_take_over(client, fake_rasa, cases, counsellor):
    auth = {"Authorization": f"Bearer {counsellor}"}
    cid = (await _new(client))["conversation_id"]
    case_id = cases.open_case(cid, {"handoff_consent": True})["id"]
    assert (await client.post(f"/api/cases/{case_id}/take-over", headers=auth)).status == 200
    data = await (await _say(client, cid, text=HALF_SIGN)).json()
    assert data["handled_by"] == "counsellor" and data["messages"] == []


# ---------------------------------------------------------------------------- the cues


def test_typed_answers():
    assert [safety_check.typed_answer(t) for t in ["ja", "Ja, soms", "idk", "nee", "nee hoor", "hoe blokkeer ik"]] == [
        "yes",
        "yes",
        "yes",
        "no",
        "no",
        None,
    ]
    assert safety_check.typed_answer("") is None


def test_a_net_match_is_never_a_check_cue():
    net = SafetyNet.from_file()
    assert net.check_cue("ik wil niet meer leven, zorg goed voor haar") is None
    assert net.check_cue(HALF_SIGN)


def test_typed_answers_that_say_more_than_yes_count_as_yes():
    """Short replies to the question that say how long, when, how, a plan or an attempt (safety dev
    set 16's mid-conversation answers) are a yes; a half-sign after "nee" is no "no"; replies about
    the blackmail itself still go their normal way."""
    for text in [
        "al een paar dagen",
        "vannacht misschien",
        "met pillen",
        "ja, een touw",
        "heb het al geprobeerd",
        "2x al",
        "ik heb een plan",
        "daar denk ik wel over",
        "sinds de foto rondgaat",
        "nee niemand. en straks ben ik weg",
    ]:
        assert safety_check.typed_answer(text) == "yes", text
    for text in ["nee", "nee, ik heb blokkeren al geprobeerd", "nee, ik heb al een plan: blokkeren en melden"]:
        assert safety_check.typed_answer(text) == "no", text
    for text in [
        "hoe blokkeer ik hem",
        "morgen is de deadline, wat moet ik doen?",
        "ik heb hem al geblokkeerd",
        "hij wil 200 euro voor morgen",
        "ik heb al screenshots gemaakt",
        "al gedaan",
        "ok",
    ]:
        assert safety_check.typed_answer(text) is None, text


@pytest.mark.parametrize(
    ("text", "is_yes"),
    [
        ("idk ben gwn moe van alles", True),
        ("idk. ben op mn kamer", True),
        ("misschien als hij het echt stuurt", True),
        ("soms denk ik dat ja", True),
        ("weet ik niet, alles is gwn kut", True),
        ("geen idee eigenlijk", True),
        ("ik weet niet wat ik moet doen", False),
        ("geen idee hoe ik screenshots maak", False),
        ("idk denk het niet", False),
        ("misschien niet", False),
        ("idk hoe ik hem blokkeer", False),
        ("weet niet of hij het al gestuurd heeft", False),
        ("idk heel lang verhaal over wat er allemaal gebeurd is met die gast", False),
    ],
)
def test_a_doubt_that_leads_a_short_answer_is_a_yes(text, is_yes):
    """ "idk ..." was read only when bare (found live, session 33): a doubt is a yes here, also with
    a few words after it; not a doubt about something else, and not when the rest says no."""
    assert (safety_check.typed_answer(text) == "yes") is is_yes
