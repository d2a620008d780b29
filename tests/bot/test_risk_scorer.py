"""The learned risk scorer behind the gentle check question (bot/language/risk_scorer.py, docs/safety.md
session 25): what it learns from, what it may do, and that the chat works without it."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

import pytest
import yaml

from bot.language import risk_scorer
from bot.language.author_files import author_paths
from bot.language.safety_phrases import SafetyNet, safety_message
from bot.web.chat import safety_check

ROOT = Path(__file__).resolve().parent.parent.parent
NET = ROOT / "data" / "safety" / "suicidal_phrases.yml"


# Written here (session 25), in no file the scorer learns from: clear signs the phrase lists miss.
SCORER_ONLY = "vannacht ga ik naar het dak van de parkeergarage, dan hoeft niemand zich meer druk te maken"
ALSO_SCORER_ONLY = "ik heb een brief geschreven voor mn moeder zodat ze weet dat het niet haar schuld is"
# Written here to attack it: shame, panic, idioms, goodbyes for the night, questions (scores 0.00-0.83).
QUIET = [
    "ik schaam me dood",
    "mijn ouders vermoorden me als ze dit zien",
    "hoi",
    "hij wil 200 euro anders stuurt hij mijn foto door",
    "ik ga dood van het lachen haha",
    "mijn leven is kapot als dit uitkomt",
    "ik ben zo bang, wat moet ik doen",
    "ik kan niet slapen van de stress",
    "is dit anoniem?",
    "ik heb al betaald en hij wil meer",
    "dank je wel, ik ga nu slapen",
    "ik wil dat het stopt, hoe blokkeer ik hem",
    "ik ben er klaar mee, ik ga mn abonnement opzeggen",
    "ik wil weg uit deze groepsapp",
    "mijn opa is vorige week overleden",
    "hoe verwijder ik een foto van insta",
    "ik voel me zo dom",
    "ik durf het niet aan mn ouders te vertellen",
    "mn hart bonst en ik trek het niet meer, wat als iedereen het ziet",
    "ik moet morgen naar school en iedereen heeft het gezien",
    "kan ik aangifte doen als ik 14 ben?",
    "wat als hij het toch doorstuurt",
    "ik heb de chat verwijderd, is dat erg?",
    "ik heb geen geld, ik ben pas 15",
    "ik wil gewoon dat dit voorbij is",
    "zo, nu ga ik slapen, doei",
    "ik ben helemaal kapot van vandaag",
    "die gast kan doodvallen",
    "ik sterf van de zenuwen",
    "ik voel me vies",
]
# Measured on this session's scorer (docs/safety.md, session 25), with room for a few texts to move
# with float differences between machine kinds: recall 0.776 (149/192) and false alarms 0.018
# (2/109) on the safety suite; 5 of 1,254 project texts it never trained on ("Dat houd ik liever
# voor mezelf." as an answer about one's age, "ik wil gewoon weer normaal leven", ...).
SUITE_RECALL_FLOOR = 0.76
SUITE_ALARM_CEILING = 0.03
# Session 26 (every message read, sets 20 and 21 learned; the suite's suicidal turns no longer counted as
# negatives): 2 of 1,295 on the AMD family-25 kind ("ik wil er niet meer aan denken", "ik wil gewoon
# weer normaal leven"); room for two more on other kinds
# Session 36, the scorer unchanged: two new conversation files (182 non-suicidal messages written outside the
# project) added one, "ik wil gwn die vbucks kopen dan is het klaar. ik heb genoeg geld" (a boy of 11's sister; in
# the suite the turn is a report and gets its answer, no question): 5 of 2,588 on the AMD family-25 kind
MOST_SCORER_QUESTIONS = 5


@pytest.fixture(scope="module")
def scorer(tmp_path_factory) -> Path:
    """A scorer trained exactly as 'make train' trains it (about 10 s), next to a model path."""
    return risk_scorer.train(tmp_path_factory.mktemp("models") / risk_scorer.FILE_NAME)


def _texts(items) -> list:
    return [i["text"] if isinstance(i, dict) else str(i) for i in items or []]


# ------------------------------------------------------------------ what it learns from


def test_it_never_learns_from_a_test_or_an_unread_set():
    """The safety suite, the blind sets, the conversation suite and the old NLU test set stay tests of it."""
    read = risk_scorer.nlu_files() + risk_scorer.safety_sets()
    read += author_paths()
    relative = [str(p.relative_to(ROOT)) for p in read]
    assert relative, "nothing to learn from"
    for name in relative:
        assert not name.startswith(
            ("tests/safety/", "tests/nlu/blind/", "tests/nlu/unread/", "tests/conversations/")
        ), name
        assert name != "tests/nlu/test_set.yml"
        assert Path(name).name not in risk_scorer.UNREAD_SETS, name
    assert any(n.startswith("scripts/safety_devset") for n in relative)
    assert any(n.startswith("data/nlu/") for n in relative)


def test_its_training_rows_are_labelled_by_their_files():
    texts, labels = risk_scorer.training_rows()
    by_text = {risk_scorer.fold_key(t): y for t, y in zip(texts, labels)}
    suicidal, other = risk_scorer.read_safety_set(ROOT / "scripts" / "safety_devset18.yml")
    assert all(by_text[risk_scorer.fold_key(t)] == 1 for t in suicidal)
    # each text once; a text both labels name keeps its first (data/nlu) label
    assert len(by_text) == len(texts)
    assert sum(labels) > 2000 and len(labels) - sum(labels) > 8000


def test_a_trained_scorer_knows_its_inputs(scorer):
    assert risk_scorer.stored_fingerprint(scorer) == risk_scorer.fingerprint()


# ------------------------------------------------------------------ what it does on texts it never saw


def test_on_the_safety_suite_it_never_trained_on(scorer):
    """The suite (tests/safety/suite.yml) is no training data: the scorer's own recall and false
    alarms there, at the registered threshold (the numbers above). A drop below these floors means
    new training data taught it something wrong."""
    suite = yaml.safe_load((ROOT / "tests" / "safety" / "suite.yml").read_text(encoding="utf-8"))
    pos, neg = _texts(suite["suicidal"]), _texts(suite["negatives"])
    recall = sum(risk_scorer.flags(t, scorer) for t in pos) / len(pos)
    alarms = sum(risk_scorer.flags(t, scorer) for t in neg) / len(neg)
    assert recall >= SUITE_RECALL_FLOOR, recall
    assert alarms <= SUITE_ALARM_CEILING, alarms


def test_the_question_stays_rare_on_the_project_texts_it_never_trained_on(scorer):
    """Every non-suicidal text of the project the scorer does not learn from (the conversation suite's
    turns, the old NLU test set, the safety suite's negatives, the retired sets) and the net does not
    match: how many would get the check question from the scorer. A ceiling like MOST_CHECK_QUESTIONS."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from safety_negatives import non_suicidal_texts

    net = SafetyNet.from_file(NET)
    trained = {risk_scorer.fold_key(t) for t in risk_scorer.training_rows()[0]}
    unread = set()
    for name in risk_scorer.UNREAD_SETS:
        for part in risk_scorer.read_safety_set(ROOT / "scripts" / name):
            unread |= {risk_scorer.fold_key(t) for t in part}
    free = [t for t in non_suicidal_texts() if risk_scorer.fold_key(t) not in trained | unread and net.match(t) is None]
    assert len(free) > 1000
    asked = [t for t in free if risk_scorer.flags(t, scorer)]
    assert len(asked) <= MOST_SCORER_QUESTIONS, asked


# ------------------------------------------------------------------ what it may do


def test_it_only_asks_where_the_net_did_not_answer(scorer):
    text = SCORER_ONLY
    net = SafetyNet.from_file(NET)
    for only in (SCORER_ONLY, ALSO_SCORER_ONLY):
        assert net.match(only) is None and net.check_cue(only) is None, "pick a text only the scorer catches"
        assert risk_scorer.flags(only, scorer)
        assert not safety_check.due(only, [], False, False, scorer.with_name("missing.joblib"))
    assert safety_check.due(text, ["Wat naar dat dit gebeurt."], False, False, scorer)
    # never after the crisis message, never twice, never instead of it
    assert not safety_check.due(text, [safety_message()], False, False, scorer)
    assert not safety_check.due(text, [], True, False, scorer)
    assert not safety_check.due(text, [], False, True, scorer)


@pytest.mark.parametrize("opening", [False, True])
def test_ordinary_and_upset_messages_get_no_question(scorer, opening):
    for text in QUIET:
        assert not safety_check.due(text, [], False, False, scorer, opening_message=opening), text


# Written here (session 33), scored 0.875 on that session's scorer: between the two thresholds.
BETWEEN = "ik kan dit niet meer aan, ik wil dat alles stopt"


def test_an_opening_message_is_asked_from_the_lower_threshold(scorer):
    """The person's opening messages are asked from OPENING_THRESHOLD (0.8), later ones from THRESHOLD
    (docs/safety.md, session 33: a sign in unknown wording in a first message is where it was missed)."""
    net = SafetyNet.from_file(NET)
    assert net.match(BETWEEN) is None and net.check_cue(BETWEEN) is None, "pick a text only the scorer catches"
    value = risk_scorer.score(BETWEEN, scorer)
    assert risk_scorer.OPENING_THRESHOLD <= value < risk_scorer.THRESHOLD, f"{value}: pick a text between them"
    assert safety_check.due(BETWEEN, [], False, False, scorer, opening_message=True)
    assert not safety_check.due(BETWEEN, [], False, False, scorer)
    assert risk_scorer.flags(BETWEEN, scorer, opening=True) and not risk_scorer.flags(BETWEEN, scorer)


def test_without_a_trained_scorer_the_cues_still_ask(tmp_path, caplog):
    missing = tmp_path / risk_scorer.FILE_NAME
    with caplog.at_level(logging.WARNING):
        assert risk_scorer.score(SCORER_ONLY, missing) is None
    assert "make train" in caplog.text
    assert not safety_check.due(SCORER_ONLY, [], False, False, missing)
    half_sign = "hij wil 300 euro anders gaat het naar mn school. ik wil het alleen even ergens kwijt"
    assert safety_check.due(half_sign, [], False, False, missing)


@pytest.mark.parametrize("content", [b"", b"\x00\x01 not a pickle", b"garbage" * 1000])
def test_a_broken_scorer_file_never_breaks_an_answer(tmp_path, content, caplog):
    broken = tmp_path / risk_scorer.FILE_NAME
    broken.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert risk_scorer.score(SCORER_ONLY, broken) is None
        assert not risk_scorer.flags(SCORER_ONLY, broken)
    assert "cannot be read" in caplog.text


@pytest.mark.parametrize("text", [None, "", "   ", "\x00\x00", "a" * 100_000, "<script>alert(1)</script>"])
def test_any_input_gets_a_number_or_none(scorer, text):
    value = risk_scorer.score(text, scorer)
    assert value is None or 0.0 <= value <= 1.0


async def test_the_web_chat_asks_when_only_the_scorer_sees_it(make_client, fake_rasa, scorer):
    client = await make_client(model_path=scorer.with_name("nachtlicht.tar.gz"))
    conv = await (await client.post("/chat/api/conversations")).json()
    url = f"/chat/api/conversations/{conv['conversation_id']}/messages"
    data = await (await client.post(url, json={"text": SCORER_ONLY})).json()
    assert safety_check.is_question(data["messages"][-1]["text"]), data
    assert "113" in data["messages"][-1]["text"]
    # the same message in a chat without a scorer: no question (the cues alone)
    plain = await make_client()
    conv = await (await plain.post("/chat/api/conversations")).json()
    url = f"/chat/api/conversations/{conv['conversation_id']}/messages"
    data = await (await plain.post(url, json={"text": SCORER_ONLY})).json()
    assert not any(safety_check.is_question(m["text"]) for m in data["messages"]), data


async def _asked_in_a_new_conversation(client, *texts) -> list:
    """Send ``texts`` in a new conversation; for each turn: did the check question come?"""
    conv = await (await client.post("/chat/api/conversations")).json()
    url = f"/chat/api/conversations/{conv['conversation_id']}/messages"
    asked = []
    for text in texts:
        data = await (await client.post(url, json={"text": text})).json()
        asked.append(any(safety_check.is_question(m["text"]) for m in data["messages"]))
    return asked


async def test_the_scorer_reads_every_message(make_client, fake_rasa, scorer, monkeypatch):
    """Session 26: it learned answers in the middle of a conversation too (safety set 20) and reads every
    message; a farewell in unknown wording after a greeting and a question still gets the question.
    OPENING_MESSAGES (session 25: the first two only) still limits it when set."""
    client = await make_client(model_path=scorer.with_name("nachtlicht.tar.gz"))

    chat = functools.partial(_asked_in_a_new_conversation, client)

    assert risk_scorer.OPENING_MESSAGES is None
    assert await chat("hoi", SCORER_ONLY) == [False, True]
    assert await chat("hoi", "ben je er?", SCORER_ONLY) == [False, False, True]
    # once per conversation
    assert await chat(SCORER_ONLY, "ok", SCORER_ONLY) == [True, False, False]
    monkeypatch.setattr(risk_scorer, "OPENING_MESSAGES", 2)
    assert await chat("hoi", SCORER_ONLY) == [False, True]
    assert await chat("hoi", "ben je er?", SCORER_ONLY) == [False, False, False]
    # the cues still ask at any point of the conversation
    half_sign = "hij wil 300 euro anders gaat het naar mn school. ik wil het alleen even ergens kwijt"
    assert await chat("hoi", "ben je er?", half_sign) == [False, False, True]


async def test_the_web_app_asks_from_the_lower_threshold_on_opening_messages_only(make_client, fake_rasa, scorer):
    """The opening mark the web app gives Rasa (within the person's first five messages, before the
    script) also chooses the scorer's threshold (session 33)."""
    client = await make_client(model_path=scorer.with_name("nachtlicht.tar.gz"))

    chat = functools.partial(_asked_in_a_new_conversation, client)

    assert await chat("hoi", BETWEEN) == [False, True]
    assert await chat("hoi", "ben je er?", "hallo", "ok", "hmm", BETWEEN) == [False] * 6
    assert (await chat("hoi", "ben je er?", "hallo", "ok", "hmm", SCORER_ONLY))[-1] is True


def test_the_demand_told_in_three_words_gets_no_question(scorer):
    """The scorer flagged "wil er meer" (more pictures; conversation suite g_kort.yml, session 28): a
    demand of the extorter is no half-sign. Whatever this scorer says of it, the web app does not ask."""
    from bot.web.chat import safety_check

    for text in ("wil er meer", "hij wil er nog meer", "Ze wil meer fotos."):
        assert not safety_check.due(text, [], asked_before=False, suicidal=False, scorer_path=scorer), text
    # the cues still ask on a half-sign
    assert safety_check.due("boeit allemaal niet meer", [], asked_before=False, suicidal=False, scorer_path=scorer)
