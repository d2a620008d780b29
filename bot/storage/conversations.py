"""Conversations and the messages shown in the person's chat window (table chat_messages).

A conversation id is the Rasa sender id (32 random hex characters for chats started on our
web page). The code (``XXXX-XXXX`` from an unambiguous alphabet) lets the person come back.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.storage.db import as_utc, get_engine, session_scope, utcnow
from bot.storage.models import DELIVERY_PENDING, STATUS_CLOSED, Case, ChatMessage, Conversation

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SENDERS = ("user", "bot", "counsellor", "system")
CONVERSATION_ID_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_BUTTONS = 12


def new_conversation_id() -> str:
    return secrets.token_hex(16)


CODE_LENGTH = 16  # characters from a 31-letter alphabet: ~79 bits, not guessable (issue 16)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(text: object) -> str | None:
    """'k7qm 2xpd ...' -> 'K7QM-2XPD-...'; None when it cannot be a code. Codes of 8 characters
    handed out before 2026-12-03 are still read."""
    if not isinstance(text, str) or len(text) > 60:
        return None
    raw = re.sub(r"[\s\-_.]", "", text).upper()
    if len(raw) not in (8, CODE_LENGTH) or any(c not in CODE_ALPHABET for c in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def iso(value) -> str | None:
    value = as_utc(value)
    return value.isoformat() if value else None


def message_dict(m: ChatMessage) -> dict:
    return {
        "id": m.id,
        "sender": m.sender,
        "text": m.text,
        "buttons": list(m.buttons or []),
        "created_at": iso(m.created_at),
        "delivery": m.delivery,
    }


def clean_buttons(buttons: Iterable | None) -> list:
    out = []
    for b in list(buttons or [])[:MAX_BUTTONS]:
        if isinstance(b, dict) and b.get("title"):
            out.append({"title": str(b["title"])[:200], "payload": str(b.get("payload") or b["title"])[:500]})
    return out


def ensure_conversation(session: Session, conversation_id: str) -> Conversation:
    """The conversation row, created (with a fresh code) when Rasa saw a sender we did not."""
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        conv = Conversation(id=conversation_id, code=_unused_code(session))
        session.add(conv)
        session.flush()
    return conv


def _unused_code(session: Session) -> str:
    for _ in range(20):
        code = new_code()
        if session.execute(select(Conversation.id).where(Conversation.code == code)).first() is None:
            return code
    raise RuntimeError("could not find an unused conversation code")  # pragma: no cover


class ConversationStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def from_url(cls, url: str | None = None) -> "ConversationStore":
        return cls(get_engine(url))

    def create(self) -> dict:
        with session_scope(self.engine) as s:
            conv = ensure_conversation(s, new_conversation_id())
            return {"conversation_id": conv.id, "code": conv.code}

    def get(self, conversation_id: str) -> dict | None:
        with session_scope(self.engine) as s:
            conv = s.get(Conversation, conversation_id)
            return self._dict(conv) if conv else None

    def by_code(self, code: str, days_after_close: int | None = None) -> dict | None:
        """The conversation of this code; None when unknown or, with ``days_after_close``, when
        its last case was closed longer ago than that and none is open (the code has expired)."""
        code = normalise_code(code)
        if code is None:
            return None
        with session_scope(self.engine) as s:
            conv = s.execute(select(Conversation).where(Conversation.code == code)).scalar_one_or_none()
            if conv is None:
                return None
            if days_after_close is not None:
                cases = s.execute(select(Case.status, Case.closed_at).where(Case.conversation_id == conv.id)).all()
                if cases and all(status == STATUS_CLOSED for status, _ in cases):
                    last_closed = max(as_utc(closed) for _, closed in cases if closed is not None)
                    if last_closed < as_utc(utcnow()) - timedelta(days=days_after_close):
                        return None
            return self._dict(conv)

    @staticmethod
    def _dict(conv: Conversation) -> dict:
        return {
            "conversation_id": conv.id,
            "code": conv.code,
            "paused": bool(conv.paused),
            "taken_over_by": conv.taken_over_by,
            "created_at": iso(conv.created_at),
            "last_seen_at": iso(conv.last_seen_at),
        }

    def add_message(
        self, conversation_id: str, sender: str, text: str, buttons: list | None = None, touch: bool = False
    ) -> dict:
        return self.add_messages(conversation_id, [(sender, text, buttons)], touch=touch)[0]

    def add_messages(self, conversation_id: str, items: list, touch: bool = False) -> list:
        """Store (sender, text, buttons) tuples; returns their message dicts in order."""
        with session_scope(self.engine) as s:
            return add_messages(s, conversation_id, items, touch=touch)

    def latest(self, conversation_id: str, count: int) -> list:
        """The last ``count`` messages of a conversation, oldest first."""
        with session_scope(self.engine) as s:
            rows = (
                s.execute(
                    select(ChatMessage)
                    .where(ChatMessage.conversation_id == conversation_id)
                    .order_by(ChatMessage.id.desc())
                    .limit(count)
                )
                .scalars()
                .all()
            )
            return [message_dict(m) for m in reversed(rows)]

    def has_message(self, conversation_id: str, sender: str, text: str) -> bool:
        """Was this exact message ever stored in the conversation (the check question is asked once)?"""
        with session_scope(self.engine) as s:
            found = s.execute(
                select(ChatMessage.id)
                .where(
                    ChatMessage.conversation_id == conversation_id,
                    ChatMessage.sender == sender,
                    ChatMessage.text == text,
                )
                .limit(1)
            ).first()
            return found is not None

    def messages_after(self, conversation_id: str, after: int = 0, limit: int = 500) -> list:
        with session_scope(self.engine) as s:
            rows = (
                s.execute(
                    select(ChatMessage)
                    .where(ChatMessage.conversation_id == conversation_id, ChatMessage.id > after)
                    .order_by(ChatMessage.id)
                    .limit(limit)
                )
                .scalars()
                .all()
            )
            return [message_dict(m) for m in rows]

    # ---- messages that could not reach Rasa (issue 17, bot/web/chat/delivery.py)
    def set_delivery(self, message_id: int, value: str | None) -> None:
        with session_scope(self.engine) as s:
            s.execute(update(ChatMessage).where(ChatMessage.id == message_id).values(delivery=value))

    def pending(self, conversation_id: str) -> list:
        """The person's messages of this conversation still waiting for Rasa, oldest first."""
        with session_scope(self.engine) as s:
            rows = (
                s.execute(
                    select(ChatMessage)
                    .where(ChatMessage.conversation_id == conversation_id, ChatMessage.delivery == DELIVERY_PENDING)
                    .order_by(ChatMessage.id)
                )
                .scalars()
                .all()
            )
            return [message_dict(m) for m in rows]

    def _count(self, conversation_id: str, *where) -> int:
        with session_scope(self.engine) as s:
            return s.execute(
                select(func.count())
                .select_from(ChatMessage)
                .where(ChatMessage.conversation_id == conversation_id, *where)
            ).scalar()

    def count_messages(self, conversation_id: str, sender: str) -> int:
        """How many messages ``sender`` has in the conversation (the risk scorer reads the opening only)."""
        return self._count(conversation_id, ChatMessage.sender == sender)

    def pending_count(self, conversation_id: str) -> int:
        return self._count(conversation_id, ChatMessage.delivery == DELIVERY_PENDING)

    def conversations_with_pending(self, limit: int = 200) -> list:
        """Conversation ids with waiting messages, the longest-waiting first."""
        with session_scope(self.engine) as s:
            rows = s.execute(
                select(ChatMessage.conversation_id, func.min(ChatMessage.id).label("first"))
                .where(ChatMessage.delivery == DELIVERY_PENDING)
                .group_by(ChatMessage.conversation_id)
                .order_by("first")
                .limit(limit)
            ).all()
            return [r[0] for r in rows]


def add_messages(session: Session, conversation_id: str, items: list, touch: bool = False) -> list:
    now = utcnow()
    rows = []
    for i, (sender, text, buttons) in enumerate(items):
        if sender not in SENDERS:
            raise ValueError(f"unknown sender {sender!r}")
        # Strictly increasing timestamps keep the order readable even within one millisecond.
        rows.append(
            ChatMessage(
                conversation_id=conversation_id,
                sender=sender,
                text=text or "",
                buttons=clean_buttons(buttons) or None,
                created_at=now + timedelta(microseconds=i),
            )
        )
    session.add_all(rows)
    if touch:
        session.execute(update(Conversation).where(Conversation.id == conversation_id).values(last_seen_at=now))
    session.flush()
    return [message_dict(m) for m in rows]
