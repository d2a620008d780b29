"""Getting the person's message to Rasa and Rasa's answer back to the chat (issue 17).

A message that cannot reach Rasa (it is restarting after a crash) is stored as ``pending``
instead of failing. When Rasa is back, the pending messages of a conversation are sent in
order and their answers reach the page through its normal polling. A message older than
``PENDING_MAX_MINUTES`` is not sent any more (the person has probably moved on, and an answer
to something said long ago reads as not listening): it becomes ``resend`` and the person is
asked plainly to send it again. Two paths deliver, under one lock per conversation so that the
order always holds: the person's next message (pending ones first) and a background loop in
the web app (``DeliveryLoop``), which also picks up what was pending before a web-app restart.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from datetime import timedelta
from functools import lru_cache

from bot.language import risk_scorer
from bot.language.report_phrases import OPENING
from bot.language.safety_phrases import has_safety_line, is_suicidal, safety_message
from bot.storage.conversations import ConversationStore
from bot.storage.db import as_utc, utcnow
from bot.storage.models import DELIVERY_LATE, DELIVERY_PENDING, DELIVERY_RESEND
from bot.web.chat import safety_check
from bot.web.chat.repeats import without_repeats
from bot.web.chat.texts import MESSAGES
from bot.web.rasa_client import RasaClient, RasaUnavailable

log = logging.getLogger(__name__)
QUOTE_CHARS = 60
REPEAT_WINDOW = 300  # earlier messages checked for verbatim repeats (a long night's conversation)


# The person's opening message (docs/nlu.md, session 27): a message of theirs before the bot has given
# the advice script, within their first OPENING_WITHIN messages. Rasa's report verifier may promote
# only such a message to a report: later, short answers to the bot's questions ("insta", "ja 14") are
# no reports. People often greet first ("hoi", "hallo?", "ben je daar") or start elsewhere, then tell.
OPENING_WITHIN = 5
OPENING_SCAN = 200


@lru_cache(maxsize=1)
def script_openings() -> tuple:
    """How the advice script starts (the first line of every variant of actions/responses.yml's
    ``script_short*`` texts): a bot message that starts so means the script was given."""
    from bot.language.trainer_files import response_variants

    said = response_variants(lambda key: key.startswith("script_short"))
    return tuple(sorted({text.strip().splitlines()[0] for text in said}))


def is_opening(store: ConversationStore, cid: str, message_id: int) -> bool:
    """Is the person's message ``message_id`` (already stored) an opening message? One read of the
    conversation's first messages: a turn adds a handful of bot and system messages, so the person's
    first OPENING_WITHIN messages are always among the first OPENING_SCAN."""
    said = [m for m in store.messages_after(cid, 0, limit=OPENING_SCAN) if m["id"] < message_id]
    if sum(m["sender"] == "user" for m in said) >= OPENING_WITHIN:
        return False
    openings = script_openings()
    return not any(m["sender"] == "bot" and (m["text"] or "").startswith(openings) for m in said)


def rasa_metadata(store: ConversationStore, conv: dict, message: dict, **extra) -> dict:
    """What Rasa gets beside the person's message: the conversation code (actions tell it to the
    person) and the opening mark (the report verifier, bot/nlu/report_verifier.py)."""
    # False too, said outright: later messages are told apart from a message without the mark
    # (bot/nlu/question_topics.py)
    opening = is_opening(store, conv["conversation_id"], message["id"])
    return {"conversation_code": conv["code"], **extra, OPENING: opening}


def rasa_text(text: str) -> str:
    """Typed text never reaches Rasa as a command ("/restart", "/inform{...}"): Rasa reads a
    message starting with "/" as an intent, so the slashes are taken off what it gets."""
    return re.sub(r"^[\s/]+", "", text)  # also "/ /restart" and "/\n/inform{...}"


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


class ConversationLocks:
    """One asyncio lock per conversation, dropped again when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    def __call__(self, cid: str) -> "_Held":
        return _Held(self, cid)


class _Held:
    def __init__(self, owner: ConversationLocks, cid: str):
        self.owner, self.cid = owner, cid

    async def __aenter__(self) -> None:
        o = self.owner
        o._users[self.cid] = o._users.get(self.cid, 0) + 1
        lock = o._locks.setdefault(self.cid, asyncio.Lock())
        try:
            await lock.acquire()
        except BaseException:
            self._release_user()
            raise

    async def __aexit__(self, *exc) -> None:
        self.owner._locks[self.cid].release()
        self._release_user()

    def _release_user(self) -> None:
        o = self.owner
        o._users[self.cid] -= 1
        if not o._users[self.cid]:
            del o._users[self.cid]
            o._locks.pop(self.cid, None)


