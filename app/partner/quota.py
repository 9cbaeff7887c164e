"""Staying inside the service's quotas (partner-api.md section 2).

``QuotaTracker`` keeps the latest ``Ratelimit-*`` figures of each family ("events": /events and
/events/{id}, 200 a minute; "availability": 3600 an hour), says how long to wait after a 429 or
before a call that the last figures say would be refused, and holds a short-lived availability
cache so a busy counter refreshing a seat map does not burn the hourly quota.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

import httpx

from app.partner._models_base import Quota, QuotaStatus
from app.partner.errors import QuotaExceeded

EVENTS = "events"
AVAILABILITY = "availability"
# When a 429 carries neither Ratelimit-Expiry nor Retry-After, wait this long before retrying.
DEFAULT_RETRY_SECONDS = 2.0
# Waits are rounded up a little so the retry lands after the window really reset.
RESET_MARGIN_SECONDS = 0.25

T = TypeVar("T")


class QuotaTracker:
    def __init__(self, max_wait_seconds: float) -> None:
        self.max_wait_seconds = max_wait_seconds
        self._quotas: dict[str, Quota] = {}
        # Families whose reported window has been waited out: the next answer brings fresh figures.
        self._waited: set[str] = set()

    @property
    def status(self) -> QuotaStatus:
        return QuotaStatus(events=self._quotas.get(EVENTS), availability=self._quotas.get(AVAILABILITY))

    def update(self, family: str, headers: Mapping[str, str]) -> None:
        quota = Quota.from_headers(headers)
        if quota is not None:
            self._quotas[family] = quota
            self._waited.discard(family)

    def waited(self, family: str | None) -> None:
        """The caller has waited until the reported reset; do not wait for the same window twice
        (the service's clock may differ from ours)."""
        if family:
            self._waited.add(family)

    def seconds_until_allowed(self, family: str, now: datetime | None = None) -> float:
        """0 when a call may go now; otherwise how long until the window the last answer reported resets."""
        quota = self._quotas.get(family)
        if (
            family in self._waited
            or quota is None
            or quota.remaining is None
            or quota.remaining > 0
            or quota.resets_at is None
        ):
            return 0.0
        delta = (quota.resets_at - (now or datetime.now(UTC))).total_seconds()
        return max(0.0, delta + RESET_MARGIN_SECONDS) if delta > 0 else 0.0

    def wait_or_raise(self, seconds: float, retry_at: datetime | None) -> float:
        """The wait to honour, or ``QuotaExceeded`` when it is longer than the client may wait alone."""
        if seconds > self.max_wait_seconds:
            minutes = max(1, round(seconds / 60))
            raise QuotaExceeded(
                f"Too many requests to the ticketing service. It accepts new ones in about {minutes} minute"
                f"{'s' if minutes != 1 else ''}.",
                retry_at=retry_at,
            )
        return seconds

    def delay_after_429(self, response: httpx.Response, family: str | None) -> tuple[float, datetime | None]:
        """How long to wait after a 429, from ``Ratelimit-Expiry`` (epoch ms), and when that is."""
        if family:
            self.update(family, response.headers)
        quota = Quota.from_headers(response.headers)
        retry_at = quota.resets_at if quota else None
        if retry_at is None:
            retry_after = response.headers.get("retry-after", "").strip()
            seconds = float(retry_after) if retry_after.isdigit() else DEFAULT_RETRY_SECONDS
            return seconds, datetime.now(UTC) + timedelta(seconds=seconds)
        seconds = (retry_at - datetime.now(UTC)).total_seconds() + RESET_MARGIN_SECONDS
        return max(RESET_MARGIN_SECONDS, seconds), retry_at

    def retry_at(self, family: str) -> datetime | None:
        quota = self._quotas.get(family)
        return quota.resets_at if quota else None


class TimedCache(Generic[T]):
    """Answers kept for ``ttl`` seconds per key (monotonic clock); ``ttl`` 0 disables it."""

    def __init__(self, ttl: float, max_entries: int = 256) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, T]] = {}

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        if entry is None or self.ttl <= 0:
            return None
        stored_at, value = entry
        if time.monotonic() - stored_at > self.ttl:
            self._entries.pop(key, None)
            return None
        return value

    def put(self, key: str, value: T) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            oldest = min(self._entries, key=lambda k: self._entries[k][0])
            self._entries.pop(oldest, None)
        self._entries[key] = (time.monotonic(), value)

    def invalidate(self, key: str | None = None) -> None:
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)
