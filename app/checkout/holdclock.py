"""The hold clock of one cart: seconds left, measured on a monotonic clock.

Every cart answer carries ``hold_time`` (seconds the cart lives from that answer); ``refresh``
restarts the count from it. The clock never reads wall time, so a changed system clock or time
zone cannot shorten or stretch a hold.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class HoldClock:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._deadline: float | None = None
        self.hold_length: int | None = None

    def refresh(self, hold_time: int | None) -> None:
        """A cart answer arrived; ``None`` (no hold_time in it) keeps the previous deadline."""
        if hold_time is None:
            return
        self.hold_length = hold_time
        self._deadline = self._monotonic() + max(0, hold_time)

    def stop(self) -> None:
        self._deadline = None

    @property
    def running(self) -> bool:
        return self._deadline is not None

    def seconds_left(self) -> float | None:
        """Seconds until the hold runs out (0 when it has), None when no hold is known."""
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - self._monotonic())

    @property
    def lapsed(self) -> bool:
        left = self.seconds_left()
        return left is not None and left <= 0
