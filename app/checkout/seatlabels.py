"""How held seats are written — one way, true everywhere: the cart pane, the review, the receipt,
the CLI and the journal.

A cart answer names one item per row with its first and last seat and a count
(``start_seat_number``, ``end_seat_number``, ``num_seats``); it does not list the seats. When the
count fills the span (1 to 6, 6 seats) the item is that run. When it does not (1 to 6, 5 seats:
another counter holds a seat in between) the seats come from what this sale knows
(``SeatHints``): the places its reserve asked for, else the seats that were free in that row in
the availability they were picked from — each only when exactly ``num_seats`` of them fall in the
span. Failing both, the text says only what is certain ("5 seats between seats 1 and 6"): a dash
never joins seats that do not follow each other.

``seat_runs`` joins only seats that follow each other (``1, 3–6``); ``seats_text`` writes one
item's seats, ``item_label`` one item with its section and row
(``Section 104, row A, seats 1, 3–6``), ``cart_seats_text`` a whole cart (the journal's text),
``seats_label`` seats asked for by place (the map's picks too) and ``sections_label`` seats counted per
section where rows and seats are hidden; ``order_without_rows_and_seats`` an order lookup as a
venue that forbids row and seat names lets it be shown. Pure Python, no Qt.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.partner.models import Cart, CartItem, Order, ReserveRequest, SeatRef


@dataclass(frozen=True)
class SeatHints:
    """What the sale knows beyond the cart answer: the places its reserve asked for, the
    availability (``app.partner.models.Availability``) the seats were picked from, and the seats
    the reserve asked for by name (``ReserveRequest.asked_seats``: the engine keeps these, so the
    journal and the CLI write what the window writes)."""

    places: frozenset[str] = frozenset()
    availability: Any = field(default=None, compare=False, repr=False)
    asked: tuple[SeatRef, ...] = ()

    @classmethod
    def of(cls, request: ReserveRequest | None, availability: Any = None) -> SeatHints:
        """What a reserve tells about the seats it will hold (its places and the seats it asked for
        by name), with the availability they were picked from when there is one."""
        if request is None:
            return cls(availability=availability)
        return cls(frozenset(request.places), availability, tuple(request.asked_seats))


def _number(seat: str | None) -> int | None:
    text = str(seat if seat is not None else "").strip()
    return int(text) if text.isdigit() else None


def seat_runs(seats: Iterable[str]) -> str:
    """``["1", "3", "4", "5", "6"]`` → ``"1, 3–6"``: a dash only between seats that follow each
    other. Seat names that are not numbers follow, as given."""
    seats = list(dict.fromkeys(str(s) for s in seats))
    numbers = sorted({n for n in map(_number, seats) if n is not None})
    others = [s for s in seats if _number(s) is None]
    parts: list[str] = []
    start = 0
    for index in range(1, len(numbers) + 1):
        if index == len(numbers) or numbers[index] != numbers[index - 1] + 1:
            first, last = numbers[start], numbers[index - 1]
            parts.append(str(first) if first == last else f"{first}–{last}")
            start = index
    return ", ".join(parts + others)


def _in_span(seats: Iterable[str], low: int, high: int) -> list[str]:
    return sorted({s for s in seats if (n := _number(s)) is not None and low <= n <= high}, key=int)


def span_seats(start: str | None, end: str | None, count: int) -> tuple[str, ...] | None:
    """The seats from ``start`` to ``end`` when ``count`` fills the span, else None (not known)."""
    if not start or not end:
        return (start or end or "",) if (start or end) and count == 1 else None
    if start == end:
        return (start,) if count <= 1 else None
    low, high = _number(start), _number(end)
    if low is None or high is None:
        return (start, end) if count == 2 else None
    low, high = min(low, high), max(low, high)
    return tuple(str(n) for n in range(low, high + 1)) if high - low + 1 == count else None


def held_seats(item: CartItem, hints: SeatHints | None = None) -> tuple[str, ...] | None:
    """The seats of a reserved-seating cart item, or None when they cannot be known for sure."""
    known = span_seats(item.start_seat, item.end_seat, item.num_seats)
    if known is not None or hints is None:
        return known
    low, high = _number(item.start_seat), _number(item.end_seat)
    if low is None or high is None:
        return None
    low, high = min(low, high), max(low, high)
    if hints.asked:  # asked by name in this row: those, when the ends and the count agree
        named = _in_span((s.seat for s in hints.asked if s.section == item.section and s.row == item.row), low, high)
        if len(named) == item.num_seats and int(named[0]) == low and int(named[-1]) == high:
            return tuple(named)
    if hints.availability is None:
        return None
    rows = [r for t in hints.availability.tickets for r in t.inventory
            if r.section == item.section and r.row == item.row]
    if hints.places:
        asked = _in_span((seat for r in rows for seat, place in r.seat_places if place in hints.places), low, high)
        if len(asked) == item.num_seats:
            return tuple(asked)
    free = _in_span((seat for r in rows for seat in r.seats), low, high)
    return tuple(free) if len(free) == item.num_seats else None


def _seats_words(seats: tuple[str, ...] | None, start: str | None, end: str | None, count: int) -> str:
    if seats is None:
        if start and end:
            return f"{count} seats between seats {start} and {end}"
        return "seat ?"
    return f"seat {seats[0]}" if len(seats) == 1 else f"seats {seat_runs(seats)}"


def span_text(start: str | None, end: str | None, count: int) -> str:
    """``seats 2–4`` / ``seat 7`` / ``5 seats between seats 1 and 6``, from a span and a count only."""
    return _seats_words(span_seats(start, end, count), start, end, count)


def seats_text(item: CartItem, hints: SeatHints | None = None) -> str:
    """``seats 1, 3–6`` / ``seat 7`` / ``5 seats between seats 1 and 6`` (row and section not included)."""
    return _seats_words(held_seats(item, hints), item.start_seat, item.end_seat, item.num_seats)


def sections_label(counts: Iterable[tuple[str, int]]) -> str:
    """``Section 104, 2 seats; Section 105, 1 seat``: seats counted per section, in the order first
    met (rows and seat names hidden, the event's ``locRowSeatRestrict``)."""
    totals: dict[str, int] = {}
    for section, count in counts:
        totals[section] = totals.get(section, 0) + count
    return "; ".join(f"Section {section}, {n} seat{'s' if n != 1 else ''}" for section, n in totals.items())


def item_label(item: CartItem, hints: SeatHints | None = None, *, hide_row_seat: bool = False) -> str:
    """``Section 104, row A, seats 1, 3–6`` (general admission: ``General admission × 3``); with
    ``hide_row_seat`` (the event's ``locRowSeatRestrict``) ``Section 104, 2 seats``."""
    if item.is_ga or not item.section:
        return f"General admission × {item.num_seats}"
    if hide_row_seat:
        return sections_label([(item.section, item.num_seats)])
    where = f"Section {item.section}, row {item.row}" if item.row else f"Section {item.section}"
    return f"{where}, {seats_text(item, hints)}"


def cart_seats_text(cart: Cart | None, hints: SeatHints | None = None, *, hide_row_seat: bool = False) -> str:
    """Every item of the cart, ``; ``-separated (what the journal and the CLI write). With
    ``hide_row_seat`` (the event's ``locRowSeatRestrict``) rows and seat numbers are left out:
    ``Section 104, 2 seats``."""
    if cart is None:
        return ""
    return "; ".join(item_label(item, hints, hide_row_seat=hide_row_seat) for item in cart.items)


def seats_label(seats: Iterable[SeatRef], *, hide_row_seat: bool = False) -> str:
    """``Section 102, row T, seats 3–4; Section 104, row A, seats 1, 3–6``: seats asked for (or
    picked on the map), by row, written as the seats held will be; with ``hide_row_seat``
    (``locRowSeatRestrict``) ``Section 102, 2 seats; Section 104, 5 seats``."""
    if hide_row_seat:
        return sections_label((seat.section, 1) for seat in seats)
    rows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for seat in seats:
        rows[(seat.section, seat.row)].append(str(seat.seat).strip())
    parts = []
    for (section, row), numbers in rows.items():
        where = f"Section {section}, row {row}" if row else f"Section {section}"
        parts.append(f"{where}, seat{'s' if len(numbers) != 1 else ''} {seat_runs(numbers)}")
    return "; ".join(parts)


ROW_SEAT_KEYS = ("row", "seat_name", "seat_id")


def order_without_rows_and_seats(order: Order) -> Order:
    """``order`` with each ticket's row, seat name and seat id left out (its answer's too), its
    section and the rest kept: an order sold on a venue that sets ``locRowSeatRestrict``."""
    tickets = tuple(dataclasses.replace(t, row=None, seat_name=None, seat_id=None) for t in order.tickets)
    raw = dict(order.raw)
    if isinstance(raw.get("tickets"), list):
        raw["tickets"] = [{k: v for k, v in t.items() if k not in ROW_SEAT_KEYS} if isinstance(t, dict) else t
                          for t in raw["tickets"]]
    return dataclasses.replace(order, tickets=tickets, raw=raw)
