"""Exact seats: which seats place ids stand for, and whether a cart holds the seats asked for.

A reserve naming exact seats (``places``) is sent with ``accept_best_available: false`` unless
the cashier asked for the fall-back (the session decides that). Whatever the service answers,
the cart's seats are compared with the seats asked for: ``seat_difference`` says when they differ,
and the sale then waits for the cashier to agree or release them (``CheckoutSession``). The window
and the command line both use these rules.

Cart items name a row's seats as a first and last number plus a count (partner-api.md 3.6): a
range is known seat by seat only when the count fills it; otherwise its ends and count are compared.
How seats are written is ``seatlabels``'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.partner.models import Availability, Cart, ReserveRequest, SeatRef

from .errors import CheckoutError
from .seatlabels import seats_label, sections_label, span_text
from .seatpicks import pick_keys


class UnknownPlaces(CheckoutError):
    """Place ids that are not free seats of the event (taken, or not its seats at all)."""

    action = "pick_other_seats"

    def __init__(self, places: Iterable[str]) -> None:
        self.places = tuple(places)
        shown = ", ".join(self.places[:3]) + (" …" if len(self.places) > 3 else "")
        self.seats_sentence = f"These seats are not free for this event (already taken, or not its seats): {shown}."
        super().__init__(f"{self.seats_sentence} Pick other seats.")

    @property
    def user_message(self) -> str:
        return str(self)


def seats_for_places(
    availability: Availability, places: Iterable[str], *, ticket_type_id: str | None = None
) -> tuple[SeatRef, ...]:
    """The seats the place ids name, in the order given; ``UnknownPlaces`` for ids availability
    does not list as free (for ``ticket_type_id`` when given)."""
    wanted = list(places)
    found: dict[str, SeatRef] = {}
    targets = set(wanted)
    for tickets in availability.tickets:
        if ticket_type_id and not any(o.ticket_type_id == ticket_type_id for o in tickets.offers):
            continue
        for line in tickets.inventory:
            for place, seat in zip(pick_keys(line), line.seats, strict=True):  # seats without ids too
                if place in targets and place not in found:
                    found[place] = SeatRef(line.section or "", line.row or "", str(seat))
    missing = [p for p in wanted if p not in found]
    if missing:
        raise UnknownPlaces(missing)
    return tuple(found[p] for p in wanted)


def _number(seat: str) -> int | str:
    text = str(seat).strip()
    return int(text) if text.isdigit() else text


def asked_text(request: ReserveRequest, *, hide_row_seat: bool = False) -> str:
    """What a reserve asks for, in words for the journal (until the answer says what is held);
    ``hide_row_seat`` (the event's ``locRowSeatRestrict``): seats counted per section, no rows."""
    if request.asked_seats:
        return f"asked for {seats_label(request.asked_seats, hide_row_seat=hide_row_seat)}"
    if request.places:
        return f"asked for {len(request.places)} exact seat{'s' if len(request.places) != 1 else ''}"
    return f"asked for {request.quantity} seat{'s' if request.quantity != 1 else ''}, best available"


@dataclass(frozen=True)
class SeatDifference:
    """The cart holds other seats than the ones asked for."""

    asked: tuple[SeatRef, ...]
    held: tuple[tuple[str, str, str, str, int], ...]  # section, row, first seat, last seat, count per item

    def describe(self, *, hide_names: bool = False) -> tuple[str, str]:
        """(asked, held) in words; ``hide_names`` leaves out rows and seats (``locRowSeatRestrict``)."""
        if hide_names:
            held_counts = sections_label((section, count) for section, _, _, _, count in self.held)
            return seats_label(self.asked, hide_row_seat=True), held_counts or "no seats"
        held_text = "; ".join(
            f"Section {section}, row {row}, {span_text(first, last, count)}"
            for section, row, first, last, count in self.held
        )
        return seats_label(self.asked), held_text or "no seats"

    def sentence(self, *, hide_names: bool = False) -> str:
        asked, held = self.describe(hide_names=hide_names)
        return f"The service is holding other seats than the ones asked for: {held} instead of {asked}."


class OtherSeatsReleased(CheckoutError):
    """The cart held other seats than the ones asked for and they were released (nothing sold)."""

    action = "pick_other_seats"

    def __init__(self, difference: SeatDifference, *, hide_names: bool = False, hint: str = "") -> None:
        self.difference = difference
        super().__init__(
            f"{difference.sentence(hide_names=hide_names)} They were released; nothing was sold."
            + (f" {hint}" if hint else "")
        )

    @property
    def user_message(self) -> str:
        return str(self)


def _held_rows(cart: Cart) -> dict[tuple[str, str], list[tuple[int, str | None, str | None]]]:
    rows: dict[tuple[str, str], list[tuple[int, str | None, str | None]]] = defaultdict(list)
    for item in cart.items:
        rows[(item.section or "", item.row or "")].append((item.num_seats, item.start_seat, item.end_seat))
    return rows


def _row_matches(asked: list[int | str], held: list[tuple[int, str | None, str | None]]) -> bool:
    if sum(count for count, _, _ in held) != len(asked):
        return False
    if len(held) != 1:  # several items for one row: compare the counts only
        return True
    count, start, end = held[0]
    first, last = _number(start or ""), _number(end or "")
    if not (all(isinstance(n, int) for n in asked) and isinstance(first, int) and isinstance(last, int)):
        names = {str(n) for n in asked}  # seat names that are not numbers: the ends must be asked for
        return str(first) in names and str(last) in names
    if last - first + 1 == count:  # a full run: known seat by seat
        return sorted(asked) == list(range(first, last + 1))
    return min(asked) == first and max(asked) == last  # a run with gaps: its ends must agree


def seat_difference(asked: tuple[SeatRef, ...], cart: Cart) -> SeatDifference | None:
    """None when the cart holds the seats asked for (or nothing exact was asked), else what differs."""
    if not asked:
        return None
    wanted: dict[tuple[str, str], list[int | str]] = defaultdict(list)
    for seat in asked:
        wanted[(seat.section, seat.row)].append(_number(seat.seat))
    held = _held_rows(cart)
    same = set(wanted) == set(held) and all(_row_matches(wanted[key], held[key]) for key in wanted)
    if same:
        return None
    return SeatDifference(
        asked=tuple(asked),
        held=tuple(
            (item.section or "", item.row or "", item.start_seat or "", item.end_seat or "", item.num_seats)
            for item in cart.items
        ),
    )
