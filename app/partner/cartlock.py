"""One cart, one call at a time: an ``asyncio.Lock`` per cart id.

The service refuses overlapping calls on one cart (409, "Concurrent cart request"). Every call
that names a cart (shipping, payment, commit, delete and their polls) holds that cart's lock for
its whole duration, so this app can never provoke the refusal, however many buttons are clicked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class CartLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, cart_id: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(cart_id, asyncio.Lock())
        self._users[cart_id] = self._users.get(cart_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[cart_id] -= 1
            if self._users[cart_id] == 0:
                # Nobody holds or waits for it: forget it so a long shift does not pile up locks.
                del self._users[cart_id]
                self._locks.pop(cart_id, None)

    def busy(self, cart_id: str) -> bool:
        lock = self._locks.get(cart_id)
        return lock is not None and lock.locked()
