"""Spending the availability quota deliberately: when the station asks for seats, and when it does not.

The availability service (partner-api.md 3.4, and the documentation's availability page) is limited
to 3600 requests an hour **per API key** — shared by every station using that key — may be cached
for long, and must not be used "in real-time in line with an active purchase". So:

- ``AvailabilityBudget`` is this station's share of the key's hour: the allowance the service
  reports (``Ratelimit-Quota-Allowed``, 3600 until it says otherwise) divided by how many stations
  share the key (setting ``availability_stations_per_key``, default 1). It counts this station's
  own calls over the last hour and keeps what the service last said is left for the whole key
  (``Ratelimit-Quota-Available``) and when that window resets (``Ratelimit-Expiry``).
- ``AvailabilityDesk`` answers "the seats of this event" with an ``AvailabilityAnswer``: the seats
  and when they were fetched. It reuses the last answer while it is younger than the station's
  cache age (``availability_cache_seconds``) unless a refresh is asked for, and asks the service
  only when (a) no sale of this station is between its reserve and its commit or delete, and (b) the
  budget allows. When either stops a call, or the service answers 429, the last answer is given
  again with ``held_back`` (why, in one sentence) and ``retry_at`` (until when); without a last
  answer that is ``AvailabilityHeldBack``.

The window shows the answer's age ("Seats as of 14:02:10") and the budget left; the CLI says the
same sentences. No Qt here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.partner.errors import QuotaExceeded
from app.partner.models import Availability, Quota

from .errors import CheckoutError

HOUR = timedelta(hours=1)
DOCUMENTED_HOURLY = 3600
ANSWERS_KEPT = 16  # events whose last seats are kept (a stadium answer is tens of MB parsed)
IN_SALE = ("Seats are not asked for while a sale holds seats (availability is not used in line with a "
           "purchase); shown as of {as_of}.")


def clock_time(moment: datetime) -> str:
    """``14:02:10`` in this computer's time zone (where the cashier reads it)."""
    return moment.astimezone().strftime("%H:%M:%S")


class AvailabilityHeldBack(CheckoutError):
    """No seats can be shown: none were fetched yet, and the budget or the service says wait."""

    action = "wait_and_retry"

    def __init__(self, sentence: str, retry_at: datetime | None) -> None:
        self.retry_at = retry_at
        super().__init__(sentence)

    @property
    def user_message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class AvailabilityAnswer:
    availability: Availability
    fetched_at: datetime  # UTC, when the service gave these seats
    held_back: str | None = None  # why they were not asked for again now (None: fetched, or fresh enough)
    retry_at: datetime | None = None  # until when a refresh would be held back (UTC)


@dataclass(frozen=True)
class BudgetFigures:
    """What the window shows of the budget: this station's share and what is left of it this hour,
    and what the service last said is left for the whole key (None until it said)."""

    share: int
    left: int
    stations: int
    key_left: int | None
    key_allowed: int

    def words(self) -> str:
        """``3,598 of 3,600 availability requests left this hour`` (this station's share)."""
        left = self.left if self.key_left is None else min(self.left, self.key_left)
        return f"{left:,} of {self.share:,} availability requests left this hour"

    def details(self) -> str:
        """Whose figures those are, when stations share the key ("" when this station has it alone)."""
        if self.stations == 1:
            return ""
        key = f"; {self.key_left:,} are left for the whole key" if self.key_left is not None else ""
        return f"This station's share: {self.stations} stations share the key's {self.key_allowed:,} an hour{key}."


