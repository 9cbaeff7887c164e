"""How many tickets one sale may take, and which picks would leave a single seat alone.

- ``quantity_bounds(details, availability, ticket_type_id)`` combines every limit — the ticket
  type's minimum, multiple, exact count and per-sale limit, the event's per-sale limit, the event's
  ticket limit, the current limit and what is available — into ``QuantityBounds``; its ``reason``
  names the limit that sets the maximum. The window's quantity box never offers more; the CLI
  refuses more (``quantity_problem``) before anything is held.
- ``restrictSingle``: an event may forbid leaving one free seat alone in a row. ``stranded_seats``
  finds the free seats that picked places would leave without a free neighbour (neighbours are
  seats whose numbers differ by one within the same section and row, as the service counts them);
  ``single_seat_problem`` is the sentence. The window disables Reserve while a pick does that and
  the CLI refuses such ``--places`` before anything is held (the window used to only warn and
  let the service refuse the reserve; the CLI sent it). For best available, which seats the
  service picks is not known beforehand: ``RESTRICT_SINGLE_NOTE`` is the hint both show.

Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.partner.models import Availability, EventDetails, InventoryRow, TicketAvailability

from .seatpicks import pick_keys

DEFAULT_MAXIMUM = 10
RESTRICT_SINGLE_NOTE = ("Seats are never sold so that one empty seat is left alone in a row; "
                        "if a reserve is refused, try one ticket more or fewer.")


@dataclass(frozen=True)
class QuantityBounds:
    minimum: int
    maximum: int
    step: int
    reason: str  # what sets the maximum, in plain words

    @property
    def can_sell(self) -> bool:
        return self.maximum >= self.minimum and self.maximum > 0

    def allows(self, quantity: int) -> bool:
        return self.minimum <= quantity <= self.maximum and (quantity - self.minimum) % self.step == 0


def ticket_availability_for(availability: Availability | None, ticket_type_id: str | None) -> TicketAvailability | None:
    """The availability block that offers ``ticket_type_id`` (or the first one)."""
    if availability is None or not availability.tickets:
        return None
    for block in availability.tickets:
        if any(o.ticket_type_id == ticket_type_id for o in block.offers):
            return block
    return availability.tickets[0] if ticket_type_id is None else None


def quantity_bounds(
    details: EventDetails | None, availability: Availability | None, ticket_type_id: str | None
) -> QuantityBounds:
    minimum, step = 1, 1
    limits: list[tuple[int, str]] = []
    if details is not None:
        ticket = next((t for t in details.tickets if t.id == ticket_type_id), None)
        q = ticket.quantities if ticket is not None else details.quantities
        if q.minimum:
            minimum = max(1, q.minimum)
        if q.multiple and q.multiple > 1:
            step = q.multiple
        if q.exact:
            return QuantityBounds(q.exact, q.exact, 1, f"This ticket type is sold in exactly {q.exact}s.")
        if q.limit:
            limits.append((q.limit, f"at most {q.limit} per sale for this ticket type"))
        if details.quantities.limit:
            limits.append((details.quantities.limit, f"at most {details.quantities.limit} per sale"))
    block = ticket_availability_for(availability, ticket_type_id)
    if availability is not None and availability.event_ticket_limit:
        limits.append((availability.event_ticket_limit, f"the event's limit of {availability.event_ticket_limit}"))
    if block is not None:
        if block.current_ticket_limit is not None:
            limits.append((block.current_ticket_limit, f"the current limit of {block.current_ticket_limit}"))
        limits.append((block.available, f"{block.available} available"))
    if not limits:
        return QuantityBounds(minimum, max(minimum, DEFAULT_MAXIMUM), step, "")
    maximum, reason = min(limits, key=lambda item: item[0])
    return QuantityBounds(minimum, maximum, step, reason)


def quantity_problem(bounds: QuantityBounds, quantity: int) -> str | None:
    """Why ``quantity`` tickets cannot be sold in one sale (None when they can)."""
    if bounds.allows(quantity):
        return None
    steps = f" in steps of {bounds.step}" if bounds.step > 1 else ""
    reason = f" ({bounds.reason})" if bounds.reason else ""
    return f"{quantity} cannot be sold here: from {bounds.minimum} to {bounds.maximum}{steps}{reason}."


def _seat_number(seat: str) -> int | None:
    try:
        return int(seat)
    except (TypeError, ValueError):
        return None


def stranded_seats(rows: Iterable[InventoryRow], picked_places: Iterable[str]) -> list[tuple[InventoryRow, str]]:
    """Free seats that would be left alone (no free neighbour) once ``picked_places`` are taken.

    Only seats next to a picked one are checked.
    """
    picked = set(picked_places)
    if not picked:
        return []
    by_row: dict[tuple[str | None, str | None], dict[int, tuple[InventoryRow, str, str | None]]] = {}
    for row in rows:
        key = (row.section, row.row)
        seats = by_row.setdefault(key, {})
        for seat, place in zip(row.seats, pick_keys(row), strict=True):  # seats without ids by their keys
            number = _seat_number(seat)
            if number is not None:
                seats[number] = (row, seat, place)
    stranded: list[tuple[InventoryRow, str]] = []
    for seats in by_row.values():
        picked_numbers = {n for n, (_, _, place) in seats.items() if place in picked}
        if not picked_numbers:
            continue
        free = set(seats) - picked_numbers
        for n in sorted(free):
            if (n - 1 in picked_numbers or n + 1 in picked_numbers) and n - 1 not in free and n + 1 not in free:
                stranded.append((seats[n][0], seats[n][1]))
    return stranded


def single_seat_sentence(lone: list[tuple[InventoryRow, str]], hide_names: bool) -> str | None:
    """What to say about seats ``stranded_seats`` found (row and seat left out when names are hidden)."""
    if not lone:
        return None
    if hide_names:
        return ("These seats would leave a single empty seat alone in a row, which this event does not allow. "
                "Pick one seat more or fewer next to them.")
    named = ", ".join(f"row {r.row} seat {s}" for r, s in lone[:3])
    return (f"These seats would leave {named} alone, which this event does not allow. "
            "Pick one seat more or fewer next to them.")


def single_seat_problem(availability: Availability, places: Iterable[str]) -> str | None:
    """The sentence when picking ``places`` would break the event's ``restrictSingle`` (else None)."""
    if not availability.restrict_single:
        return None
    rows = [row for block in availability.tickets for row in block.inventory]
    return single_seat_sentence(stranded_seats(rows, places), availability.loc_row_seat_restrict)
