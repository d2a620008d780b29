"""In-memory sliding-window rate limits (per process; fine for one web app instance).

With several web app replicas each has its own window; move this to Redis then.
"""
from __future__ import annotations

import time
from collections import deque

from aiohttp import web


class SlidingWindow:
    def __init__(self, limit: int, seconds: float = 60.0, clock=time.monotonic):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._hits: dict = {}
        self._calls = 0

    def hit(self, key: str) -> float:
        """Record one event for ``key``; 0 if allowed, else seconds until it would be allowed."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(hits[0] + self.seconds - now, 0.1)
        hits.append(now)
        self._calls += 1
        if self._calls % 1000 == 0:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.seconds]:
            del self._hits[key]


def client_address(request: web.Request, trust_forwarded_for: bool = False) -> str:
    if trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "")
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if parts:
            return parts[-1]
    return request.remote or "unknown"
