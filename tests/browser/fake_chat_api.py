"""A small in-memory stand-in for the chat API of docs/contracts.md, for page-level browser tests.

It serves the real chat page (bot.web.chat.page.setup) next to a scripted fake of
``/chat/api/...`` so the page's own behaviour (escaping, limits, errors, resume, reload,
polling) can be tested quickly and deterministically without Rasa. The scenarios that prove
the whole system works run against the real stack in test_chat_live.py.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from aiohttp import web

from bot.settings import Settings
from bot.web.chat import page
from bot.web.common import SETTINGS_KEY

MAX_CHARS = 300

GREETING = (
    "Hoi, ik ben Nachtlicht. Ik ben een chatbot, geen mens. Je bent hier anoniem. "
    "Vertel het me maar, in je eigen woorden."
)
SCRIPT = [
    "Wat vervelend dat dit gebeurt. Het is niet jouw schuld: de schuld ligt bij degene die je chanteert.",
    "Betaal niet en doe niet wat ze vragen. Betalen geeft geen garantie: vaak vragen ze daarna om meer.",
    "Maak eerst screenshots van de chat, het profiel en de betaalverzoeken. Blokkeer daarna pas.",
]


RESTARTING = (
    "Even geduld, Nachtlicht start opnieuw. Je bericht is bewaard. "
    "Ben je in direct gevaar? Bel 112. Denk je aan zelfdoding? Bel of chat met 113."
)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass
class Conversation:
    cid: str
    code: str
    messages: list = field(default_factory=list)
    handled_by: str = "bot"
    pending: list = field(default_factory=list)  # user messages kept while "Rasa restarts"


class FakeChatApi:
    def __init__(self) -> None:
        self.conversations: dict[str, Conversation] = {}
        self.next_id = 1
        self.lock = threading.Lock()
        self.force_error: tuple[int, dict] | None = None  # next POST .../messages answers this
        self.received: list[dict] = []  # bodies of POST .../messages
        self.restarting = False  # like the real API while Rasa is away

    def restart_done(self, cid: str) -> None:
        """Rasa is back: the kept messages are answered (what bot/web/chat/delivery.py does)."""
        conv = self.conversations[cid]
        while conv.pending:
            self.add(cid, "bot", "Je schreef: " + conv.pending.pop(0)["text"])

    # ---- helpers used by tests (any thread) ----
    def add(self, cid: str, sender: str, text: str, buttons: list | None = None) -> dict:
        with self.lock:
            msg = {
                "id": self.next_id,
                "sender": sender,
                "text": text,
                "buttons": buttons or [],
                "created_at": now_iso(),
            }
            self.next_id += 1
            self.conversations[cid].messages.append(msg)
            return msg

    def counsellor_says(self, cid: str, text: str) -> dict:
        self.conversations[cid].handled_by = "counsellor"
        return self.add(cid, "counsellor", text)

    # ---- the HTTP API ----
    @staticmethod
    def error(status: int, code: str, message: str) -> web.Response:
        return web.json_response({"error": code, "message": message}, status=status)

    async def create(self, request: web.Request) -> web.Response:
        cid = secrets.token_hex(16)
        alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
        code = "".join(secrets.choice(alphabet) for _ in range(8))
        code = f"{code[:4]}-{code[4:]}"
        self.conversations[cid] = Conversation(cid, code)
        return web.json_response({"conversation_id": cid, "code": code}, status=201)

    async def resume(self, request: web.Request) -> web.Response:
        data = await request.json()
        for conv in self.conversations.values():
            if conv.code == str(data.get("code", "")).upper():
                return web.json_response({"conversation_id": conv.cid, "code": conv.code})
        return self.error(
            404, "unknown_code", "Deze gesprekscode kennen we niet. Kijk of je hem goed hebt overgenomen."
        )

    def conv(self, request: web.Request) -> Conversation | None:
        return self.conversations.get(request.match_info["cid"])

    async def history(self, request: web.Request) -> web.Response:
        conv = self.conv(request)
        if conv is None:
            return self.error(404, "unknown_conversation", "Dit gesprek bestaat niet (meer).")
        after = int(request.query.get("after", "0") or 0)
        with self.lock:
            msgs = [m for m in conv.messages if m["id"] > after]
        return web.json_response({"messages": msgs, "handled_by": conv.handled_by, "pending": len(conv.pending)})

    async def post(self, request: web.Request) -> web.Response:
        conv = self.conv(request)
        if conv is None:
            return self.error(404, "unknown_conversation", "Dit gesprek bestaat niet (meer).")
        if self.force_error:
            status, body = self.force_error
            self.force_error = None
            return web.json_response(body, status=status)
        data = await request.json()
        self.received.append(data)
        text = str(data.get("text", "")).strip()
        if not text:
            return self.error(400, "empty", "Je bericht is leeg.")
        if len(text) > MAX_CHARS:
            return self.error(413, "too_long", f"Je bericht is te lang. Het mag maximaal {MAX_CHARS} tekens zijn.")
        mine = self.add(conv.cid, "user", text)
        if self.restarting:
            conv.pending.append(mine)
            notice = [] if len(conv.pending) > 1 else [self.add(conv.cid, "system", RESTARTING)]
            return web.json_response(
                {"messages": notice, "handled_by": "bot", "pending": len(conv.pending), "user_message": mine},
                status=202,
            )
        if conv.handled_by == "counsellor":
            return web.json_response({"messages": [], "handled_by": "counsellor", "user_message": mine})
        await asyncio.sleep(0.4)  # long enough to see the typing indicator
        low = text.lower()
        out = []
        if data.get("payload") == "/affirm":
            out.append(self.add(conv.cid, "bot", "Goed. Maak screenshots van alles wat je hebt gekregen."))
        elif data.get("payload") == "/deny":
            out.append(self.add(conv.cid, "bot", "Dat is ook goed. Je kunt later altijd nog verder praten."))
        elif any(w in low for w in ("dreigt", "chanteert", "naaktfoto")):
            for line in SCRIPT[:-1]:
                out.append(self.add(conv.cid, "bot", line))
            out.append(
                self.add(
                    conv.cid,
                    "bot",
                    SCRIPT[-1] + " Zal ik uitleggen hoe je bewijs bewaart?",
                    buttons=[
                        {"title": "Ja, graag", "payload": "/affirm"},
                        {"title": "Nee, nu niet", "payload": "/deny"},
                    ],
                )
            )
        elif low == "stel een vraag":  # like the facts form: buttons whose payload is an answer text
            out.append(
                self.add(
                    conv.cid,
                    "bot",
                    "Gaat het over jou zelf, of schrijf je voor iemand anders?",
                    buttons=[
                        {"title": "Over mij", "payload": "het gaat over mij"},
                        {"title": "Over iemand anders", "payload": "ik schrijf voor iemand anders"},
                    ],
                )
            )
        elif low in ("hoi", "hallo", "hey", "hi"):
            out.append(self.add(conv.cid, "bot", GREETING))
        else:
            out.append(self.add(conv.cid, "bot", "Je schreef: " + text))
        return web.json_response({"messages": out, "handled_by": conv.handled_by, "user_message": mine})


NEUTRAL_HTML = (
    "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Weer</title></head>"
    "<body><h1>Het weer vandaag</h1><p>Zonnig, 18 graden.</p></body></html>"
)


class FakeServer:
    """The real chat page plus the fake API on a free port, in a background thread."""

    def __init__(self, exit_url: str | None = None) -> None:
        self.api = FakeChatApi()
        self.exit_url = exit_url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.url = ""

    def build_app(self) -> web.Application:
        app = web.Application()
        app[SETTINGS_KEY] = Settings(max_message_chars=MAX_CHARS)
        page.setup(app, exit_url=self.exit_url)
        a = self.api
        app.router.add_post("/chat/api/conversations", a.create)
        app.router.add_post("/chat/api/resume", a.resume)
        app.router.add_get("/chat/api/conversations/{cid}/messages", a.history)
        app.router.add_post("/chat/api/conversations/{cid}/messages", a.post)
        return app

    async def _start(self) -> None:
        self.runner = web.AppRunner(self.build_app())
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> "FakeServer":
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=30)
        return self

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
