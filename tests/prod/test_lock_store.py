"""bot/rasa/lock_store.py against a real Redis: ticket locks stay correct when several processes
(threads here, each with its own Redis connection, like several Rasa servers) take and release
the lock of one conversation at the same moment."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.prod


@pytest.fixture
def stores(redis_lock_env):
    """``stores(n)`` -> n AtomicRedisLockStores on the test Redis, each with its own connection."""
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa.lock_store import AtomicRedisLockStore

    made = []

    def make(n: int) -> list:
        for _ in range(n):
            config = EndpointConfig(
                url=redis_lock_env["REDIS_HOST"],
                type="bot.rasa.lock_store.AtomicRedisLockStore",
                port=redis_lock_env["REDIS_PORT"],
                db=redis_lock_env["REDIS_DB"],
                password=redis_lock_env["REDIS_PASSWORD"],
                key_prefix=redis_lock_env["LOCK_STORE_PREFIX"],
            )
            made.append(AtomicRedisLockStore(endpoint_config=config))
        return made[-n:]

    yield make
    for store in made:
        store.red.close()


def test_created_by_rasa_from_the_production_endpoints(redis_lock_env, monkeypatch):
    from rasa.core.lock_store import LockStore
    from rasa.core.utils import AvailableEndpoints

    from bot.rasa.lock_store import AtomicRedisLockStore
    from bot.settings import ROOT

    for key, value in dict(
        redis_lock_env,
        ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook",
        ACTION_ENDPOINT_TOKEN="t",
        TRACKER_STORE_URL="sqlite://",
    ).items():
        monkeypatch.setenv(key, value)
    store = LockStore.create(AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.prod.yml")).lock_store)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == redis_lock_env["LOCK_STORE_PREFIX"] + ":lock:"
    assert store.red.connection_pool.connection_kwargs["db"] == int(redis_lock_env["REDIS_DB"])
    store.red.close()


def test_tickets_issued_at_the_same_moment_are_unique(stores):
    many = stores(4)
    conversation = f"race-{time.time_ns()}"
    start = threading.Barrier(len(many))

    def take(store) -> list:
        start.wait()
        return [store.issue_ticket(conversation, 60) for _ in range(50)]

    with ThreadPoolExecutor(len(many)) as pool:
        numbers = [n for batch in pool.map(take, many) for n in batch]
    assert sorted(numbers) == list(range(len(many) * 50))  # no ticket handed out twice
    assert len(many[0].get_lock(conversation).tickets) == len(numbers)


def test_clean_up_keeps_a_lock_someone_queued_on(stores):
    first, second = stores(2)
    conversation = f"queue-{time.time_ns()}"
    mine = first.issue_ticket(conversation, 60)
    theirs = second.issue_ticket(conversation, 60)
    first.cleanup(conversation, mine)
    lock = second.get_lock(conversation)
    assert lock is not None and lock.now_serving == theirs and not lock.is_locked(theirs)
    second.cleanup(conversation, theirs)
    assert second.get_lock(conversation) is None


def test_only_one_holder_at_a_time_across_processes(stores):
    """Rasa's own ``lock()`` protocol (ticket, wait, clean up) on several stores at once: the
    critical sections of one conversation never overlap, and nobody waits forever."""
    many = stores(3)
    conversations = [f"hold-{i}-{time.time_ns()}" for i in range(4)]
    intervals: dict = {c: [] for c in conversations}
    guard = threading.Lock()
    start = threading.Barrier(len(many))

    def worker(store) -> None:
        async def hold(conversation: str) -> None:
            async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.05):
                began = time.monotonic()
                await asyncio.sleep(0.1)
                with guard:
                    intervals[conversation].append((began, time.monotonic()))

        async def all_conversations() -> None:
            await asyncio.gather(*[hold(c) for c in conversations])

        start.wait()
        asyncio.run(all_conversations())

    with ThreadPoolExecutor(len(many)) as pool:
        list(pool.map(worker, many))
    for conversation, spans in intervals.items():
        assert len(spans) == len(many)
        spans.sort()
        for (_, end), (begin, _) in zip(spans, spans[1:]):
            assert begin >= end, f"two holders of {conversation} at once: {spans}"
        assert many[0].get_lock(conversation) is None  # cleaned up
