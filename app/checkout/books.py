"""The station's books: the read side of its journal and shifts, for the Orders window and the CLI.

``StationBooks`` owns nothing that changes a sale; it reads what was sold — the journal's orders
and those still waiting for it (the backlog's spool, see ``app.storage.backlog``) — opens and
closes shifts, and words what this start did about the last run's unfinished business
(``start_report``, ``notices``). ``Station`` hands its calls of the same names here.
"""

from __future__ import annotations

from collections.abc import Callable

from app.storage import StationStorage
from app.storage.journal import OrderRecord, Shift

from .catchup import JournalCatchUp
from .recovery import RecoverySummary


class StationBooks:
    """The journal's orders and shifts of one station; ``recovery`` gives the last recovery's summary."""

    def __init__(self, storage: StationStorage, catch_up: JournalCatchUp,
                 recovery: Callable[[], RecoverySummary]) -> None:
        self._storage = storage
        self._catch_up = catch_up
        self._recovery = recovery

    def journal_orders(self, limit: int = 100) -> list[OrderRecord]:
        """The station's orders, newest first: those still waiting for the journal, then the journal's."""
        waiting = list(reversed(self._storage.backlog.pending()))
        return (waiting + self._storage.journal.orders(limit))[:limit]

    def hides_row_seat(self, order_token: str) -> bool:
        """Whether this station sold the order ``order_token`` on a venue that forbids row and seat
        names (an order it did not sell: False, the service's own answer is all there is)."""
        waiting = [o for o in self._storage.backlog.pending() if o.order_token == order_token]
        known = waiting[0] if waiting else self._storage.journal.order_by_token(order_token)
        return known is not None and known.hides_row_seat

    def current_shift(self) -> Shift:
        """The shift open now; one opens when none is (the first start, or after "Close shift")."""
        settings = self._storage.settings
        return self._storage.journal.open_shift(station_name=settings.station_name, opened_by=settings.station_user)

    def shift_orders(self, shift: Shift) -> list[OrderRecord]:
        """A shift's orders, oldest first; for the open shift, with those still waiting for the journal."""
        orders = self._storage.journal.orders_of_shift(shift.id)
        if shift.is_open:
            known = {o.order_token for o in orders if o.order_token}
            orders += [o for o in self._storage.backlog.pending()
                       if o.shift_id in (0, shift.id) and (not o.order_token or o.order_token not in known)]
        return orders

    def close_shift(self) -> tuple[Shift, list[OrderRecord], Shift]:
        """Close the shift open now and open the next: the closed shift, its orders, the new shift."""
        closing = self.current_shift()
        orders = self.shift_orders(closing)
        closed = self._storage.journal.close_shift(closing.id)
        return closed, orders, self.current_shift()

    @property
    def start_report(self) -> list[str]:
        """What this start did about the last run's unfinished business (carts released, commits
        settled, orders written that had waited for the journal), one sentence each."""
        return self._catch_up.notices + self._recovery().lines

    @property
    def notices(self) -> list[str]:
        """Plain sentences to show at start-up: storage notices, then what recovery did."""
        return self._storage.notices + self.start_report
