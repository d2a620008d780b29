"""Counsellor actions that touch both our database and Rasa (used by console and API).

Order matters: Rasa is paused *before* we mark a case as taken over (so the bot never
answers while a person thinks they talk to a counsellor), and resumed before we hand back.
If Rasa cannot be reached, take over / hand back / close fail with a Dutch message.
A counsellor reply is stored for the chat first (the person gets it even if Rasa is down)
and then appended to the Rasa tracker so the transcript stays complete.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from bot.cases.morning_report import night_window
from bot.cases.service import MSG_CLOSED, MSG_HAND_BACK, MSG_TAKE_OVER, CaseError
from bot.redact import redact
from bot.web.console.state import ConsoleState
from bot.web.rasa_client import RasaUnavailable, transcript_from_tracker

log = logging.getLogger(__name__)
RASA_DOWN = "De chatbot (Rasa) is nu niet bereikbaar, dus dit lukt even niet. Probeer het zo opnieuw."
SYSTEM_META = {"nachtlicht_system": True}


def handover_cases(st: ConsoleState, hours_raw: str = "") -> tuple:
    """(since, until, cases) for the morning handover: the last night by default, or the
    last N hours (1..336) when ``hours_raw`` is a number in that range."""
    since, until = night_window(st.cases.hours)
    if hours_raw.isdigit() and 0 < int(hours_raw) <= 24 * 14:
        since = until - timedelta(hours=int(hours_raw))

    def to_utc(d: datetime) -> datetime:
        return d.astimezone(timezone.utc).replace(tzinfo=None)

    return since, until, st.cases.handover(to_utc(since), to_utc(until))


async def _append_system(st: ConsoleState, conversation_id: str, text: str) -> None:
    try:
        await st.rasa.append_bot(conversation_id, text, dict(SYSTEM_META))
    except RasaUnavailable:
        log.warning("could not add a system message to the Rasa tracker of %s", conversation_id)


async def take_over(st: ConsoleState, case_id: int, counsellor: dict) -> dict:
    case = st.cases.check(case_id, "take_over", counsellor)
    if not case["paused"]:
        try:
            await st.rasa.pause(case["conversation_id"])
        except RasaUnavailable:
            raise CaseError(RASA_DOWN, 503) from None
        await _append_system(st, case["conversation_id"], MSG_TAKE_OVER)
    return st.cases.take_over(case_id, counsellor)


async def hand_back(st: ConsoleState, case_id: int, counsellor: dict) -> dict:
    case = st.cases.check(case_id, "hand_back", counsellor)
    try:
        await st.rasa.resume(case["conversation_id"], handoff_ended=True)
    except RasaUnavailable:
        raise CaseError(RASA_DOWN, 503) from None
    if case["paused"]:
        await _append_system(st, case["conversation_id"], MSG_HAND_BACK)
    return st.cases.hand_back(case_id, counsellor)


async def close(st: ConsoleState, case_id: int, counsellor: dict, outcome: str, note: str = "") -> dict:
    case = st.cases.check(case_id, "close", counsellor)
    from bot.cases.service import OUTCOMES

    if outcome not in OUTCOMES:
        raise CaseError("Kies een uitkomst om de casus te sluiten.", 400)
    if case["paused"]:
        try:
            await st.rasa.resume(case["conversation_id"], handoff_ended=True)
        except RasaUnavailable:
            raise CaseError(RASA_DOWN, 503) from None
        await _append_system(
            st, case["conversation_id"], MSG_CLOSED.format(code=case["code"], days=st.settings.resume_days_after_close)
        )
    else:
        try:  # no counsellor is coming any more; action_handoff_status checks the case as well
            await st.rasa.end_handoff(case["conversation_id"])
        except RasaUnavailable:
            log.warning("could not reset handoff_done in the Rasa tracker of %s", case["conversation_id"])
    return st.cases.close(case_id, counsellor, outcome, note)


async def reply(st: ConsoleState, case_id: int, counsellor: dict, text: str) -> tuple:
    """(chat message, warning or None)."""
    case = st.cases.check(case_id, "reply", counsellor)
    message = st.cases.reply(case_id, counsellor, text)
    try:
        await st.rasa.append_bot(
            case["conversation_id"], message["text"], {"counsellor": True, "counsellor_name": counsellor["name"]}
        )
    except RasaUnavailable:
        return message, (
            "Je bericht staat in de chat van de persoon, maar Rasa was niet bereikbaar: "
            "het ontbreekt in het Rasa-transcript."
        )
    return message, None


async def transcript(st: ConsoleState, case: dict, reveal: bool = False) -> tuple:
    """(messages, source): from the Rasa tracker, or our chat table when Rasa is down."""
    try:
        items, source = transcript_from_tracker(await st.rasa.tracker(case["conversation_id"])), "rasa"
    except RasaUnavailable:
        items, source = st.cases.chat_transcript(case["conversation_id"]), "chat"
    if not reveal:
        items = [dict(m, text=redact(m["text"])) for m in items]
    return items, source
