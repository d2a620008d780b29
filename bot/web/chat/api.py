"""JSON chat API for the chat page (contract: docs/contracts.md, design: docs/architecture.md).

The person's messages are stored in chat_messages and forwarded to Rasa's REST channel
(also while a counsellor has taken over: Rasa then only records them). Bot replies are
stored and returned; counsellor and system messages reach the page by polling
``GET .../messages?after=<id>``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

from aiohttp import web

from bot.language import risk_scorer
from bot.language.safety_phrases import has_safety_line, safety_message
from bot.settings import Settings
from bot.storage.conversations import CONVERSATION_ID_RE, ConversationStore
from bot.storage.db import get_engine
from bot.storage.models import DELIVERY_PENDING, DELIVERY_RESEND
from bot.web.chat import safety_check
from bot.web.chat.delivery import Delivery, DeliveryLoop, quote, rasa_metadata, rasa_text, safe_is_suicidal
from bot.web.chat.texts import MESSAGES
from bot.web.common import settings_of
from bot.web.rasa_client import RasaClient, RasaUnavailable, install
from bot.web.ratelimit import SlidingWindow, client_address, network_of
from bot.web.security_log import event as security_event

log = logging.getLogger(__name__)
PREFIX = "/chat/api"

PAYLOAD_RE = re.compile(r"/[A-Za-z0-9_]{1,80}(\{[^\n]{0,400}\})?")  # fullmatch: no trailing newline
# Control characters, lone surrogates and bidirectional overrides (which can make a transcript
# read differently from what was typed) are taken out of the person's text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


class ApiError(Exception):
    def __init__(self, status: int, code: str, headers: dict | None = None, **fmt):
        super().__init__(code)
        self.status, self.code, self.headers, self.fmt = status, code, headers or {}, fmt
        self.extra: dict = {}  # more fields for the JSON body (the safety message on a rejection)


def error_response(
    status: int, code: str, headers: dict | None = None, extra: dict | None = None, **fmt
) -> web.Response:
    message = MESSAGES.get(code, MESSAGES["server_error"]).format(**fmt)
    body = dict(extra or {}, error=code, message=message)
    return web.json_response(body, status=status, headers=headers)


class ChatState:
    def __init__(self, settings: Settings, rasa: RasaClient):
        self.settings, self.rasa = settings, rasa
        self.per_conversation = SlidingWindow(settings.chat_rate_conversation, 60)
        self.per_address = SlidingWindow(settings.chat_rate_address, 60)
        self.new_per_address = SlidingWindow(settings.chat_rate_address, 60)
        self.resume_per_address = SlidingWindow(max(settings.chat_rate_address // 2, 1), 60)
        self.resume_failures_network = SlidingWindow(settings.resume_failures_network, 600)
        self.resume_failures_total = SlidingWindow(settings.resume_failures_total, 600)
        self._store: ConversationStore | None = None
        self._delivery: Delivery | None = None

    @property
    def store(self) -> ConversationStore:
        if self._store is None:
            self._store = ConversationStore(get_engine(self.settings.database_url))
        return self._store

    @property
    def delivery(self) -> Delivery:
        if self._delivery is None:
            self._delivery = Delivery(self.store, self.rasa, self.settings)
        return self._delivery

    def address(self, request: web.Request) -> str:
        return client_address(request, self.settings.trust_forwarded_for)


CHAT_KEY = web.AppKey("chat_state", ChatState)


def _state(request: web.Request) -> ChatState:
    return request.app[CHAT_KEY]


def _limit(*checks: tuple) -> None:
    """Raise 429 when any (window, key) is over its limit."""
    wait = max(window.hit(key) for window, key in checks)
    if wait:
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(int(wait) + 1)})


async def read_json(request: web.Request) -> dict:
    if request.content_type != "application/json":
        raise ApiError(400, "bad_content_type")
    raw = await request.read()  # larger than client_max_size -> HTTPRequestEntityTooLarge -> 413
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[... nested 100,000 deep
        raise ApiError(400, "bad_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json")
    return data


def clean_text(value: object) -> str:
    if not isinstance(value, str):
        raise ApiError(400, "bad_json")
    return _CONTROL_RE.sub("", value).strip()


def _conversation(request: web.Request) -> dict:
    cid = request.match_info["cid"]
    conv = _state(request).store.get(cid) if CONVERSATION_ID_RE.match(cid) else None
    if conv is None:
        raise ApiError(404, "not_found")
    return conv


async def create_conversation(request: web.Request) -> web.Response:
    st = _state(request)
    _limit((st.new_per_address, st.address(request)))
    return web.json_response(st.store.create(), status=201)


async def resume(request: web.Request) -> web.Response:
    st = _state(request)
    address = st.address(request)
    network = network_of(address)
    _limit((st.resume_per_address, address))
    data = await read_json(request)
    # Wrong codes are limited per network and in all, so that changing addresses (or a spoofed
    # X-Forwarded-For) does not buy more guesses (issue 16, finding 1). Checked after the body
    # is read, right before the lookup, so slow parallel requests cannot all pass the check first.
    wait = max(st.resume_failures_network.blocked(network), st.resume_failures_total.blocked("all"))
    if wait:
        security_event("resume_limited", address=address, network=network)
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(int(wait) + 1)})
    code = data.get("code")
    if code is not None and not isinstance(code, str):
        # a number or a list is a broken request, not an empty message ("Je bericht is leeg" was the
        # answer to {"code": 12345678}; live attack, session 29)
        raise ApiError(400, "bad_json")
    if not code or not code.strip():
        raise ApiError(400, "empty")
    conv = st.store.by_code(code, days_after_close=st.settings.resume_days_after_close)
    if conv is None:
        st.resume_failures_network.hit(network)
        st.resume_failures_total.hit("all")
        security_event("resume_failed", address=address)
        raise ApiError(404, "code_not_found")
    return web.json_response({"conversation_id": conv["conversation_id"], "code": conv["code"]})


def _offered_buttons(st: ChatState, cid: str) -> dict:
    """{payload: title} of the buttons in the bot's answer to the person's last message."""
    offered: dict = {}
    for message in reversed(st.store.latest(cid, 50)):
        if message["sender"] == "user":
            break
        for button in message["buttons"] or []:
            offered.setdefault(button["payload"], button["title"].strip())
    return offered


def _flag_case(st: ChatState, cid: str, during_take_over: bool = False) -> None:
    """Suicidal language: the conversation's open case becomes urgent now (no question first)."""
    try:
        from bot.cases.service import CaseService

        CaseService(st.store.engine, st.settings).flag_suicidal(cid, during_take_over=during_take_over)
    except Exception:
        log.exception("could not mark the case of conversation %s urgent", cid)


