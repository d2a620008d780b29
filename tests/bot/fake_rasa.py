"""A small in-process stand-in for Rasa's HTTP interface (REST channel + tracker API).

Implements the three endpoints bot/web/rasa_client.py uses, with an in-memory tracker per
conversation that honours pause/resume like Rasa does (paused: the user message is
recorded, nothing is answered). Used by the web-app tests; the end-to-end tests use real Rasa.
"""

from __future__ import annotations

import asyncio
import time

from aiohttp import web


class FakeRasa:
    def __init__(self, token: str = "rasa-secret"):
        self.token = token
        self.trackers: dict = {}
        self.down = False  # answer 500 to everything (simulated outage)
        self.webhook_down = False  # only the webhook answers 500 (the tracker API still works)
        self.tracker_down = False  # only reading a tracker answers 500 (the webhook still works)
        self.delay = 0.0  # seconds before the webhook answers (a slow or hanging Rasa)
        self.received: list = []  # (sender, message, metadata) of every webhook call
        self.url = ""

    def tracker(self, sender: str) -> dict:
        return self.trackers.setdefault(sender, {"sender_id": sender, "paused": False, "events": []})

    def replies_for(self, message: str) -> list:
        if message == "toon knop":  # an answer with a button, like the real bot's greeting
            return [{"text": "Hoi! Wat is er gebeurd?", "buttons": [{"title": "Hallo", "payload": "/greet"}]}]
        if message == "/greet":
            return [
                {
                    "text": "Hoi, ik ben Nachtlicht. Ik ben een chatbot.",
                    "buttons": [{"title": "Ik word afgeperst", "payload": "/report_blackmail"}],
                }
            ]
        if message in ("/silent", "silent"):
            return []
        if message == "/safe":  # an answer that already gives 113 (like utter_safety)
            return [{"text": "Bel of chat met 113, gratis."}]
        if message == "toon script":  # the advice script, as the real bot starts it (actions/responses.yml)
            return [{"text": "Wat naar."}, {"text": "Dit zijn de eerste stappen:\n1. Betaal niet."}]
        return [{"text": f"Ik hoorde: {message}"}, {"text": "Wat wil je nu doen?"}]

    def _auth(self, request: web.Request) -> None:
        if self.down:
            raise web.HTTPInternalServerError(text="down")
        if request.query.get("token") != self.token:
            raise web.HTTPUnauthorized(text='{"status": "failure", "reason": "NotAuthenticated"}')

    async def webhook(self, request: web.Request) -> web.Response:
        if self.down or self.webhook_down:
            raise web.HTTPInternalServerError(text="down")
        if self.delay:
            await asyncio.sleep(self.delay)
        data = await request.json()
        sender, message = data["sender"], data["message"]
        self.received.append((sender, message, data.get("metadata")))
        tr = self.tracker(sender)
        tr["events"].append(
            {
                "event": "user",
                "text": message,
                "timestamp": time.time(),
                "metadata": data.get("metadata") or {},
                "parse_data": {"intent": {"name": "x", "confidence": 1.0}, "entities": []},
            }
        )
        if tr["paused"]:
            return web.json_response([])
        out = []
        for reply in self.replies_for(message):
            tr["events"].append(
                {
                    "event": "bot",
                    "text": reply.get("text"),
                    "timestamp": time.time(),
                    "data": {"buttons": reply.get("buttons")},
                    "metadata": {},
                }
            )
            out.append(dict(reply, recipient_id=sender))
        return web.json_response(out)

    async def get_tracker(self, request: web.Request) -> web.Response:
        self._auth(request)
        if self.tracker_down:
            raise web.HTTPInternalServerError(text="down")
        tr = self.tracker(request.match_info["cid"])
        return web.json_response(
            {
                "sender_id": tr["sender_id"],
                "paused": tr["paused"],
                "events": tr["events"],
                "slots": dict(tr.get("slots") or {}),
                "latest_message": {},
            }
        )

    async def append_events(self, request: web.Request) -> web.Response:
        self._auth(request)
        tr = self.tracker(request.match_info["cid"])
        events = await request.json()
        for ev in events if isinstance(events, list) else [events]:
            if ev.get("event") == "pause":
                tr["paused"] = True
            elif ev.get("event") == "resume":
                tr["paused"] = False
            elif ev.get("event") == "slot":
                tr.setdefault("slots", {})[ev.get("name")] = ev.get("value")
            elif ev.get("event") != "bot":
                raise web.HTTPBadRequest(text="unsupported event in fake")
            tr["events"].append(dict(ev, timestamp=time.time()))
        return web.json_response({"sender_id": tr["sender_id"], "paused": tr["paused"]})

    def make_app(self) -> web.Application:
        app = web.Application()

        async def hello(_request):
            return web.Response(text="Hello from Rasa")

        app.router.add_get("/", hello)
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{cid}/tracker", self.get_tracker)
        app.router.add_post("/conversations/{cid}/tracker/events", self.append_events)
        return app
