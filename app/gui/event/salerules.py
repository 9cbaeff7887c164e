"""Plain-Python rules behind the event page's sale controls: quantity bounds and the single-seat hint.

``quantity_bounds`` combines the event's and the ticket type's limits with what is available, so the
quantity box never offers a number the service must refuse. ``seat_picking_note`` says whether exact
seats can be picked on the map, and if not the one sentence the map and the sale controls both show.
``stranded_seats`` finds the free seats
that picked places would leave alone in their row when ``restrictSingle`` forbids it, so the
cashier hears it before the reserve is refused. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.partner.models import Availability, EventDetails, InventoryRow, TicketAvailability


@dataclass(frozen=True)
class QuantityBounds:
    minimum: int
    maximum: int
    step: int
    reason: str  # what sets the maximum, in plain words

    @property
    def can_sell(self) -> bool:
        return self.maximum >= self.minimum and self.maximum > 0


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
        return QuantityBounds(minimum, max(minimum, 10), step, "")
    maximum, reason = min(limits, key=lambda item: item[0])
    return QuantityBounds(minimum, maximum, step, reason)


GENERAL_ADMISSION_NOTE = "General admission: there are no numbered seats to pick; sell by quantity."
NO_MAP_NOTE = "The venue does not allow a seat map for this event; sell best available."


def seat_picking_note(availability: Availability | None) -> str | None:
    """None when exact seats can be picked on the map; otherwise why not, in one sentence."""
    if availability is None:
        return None
    if availability.tickets and all(t.is_general_admission for t in availability.tickets):
        return GENERAL_ADMISSION_NOTE
    if availability.seat_location_map_restrict:
        return NO_MAP_NOTE
    return None


def _seat_number(seat: str) -> int | None:
    try:
        return int(seat)
    except (TypeError, ValueError):
        return None


def stranded_seats(
    rows: tuple[InventoryRow, ...] | list[InventoryRow], picked_places: list[str]
) -> list[tuple[InventoryRow, str]]:
    """Free seats that would be left alone (no free neighbour) once ``picked_places`` are taken.

    Neighbours are seats whose numbers differ by one within the same section and row, as the
    service counts them. Only seats next to a picked one are checked.
    """
    picked = set(picked_places)
    if not picked:
        return []
    by_row: dict[tuple[str | None, str | None], dict[int, tuple[InventoryRow, str, str | None]]] = {}
    for row in rows:
        key = (row.section, row.row)
        seats = by_row.setdefault(key, {})
        for i, seat in enumerate(row.seats):
            number = _seat_number(seat)
            if number is not None:
                seats[number] = (row, seat, row.places[i] if i < len(row.places) else None)
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


class PlaceIndex:
    """Where each place id sits, built once per availability answer (off the GUI thread for big venues),
    so describing and checking a pick looks only at the rows the pick touches."""

    def __init__(self, rows) -> None:
        self.where: dict[str, tuple[InventoryRow, str]] = {}
        self.rows_by_key: dict[tuple[str | None, str | None], list[InventoryRow]] = {}
        for row in rows:
            self.rows_by_key.setdefault((row.section, row.row), []).append(row)
            for seat, place in row.seat_places:
                self.where[place] = (row, seat)

    def describe(self, places: list[str], hide_names: bool) -> str:
        """``section 102, row A seats 3, 4`` — or only the sections when names must stay hidden."""
        groups: dict[str, list[str]] = {}
        for place in places:
            row, seat = self.where.get(place, (None, None))
            label = f"section {row.section if row and row.section else '?'}"
            if not hide_names:
                label += f", row {row.row if row and row.row else '?'}"
            seats = groups.setdefault(label, [])
            if not hide_names and seat:
                seats.append(str(seat))
        return "; ".join(f"{k} seat{'s' if len(v) != 1 else ''} {', '.join(v)}" if v else k for k, v in groups.items())

    def stranded(self, places: list[str]) -> list[tuple[InventoryRow, str]]:
        keys = {(r.section, r.row) for r, _ in (self.where[p] for p in places if p in self.where)}
        rows = [row for key in keys for row in self.rows_by_key.get(key, ())]
        return stranded_seats(rows, places)

    def single_seat_warning(self, places: list[str], hide_names: bool) -> str | None:
        lone = self.stranded(places)
        if not lone:
            return None
        if hide_names:
            return (
                "These seats would leave a single empty seat alone in a row, which this event does not allow. "
                "Pick one seat more or fewer next to them."
            )
        named = ", ".join(f"row {r.row} seat {s}" for r, s in lone[:3])
        return (f"These seats would leave {named} alone, which this event does not allow. "
                "Pick one seat more or fewer next to them.")