def _safety_note(st: ChatState, cid: str) -> list:
    """Store the safety message for the chat (not twice in a row); returns it as a message list."""
    text = safety_message()
    last = st.store.latest(cid, 1)
    if last and last[0]["sender"] == "system" and last[0]["text"] == text:
        return [last[0]]
    return st.store.add_messages(cid, [("system", text, None)])


async def post_message(request: web.Request) -> web.Response:
    st = _state(request)
    conv = _conversation(request)
    cid = conv["conversation_id"]
    data = await read_json(request)
    text = clean_text(data.get("text", ""))
    # Safety first: the net reads the person's words before anything else can refuse,
    # reroute or swallow them (payload, length, rate limit, take-over, Rasa down).
    suicidal = bool(text) and await asyncio.get_running_loop().run_in_executor(None, safe_is_suicidal, text)
    # the answer to the gentle check question (bot/web/chat/safety_check.py): a yes counts as suicidal
    answer = None if suicidal else _check_answer(st, conv, data, text)
    if answer == "no":
        return await _check_declined(st, request, conv, text)
    if not suicidal and answer != "yes":
        return await _post_message(st, request, conv, data, text)
    _flag_case(st, cid, during_take_over=bool(conv["paused"]))
    try:
        response = await _post_message(st, request, conv, data, text, suicidal=True, check_yes=answer == "yes")
    except ApiError as exc:  # rejected (too long, too fast, bad payload): the safety message still comes
        exc.extra = {"messages": _safety_note(st, cid)}
        raise
    return response


def _admit(st: ChatState, request: web.Request, cid: str, text: str) -> None:
    """The checks every message passes before it is stored: its length (413) and the rate limits (429)."""
    max_chars = st.settings.max_message_chars
    if len(text) > max_chars:
        raise ApiError(413, "too_long", max=max_chars)
    _limit((st.per_conversation, cid), (st.per_address, st.address(request)))


