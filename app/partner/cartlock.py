"""One cart, one call at a time: an ``asyncio.Lock`` per cart id.

The service refuses overlapping calls on one cart (409, "Concurrent cart request"). Every call
that names a cart (shipping, payment, commit, delete and their polls) holds that cart's lock for
its whole duration, so this app can never provoke the refusal, however many buttons are clicked.
"""

from __future__ import annotations

import asyncio
from types import TracebackType


class CartLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    def hold(self, cart_id: str) -> _Holding:
        """``async with locks.hold(cart_id):`` — the cart's lock, held for the block."""
        return _Holding(self, cart_id)

    def busy(self, cart_id: str) -> bool:
        lock = self._locks.get(cart_id)
        return lock is not None and lock.locked()

    def _enter(self, cart_id: str) -> asyncio.Lock:
        lock = self._locks.get(cart_id)
        if lock is None:
            lock = self._locks[cart_id] = asyncio.Lock()
        self._users[cart_id] = self._users.get(cart_id, 0) + 1
        return lock

    def _leave(self, cart_id: str) -> None:
        self._users[cart_id] -= 1
        if self._users[cart_id] == 0:
            # Nobody holds or waits for it: forget it so a long shift does not pile up locks.
            del self._users[cart_id]
            self._locks.pop(cart_id, None)


class _Holding:
    """The block of one ``hold``: a class rather than an async generator, as it is entered four
    times a sale (a generator-based context manager costs about twice as much)."""

    __slots__ = ("_cart_id", "_lock", "_locks")

    def __init__(self, locks: CartLocks, cart_id: str) -> None:
        self._locks = locks
        self._cart_id = cart_id
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> None:
        lock = self._locks._enter(self._cart_id)
        try:
            await lock.acquire()
        except BaseException:  # cancelled while waiting for the lock: not a user any more
            self._locks._leave(self._cart_id)
            raise
        self._lock = lock

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        traceback: TracebackType | None) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
        self._locks._leave(self._cart_id)
