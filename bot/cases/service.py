"""Cases for counsellors: open (from the Rasa action), queue, actions, audit log, purge.

Synchronous on purpose: the Rasa action server calls it from a plain action, the web app
from request handlers (queries take milliseconds). Talking to Rasa (pause/resume, appending
counsellor messages) is the web layer's job: bot/web/console/operations.py.

See docs/contracts.md for ``open_case``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.engine import Engine

from bot.cases.facts import normalise_facts
from bot.cases.risk import RISK_LABELS, RISK_RANK, URGENT, Risk, assess
from bot.cases.summary import field_rows, summary_text
from bot.office_hours import OfficeHours
from bot.redact import redact, redact_value
from bot.settings import Settings, get_settings
from bot.storage.conversations import add_messages, ensure_conversation, iso
from bot.storage.db import get_engine, session_scope, utcnow
from bot.storage.models import (
    OPEN_STATUSES,
    STATUS_CLOSED,
    STATUS_HANDED_BACK,
    STATUS_IN_PROGRESS,
    STATUS_NEW,
    AuditEntry,
    Case,
    ChatMessage,
    Conversation,
    WebSession,
)
from bot.web_texts import section

# Notes in a transcript for messages that could not reach the chatbot at once (texts/web.yml).
DELIVERY_NOTES = section("delivery_notes")

STATUS_LABELS = {
    STATUS_NEW: "Nieuw",
    STATUS_IN_PROGRESS: "In behandeling",
    STATUS_HANDED_BACK: "Terug bij de bot",
    STATUS_CLOSED: "Gesloten",
}
OUTCOMES = {
    "advice_given": "Advies gegeven",
    "referred_police": "Doorverwezen naar de politie (aangifte)",
    "removal_started": "Verwijderverzoek gestart",
    "referred_care": "Doorverwezen naar hulp (113, Centrum Seksueel Geweld, huisarts)",
    "no_response": "Geen reactie meer van de persoon",
    "not_sextortion": "Geen sextortion",
    "other": "Anders",
}
AUDIT_LABELS = {
    "case_opened": "Casus aangemaakt",
    "case_updated": "Samenvatting bijgewerkt",
    "take_over": "Gesprek overgenomen",
    "reply": "Bericht gestuurd",
    "hand_back": "Teruggegeven aan de bot",
    "close": "Gesloten",
    "reveal": "Contactgegevens zichtbaar gemaakt",
    "safety_alert": "Veiligheidssignaal (113)",
}
# What the person sees in their chat when a counsellor joins or leaves (texts/web.yml, "system").
_SYSTEM = section("system")
MSG_TAKE_OVER = _SYSTEM["take_over"]
MSG_HAND_BACK = _SYSTEM["hand_back"]
MSG_CLOSED = _SYSTEM["closed"]


class CaseError(Exception):
    """An action that is not possible in the case's current state (message is Dutch, for the UI)."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message, self.status = message, status