class AvailabilityBudget:
    def __init__(self, stations: int = 1, *, now: Callable[[], datetime] | None = None) -> None:
        self.stations = max(1, int(stations))
        self._now = now or (lambda: datetime.now(UTC))
        self._calls: deque[datetime] = deque()
        self._key: Quota | None = None

    @property
    def allowed(self) -> int:
        reported = self._key.allowed if self._key is not None else None
        return reported if reported and reported > 0 else DOCUMENTED_HOURLY

    @property
    def share(self) -> int:
        return max(1, self.allowed // self.stations)

    def _forget_old(self, now: datetime) -> None:
        while self._calls and now - self._calls[0] >= HOUR:
            self._calls.popleft()

    def figures(self) -> BudgetFigures:
        self._forget_old(self._now())
        key_left = self._key.remaining if self._key is not None else None
        return BudgetFigures(self.share, max(0, self.share - len(self._calls)), self.stations, key_left, self.allowed)

    def refusal(self) -> tuple[str, datetime] | None:
        """Why a call may not go now and until when (None: it may)."""
        now = self._now()
        self._forget_old(now)
        key = self._key
        if key is not None and key.remaining is not None and key.remaining <= 0 and key.resets_at is not None \
                and key.resets_at > now:
            return (f"The hourly availability limit of this API key is used up until {clock_time(key.resets_at)}.",
                    key.resets_at)
        if len(self._calls) >= self.share:
            until = self._calls[0] + HOUR
            whose = "its share" if self.stations > 1 else "the hourly limit"
            return (f"This station has used {whose} of availability requests ({self.share:,} an hour) until "
                    f"{clock_time(until)}.", until)
        return None

    def spent(self, quota: Quota | None) -> None:
        """One call went out; ``quota`` is what its answer said about the key (None if nothing)."""
        self._calls.append(self._now())
        if quota is not None:
            self._key = quota

    def refused_by_service(self, quota: Quota | None) -> None:
        """The service answered 429: the key has nothing left until its reset."""
        if quota is not None:
            self._key = quota


Fetch = Callable[[str], Awaitable[Availability]]


class AvailabilityDesk:
    """The station's one way to availability (see the module docstring)."""

    def __init__(self, fetch: Fetch, budget: AvailabilityBudget, *, sale_open: Callable[[], bool],
                 key_quota: Callable[[], Quota | None], max_age_seconds: float = 60.0,
                 now: Callable[[], datetime] | None = None) -> None:
        self._fetch, self.budget, self._sale_open, self._key_quota = fetch, budget, sale_open, key_quota
        self.max_age = timedelta(seconds=max(0.0, max_age_seconds))
        self._now = now or (lambda: datetime.now(UTC))
        self._last: dict[str, AvailabilityAnswer] = {}

    def last(self, event_id: str) -> AvailabilityAnswer | None:
        return self._last.get(event_id)

    async def seats(self, event_id: str, *, refresh: bool = False) -> AvailabilityAnswer:
        """The seats of ``event_id``: the last answer while young enough (unless ``refresh``), else
        fetched now — or, when a sale is open, the budget is spent or the service says wait, the last
        answer again with why (``AvailabilityHeldBack`` without one)."""
        last = self._last.get(event_id)
        now = self._now()
        if last is not None and not refresh and now - last.fetched_at < self.max_age:
            return AvailabilityAnswer(last.availability, last.fetched_at)
        if self._sale_open():
            return self._held_back(event_id, IN_SALE, None)
        refusal = self.budget.refusal()
        if refusal is not None:
            return self._held_back(event_id, *refusal)
        try:
            availability = await self._fetch(event_id)
        except QuotaExceeded as exc:
            self.budget.refused_by_service(self._key_quota())
            until = exc.retry_at
            when = f" until {clock_time(until)}" if until is not None else " for now"
            return self._held_back(event_id, f"The ticketing service takes no more availability requests{when}.",
                                   until)
        self.budget.spent(self._key_quota())
        answer = AvailabilityAnswer(availability, self._now())
        self._last.pop(event_id, None)  # newest last: the oldest event is let go first
        self._last[event_id] = answer
        if len(self._last) > ANSWERS_KEPT:
            self._last.pop(next(iter(self._last)))
        return answer

    def _held_back(self, event_id: str, sentence: str, until: datetime | None) -> AvailabilityAnswer:
        last = self._last.get(event_id)
        if last is None:
            raise AvailabilityHeldBack(sentence.replace("; shown as of {as_of}", "") + " No seats were fetched "
                                       "for this event yet.", until)
        as_of = clock_time(last.fetched_at)
        text = sentence.format(as_of=as_of) if "{as_of}" in sentence else f"{sentence} Seats shown as of {as_of}."
        return AvailabilityAnswer(last.availability, last.fetched_at, held_back=text, retry_at=until)
