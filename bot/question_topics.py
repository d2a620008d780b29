"""Questions around the script (issue 15): what to reply, telling parents, money back, removal
without the image, group chats, work or school, waiting, stored messages, deleting an account.

The topics and their patterns are trainer-owned (texts/question_topics.yml); the answers are
``topic_<name>`` in actions/responses.yml. Pure functions, used by the NLU component
bot/nlu/question_topics.py (a matching message becomes ``ask_other``) and by the actions
(actions/script.py answers it, or says honestly "dat weet ik niet zeker" with the counsellor).
Matching is on bot.safety's normalised text (lowercase, no accents or punctuation, chat
spellings such as "kwil" folded).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional, Pattern, Tuple

import yaml

from bot.safety import normalise as norm

TOPICS_FILE = Path(__file__).resolve().parent.parent / "texts" / "question_topics.yml"
_QUESTION_START = re.compile(r"^(wat|hoe|waarom|wanneer|wie|waar|welke|moet|kan|kun|mag|is|zijn|werkt|heeft|hebben|"
                             r"krijg|weet|zal|zou|wordt|worden|ga|gaat|en als|maar als|wat als)\b")


class TopicsError(ValueError):
    """texts/question_topics.yml cannot be used (the message says where)."""


@lru_cache(maxsize=1)
def topics() -> Tuple[Tuple[str, Tuple[Pattern, ...]], ...]:
    """(name, compiled patterns) in file order; loaded on first use, never at import."""
    data = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8")) or {}
    out = []
    for name, patterns in (data.get("topics") or {}).items():
        compiled = []
        for pattern in patterns or []:
            try:
                compiled.append(re.compile(str(pattern)))
            except re.error as exc:
                raise TopicsError(f"{TOPICS_FILE.name}: topic {name}: pattern {pattern!r}: {exc}") from exc
        out.append((str(name), tuple(compiled)))
    return tuple(out)


def question_topic(text: Optional[str]) -> Optional[str]:
    """The first topic whose pattern matches the message, or None."""
    if not text or text.startswith("/"):
        return None
    t = norm(text)
    for name, patterns in topics():
        if any(p.search(t) for p in patterns):
            return name
    return None


def topic_intent(topic: Optional[str]) -> Optional[str]:
    """The intent a topic named ``intent_<intent>`` stands for (the message is answered as that
    intent: "moet ik betalen of niet?" is ask_should_pay), else None."""
    return topic[len("intent_"):] if topic and topic.startswith("intent_") else None


def answer_topic_of(text: Optional[str]) -> Optional[str]:
    """The topic whose own answer (``topic_<name>``) fits the message; None for intent_ topics."""
    topic = question_topic(text)
    return None if topic_intent(topic) else topic


def looks_like_question(text: Optional[str]) -> bool:
    return "?" in (text or "") or bool(_QUESTION_START.match(norm(text or "")))