def waiting_text(seconds: float) -> str:
    minutes = int(max(seconds, 0) // 60)
    if minutes < 1:
        return "< 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} u {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} u"


def _latest_open_case(s, conversation_id: str) -> Case | None:
    """The conversation's newest case that is not closed (new, in progress or handed back)."""
    return s.execute(
        select(Case)
        .where(Case.conversation_id == conversation_id, Case.status != STATUS_CLOSED)
        .order_by(Case.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _merge(old: dict, new: dict) -> dict:
    merged = dict(old)
    for key, value in new.items():
        if value is None or value == []:
            merged.setdefault(key, value)
        else:
            merged[key] = value
    if old.get("suicide_risk") is True:
        merged["suicide_risk"] = True  # a safety signal never goes away by itself
    return normalise_facts(merged)


def _set_risk(case: Case) -> Risk:
    """Assess the case's facts; the level never drops below the stored one by itself."""
    risk = assess(case.facts or {})
    if case.risk in RISK_RANK and RISK_RANK[case.risk] < risk.rank:
        risk = Risk(case.risk, case.risk_reason or risk.reason)
    case.risk, case.risk_rank, case.risk_reason = risk.level, risk.rank, risk.reason
    return risk


class CaseService:
    def __init__(self, engine: Engine, settings: Settings | None = None, hours: OfficeHours | None = None):
        self.engine = engine
        self.settings = settings or get_settings()
        self._hours = hours

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "CaseService":
        settings = settings or get_settings()
        return cls(get_engine(settings.database_url), settings)

    @property
    def hours(self) -> OfficeHours:
        if self._hours is None:
            self._hours = OfficeHours.from_settings(self.settings)
        return self._hours

    # ----------------------------------------------------------------- opening (Rasa action)
    def open_case(self, conversation_id: str, facts: dict, now: datetime | None = None) -> dict:
        """Create the case for this conversation, or update the open one (idempotent)."""
        if not conversation_id:
            raise ValueError("conversation_id is required")
        new_facts = normalise_facts(facts)
        with session_scope(self.engine) as s:
            conv = ensure_conversation(s, conversation_id)
            case = _latest_open_case(s, conv.id)
            stamp = utcnow()
            if case is None:
                case = Case(conversation_id=conv.id, status=STATUS_NEW, facts=new_facts, created_at=stamp)
                s.add(case)
                action = "case_opened"
            else:
                case.facts = _merge(case.facts or {}, new_facts)
                if case.status == STATUS_HANDED_BACK:
                    case.status = STATUS_NEW  # asks for a person again: back in the queue
                action = "case_updated"
            risk = _set_risk(case)
            case.summary = summary_text(case.facts)
            case.updated_at = stamp
            s.flush()
            s.add(AuditEntry(case_id=case.id, counsellor_name="chatbot", action=action, detail=f"Risico: {risk.label}"))
            result = {
                "id": case.id,
                "code": conv.code,
                "risk": case.risk,
                "risk_reason": case.risk_reason,
                "status": case.status,
                "created": action == "case_opened",
            }
        available = self.hours.is_open(now)
        result["counsellors_available"] = available
        result["next_opening"] = "nu" if available else self.hours.describe_next(now)
        return result

    def update_facts(self, conversation_id: str, facts: dict) -> bool:
        """Facts told after the handoff (also after a hand-back) reach the conversation's latest case
        that is not closed, without putting it back in the queue (issue 15). False: no such case."""
        new_facts = normalise_facts(facts)
        with session_scope(self.engine) as s:
            conv = ensure_conversation(s, conversation_id)
            case = _latest_open_case(s, conv.id)
            if case is None:
                return False
            merged = _merge(case.facts or {}, new_facts)
            if merged == normalise_facts(case.facts or {}):
                return True
            case.facts = merged
            risk = _set_risk(case)
            case.summary = summary_text(case.facts)
            case.updated_at = utcnow()
            s.add(
                AuditEntry(
                    case_id=case.id, counsellor_name="chatbot", action="case_updated", detail=f"Risico: {risk.label}"
                )
            )
        return True

    def flag_suicidal(self, conversation_id: str, during_take_over: bool = False) -> dict | None:
        """Suicidal language in a conversation: its open case (if any) becomes urgent at once.

        Called by the web app's safety check on every message and by the Rasa action after a
        suicidal message. No question to the person first (issue 12). A case that a counsellor
        handed back stays with the bot (the person is asked again before it is queued), but its
        risk is urgent too. Returns {"id", "status", "risk", "changed"} or None without an open case.
        """
        with session_scope(self.engine) as s:
            case = _latest_open_case(s, conversation_id)
            if case is None:
                return None
            was = (case.risk, bool((case.facts or {}).get("suicide_risk")))
            facts = dict(case.facts or {})
            facts["suicide_risk"] = True
            case.facts = normalise_facts(facts)
            _set_risk(case)
            case.summary = summary_text(case.facts)
            changed = was != (URGENT, True)
            if changed or during_take_over:
                case.updated_at = utcnow()
                detail = (
                    "Suïcidale taal tijdens de overname"
                    if during_take_over
                    else "Suïcidale taal in het gesprek: risico urgent"
                )
                s.add(AuditEntry(case_id=case.id, counsellor_name="chatbot", action="safety_alert", detail=detail))
            return {"id": case.id, "status": case.status, "risk": case.risk, "changed": changed}

    def waiting_case(self, conversation_id: str) -> dict | None:
        """The case a counsellor is about to read (new) or reading (in progress), or None."""
        with session_scope(self.engine) as s:
            case = s.execute(
                select(Case)
                .where(Case.conversation_id == conversation_id, Case.status.in_((STATUS_NEW, STATUS_IN_PROGRESS)))
                .order_by(Case.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return (
                {"id": case.id, "status": case.status, "risk": case.risk, "code": case.conversation.code}
                if case
                else None
            )

    def last_safety_alert(self, case_id: int) -> str | None:
        """When the chatbot last flagged suicidal language in this case (ISO time), for the banner."""
        with session_scope(self.engine) as s:
            stamp = s.execute(
                select(AuditEntry.created_at)
                .where(AuditEntry.case_id == case_id, AuditEntry.action == "safety_alert")
                .order_by(AuditEntry.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return iso(stamp)

    # ----------------------------------------------------------------- reading
    def _dict(self, case: Case, reveal: bool = False, now: datetime | None = None) -> dict:
        now = now or utcnow()
        facts = normalise_facts(case.facts or {})
        shown = facts if reveal else redact_value(facts)
        conv = case.conversation
        end = case.closed_at or now
        return {
            "id": case.id,
            "conversation_id": case.conversation_id,
            "code": conv.code if conv else None,
            "status": case.status,
            "status_label": STATUS_LABELS.get(case.status, case.status),
            "outcome": case.outcome,
            "outcome_label": OUTCOMES.get(case.outcome) if case.outcome else None,
            "outcome_note": (case.outcome_note if reveal else redact(case.outcome_note)) or None,
            "risk": case.risk,
            "risk_label": RISK_LABELS.get(case.risk, case.risk),
            # the reason quotes the deadline as typed ("... bel 0612345678"): masked like the rest
            "risk_reason": case.risk_reason if reveal else redact(case.risk_reason),
            "facts": shown,
            "summary": case.summary if reveal else redact(case.summary),
            "fields": [list(row) for row in field_rows(shown)],
            "created_at": iso(case.created_at),
            "updated_at": iso(case.updated_at),
            "closed_at": iso(case.closed_at),
            "waiting_seconds": int((end - case.created_at).total_seconds()),
            "waiting": waiting_text((end - case.created_at).total_seconds()),
            "assigned_to": case.counsellor.name if case.counsellor else None,
            "assigned_to_id": case.assigned_to,
            "paused": bool(conv.paused) if conv else False,
            "last_seen_at": iso(conv.last_seen_at) if conv else None,
            "revealed": reveal,
        }

    def queue(self, now: datetime | None = None) -> list:
        """Open cases: most urgent first, then the longest waiting."""
        return self.list_cases("open", now=now)

    def list_cases(self, status: str = "open", now: datetime | None = None, limit: int = 500) -> list:
        query = select(Case)
        if status == "open":
            query = query.where(Case.status.in_(OPEN_STATUSES))
        elif status in STATUS_LABELS:
            query = query.where(Case.status == status)
        elif status != "all":
            raise CaseError("Onbekende status.", 400)
        query = query.order_by(Case.risk_rank, Case.created_at, Case.id).limit(limit)
        with session_scope(self.engine) as s:
            return [self._dict(c, now=now) for c in s.execute(query).scalars().unique().all()]

    def get(self, case_id: int, reveal: bool = False) -> dict | None:
        with session_scope(self.engine) as s:
            case = s.get(Case, case_id)
            if case is None:
                return None
            out = self._dict(case, reveal=reveal)
        out["safety_alert_at"] = self.last_safety_alert(case_id)  # the banner on the case page
        return out

    def audit(self, case_id: int) -> list:
        with session_scope(self.engine) as s:
            rows = s.execute(select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)).scalars()
            return [
                {
                    "id": a.id,
                    "created_at": iso(a.created_at),
                    "counsellor": a.counsellor_name,
                    "action": a.action,
                    "action_label": AUDIT_LABELS.get(a.action, a.action),
                    "detail": a.detail,
                }
                for a in rows
            ]

    def chat_transcript(self, conversation_id: str) -> list:
        """Fallback transcript from our own chat_messages table (when Rasa cannot be reached)."""
        with session_scope(self.engine) as s:
            rows = s.execute(
                select(ChatMessage).where(ChatMessage.conversation_id == conversation_id).order_by(ChatMessage.id)
            ).scalars()
            return [
                {
                    "sender": m.sender,
                    "text": m.text + DELIVERY_NOTES.get(m.delivery, ""),
                    "timestamp": iso(m.created_at),
                }
                for m in rows
            ]

    def handover(self, since: datetime, until: datetime) -> list:
        """Cases created in [since, until) (naive UTC), by risk then time: the night's work."""
        with session_scope(self.engine) as s:
            rows = (
                s.execute(
                    select(Case)
                    .where(Case.created_at >= since, Case.created_at < until)
                    .order_by(Case.risk_rank, Case.created_at, Case.id)
                )
                .scalars()
                .unique()
                .all()
            )
            return [self._dict(c) for c in rows]

    # ----------------------------------------------------------------- counsellor actions
    def _fresh(self, s, case: Case) -> dict:
        s.flush()
        s.refresh(case)  # reload relationships changed through foreign keys
        return self._dict(case)

    def _load(self, s, case_id: int) -> Case:
        case = s.get(Case, case_id)
        if case is None:
            raise CaseError("Deze casus bestaat niet.", 404)
        return case

    @staticmethod
    def _audit(s, case: Case, counsellor: dict, action: str, detail: str = "") -> None:
        s.add(
            AuditEntry(
                case_id=case.id,
                counsellor_id=counsellor.get("id"),
                counsellor_name=counsellor["name"],
                action=action,
                detail=detail,
            )
        )

    def check(self, case_id: int, action: str, counsellor: dict) -> dict:
        """Raise CaseError if ``action`` is not possible now; else the (masked) case."""
        with session_scope(self.engine) as s:
            case = self._load(s, case_id)
            if case.status == STATUS_CLOSED and action in ("take_over", "reply", "hand_back", "close"):
                raise CaseError("Deze casus is al gesloten.")
            if action == "reply" and (case.status != STATUS_IN_PROGRESS or case.assigned_to != counsellor.get("id")):
                raise CaseError("Neem het gesprek eerst over; dan kun je de persoon een bericht sturen.")
            if action == "hand_back" and case.status != STATUS_IN_PROGRESS:
                raise CaseError("Dit gesprek is niet overgenomen, dus er is niets terug te geven.")
            return self._dict(case)

    def take_over(self, case_id: int, counsellor: dict) -> dict:
        with session_scope(self.engine) as s:
            case = self._load(s, case_id)
            if case.status == STATUS_CLOSED:
                raise CaseError("Deze casus is al gesloten.")
            previous = case.counsellor.name if case.counsellor and case.assigned_to != counsellor.get("id") else None
            case.status, case.assigned_to, case.updated_at = STATUS_IN_PROGRESS, counsellor.get("id"), utcnow()
            conv = case.conversation
            already = conv.paused
            conv.paused, conv.taken_over_by = True, counsellor.get("id")
            if not already:
                add_messages(s, conv.id, [("system", MSG_TAKE_OVER, None)])
            self._audit(s, case, counsellor, "take_over", f"overgenomen van {previous}" if previous else "")
            return self._fresh(s, case)

    def reply(self, case_id: int, counsellor: dict, text: str) -> dict:
        """Store a counsellor message for the person's chat; returns the chat message."""
        text = (text or "").strip()
        if not text:
            raise CaseError("Je bericht is leeg.", 400)
        if len(text) > 4000:
            raise CaseError("Je bericht is te lang (maximaal 4000 tekens).", 400)
        with session_scope(self.engine) as s:
            case = self._load(s, case_id)
            if case.status != STATUS_IN_PROGRESS or case.assigned_to != counsellor.get("id"):
                raise CaseError("Neem het gesprek eerst over; dan kun je de persoon een bericht sturen.")
            msg = add_messages(s, case.conversation_id, [("counsellor", text, None)])[0]
            case.updated_at = utcnow()
            self._audit(s, case, counsellor, "reply", f"{len(text)} tekens")
            return msg

    def hand_back(self, case_id: int, counsellor: dict) -> dict:
        with session_scope(self.engine) as s:
            case = self._load(s, case_id)
            if case.status != STATUS_IN_PROGRESS:
                raise CaseError("Dit gesprek is niet overgenomen, dus er is niets terug te geven.")
            case.status, case.updated_at = STATUS_HANDED_BACK, utcnow()
            self._release(s, case, MSG_HAND_BACK)
            self._audit(s, case, counsellor, "hand_back")
            return self._fresh(s, case)

    def close(self, case_id: int, counsellor: dict, outcome: str, note: str = "") -> dict:
        if outcome not in OUTCOMES:
            raise CaseError("Kies een uitkomst om de casus te sluiten.", 400)
        note = (note or "").strip()[:2000]
        with session_scope(self.engine) as s:
            case = self._load(s, case_id)
            if case.status == STATUS_CLOSED:
                raise CaseError("Deze casus is al gesloten.")
            stamp = utcnow()
            case.status, case.outcome, case.outcome_note = STATUS_CLOSED, outcome, note or None
            case.closed_at = case.updated_at = stamp
            if case.assigned_to is None:
                case.assigned_to = counsellor.get("id")
            self._release(
                s, case, MSG_CLOSED.format(code=case.conversation.code, days=self.settings.resume_days_after_close)
            )
            self._audit(s, case, counsellor, "close", OUTCOMES[outcome])
            return self._fresh(s, case)

    @staticmethod
    def _release(s, case: Case, message: str) -> None:
        conv = case.conversation
        if conv.paused:
            add_messages(s, conv.id, [("system", message, None)])
        conv.paused, conv.taken_over_by = False, None

    def reveal(self, case_id: int, counsellor: dict) -> dict:
        """The unmasked case; the reveal is written to the audit log."""
        with session_scope(self.engine) as s:
            case = self._load(s, case_id)
            self._audit(s, case, counsellor, "reveal", "telefoonnummers, e-mailadressen en rekeningnummers getoond")
            return self._dict(case, reveal=True)

    # ----------------------------------------------------------------- retention
    def purge(self, days: int, now: datetime | None = None, dry_run: bool = False, with_ids: bool = False) -> dict:
        """Delete closed cases older than ``days`` with their conversation and messages, plus
        conversations without any case that were idle that long, and expired sessions.
        ``with_ids``: the result also lists the ``conversation_ids`` (for Rasa's tracker store)."""
        cutoff = (now or utcnow()) - timedelta(days=days)
        with session_scope(self.engine) as s:
            old_closed = select(Case.conversation_id).where(Case.status == STATUS_CLOSED, Case.closed_at < cutoff)
            still_open = select(Case.conversation_id).where(or_(Case.status != STATUS_CLOSED, Case.closed_at >= cutoff))
            with_case = select(Case.conversation_id)
            doomed = set(
                s.execute(
                    select(Conversation.id).where(
                        Conversation.id.in_(old_closed),
                        Conversation.id.not_in(still_open),
                        Conversation.last_seen_at < cutoff,
                    )
                ).scalars()
            )
            doomed |= set(
                s.execute(
                    select(Conversation.id).where(Conversation.id.not_in(with_case), Conversation.last_seen_at < cutoff)
                ).scalars()
            )
            counts = {"conversations": len(doomed)}
            if doomed:
                ids = list(doomed)
                counts["cases"] = s.execute(
                    select(func.count()).select_from(Case).where(Case.conversation_id.in_(ids))
                ).scalar()
                counts["messages"] = s.execute(
                    select(func.count()).select_from(ChatMessage).where(ChatMessage.conversation_id.in_(ids))
                ).scalar()
            else:
                counts.update(cases=0, messages=0)
            counts["sessions"] = s.execute(
                select(func.count()).select_from(WebSession).where(WebSession.expires_at < utcnow())
            ).scalar()
            if not dry_run and doomed:
                ids = list(doomed)
                case_ids = select(Case.id).where(Case.conversation_id.in_(ids))
                s.execute(
                    delete(AuditEntry)
                    .where(AuditEntry.case_id.in_(case_ids))
                    .execution_options(synchronize_session=False)
                )
                s.execute(
                    delete(Case).where(Case.conversation_id.in_(ids)).execution_options(synchronize_session=False)
                )
                s.execute(
                    delete(ChatMessage)
                    .where(ChatMessage.conversation_id.in_(ids))
                    .execution_options(synchronize_session=False)
                )
                s.execute(
                    delete(Conversation).where(Conversation.id.in_(ids)).execution_options(synchronize_session=False)
                )
            if not dry_run:
                s.execute(
                    delete(WebSession)
                    .where(WebSession.expires_at < utcnow())
                    .execution_options(synchronize_session=False)
                )
            if with_ids:
                counts["conversation_ids"] = sorted(doomed)
            return counts

    def existing_conversations(self, ids: list) -> set:
        """Those of ``ids`` that are conversations in our database."""
        found: set = set()
        with session_scope(self.engine) as s:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                found |= set(s.execute(select(Conversation.id).where(Conversation.id.in_(chunk))).scalars())
        return found
