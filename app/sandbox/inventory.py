"""Seat inventory: which seats are free, held by a cart or sold, and how seats are picked.

One lock guards every state change, so two carts can never hold or buy the same seat. Picking
follows the Partner API's reserve options: exact place ids, an exact section/row/seat range, or
best available (optionally within price levels, areas, a section or a row), honouring
``restrictSingle`` (never strand one free seat in a row) and falling back to best available when
the exact seats are gone and ``accept_best_available`` allows it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from .errors import INVALID_INPUT, NO_INVENTORY, SandboxError
from .fixtures import Event

FREE, HELD, SOLD, UNAVAILABLE = 0, 1, 2, 3
_FREE_RUN = re.compile(rb"\x00+")


@dataclass
class SeatRequest:
    quantity: int
    level_ids: frozenset[int] | None = None
    area_ids: frozenset[int] | None = None
    places: list[str] | None = None
    section: str | None = None
    row: str | None = None
    begin_seat: int | None = None
    end_seat: int | None = None
    accept_best_available: bool = True


class Inventory:
    def __init__(self, events: dict[str, Event]) -> None:
        self.lock = threading.RLock()
        self.events = events
        # Pre-sold seats (sold before the sandbox started) are UNAVAILABLE, not counted as sold here.
        self.state = {eid: bytearray(UNAVAILABLE if b else FREE for b in ev.presold) for eid, ev in events.items()}
        self.held = {eid: 0 for eid in events}
        self.sold = {eid: 0 for eid in events}

    # ----- state changes ---------------------------------------------------------------------
    def release(self, event_id: str, seats: list[int]) -> None:
        with self.lock:
            state = self.state[event_id]
            for index in seats:
                if state[index] == HELD:
                    state[index] = FREE
                    self.held[event_id] -= 1

    def sell(self, event_id: str, seats: list[int]) -> None:
        with self.lock:
            state = self.state[event_id]
            if any(state[i] != HELD for i in seats):
                raise SandboxError(NO_INVENTORY, "Seats are no longer held by this cart")
            for index in seats:
                state[index] = SOLD
            self.held[event_id] -= len(seats)
            self.sold[event_id] += len(seats)

    def sold_before(self, event_id: str, seats: list[int]) -> None:
        """Seats an order of a past run sold (``app.sandbox.memory``): sold again, wherever free."""
        with self.lock:
            state = self.state[event_id]
            for index in seats:
                if 0 <= index < len(state) and state[index] == FREE:
                    state[index] = SOLD
                    self.sold[event_id] += 1

    def hold(self, event: Event, request: SeatRequest) -> list[int]:
        """Pick and hold seats for ``request``; raises 20052 when nothing fits."""
        with self.lock:
            seats = self._pick(event, request)
            state = self.state[event.id]
            for index in seats:
                state[index] = HELD
            self.held[event.id] += len(seats)
            return seats

    # ----- counting --------------------------------------------------------------------------
    def free_count(self, event_id: str) -> int:
        with self.lock:
            return self.state[event_id].count(FREE)

    def snapshot(self, event_id: str) -> bytes:
        with self.lock:
            return bytes(self.state[event_id])

    # ----- picking ---------------------------------------------------------------------------
    def _pick(self, event: Event, request: SeatRequest) -> list[int]:
        exact: list[int] | None = None
        reason = "The requested seats are not available"
        if request.places:
            exact = self._seats_for_places(event, request)
        elif request.begin_seat is not None or request.end_seat is not None:
            exact = self._seats_for_range(event, request)
        if exact is not None:
            if self._exact_ok(event, exact):
                return exact
            if not request.accept_best_available:
                raise SandboxError(NO_INVENTORY, reason)
            request = SeatRequest(request.quantity, request.level_ids, request.area_ids)
        seats = self._best_available(event, request)
        if seats is None:
            raise SandboxError(NO_INVENTORY)
        return seats

    def _seats_for_places(self, event: Event, request: SeatRequest) -> list[int]:
        seats = []
        for place in request.places or []:
            index = event.seat_of_place(place)
            if index is None:
                raise SandboxError(NO_INVENTORY, f"Unknown place id {str(place)[:40]}")
            seats.append(index)
        if len(set(seats)) != len(seats):
            raise SandboxError(INVALID_INPUT, "places lists the same seat twice")
        if len(seats) != request.quantity:
            raise SandboxError(INVALID_INPUT, "places must list exactly as many seats as the tickets' total quantity")
        return seats

    def _seats_for_range(self, event: Event, request: SeatRequest) -> list[int]:
        """The consecutive seats begin_seat..end_seat of one row (every other number in an odd- or
        even-numbered row); both ends must be seats of that row."""
        if request.section is None or request.row is None or request.begin_seat is None or request.end_seat is None:
            raise SandboxError(INVALID_INPUT, "section, row, begin_seat and end_seat go together")
        if request.begin_seat > request.end_seat:
            raise SandboxError(INVALID_INPUT, "begin_seat must not be after end_seat")
        seatmap = event.seatmap
        for row in seatmap.rows:
            section = seatmap.sections[row.section]
            if section.ga or section.name != request.section or row.name != request.row:
                continue
            numbers = {row.number(i): i for i in range(row.first, row.first + row.count)}
            for end in (request.begin_seat, request.end_seat):
                if end not in numbers:
                    raise SandboxError(NO_INVENTORY, f"Row {row.name} of section {section.name} has no seat {end}")
            seats = [i for number, i in numbers.items() if request.begin_seat <= number <= request.end_seat]
            if len(seats) != request.quantity:
                raise SandboxError(INVALID_INPUT, "begin_seat..end_seat must hold exactly the tickets' total quantity")
            return seats
        raise SandboxError(NO_INVENTORY, "No such section and row")

    def _exact_ok(self, event: Event, seats: list[int]) -> bool:
        state = self.state[event.id]
        if any(state[i] != FREE for i in seats):
            return False
        if not event.restrict_single or event.ga:
            return True
        chosen = set(seats)
        for index in seats:
            row = event.seatmap.row_of(index)
            for neighbour in (index - 1, index + 1):
                if (row.first <= neighbour < row.first + row.count and neighbour not in chosen
                        and state[neighbour] == FREE and self._would_strand(state, row, neighbour, chosen)):
                    return False
        return True

    @staticmethod
    def _would_strand(state: bytearray, row, index: int, chosen: set[int]) -> bool:
        """True when ``index`` would be a lone free seat once ``chosen`` is taken."""
        for neighbour in (index - 1, index + 1):
            if row.first <= neighbour < row.first + row.count and neighbour not in chosen and state[neighbour] == FREE:
                return False
        return True

    def _section_matches(self, event: Event, section_index: int, request: SeatRequest) -> bool:
        section = event.seatmap.sections[section_index]
        if request.level_ids is not None and section.level_id not in request.level_ids:
            return False
        if request.area_ids is not None and not request.area_ids.intersection(section.area_ids):
            return False
        return not (request.section is not None and section.name != request.section)

    def _best_available(self, event: Event, request: SeatRequest) -> list[int] | None:
        state = self.state[event.id]
        quantity = request.quantity
        if event.ga:
            seats: list[int] = []
            for row in event.seatmap.rows:
                if not self._section_matches(event, row.section, request):
                    continue
                block = state[row.first:row.first + row.count]
                for match in _FREE_RUN.finditer(block):
                    take = min(quantity - len(seats), match.end() - match.start())
                    seats.extend(range(row.first + match.start(), row.first + match.start() + take))
                    if len(seats) == quantity:
                        return seats
            return None
        for row in event.seatmap.rows:
            if request.row is not None and row.name != request.row:
                continue
            if not self._section_matches(event, row.section, request):
                continue
            block = state[row.first:row.first + row.count]
            for match in _FREE_RUN.finditer(block):
                length = match.end() - match.start()
                if length < quantity or (event.restrict_single and length - quantity == 1):
                    continue
                start = row.first + match.start()
                return list(range(start, start + quantity))
        return None
