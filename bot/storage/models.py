"""SQLAlchemy models of Nachtlicht's own tables (Rasa keeps its tracker store separately).

Times are stored as naive UTC (``bot.storage.db.utcnow``). The schema is created by the Alembic
migrations in ``migrations/``; ``tests/bot/test_storage.py`` checks both stay in sync.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import declarative_base, relationship

from bot.storage.db import utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
Base = declarative_base(metadata=MetaData(naming_convention=NAMING))

# Case status and risk values (stored as plain strings).
STATUS_NEW, STATUS_IN_PROGRESS, STATUS_HANDED_BACK, STATUS_CLOSED = "new", "in_progress", "handed_back", "closed"
OPEN_STATUSES = (STATUS_NEW, STATUS_IN_PROGRESS, STATUS_HANDED_BACK)
DELIVERY_PENDING, DELIVERY_LATE, DELIVERY_RESEND = "pending", "late", "resend"


class Counsellor(Base):
    __tablename__ = "counsellors"
    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    api_token_hash = Column(String(64), nullable=True, unique=True)
    totp_secret = Column(String(64), nullable=True)  # optional second factor (pyotp), issue 16
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Conversation(Base):
    """One chat; ``id`` is the Rasa sender id, ``code`` lets the person come back."""

    __tablename__ = "conversations"
    id = Column(String(128), primary_key=True)
    code = Column(String(24), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)
    paused = Column(Boolean, nullable=False, default=False)
    taken_over_by = Column(Integer, ForeignKey("counsellors.id", ondelete="SET NULL"), nullable=True)

    counsellor = relationship("Counsellor", lazy="joined")


class ChatMessage(Base):
    """Everything shown in the person's chat window (their messages, bot, counsellor, system)."""

    __tablename__ = "chat_messages"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False)
    sender = Column(String(16), nullable=False)  # user | bot | counsellor | system
    text = Column(Text, nullable=False, default="")
    buttons = Column(JSON, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # Person's messages that could not reach Rasa (issue 17): "pending" until Rasa is back,
    # then "late" (answered after a restart) or "resend" (too old: the person was asked to
    # send it again). NULL for every message that went through at once.
    delivery = Column(String(10), nullable=True)

    __table_args__ = (
        Index("ix_chat_messages_conversation_id_id", "conversation_id", "id"),
        Index("ix_chat_messages_delivery", "delivery"),
    )


class Case(Base):
    __tablename__ = "cases"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        String(128), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(20), nullable=False, default=STATUS_NEW, index=True)
    outcome = Column(String(40), nullable=True)
    outcome_note = Column(Text, nullable=True)
    risk = Column(String(10), nullable=False, default="normal")
    risk_rank = Column(Integer, nullable=False, default=2)
    risk_reason = Column(Text, nullable=False, default="")
    facts = Column(JSON, nullable=False, default=dict)
    summary = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    closed_at = Column(DateTime, nullable=True)
    assigned_to = Column(Integer, ForeignKey("counsellors.id", ondelete="SET NULL"), nullable=True)

    conversation = relationship("Conversation", lazy="joined")
    counsellor = relationship("Counsellor", lazy="joined")


class AuditEntry(Base):
    """What a counsellor did with a case (take over, reply, reveal, close, ...)."""

    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=True, index=True)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id", ondelete="SET NULL"), nullable=True)
    counsellor_name = Column(String(64), nullable=False, default="")
    action = Column(String(40), nullable=False)
    detail = Column(Text, nullable=False, default="")


class WebSession(Base):
    """A console login. ``id`` is the SHA-256 of the cookie value; the cookie itself is never stored."""

    __tablename__ = "sessions"
    id = Column(String(64), primary_key=True)
    counsellor_id = Column(Integer, ForeignKey("counsellors.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)
    revealed = Column(JSON, nullable=False, default=list)  # case ids whose contact data is shown

    counsellor = relationship("Counsellor", lazy="joined")