def _check_answer(st: ChatState, conv: dict, data: dict, text: str) -> str | None:
    """'yes' / 'no' when this message answers the check question of the bot's last turn, else None."""
    cid = conv["conversation_id"]
    offered = _offered_buttons(st, cid)
    if safety_check.CHECK_YES not in offered or safety_check.CHECK_NO not in offered:
        return None
    payload = data.get("payload")
    pressed = isinstance(payload, str) and payload in offered and (not text or text == offered[payload])
    if pressed and payload in (safety_check.CHECK_YES, safety_check.CHECK_NO):
        answer = "yes" if payload == safety_check.CHECK_YES else "no"
    elif pressed or (payload not in (None, "") and not text):
        return None  # another button of that turn (or a forged one): the normal checks answer it
    else:
        answer = safety_check.typed_answer(text)  # typed words count, whatever payload came along
    if answer == "no" and conv["paused"]:
        return None  # the counsellor reads the "nee" in the transcript; nothing to repeat
    return answer


async def _check_declined(st: ChatState, request: web.Request, conv: dict, text: str) -> web.Response:
    """'Nee' to the check question: a short answer and the bot's last question again. Rasa does not
    get the "nee" (it would answer that question); its transcript gets a note for the counsellor."""
    cid = conv["conversation_id"]
    _admit(st, request, cid, text)
    said = safety_check.texts()
    async with st.delivery.locks(cid):
        asked, before = _check_turn(st, cid)
        user_message = st.store.add_message(cid, "user", text or said["button_no"], touch=True)
        items = [("system", safety_check.after_no(asked), None)]
        if before:
            items.append(("bot", before["text"], before["buttons"]))
        messages = st.store.add_messages(cid, items)
        await st.delivery.tell_rasa(cid, said["transcript_no"])
    return web.json_response({"messages": messages, "handled_by": "bot", "user_message": user_message})


def _check_turn(st: ChatState, cid: str) -> tuple:
    """(the check question asked, the bot's last message of that turn: its question and buttons)."""
    asked = None
    for message in reversed(st.store.latest(cid, 50)):
        if message["sender"] == "user":
            break
        if message["sender"] == "system" and safety_check.is_question(message["text"]):
            asked = message["text"]
        elif asked and message["sender"] == "bot" and message["text"]:
            return asked, message
    return asked, None


async def _post_message(
    st: ChatState,
    request: web.Request,
    conv: dict,
    data: dict,
    text: str,
    suicidal: bool = False,
    check_yes: bool = False,
) -> web.Response:
    cid = conv["conversation_id"]
    payload = data.get("payload")
    if payload is not None and payload != "":
        if not isinstance(payload, str) or not PAYLOAD_RE.fullmatch(payload):
            raise ApiError(400, "bad_payload")
        offered = _offered_buttons(st, cid)
        if payload not in offered or (text and text != offered[payload]):
            # Only a button of the bot's last answer, with its own title, is a command for Rasa
            # (no "/restart" or "/inform{...}" made up by the client); otherwise the words count.
            if not text:
                raise ApiError(400, "bad_payload")
            log.info("payload not offered in conversation %s; its text is sent instead", cid)
            payload = None
    else:
        payload = None
    if not text and payload is None:
        raise ApiError(400, "empty")
    _admit(st, request, cid, text)
    if suicidal and text:
        payload = None  # the words count, not the button: Rasa's NLU must read them
    if check_yes:
        payload = safety_check.CHECK_YES  # a yes to the check question: Rasa's safety rules answer it

    for_rasa = payload or rasa_text(text)
    if not for_rasa:
        raise ApiError(400, "empty")
    user_message = st.store.add_message(cid, "user", text or payload, touch=True)
    metadata = rasa_metadata(st.store, conv, user_message)
    if payload and text:
        metadata["display_text"] = text  # the transcript shows the button title, not "/intent"
    delivery = st.delivery
    async with delivery.locks(cid):  # one message of a conversation at a time, in order
        try:
            await delivery.deliver_pending(cid)  # what waited during a restart goes first
            replies = await st.rasa.send(cid, for_rasa, metadata)
        except RasaUnavailable as exc:
            return await _not_delivered(st, cid, user_message, exc, suicidal)
        if st.store.get(cid)["paused"]:
            if replies:
                log.warning("Rasa answered conversation %s although a counsellor has taken over; dropped", cid)
            extra = []
            if suicidal:  # the counsellor may not be looking this second: 113/112 now, in this turn
                extra = _safety_note(st, cid)
                await delivery.tell_rasa(cid, extra[0]["text"])
            return web.json_response({"messages": extra, "handled_by": "counsellor", "user_message": user_message})
        messages = await delivery.store_answer(cid, text, replies, suicidal, metadata)
    return web.json_response({"messages": messages, "handled_by": "bot", "user_message": user_message})


