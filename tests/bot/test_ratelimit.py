"""bot/web/ratelimit.py: sliding-window limits, growing login delays, networks, client addresses.

The clock is injected (``clock=``), so nothing here sleeps.
"""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request

from bot.web.ratelimit import GrowingDelay, SlidingWindow, client_address, network_of


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


# ------------------------------------------------------------------------------ SlidingWindow


def test_allows_limit_hits_per_window_then_says_how_long_to_wait(clock):
    window = SlidingWindow(3, 60, clock=clock)
    assert [window.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.advance(20)
    assert window.hit("a") == pytest.approx(40.0)  # the first hit leaves the window in 40 s


def test_the_window_slides_one_hit_at_a_time(clock):
    window = SlidingWindow(2, 60, clock=clock)
    window.hit("a")  # t=0
    clock.advance(30)
    window.hit("a")  # t=30
    clock.advance(29.5)
    assert window.hit("a") == pytest.approx(0.5)  # t=59.5: both still count
    clock.advance(0.5)
    assert window.hit("a") == 0.0  # t=60: the first has left (a hit counts for exactly `seconds`)
    assert window.hit("a") == pytest.approx(30.0)  # hits at 30 and 60 fill it again
    clock.advance(30)
    assert window.hit("a") == 0.0


def test_a_full_window_resets_after_a_quiet_period(clock):
    window = SlidingWindow(5, 10, clock=clock)
    for _ in range(5):
        window.hit("a")
    assert window.hit("a") > 0
    clock.advance(10)
    assert [window.hit("a") for _ in range(5)] == [0.0] * 5
    assert window.hit("a") > 0


def test_refused_hits_do_not_extend_the_wait(clock):
    window = SlidingWindow(1, 60, clock=clock)
    window.hit("a")
    for _ in range(50):
        clock.advance(1)
        window.hit("a")  # hammering while blocked
    assert window.hit("a") == pytest.approx(10.0)  # 60 s after the one allowed hit
    clock.advance(10)
    assert window.hit("a") == 0.0


def test_the_wait_is_never_reported_as_zero_while_blocked(clock):
    window = SlidingWindow(1, 60, clock=clock)
    window.hit("a")
    clock.advance(59.99)
    assert window.hit("a") == pytest.approx(0.1)  # at least 0.1: 0 means "allowed"
    assert window.blocked("a") == pytest.approx(0.1)


def test_keys_are_independent(clock):
    window = SlidingWindow(2, 60, clock=clock)
    window.hit("a")
    window.hit("a")
    assert window.hit("a") > 0
    assert window.hit("b") == 0.0 and window.hit("b") == 0.0
    assert window.hit("b") > 0
    assert window.blocked("c") == 0.0


def test_blocked_checks_without_counting(clock):
    window = SlidingWindow(2, 60, clock=clock)
    assert window.blocked("a") == 0.0
    for _ in range(10):
        window.blocked("a")
    assert window.hit("a") == 0.0 and window.hit("a") == 0.0  # the checks used nothing up
    assert window.blocked("a") == pytest.approx(60.0)
    clock.advance(15)
    assert window.blocked("a") == pytest.approx(45.0)
    clock.advance(45)
    assert window.blocked("a") == 0.0


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_of_zero_or_less_means_unlimited(clock, limit):
    window = SlidingWindow(limit, 60, clock=clock)
    assert all(window.hit("a") == 0.0 for _ in range(1000))
    assert window.blocked("a") == 0.0


def test_default_clock_is_monotonic_time():
    window = SlidingWindow(1, 60)
    assert window.hit("a") == 0.0
    assert 59 < window.hit("a") <= 60


def test_keys_without_recent_hits_are_forgotten(clock):
    """Memory stays bounded by the keys active in one window, not all keys ever seen."""
    window = SlidingWindow(5, 60, clock=clock)
    for i in range(999):
        window.hit(f"old-{i}")
    clock.advance(61)
    for i in range(1000):
        window.hit(f"new-{i}")
    assert len(window._hits) <= 1000
    assert not any(key.startswith("old-") for key in window._hits)
    # a forgotten key starts with a full allowance, as if it had been kept
    assert all(window.hit("old-1") == 0.0 for _ in range(5))


def test_keys_still_in_their_window_are_kept(clock):
    window = SlidingWindow(1, 60, clock=clock)
    window.hit("busy")
    clock.advance(30)
    for i in range(999):
        window.hit(f"k-{i}")  # the 1000th hit prunes
    assert window.hit("busy") == pytest.approx(30.0)


# ------------------------------------------------------------------------------ GrowingDelay


def test_the_first_failures_are_free_then_the_wait_doubles(clock):
    delays = GrowingDelay(free=3, cap=300, clock=clock)
    waits = []
    for _ in range(7):
        delays.failed("anna")
        waits.append(delays.wait("anna"))
    assert waits == [0.0, 0.0, 2.0, 4.0, 8.0, 16.0, 32.0]


def test_the_wait_runs_down_with_time(clock):
    delays = GrowingDelay(free=1, clock=clock)
    delays.failed("anna")
    delays.failed("anna")  # wait 4 s
    clock.advance(1.5)
    assert delays.wait("anna") == pytest.approx(2.5)
    clock.advance(2.5)
    assert delays.wait("anna") == 0.0


def test_the_wait_is_capped(clock):
    delays = GrowingDelay(free=0, cap=30, clock=clock)
    for _ in range(20):
        delays.failed("anna")
    assert delays.wait("anna") == 30.0


def test_failed_counts_and_success_clears(clock):
    delays = GrowingDelay(free=2, clock=clock)
    assert [delays.failed("anna") for _ in range(4)] == [1, 2, 3, 4]
    assert delays.wait("anna") > 0
    delays.succeeded("anna")
    assert delays.wait("anna") == 0.0
    assert delays.failed("anna") == 1  # counting starts over


def test_failures_from_one_address_do_not_delay_another(clock):
    """Issue 16: nobody can lock a counsellor out from another address."""
    delays = GrowingDelay(free=2, clock=clock)
    for _ in range(10):
        delays.failed(("anna", "198.51.100.7/32"))
    assert delays.wait(("anna", "198.51.100.7/32")) > 0
    assert delays.wait(("anna", "192.0.2.1/32")) == 0.0
    assert delays.wait(("bert", "198.51.100.7/32")) == 0.0


def test_old_failures_are_forgotten(clock):
    delays = GrowingDelay(free=2, forget_after=3600, clock=clock)
    for _ in range(5):
        delays.failed("anna")
    clock.advance(3600)
    assert delays.wait("anna") == 0.0  # the 8 s wait is long over ...
    assert delays.failed("anna") == 6  # ... but exactly forget_after later the count is remembered
    clock.advance(3600.5)
    assert delays.wait("anna") == 0.0
    assert delays.failed("anna") == 1  # forgotten: the count starts over


def test_memory_stays_bounded_under_a_flood_of_names(clock):
    delays = GrowingDelay(forget_after=3600, clock=clock)
    for i in range(10_000):
        delays.failed(f"name-{i}")
    assert len(delays._fails) == 10_000
    clock.advance(3601)
    delays.failed("fresh")  # the 10 001st key: entries older than forget_after go
    assert list(delays._fails) == ["fresh"]


def test_a_flood_keeps_recent_failures(clock):
    delays = GrowingDelay(free=1, forget_after=3600, clock=clock)
    for _ in range(3):
        delays.failed("anna")
    clock.advance(10)
    for i in range(10_000):
        delays.failed(f"name-{i}")
    assert delays.failed("anna") == 4  # 10 s old: not dropped


# ------------------------------------------------------------------------------ network_of


@pytest.mark.parametrize(
    ("address", "kwargs", "network"),
    [
        ("192.0.2.77", {}, "192.0.2.0/24"),
        ("192.0.2.77", {"v4": 32}, "192.0.2.77/32"),
        ("192.0.2.77", {"v4": 16}, "192.0.0.0/16"),
        ("2001:db8:abcd:12:1:2:3:4", {}, "2001:db8:abcd::/48"),
        ("2001:db8:abcd:12:1:2:3:4", {"v6": 64}, "2001:db8:abcd:12::/64"),
        ("unknown", {}, "unknown"),
        ("not an address", {}, "not an address"),
    ],
)
def test_network_of(address, kwargs, network):
    assert network_of(address, **kwargs) == network


def test_hosts_of_one_network_share_a_key_and_other_networks_do_not():
    assert network_of("203.0.113.1") == network_of("203.0.113.254")
    assert network_of("203.0.113.1") != network_of("203.0.114.1")
    assert network_of("2001:db8:1:aaaa::1") == network_of("2001:db8:1:bbbb::2")
    assert network_of("2001:db8:1::1") != network_of("2001:db8:2::1")


# ------------------------------------------------------------------------------ client_address


def _request(remote: str | None = "198.51.100.7", forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    request = make_mocked_request("GET", "/chat", headers=headers)
    return request.clone(remote=remote) if remote else request


def test_without_trust_the_forwarded_header_is_ignored():
    request = _request(forwarded="203.0.113.9")
    assert client_address(request) == "198.51.100.7"
    assert client_address(request, trust_forwarded_for=False) == "198.51.100.7"


def test_with_trust_the_address_our_proxy_added_is_used():
    assert client_address(_request(forwarded="203.0.113.9"), trust_forwarded_for=True) == "203.0.113.9"


def test_with_trust_a_client_cannot_choose_its_address_by_sending_the_header():
    """The proxy appends the address it saw; entries before it are whatever the client sent."""
    request = _request(forwarded="10.0.0.1, 1.2.3.4 ,203.0.113.9")
    assert client_address(request, trust_forwarded_for=True) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", " , ,"])
def test_with_trust_but_no_usable_header_the_peer_is_used(forwarded):
    assert client_address(_request(forwarded=forwarded), trust_forwarded_for=True) == "198.51.100.7"


def test_an_unknown_peer_is_unknown():
    assert client_address(_request(remote=None)) == "unknown"
