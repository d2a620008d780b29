"""CaseService against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.cases.service import CaseError
from bot.redact import PHONE
from bot.storage.conversations import ConversationStore
from bot.storage.db import get_engine, session_scope, utcnow
from bot.storage.models import AuditEntry, Case, ChatMessage, Conversation, WebSession

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_NIGHT = datetime(2026, 11, 23, 23, 30, tzinfo=AMS)
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)


def _backdate(database_url, case_id, minutes):
    with session_scope(get_engine(database_url)) as s:
        s.execute(update(Case).where(Case.id == case_id).values(created_at=utcnow() - timedelta(minutes=minutes)))


def test_open_case_returns_the_contract_dict_outside_office_hours(cases):
    case = cases.open_case("sender-1", {"suicide_risk": True, "platform": "snapchat"}, now=MONDAY_NIGHT)
    assert set(case) == {
        "id",
        "code",
        "risk",
        "risk_reason",
        "status",
        "counsellors_available",
        "next_opening",
        "created",
    }
    assert case["created"] is True
    assert case["risk"] == "urgent" and case["status"] == "new"
    assert case["counsellors_available"] is False
    assert case["next_opening"] == "morgen (dinsdag) vanaf 09:00"
    assert len(case["code"]) == 19  # XXXX-XXXX-XXXX-XXXX (issue 16)
    during = cases.open_case("sender-2", {}, now=MONDAY_MORNING)
    assert during["counsellors_available"] is True and during["next_opening"] == "nu"


def test_open_case_is_idempotent_and_merges_facts(cases, database_url):
    store = ConversationStore.from_url(database_url)
    conv = store.create()
    first = cases.open_case(conv["conversation_id"], {"platform": "instagram", "amount_demanded": 300})
    assert first["code"] == conv["code"] and first["risk"] == "normal"
    again = cases.open_case(
        conv["conversation_id"], {"platform": None, "deadline_within_24h": True, "deadline": "vanavond"}
    )
    assert again["id"] == first["id"] and again["risk"] == "high" and again["created"] is False
    full = cases.get(first["id"])
    assert full["facts"]["platform"] == "instagram" and full["facts"]["amount_demanded"] == 300
    assert "Deadline: vanavond (binnen 24 uur)." in full["summary"]
    assert [a["action"] for a in cases.audit(first["id"])] == ["case_opened", "case_updated"]
    assert len(cases.list_cases("all")) == 1


def test_queue_is_sorted_by_risk_then_waiting_time(cases, database_url):
    normal_old = cases.open_case("c-normal-old", {})["id"]
    high_new = cases.open_case("c-high-new", {"material_spread": True})["id"]
    urgent = cases.open_case("c-urgent", {"suicide_risk": True})["id"]
    high_old = cases.open_case("c-high-old", {"deadline_within_24h": True})["id"]
    closed = cases.open_case("c-closed", {"suicide_risk": True})["id"]
    _backdate(database_url, normal_old, 300)
    _backdate(database_url, high_old, 90)
    _backdate(database_url, high_new, 5)
    cases.close(closed, {"id": None, "name": "anna"}, "advice_given")
    queue = cases.queue()
    assert [c["id"] for c in queue] == [urgent, high_old, high_new, normal_old]
    assert queue[1]["waiting"] == "1 u 30 min" and queue[2]["waiting"] == "5 min"
    assert queue[3]["waiting_seconds"] >= 300 * 60
    assert [c["id"] for c in cases.list_cases("closed")] == [closed]
    with pytest.raises(CaseError):
        cases.list_cases("bogus")


def test_state_machine_and_audit_log(cases, accounts):
    accounts.add("anna", "nachtwacht-2026!")
    accounts.add("bram", "nachtwacht-2026!")
    anna = accounts.check_password("anna", "nachtwacht-2026!")
    bram = accounts.check_password("bram", "nachtwacht-2026!")
    case_id = cases.open_case("conv-x", {"writer": "victim"})["id"]
    with pytest.raises(CaseError, match="Neem het gesprek eerst over"):
        cases.reply(case_id, anna, "hoi")
    with pytest.raises(CaseError, match="niet overgenomen"):
        cases.hand_back(case_id, anna)
    taken = cases.take_over(case_id, anna)
    assert taken["status"] == "in_progress" and taken["assigned_to"] == "anna" and taken["paused"] is True
    with pytest.raises(CaseError):
        cases.reply(case_id, bram, "ik ben bram")  # not bram's conversation
    msg = cases.reply(case_id, anna, "Hoi, ik ben Anna van Helpwanted.")
    assert msg["sender"] == "counsellor"
    with pytest.raises(CaseError, match="leeg"):
        cases.reply(case_id, anna, "   ")
    assert cases.take_over(case_id, bram)["assigned_to"] == "bram"
    back = cases.hand_back(case_id, bram)
    assert back["status"] == "handed_back" and back["paused"] is False
    with pytest.raises(CaseError, match="uitkomst"):
        cases.close(case_id, bram, "whatever")
    closed = cases.close(case_id, bram, "referred_police", "aangifte besproken")
    assert closed["status"] == "closed" and closed["outcome_label"].startswith("Doorverwezen naar de politie")
    assert closed["closed_at"] and closed["outcome_note"] == "aangifte besproken"
    for action in (cases.take_over, cases.hand_back):
        with pytest.raises(CaseError, match="gesloten|niet overgenomen"):
            action(case_id, anna)
    log = [(a["counsellor"], a["action"], a["detail"]) for a in cases.audit(case_id)]
    assert log[1:] == [
        ("anna", "take_over", ""),
        ("anna", "reply", "32 tekens"),
        ("bram", "take_over", "overgenomen van anna"),
        ("bram", "hand_back", ""),
        ("bram", "close", "Doorverwezen naar de politie (aangifte)"),
    ]
    transcript = cases.chat_transcript("conv-x")
    assert [m["sender"] for m in transcript] == ["system", "counsellor", "system"]
    with pytest.raises(CaseError) as missing:
        cases.take_over(99999, anna)
    assert missing.value.status == 404


def test_facts_told_after_a_hand_back_reach_the_case_without_requeueing(cases):
    """Issue 15: an age told after the hand-back never reached the case."""
    anna = {"id": None, "name": "anna"}
    case_id = cases.open_case("conv-z", {"writer": "victim", "platform": "snapchat"})["id"]
    cases.take_over(case_id, anna)
    cases.hand_back(case_id, anna)
    assert cases.update_facts(
        "conv-z", {"writer": "victim", "platform": "snapchat", "age": 16, "age_group": "under_18"}
    )
    case = cases.get(case_id)
    assert case["facts"]["age"] == 16 and case["status"] == "handed_back"
    assert "16" in case["summary"]
    assert cases.update_facts("conv-none", {"age": 15}) is False  # no case: nothing to update
    cases.close(case_id, anna, "advice_given")
    assert cases.update_facts("conv-z", {"age": 17}) is False  # a closed case stays as it was closed
    assert cases.get(case_id)["facts"]["age"] == 16


def test_new_handoff_after_hand_back_requeues_and_after_close_opens_a_new_case(cases):
    anna = {"id": None, "name": "anna"}
    first = cases.open_case("conv-y", {})["id"]
    cases.take_over(first, anna)
    cases.hand_back(first, anna)
    again = cases.open_case("conv-y", {"material_spread": True})
    assert again["id"] == first and again["status"] == "new" and again["risk"] == "high"
    cases.close(first, anna, "advice_given")
    assert cases.open_case("conv-y", {})["id"] != first


def test_contact_data_is_masked_until_revealed_and_reveal_is_logged(cases):
    case_id = cases.open_case(
        "conv-z",
        {"contact_preference": "bel me op 0612345678", "open_questions": ["kan ik mailen naar kim@example.nl?"]},
    )["id"]
    masked = cases.get(case_id)
    assert "0612345678" not in str(masked) and "kim@example.nl" not in str(masked)
    assert PHONE in masked["facts"]["contact_preference"] and PHONE in masked["summary"]
    shown = cases.reveal(case_id, {"id": None, "name": "anna"})
    assert shown["facts"]["contact_preference"] == "bel me op 0612345678" and "kim@example.nl" in shown["summary"]
    assert cases.audit(case_id)[-1]["action"] == "reveal"


def test_the_extorters_identifiers_are_in_the_case_masked_until_revealed(cases):
    """Issue 14: handle, profile link, IBAN, wallet and gift-card code reach the counsellor, masked;
    the summary says they are there; the audited reveal shows them."""
    ids = [
        "handle: @jan_2009",
        "link: instagram.com/jan_2009",
        "iban: NL91ABNA0417164300",
        "wallet: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "giftcard_code: ABCDE-12345-FGHIJ",
    ]
    case_id = cases.open_case("conv-ids", {"identifiers": ids})["id"]
    masked = cases.get(case_id)
    for secret in ("jan_2009", "NL91ABNA0417164300", "bc1qar0srrr7", "ABCDE-12345"):
        assert secret not in str(masked), secret
    assert "Gegevens van de dader" in masked["summary"]
    for kind in ("gebruikersnaam", "profiellink", "IBAN", "wallet-adres", "cadeaukaartcode"):
        assert kind in masked["summary"], kind
    shown = cases.reveal(case_id, {"id": None, "name": "anna"})
    assert "NL91ABNA0417164300" in shown["summary"] and "@jan_2009" in shown["summary"]
    assert shown["facts"]["identifiers"] == ids
    assert cases.audit(case_id)[-1]["action"] == "reveal"


def test_handover_lists_the_nights_cases_by_risk(cases, database_url):
    a = cases.open_case("n1", {})["id"]
    b = cases.open_case("n2", {"suicide_risk": True})["id"]
    old = cases.open_case("n0", {"suicide_risk": True})["id"]
    _backdate(database_url, old, 60 * 30)
    now = utcnow()
    night = cases.handover(now - timedelta(hours=12), now + timedelta(seconds=1))
    assert [c["id"] for c in night] == [b, a]


def test_purge_deletes_old_closed_cases_and_idle_conversations_only(cases, database_url):
    engine = get_engine(database_url)
    store = ConversationStore.from_url(database_url)
    anna = {"id": None, "name": "anna"}
    old_closed = cases.open_case("old-closed", {})["id"]
    cases.close(old_closed, anna, "advice_given")
    recent_closed = cases.open_case("recent-closed", {})["id"]
    cases.close(recent_closed, anna, "advice_given")
    old_open = cases.open_case("old-open", {})["id"]
    idle = store.create()["conversation_id"]
    store.add_message(idle, "user", "hoi")
    fresh = store.create()["conversation_id"]
    long_ago = utcnow() - timedelta(days=100)
    with session_scope(engine) as s:
        s.execute(update(Case).where(Case.id.in_([old_closed, old_open])).values(closed_at=long_ago))
        s.execute(update(Case).where(Case.id == old_open).values(closed_at=None))
        s.execute(
            update(Conversation)
            .where(Conversation.id.in_(["old-closed", "old-open", idle]))
            .values(last_seen_at=long_ago)
        )
        s.add(
            WebSession(id="x" * 64, counsellor_id=_counsellor_id(s), csrf_token="t", expires_at=long_ago, revealed=[])
        )
    dry = cases.purge(90, dry_run=True)
    assert dry == {"conversations": 2, "cases": 1, "messages": 1, "sessions": 1}
    assert cases.purge(90) == dry
    with session_scope(engine) as s:
        left = set(s.execute(select(Conversation.id)).scalars())
        assert left == {"recent-closed", "old-open", fresh}
        assert s.execute(select(AuditEntry).where(AuditEntry.case_id == old_closed)).first() is None
        assert s.execute(select(ChatMessage).where(ChatMessage.conversation_id == idle)).first() is None
        assert s.execute(select(WebSession)).first() is None
    assert cases.purge(90) == {"conversations": 0, "cases": 0, "messages": 0, "sessions": 0}


def _counsellor_id(s):
    from bot.auth import hash_password
    from bot.storage.models import Counsellor

    c = Counsellor(name="purge-test", password_hash=hash_password("x" * 12))
    s.add(c)
    s.flush()
    return c.id
