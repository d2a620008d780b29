"""In-memory sliding-window rate limits (per process; fine for one web app instance).

With several web app replicas each has its own window; move this to Redis then.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

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

    def blocked(self, key: str) -> float:
        """Like ``hit`` but records nothing: seconds until ``key`` is below its limit (0: it is)."""
        if self.limit <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.get(key)
        if not hits:
            return 0.0
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        return max(hits[0] + self.seconds - now, 0.1) if len(hits) >= self.limit else 0.0

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.seconds]:
            del self._hits[key]


class GrowingDelay:
    """Failed attempts per key (e.g. (name, address)): after ``free`` failures each next attempt
    must wait 2, 4, 8 ... seconds (at most ``cap``). A success clears the key. Unlike a hard
    lockout, nobody can lock a counsellor out from another address (issue 16, finding 5)."""

    def __init__(self, free: int = 5, cap: float = 300.0, forget_after: float = 3600.0, clock=time.monotonic):
        self.free, self.cap, self.forget_after, self.clock = free, cap, forget_after, clock
        # key -> (count, time of the last failure), oldest failure first, so that forgetting the
        # expired ones costs O(1) per failure; a recent failure is never forgotten early (a flood
        # of other names must not reset a counsellor's delay)
        self._fails: OrderedDict = OrderedDict()

    def wait(self, key) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        count, last = self._fails.get(key, (0, 0.0))
        now = self.clock()
        if count and now - last > self.forget_after:
            self._fails.pop(key, None)
            return 0.0
        if count < self.free:
            return 0.0
        delay = min(2.0 ** (count - self.free + 1), self.cap)
        return max(last + delay - now, 0.0)

    def failed(self, key) -> int:
        now = self.clock()
        count, last = self._fails.pop(key, (0, 0.0))
        if count and now - last > self.forget_after:
            count = 0
        self._fails[key] = (count + 1, now)  # now the newest
        # bounded memory: what is older than forget_after goes (it is at the front)
        while self._fails:
            _, (_, oldest) = next(iter(self._fails.items()))
            if now - oldest <= self.forget_after:
                break
            self._fails.popitem(last=False)
        return count + 1

    def succeeded(self, key) -> None:
        self._fails.pop(key, None)


def network_of(address: str, v4: int = 24, v6: int = 48) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address (or other prefixes), for limits a
    single host cannot dodge by changing its last bits; the address itself when it is not an IP."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    prefix = v4 if ip.version == 4 else v6
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_address(request: web.Request, trust_forwarded_for: bool = False) -> str:
    if trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "")
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if parts:
            return parts[-1]
    return request.remote or "unknown"
