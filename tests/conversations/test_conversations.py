"""The conversation suite (issue 15), end to end: every conversation in data/*.yml is played
through the web app's chat API against the real stack (trained model, action server, web app);
counsellor steps go through the counsellor API. Expectations per turn and the case facts at the
end are checked (suite.py); transcripts and totals go to reports/conversations/.

The stack (``conversation_stack``, tests/conftest.py) is this suite's own (chat rate limits raised: the suite sends hundreds of messages
from one address, which the production limits rightly refuse).
"""

from __future__ import annotations

import json
import urllib.parse

import conversation_suite as S
import pytest
from chat_helpers import call

pytestmark = pytest.mark.e2e
CONVERSATIONS = S.load()
KNOWN = S.not_yet_met()
RESULTS: dict = {}
FACTS: dict = {}
# The bar of issue 15: every expectation passes, and fact precision >= 0.95 per fact.
PRECISION_BAR = 0.95


@pytest.fixture(scope="module")
def stack(conversation_stack):
    yield conversation_stack
    S.REPORTS.mkdir(parents=True, exist_ok=True)
    (S.REPORTS / "summary.md").write_text(S.summary(RESULTS, FACTS, KNOWN), encoding="utf-8")
    failed = {cid: sorted({S.result_id(r) for r in results if not r.ok}) for cid, results in RESULTS.items()}
    (S.REPORTS / "failed.json").write_text(
        json.dumps({k: v for k, v in failed.items() if v}, indent=1), encoding="utf-8"
    )


def _bot_text(message: dict) -> str:
    text = message.get("text") or ""
    buttons = " ".join(f"[{b.get('title')}]" for b in message.get("buttons") or [])
    return (text + (" " + buttons if buttons else "")).strip()


def _case_id(stack, cid: str):
    status, body = call("GET", f"{stack.web_url}/api/cases?status=all", token=stack.token)
    assert status == 200, body
    found = [c for c in body["cases"] if c["conversation_id"] == cid]
    return found[0]["id"] if found else None


def _tracker(stack, cid: str) -> dict:
    query = urllib.parse.urlencode({"token": stack.rasa_token})
    status, tracker = call("GET", f"{stack.rasa_url}/conversations/{cid}/tracker?{query}")
    assert status == 200, tracker
    return tracker


def _slots(stack, cid: str) -> dict:
    return _tracker(stack, cid).get("slots") or {}


def _reading(tracker: dict, before: dict, text: str) -> tuple:
    """For the transcript: how the NLU read the message (if it reached Rasa: not while a counsellor
    has taken over), and the case facts it changed (a reviewer sees at which turn a wrong fact
    came in)."""
    latest = tracker.get("latest_message") or {}
    intent = (latest.get("intent") or {}) if latest.get("text") == text else {}
    nlu = f"{intent.get('name')} {float(intent.get('confidence') or 0):.2f}" if intent.get("name") else ""
    slots = tracker.get("slots") or {}
    changed = {n: slots.get(n) for n in S.SCORED_FACTS if slots.get(n) != before.get(n)}
    return nlu, changed, slots


def play(stack, conv: S.Conversation):
    status, created = call("POST", f"{stack.web_url}/chat/api/conversations", {})
    assert status == 201, created
    cid = created["conversation_id"]
    results, log, seen = [], [], []
    paused = False
    index = 0
    facts_before: dict = {}
    for turn in conv.turns:
        if turn.counsellor:
            case_id = _case_id(stack, cid)
            assert case_id is not None, f"{conv.id}: counsellor step {turn.counsellor} but no case"
            body = (
                {"text": turn.text}
                if turn.counsellor == "reply"
                else ({"outcome": "advice_given"} if turn.counsellor == "close" else {})
            )
            status, answer = call(
                "POST",
                f"{stack.web_url}/api/cases/{case_id}/{turn.counsellor.replace('_', '-')}",
                body,
                token=stack.token,
            )
            assert status == 200, (turn.counsellor, answer)
            paused = turn.counsellor in ("take_over", "reply") or (paused and turn.counsellor != "hand_back")
            log.append({"who": "counsellor", "step": turn.counsellor, "text": turn.text})
            continue
        index += 1
        status, answer = call("POST", f"{stack.web_url}/chat/api/conversations/{cid}/messages", {"text": turn.user})
        assert status == 200, (turn.user, answer)
        shown = [m for m in answer.get("messages") or [] if m.get("sender") in ("bot", "system")]
        bot_messages = [_bot_text(m) for m in shown]
        results += S.check_turn(
            turn, index, "\n".join(bot_messages), seen, bot_messages, paused=answer.get("handled_by") == "counsellor"
        )
        nlu, changed, facts_before = _reading(_tracker(stack, cid), facts_before, turn.user)
        log.append(
            {"who": "user", "index": index, "text": turn.user, "bot": bot_messages, "nlu": nlu, "changed": changed}
        )
    rows = S.score_facts(conv, _slots(stack, cid))
    for row in rows:
        if row["fp"] or row["fn"]:
            results.append(
                S.Result("fact", 0, False, f"{row['fact']}: expected {row['expected']!r}, held {row['held']!r}")
            )
    return results, log, rows


@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c.id for c in CONVERSATIONS])
def test_conversation(stack, conv):
    results, log, rows = play(stack, conv)
    RESULTS[conv.id], FACTS[conv.id] = results, rows
    S.REPORTS.mkdir(parents=True, exist_ok=True)
    (S.REPORTS / f"{conv.id}.md").write_text(S.transcript(conv, log, results, rows), encoding="utf-8")
    known = KNOWN["expectations"].get(conv.id, set())
    failed = [r for r in results if not r.ok and S.result_id(r) not in known]
    assert not failed, f"{conv.id}: {len(failed)} failed (reports/conversations/{conv.id}.md):\n" + "\n".join(
        f"  turn {r.turn}: {r.kind} {r.detail}" for r in failed
    )


def test_fact_precision_per_fact(stack):
    assert len(FACTS) == len(CONVERSATIONS), "every conversation must have been played first"
    scores = {name: p for name, p, _r, *_ in S.fact_scores(FACTS) if p is not None}
    low = {name: round(p, 3) for name, p in scores.items() if p < PRECISION_BAR}
    print("fact precision:", json.dumps({n: round(p, 3) for n, p in scores.items()}))
    not_met = {n: p for n, p in low.items() if n in KNOWN["facts_below_bar"]}
    if not_met:
        print(
            f"NOT MET (issue 15 open, tests/conversations/not_yet_met.yml): fact precision < {PRECISION_BAR}: {not_met}"
        )
    failed = {n: p for n, p in low.items() if n not in KNOWN["facts_below_bar"]}
    assert not failed, f"fact precision below {PRECISION_BAR}: {failed}"
