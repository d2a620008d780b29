"""Questions around the script (issue 15): what to reply, telling parents, money back, removal
without the image, group chats, work or school, waiting, stored messages, deleting an account.

The topics and their patterns are trainer-owned (texts/question_topics.yml); the answers are
``topic_<name>`` in actions/responses.yml. Pure functions, used by the NLU component
bot/nlu/question_topics.py (a matching message becomes ``ask_other``) and by the actions
(actions/script.py answers it, or says honestly "dat weet ik niet zeker" with the counsellor).
Matching is on bot.language.safety_phrases's normalised text (lowercase, no accents or punctuation, chat
spellings such as "kwil" folded).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional, Pattern, Tuple

from bot.language.safety_phrases import normalise as norm
from bot.language.trainer_files import TrainerFileError, line_of, load_or_last_good, read_yaml

TOPICS_FILE = Path(__file__).resolve().parent.parent.parent / "texts" / "question_topics.yml"
_QUESTION_START = re.compile(
    r"^(wat|hoe|waarom|wanneer|wie|waar|welke|moet|kan|kun|mag|is|zijn|werkt|heeft|hebben|"
    r"krijg|weet|zal|zou|wordt|worden|ga|gaat|en als|maar als|wat als)\b"
)


class TopicsError(TrainerFileError):
    """texts/question_topics.yml cannot be used (the message says where)."""


def parse_topics(path: Path = TOPICS_FILE) -> Tuple[Tuple[str, Tuple[Pattern, ...]], ...]:
    """(name, compiled patterns) in file order; a mistake is a TopicsError with its line."""
    data, text = read_yaml(path, dict)
    table = data.get("topics") or {}
    if not isinstance(table, dict):
        raise TopicsError(path, line_of(text, "topics:"), "'topics:' moet onderwerpen met patronen bevatten")
    out = []
    for name, patterns in table.items():
        if patterns is not None and not isinstance(patterns, list):
            raise TopicsError(path, line_of(text, f"{name}:"), f"{name}: geef een lijst patronen (regels met '- ')")
        compiled = []
        for pattern in patterns or []:
            try:
                compiled.append(re.compile(str(pattern)))
            except re.error as exc:
                raise TopicsError(
                    path,
                    line_of(text, str(pattern)[:30]) or line_of(text, f"{name}:"),
                    f"onderwerp {name}: patroon {pattern!r} werkt niet ({exc})",
                ) from exc
        out.append((str(name), tuple(compiled)))
    return tuple(out)


@lru_cache(maxsize=1)
def topics() -> Tuple[Tuple[str, Tuple[Pattern, ...]], ...]:
    """The topics of texts/question_topics.yml; loaded on first use, never at import."""
    return load_or_last_good(TOPICS_FILE, parse_topics)


# A message of only crying or sad emoji ("😭😭😭") has no words for the patterns: its own topic, with a
# text that listens (it got "Bedoel je: je beelden zijn al verspreid?"; p_schrijfstijl.yml, session 33)
SAD_EMOJI_TOPIC = "sad_emoji"
_SAD_EMOJI = re.compile(
    "^[\\s.!?\U0001f62d\U0001f622\U0001f625\U0001f61e\U0001f614\U0001f494\U0001f629\U0001f62b\U0001f97a\U0001f63f\u2639\ufe0f\U0001f641\U0001f613\U0001f62a]+$"
)


def question_topic(text: Optional[str]) -> Optional[str]:
    """The first topic whose pattern matches the message, or None."""
    if not text or text.startswith("/"):
        return None
    if _SAD_EMOJI.match(text) and text.strip(" .!?\n\t"):
        return SAD_EMOJI_TOPIC
    t = norm(text)
    for name, patterns in topics():
        if any(p.search(t) for p in patterns):
            return name
    return None


def matches_topic(text: Optional[str], name: str) -> bool:
    """Whether one topic's patterns match, whichever topic comes first ("je luistert niet. ... hoe laat ik
    hem stoppen" is answered as make_him_stop, and is a complaint too)."""
    if not text or text.startswith("/"):
        return False
    t = norm(text)
    return any(p.search(t) for topic, patterns in topics() if topic == name for p in patterns)


COMPLAINT_TOPIC = "not_listening"


def complains(text: Optional[str]) -> bool:
    """ "je luistert niet", "dit is gwn een standaard antwoord", "dat zei je al" (texts/question_topics.yml)."""
    return matches_topic(text, COMPLAINT_TOPIC)


def topic_intent(topic: Optional[str]) -> Optional[str]:
    """The intent a topic named ``intent_<intent>`` stands for (the message is answered as that
    intent: "moet ik betalen of niet?" is ask_should_pay), else None."""
    return topic[len("intent_") :] if topic and topic.startswith("intent_") else None


def answer_topic_of(text: Optional[str]) -> Optional[str]:
    """The topic whose own answer (``topic_<name>``) fits the message; None for intent_ topics."""
    topic = question_topic(text)
    return None if topic_intent(topic) else topic


# "als iedereen het ziet ...", "en als die fotos al ergens staan?": a fear or a question, not news
# (the fact readers record no spread for it; a spread report that is one gets its topic's answer)
_IF = re.compile(r"^((en|maar|ok|oke|okay|oké|dus|ja) )*(als|stel( dat)?|wat als|wat nou als|wanneer|mocht)\b")


def is_hypothetical(text: Optional[str]) -> bool:
    return bool(_IF.search(norm(text or "")))


def looks_like_question(text: Optional[str]) -> bool:
    return "?" in (text or "") or bool(_QUESTION_START.match(norm(text or "")))
