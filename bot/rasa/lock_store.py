"""Rasa lock store for several Rasa servers: Rasa's Redis lock store with atomic updates.

Rasa keeps one ticket lock per conversation (a JSON list of tickets under one Redis key), so
that one message of a conversation is handled at a time. Rasa 3.6's ``RedisLockStore`` updates
that key by read-modify-write (GET, change, SET). Two messages of one conversation that reach
two Rasa servers at the same moment can then both read "no lock", both take ticket 0 and run
together; both load the same tracker, and the SQL tracker store keeps only one of the two turns
(a lost message -- shown by tests/prod; upstream: RasaHQ/rasa#9213). The same holds for the
clean-up, which may delete a lock that another server has just queued on.

Here every read-modify-write of a lock runs in a Redis transaction on its key (WATCH, MULTI,
EXEC; retried when another server changed the key in between), so ticket numbers are unique and
the queue is never lost. Everything else (waiting, expiry, key prefix, settings) is Rasa's own.
Used by endpoints.prod.yml as ``type: bot.rasa.lock_store.AtomicRedisLockStore`` (the Rasa process
needs this repository on its PYTHONPATH, which ``python -m bot run`` sets).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)
_KEEP = object()  # "leave the stored lock as it is"


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock updates are atomic across processes and machines."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # created by Rasa from endpoints.yml (custom lock store type)
            kwargs = dict(endpoint_config.kwargs, host=endpoint_config.url or "localhost", **kwargs)
        super().__init__(**kwargs)

    def _atomically(self, conversation_id: Text, change: Callable[[Optional[TicketLock]], tuple]) -> Any:
        """Apply ``change(lock) -> (new lock | None to delete | _KEEP, result)`` to the stored lock
        in one Redis transaction; retried when another process changed it meanwhile."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    if new is _KEEP:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    log.debug("lock of %s changed meanwhile; retrying", conversation_id)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> tuple:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, change)
        except Exception as exc:  # as Rasa does
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> tuple:
            if lock is None:
                return _KEEP, None
            lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> tuple:
            if lock is None:
                return _KEEP, None
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove this ticket; delete the lock only if nobody else is queued (in one step)."""

        def change(lock: Optional[TicketLock]) -> tuple:
            if lock is None:
                return _KEEP, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, change)