class Delivery:
    """Sends the person's words to Rasa and stores what comes back (the chat's one path)."""

    def __init__(self, store: ConversationStore, rasa: RasaClient, settings):
        self.store, self.rasa, self.settings = store, rasa, settings
        self.locks = ConversationLocks()

    # ------------------------------------------------------------------ answers
    async def store_answer(
        self, cid: str, text: str, replies: list, suicidal: bool, metadata: dict | None = None
    ) -> list:
        """Store Rasa's replies as chat messages; the safety message is added when the person's
        words were suicidal and the turn gives no 113, the gentle check question when they hold a
        half-sign and the turn no crisis message (docs/safety.md); never silence. ``metadata``: what
        Rasa got with the person's message (``rasa_metadata``; its opening mark lowers the check's bar)."""
        opening = bool((metadata or {}).get(OPENING))
        items = [
            ("bot", r.get("text") or "", r.get("buttons"))
            for r in replies
            if isinstance(r, dict) and (r.get("text") or r.get("buttons"))
        ]
        if not items:
            log.warning("Rasa gave no answer in conversation %s (a failed custom action?)", cid)
            items = [("system", MESSAGES["no_answer"], None)]
        else:
            earlier = [m["text"] for m in self.store.latest(cid, REPEAT_WINDOW) if m["sender"] in ("bot", "system")]
            items = without_repeats(items, earlier)
        if suicidal and not has_safety_line(t for _, t, _ in items):
            log.warning("safety message added by the web app in conversation %s", cid)
            items.append(("system", safety_message(), None))
            await self.tell_rasa(cid, safety_message())
        elif not suicidal and await self._check_due(cid, text, [t for _, t, _ in items], opening):
            log.info("check question added by the web app in conversation %s", cid)
            asked = safety_check.question(await self._writer(cid))
            items = [
                i
                for i in items
                if not (
                    i[0] == "bot" and (safety_check.is_thanks_reply(i[1]) or safety_check.is_not_understood_reply(i[1]))
                )
            ]
            items.append(("system", asked, safety_check.buttons()))
            await self.tell_rasa(cid, asked)
        return self.store.add_messages(cid, items)

    async def _check_due(self, cid: str, text: str, reply_texts: list, opening_message: bool = False) -> bool:
        """A half-sign in the person's words (bot/web/chat/safety_check.py); never lets the answer fail."""
        try:
            # the phrase lists run in a worker thread, like the net itself: never on the event loop
            loop = asyncio.get_running_loop()
            # (only called when the net did not match the words: suicidal=False)
            scorer = risk_scorer.path_for(self.settings.model_path)

            def opening() -> bool:  # the person's first messages (a greeting, then the story)
                return self.store.count_messages(cid, "user") <= risk_scorer.OPENING_MESSAGES

            # OPENING_MESSAGES None: the scorer reads every message (session 26)
            limit = None if risk_scorer.OPENING_MESSAGES is None else opening
            due = functools.partial(safety_check.due, opening_message=opening_message)
            if not await loop.run_in_executor(None, due, text, reply_texts, False, False, scorer, limit):
                return False
            if any(self.store.has_message(cid, "system", q) for q in safety_check.questions()):
                return False  # once per conversation
            # not after the crisis message: the person already said it and has 113
            earlier = [m["text"] for m in self.store.latest(cid, REPEAT_WINDOW) if m["sender"] in ("bot", "system")]
            return not safety_check.has_crisis_answer(earlier)
        except Exception:
            log.exception("check question could not be considered; check data/safety/suicidal_phrases.yml")
            return False

    async def _writer(self, cid: str) -> str | None:
        """Rasa's ``writer`` slot (victim / on_behalf), set by this turn's facts; None when not known."""
        try:  # Rasa has just answered; a slow tracker read must not hold up the answer
            tracker = await asyncio.wait_for(self.rasa.tracker(cid, events="NONE"), timeout=5)
        except (RasaUnavailable, asyncio.TimeoutError):
            return None
        slots = tracker.get("slots") if isinstance(tracker, dict) else None
        writer = slots.get("writer") if isinstance(slots, dict) else None
        return writer if isinstance(writer, str) else None

    async def tell_rasa(self, cid: str, text: str) -> None:
        """Keep Rasa's transcript (what counsellors read) complete: add our system message."""
        try:
            await self.rasa.append_bot(cid, text, {"nachtlicht_system": True})
        except RasaUnavailable:
            log.warning("could not add a system message to the Rasa tracker of %s", cid)

    def notice_once(self, cid: str, code: str) -> list:
        """Store a system notice unless it was already given since the bot last answered
        (three messages during one restart get one notice, not three)."""
        text = MESSAGES[code]
        for message in reversed(self.store.latest(cid, 30)):
            if message["sender"] in ("bot", "counsellor"):
                break
            if message["sender"] == "system" and message["text"] == text:
                return []
        return self.store.add_messages(cid, [("system", text, None)])

    # ------------------------------------------------------------------ pending messages
    def _too_old(self, message: dict) -> bool:
        from datetime import datetime

        created = as_utc(datetime.fromisoformat(message["created_at"]))
        return created < as_utc(utcnow()) - timedelta(minutes=self.settings.pending_max_minutes)

    async def _ask_to_resend(self, cid: str, message: dict) -> None:
        self.store.set_delivery(message["id"], DELIVERY_RESEND)
        note = MESSAGES["resend"].format(quote=quote(message["text"]))
        self.store.add_messages(cid, [("system", note, None)])
        # The counsellor transcript (from Rasa) shows what the person wrote and what happened.
        await self.tell_rasa(
            cid,
            f"Dit bericht van de persoon kwam niet bij de chatbot aan (herstart); "
            f'de persoon is gevraagd het opnieuw te sturen: "{message["text"]}"',
        )

    async def deliver_pending(self, cid: str) -> int:
        """Send this conversation's pending messages in order (caller holds the lock).

        Raises RasaUnavailable when Rasa is still away (the rest stays pending)."""
        done = 0
        for message in self.store.pending(cid):
            conv = self.store.get(cid)
            if conv is None:
                return done
            if self._too_old(message):
                await self._ask_to_resend(cid, message)
                done += 1
                continue
            metadata = rasa_metadata(self.store, conv, message, delivered_late=True, sent_at=message["created_at"])
            try:
                replies = await self.rasa.send(cid, rasa_text(message["text"]) or message["text"], metadata)
            except RasaUnavailable as exc:
                if exc.maybe_handled:  # do not answer twice: ask the person instead
                    await self._ask_to_resend(cid, message)
                    done += 1
                    continue
                raise
            done += 1
            if not self.store.get(cid)["paused"]:  # else a counsellor took over: Rasa only records it
                suicidal = await asyncio.get_running_loop().run_in_executor(None, safe_is_suicidal, message["text"])
                await self.store_answer(cid, message["text"], replies, suicidal, metadata)
            # Marked after the answer is stored: the page's "waiting" notice ends with the answer there.
            self.store.set_delivery(message["id"], DELIVERY_LATE)
        return done

    async def deliver_all(self) -> int:
        """One pass over every conversation with pending messages; returns how many were handled."""
        total = 0
        for cid in self.store.conversations_with_pending():
            async with self.locks(cid):
                total += await self.deliver_pending(cid)
        return total


def safe_is_suicidal(text: str) -> bool:
    """The deterministic safety net on the person's own words (docs/safety.md).

    Never raises: if the phrase file cannot be read the message still goes on (Rasa's NLU
    pipeline and the texts with 113 remain), and the failure is logged loudly."""
    try:
        return is_suicidal(text)
    except Exception:
        log.exception("safety net could not run; check data/safety/suicidal_phrases.yml")
        return False


class DeliveryLoop:
    """Background task of the web app: retries pending messages while Rasa comes back."""

    def __init__(self, delivery: Delivery, interval: float = 1.0, max_interval: float = 5.0):
        self.delivery, self.interval, self.max_interval = delivery, interval, max_interval

    async def run(self) -> None:
        wait = self.interval
        while True:
            try:
                handled = await self.delivery.deliver_all()
                if handled:
                    log.info("delivered or settled %d pending message(s)", handled)
                wait = self.interval
            except RasaUnavailable:
                wait = min(wait * 2, self.max_interval)  # still restarting: ask less often
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("pending-message delivery failed; retrying")
                wait = self.max_interval
            await asyncio.sleep(wait)


__all__ = ["Delivery", "DeliveryLoop", "DELIVERY_PENDING", "rasa_text"]
