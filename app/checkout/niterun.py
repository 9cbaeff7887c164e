"""Nightly maintenance ("niterun"): when a venue's ticketing system is down, by the venue's own clock.

Every night from 00:00 to 02:00 in the event's own time zone the venue's host system is in its
maintenance and the Partner API refuses that event's sales (error 20001). This module is the one
place that decides it, for the window (events list, event page) and the command line alike:

- ``NOW`` — 00:00 ≤ venue time < 02:00: the event cannot be sold (``sellability`` refuses it);
- ``SOON`` — within ``NEAR_NITERUN`` (30 minutes) before midnight: it can still be sold, with a
  warning that a sale started now may not finish;
- ``CLEAR`` — any other time.

The time zone is the event's (``EventDetails.time_zone`` / ``EventSummary.time_zone``); an event
without a known zone is never marked. Pure Python, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NITERUN_START_HOUR, NITERUN_END_HOUR = 0, 2
NEAR_NITERUN = timedelta(minutes=30)


def utc_now() -> datetime:
    return datetime.now(UTC)


def venue_zone(tz_name: str | None) -> ZoneInfo | timezone:
    """The venue's zone; an unknown or absent name falls back to UTC rather than failing."""
    if not tz_name:
        return UTC
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


class NiterunPhase(Enum):
    CLEAR = "clear"
    SOON = "soon"
    NOW = "now"


@dataclass(frozen=True)
class NiterunStatus:
    """Where the venue stands against its maintenance night, and what to say about it."""

    phase: NiterunPhase
    venue_time: datetime | None = None
    minutes_left: int = 0  # SOON: minutes until midnight at the venue

    @property
    def in_niterun(self) -> bool:
        return self.phase is NiterunPhase.NOW

    @property
    def sentence(self) -> str | None:
        """The plain sentence for the sale controls and the CLI (None when clear)."""
        if self.phase is NiterunPhase.NOW and self.venue_time is not None:
            return (f"The venue's ticketing system is in its nightly maintenance until 02:00 "
                    f"venue time (it is {self.venue_time:%H:%M} there). Sales resume then.")
        if self.phase is NiterunPhase.SOON:
            return (f"The venue's ticketing system goes into nightly maintenance at midnight venue time, "
                    f"in {self.minutes_left} min; a sale started now may not finish. Sales resume at 02:00.")
        return None

    @property
    def mark(self) -> str:
        """The short mark of the events list's maintenance column ("" when clear)."""
        return {NiterunPhase.NOW: "⚠ Until 02:00", NiterunPhase.SOON: "⚠ From 00:00"}.get(self.phase, "")


CLEAR = NiterunStatus(NiterunPhase.CLEAR)


def niterun_status(tz_name: str | None, now: datetime | None = None) -> NiterunStatus:
    """The venue's maintenance phase at ``now`` (an aware instant; the current time by default)."""
    if not tz_name:
        return CLEAR
    local = (now or utc_now()).astimezone(venue_zone(tz_name))
    if NITERUN_START_HOUR <= local.hour < NITERUN_END_HOUR:
        return NiterunStatus(NiterunPhase.NOW, local)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight - local <= NEAR_NITERUN:
        minutes = max(1, int((midnight - local).total_seconds() // 60))
        return NiterunStatus(NiterunPhase.SOON, local, minutes)
    return CLEAR
