"""Which seats a cart item holds, and how the sale pages and the receipt write them (no Qt).

A cart answer names one item per row with its first and last seat and a count
(``start_seat_number``, ``end_seat_number``, ``num_seats``); it does not list the seats. When the
count fills the span (1 to 6, 6 seats) the item is that run. When it does not (1 to 6, 5 seats:
another counter holds a seat in between) the seats come from what this sale knows
(``SeatHints``): the places its reserve asked for, else the seats that were free in that row in
the availability they were picked from — each only when exactly ``num_seats`` of them fall in the
span. Failing both, the text says only what is certain ("5 seats between seats 1 and 6").

``seat_runs`` joins only seats that follow each other: ``1, 3–6``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.partner.models import CartItem


@dataclass(frozen=True)
class SeatHints:
    """What the sale knows beyond the cart answer: the places its reserve asked for and the
    availability (``app.partner.models.Availability``) the seats were picked from."""

    places: frozenset[str] = frozenset()
    availability: Any = field(default=None, compare=False, repr=False)


def _number(seat: str | None) -> int | None:
    text = (seat or "").strip()
    return int(text) if text.isdigit() else None


def seat_runs(seats: Iterable[str]) -> str:
    """``["1", "3", "4", "5", "6"]`` → ``"1, 3–6"``: a dash only between seats that follow each
    other. Seat names that are not numbers follow, as given."""
    seats = list(dict.fromkeys(seats))
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


def held_seats(item: CartItem, hints: SeatHints | None = None) -> tuple[str, ...] | None:
    """The seats of a reserved-seating cart item, or None when they cannot be known for sure."""
    start, end, count = item.start_seat, item.end_seat, item.num_seats
    if not start or not end:
        return (start or end,) if (start or end) and count == 1 else None
    if start == end:
        return (start,) if count <= 1 else None
    low, high = _number(start), _number(end)
    if low is None or high is None:
        return (start, end) if count == 2 else None
    low, high = min(low, high), max(low, high)
    if high - low + 1 == count:
        return tuple(str(n) for n in range(low, high + 1))
    if hints is None or hints.availability is None:
        return None
    rows = [r for t in hints.availability.tickets for r in t.inventory
            if r.section == item.section and r.row == item.row]
    if hints.places:
        asked = _in_span((seat for r in rows for seat, place in r.seat_places if place in hints.places), low, high)
        if len(asked) == count:
            return tuple(asked)
    free = _in_span((seat for r in rows for seat in r.seats), low, high)
    return tuple(free) if len(free) == count else None


def seats_text(item: CartItem, hints: SeatHints | None = None) -> str:
    """``seats 1, 3–6`` / ``seat 7`` / ``5 seats between seats 1 and 6`` (row and section not included)."""
    seats = held_seats(item, hints)
    if seats is None:
        if item.start_seat and item.end_seat:
            return f"{item.num_seats} seats between seats {item.start_seat} and {item.end_seat}"
        return "seat ?"
    return f"seat {seats[0]}" if len(seats) == 1 else f"seats {seat_runs(seats)}"
