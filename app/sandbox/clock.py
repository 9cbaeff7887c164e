"""The sandbox clock: real UTC plus a tester-settable offset.

Holds, quotas and the nightly maintenance window ("niterun") all read this clock, so a test can
move the sandbox to 00:30 in an event's time zone, or past a cart's hold time, without waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime


class SandboxClock:
    def __init__(self, offset_seconds: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._offset = float(offset_seconds)

    def now(self) -> datetime:
        """Aware UTC datetime on the sandbox clock."""
        with self._lock:
            offset = self._offset
        return datetime.fromtimestamp(datetime.now(UTC).timestamp() + offset, UTC)

    def timestamp(self) -> float:
        return self.now().timestamp()

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset

    def set_offset(self, seconds: float) -> None:
        with self._lock:
            self._offset = float(seconds)

    def set_now(self, when: datetime) -> None:
        """Make ``now()`` read ``when`` at this moment; the clock keeps running from there."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        real = datetime.now(UTC).timestamp()
        with self._lock:
            self._offset = when.timestamp() - real

    def __call__(self) -> datetime:
        return self.now()


def in_niterun(time_zone: str, now: datetime) -> bool:
    """True from 00:00 to 02:00 local time in ``time_zone``: the event host's nightly maintenance."""
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo(time_zone)).hour < 2