async def _not_delivered(
    st: ChatState, cid: str, user_message: dict, exc: RasaUnavailable, suicidal: bool
) -> web.Response:
    """Rasa could not take the message (a restart): keep it and say so calmly (issue 17)."""
    if st.store.get(cid)["paused"]:
        log.warning("Rasa unreachable; message of paused conversation %s kept for the counsellor only", cid)
        extra = _safety_note(st, cid) if suicidal else []
        return web.json_response({"messages": extra, "handled_by": "counsellor", "user_message": user_message})
    if exc.maybe_handled:
        # Rasa may have read it before failing: sending it again could answer it twice.
        st.store.set_delivery(user_message["id"], DELIVERY_RESEND)
        user_message["delivery"] = DELIVERY_RESEND
        notes = st.store.add_messages(
            cid, [("system", MESSAGES["resend"].format(quote=quote(user_message["text"])), None)]
        )
        notes += st.delivery.notice_once(cid, "restarting")
        status = 200
    else:
        st.store.set_delivery(user_message["id"], DELIVERY_PENDING)
        user_message["delivery"] = DELIVERY_PENDING
        notes = st.delivery.notice_once(cid, "restarting")
        status = 202
    if suicidal and not has_safety_line(m["text"] for m in notes):
        notes += _safety_note(st, cid)
    return web.json_response(
        {"messages": notes, "handled_by": "bot", "pending": st.store.pending_count(cid), "user_message": user_message},
        status=status,
    )


async def get_messages(request: web.Request) -> web.Response:
    st = _state(request)
    conv = _conversation(request)
    after_raw = request.query.get("after", "0") or "0"
    if not after_raw.isdigit() or len(after_raw) > 18:
        raise ApiError(400, "bad_request")
    messages = st.store.messages_after(conv["conversation_id"], int(after_raw))
    # "pending": messages waiting for Rasa after a restart; the page shows a calm notice meanwhile.
    return web.json_response(
        {
            "messages": messages,
            "handled_by": "counsellor" if conv["paused"] else "bot",
            "pending": st.store.pending_count(conv["conversation_id"]),
        }
    )


@web.middleware
async def json_errors(request: web.Request, handler):
    """Every answer under /chat/api is JSON; never a stack trace."""
    if not request.path.startswith(PREFIX + "/") and request.path != PREFIX:
        return await handler(request)
    try:
        response = await handler(request)
    except ApiError as exc:
        max_chars = _state(request).settings.max_message_chars
        response = error_response(
            exc.status, exc.code, exc.headers, extra=exc.extra, **dict({"max": max_chars}, **exc.fmt)
        )
    except web.HTTPRequestEntityTooLarge:
        response = error_response(413, "too_long", max=_state(request).settings.max_message_chars)
    except web.HTTPNotFound:
        response = error_response(404, "not_found")
    except web.HTTPMethodNotAllowed:
        response = error_response(405, "method_not_allowed")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = error_response(exc.status, "bad_request")
    except Exception:
        log.exception("chat API error on %s %s", request.method, request.path)
        response = error_response(500, "server_error")
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def setup(app: web.Application) -> None:
    state = ChatState(settings_of(app), install(app))
    app[CHAT_KEY] = state

    async def _warm(_app: web.Application) -> None:
        get_engine(state.settings.database_url)  # migrate at startup, not on the first message
        # the check question's risk scorer (bot/language/risk_scorer.py) is read once, off the loop
        scorer = risk_scorer.path_for(state.settings.model_path)
        await asyncio.get_running_loop().run_in_executor(None, risk_scorer.score, "hallo", scorer)

    app.on_startup.append(_warm)

    async def _deliver(_app: web.Application):
        # Messages kept while Rasa restarted (also from before a web-app restart) get answered.
        task = asyncio.create_task(DeliveryLoop(state.delivery).run(), name="pending-delivery")
        yield
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

    app.cleanup_ctx.append(_deliver)
    app.middlewares.append(json_errors)
    app.router.add_post(f"{PREFIX}/conversations", create_conversation)
    app.router.add_post(f"{PREFIX}/resume", resume)
    app.router.add_post(PREFIX + "/conversations/{cid}/messages", post_message)
    app.router.add_get(PREFIX + "/conversations/{cid}/messages", get_messages)
