"""The one place where our web app talks to Rasa (REST channel + HTTP API).

* ``send``: ``POST {url}/webhooks/rest/webhook {"sender", "message"}`` -> the bot's replies.
  Rasa also records messages of a paused conversation (without answering them).
* ``tracker``: ``GET {url}/conversations/{id}/tracker?token=...`` (the transcript source).
* ``append_events``: ``POST {url}/conversations/{id}/tracker/events?token=...``, used for
  take-over (``pause``), hand-back (``resume``) and counsellor messages
  (``bot`` events with ``metadata.counsellor = true``) so the tracker holds the whole chat.

With several Rasa replicas (settings.rasa_urls) a conversation sticks to one URL (hash of
its id) and fails over to the next when a replica cannot be reached.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)


HANDOFF_ENDED = {"event": "slot", "name": "handoff_done", "value": False}


class RasaUnavailable(Exception):
    """Rasa could not be reached or answered with an error.

    ``maybe_handled`` is True after a timeout: the server may still be working on the message,
    so sending it again could answer it twice."""

    def __init__(self, message: str = "", maybe_handled: bool = False):
        super().__init__(message)
        self.maybe_handled = maybe_handled


class RasaClient:
    def __init__(self, urls: tuple | list, token: str = "", timeout: float = 60.0):
        self.urls = [u.rstrip("/") for u in urls] or ["http://127.0.0.1:5005"]
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=5)
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_settings(cls, settings) -> "RasaClient":
        return cls(settings.rasa_urls, settings.rasa_token)

    async def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _order(self, conversation_id: str) -> list:
        if len(self.urls) == 1:
            return list(self.urls)
        start = int(hashlib.sha1(conversation_id.encode()).hexdigest(), 16) % len(self.urls)
        return self.urls[start:] + self.urls[:start]

    def _params(self) -> dict:
        return {"token": self.token} if self.token else {}

    async def _request(
        self,
        method: str,
        conversation_id: str,
        path: str,
        *,
        json: Any = None,
        params: dict | None = None,
        retry_on_timeout: bool = True,
    ) -> Any:
        session = await self.session()
        last: Exception | None = None
        for base in self._order(conversation_id):
            try:
                async with session.request(method, base + path, json=json, params=params) as resp:
                    if resp.status >= 500:
                        last = RasaUnavailable(f"{base}{path}: HTTP {resp.status}")
                        continue
                    if resp.status >= 400:
                        body = (await resp.text())[:300]
                        raise RasaUnavailable(f"{base}{path}: HTTP {resp.status} {body}")
                    return await resp.json(content_type=None)
            except aiohttp.ClientConnectorError as exc:  # never reached this replica: try the next
                last = exc
            except asyncio.TimeoutError as exc:
                last = exc
                if not retry_on_timeout:
                    break
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
                # The replica went away (kill -9 closes even a pooled keep-alive connection).
                # A Rasa server saves a conversation only after answering, so a message whose
                # server died did not count: the next replica (or a later try) may take it.
                last = exc
            except (aiohttp.ClientError, ValueError) as exc:
                last = exc
                break
        log.warning("Rasa request %s %s failed: %r", method, path, last)
        # Only a timeout means the server may still be working on it: sending again could
        # answer it twice (bot/web/chat/delivery.py asks the person instead).
        raise RasaUnavailable(
            str(last) or last.__class__.__name__, maybe_handled=isinstance(last, asyncio.TimeoutError)
        )

    async def send(self, conversation_id: str, text: str, metadata: dict | None = None) -> list:
        """Send the person's message; returns Rasa's replies (empty while paused)."""
        body: dict = {"sender": conversation_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        # No retry after a timeout: Rasa may already have handled the message.
        replies = await self._request(
            "POST", conversation_id, "/webhooks/rest/webhook", json=body, retry_on_timeout=False
        )
        return replies if isinstance(replies, list) else []

    async def tracker(self, conversation_id: str, events: str = "ALL") -> dict:
        params = dict(self._params(), include_events=events)
        return await self._request(
            "GET", conversation_id, f"/conversations/{quote(conversation_id, safe='')}/tracker", params=params
        )

    async def append_events(self, conversation_id: str, events: list) -> dict:
        params = dict(self._params(), include_events="NONE")
        return await self._request(
            "POST",
            conversation_id,
            f"/conversations/{quote(conversation_id, safe='')}/tracker/events",
            json=events,
            params=params,
        )

    async def pause(self, conversation_id: str) -> None:
        await self.append_events(conversation_id, [{"event": "pause"}])

    async def resume(self, conversation_id: str, handoff_ended: bool = False) -> None:
        """Un-pause; ``handoff_ended``: the case was handed back or closed, so the bot must
        not say a counsellor is still coming (slot handoff_done back to false, issue 12)."""
        events: list = [{"event": "resume"}]
        if handoff_ended:
            events.append(HANDOFF_ENDED)
        await self.append_events(conversation_id, events)

    async def end_handoff(self, conversation_id: str) -> None:
        await self.append_events(conversation_id, [HANDOFF_ENDED])

    async def append_bot(self, conversation_id: str, text: str, metadata: dict) -> None:
        await self.append_events(conversation_id, [{"event": "bot", "text": text, "metadata": metadata}])


def transcript_from_tracker(tracker: dict) -> list:
    """[{"sender", "text", "timestamp"}] from a tracker's user and bot events."""
    from datetime import datetime, timezone

    out = []
    for ev in tracker.get("events") or []:
        kind = ev.get("event")
        if kind not in ("user", "bot"):
            continue
        text = ev.get("text")
        if kind == "user":
            sender = "user"
            meta = ev.get("metadata") or {}
            shown = meta.get("display_text")
            if shown:  # a button: show its title, not the "/intent" payload
                text = f"{shown} (knop)"
            if not text:
                continue
            if meta.get("delivered_late"):  # kept while Rasa restarted (bot/web/chat/delivery.py)
                from bot.web.chat.texts import DELIVERY_NOTES

                text += DELIVERY_NOTES["late"]
        else:
            meta = ev.get("metadata") or {}
            sender = "counsellor" if meta.get("counsellor") else "system" if meta.get("nachtlicht_system") else "bot"
            buttons = (ev.get("data") or {}).get("buttons") or []
            if not text and not buttons:
                continue
            text = text or ""  # buttons without a text
            if buttons:
                titles = " | ".join(str(b.get("title", "")) for b in buttons if isinstance(b, dict))
                text = f"{text} [knoppen: {titles}]".strip()
        ts = ev.get("timestamp")
        stamp = datetime.fromtimestamp(ts, timezone.utc).isoformat() if isinstance(ts, (int, float)) else None
        out.append({"sender": sender, "text": text, "timestamp": stamp})
    return out


RASA_KEY = web.AppKey("rasa_client", RasaClient)


def install(app: web.Application) -> RasaClient:
    """The app's shared Rasa client (created once; its HTTP session closes with the app)."""
    if RASA_KEY in app:
        return app[RASA_KEY]
    from bot.web.common import settings_of

    client = RasaClient.from_settings(settings_of(app))
    app[RASA_KEY] = client

    async def _close(_app: web.Application) -> None:
        await client.close()

    app.on_cleanup.append(_close)
    return client
