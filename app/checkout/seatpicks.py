"""Exact seats as the cashier picks them — with or without place ids — and how a reserve names them.

Availability gives most free seats a place id (``places[i]`` of ``seats[i]``), and a reserve naming
exact seats sends those ids (``places``, preferred). The documented availability example also lists
seats *without* place ids; the reserve body has a second way to name exact seats for them:
``section``, ``row``, ``begin_seat`` and ``end_seat`` — the consecutive seats of one row.

- ``pick_keys(row)``: what stands for each free seat of an inventory row when it is picked — its
  place id, or, for a seat without one, a *seat key* naming its section, row and seat (``seat_key``;
  place ids are letters and digits only, so a seat key is never taken for one). The seat map, the
  inventory table and the rules below all use these keys.
- ``pick_problem(availability, picks)``: why the picks cannot be reserved together (None when they
  can): seats without place ids go as one run — one row, seat numbers, side by side (every other
  number where a section's seats are odd- or even-numbered only, as the map draws them) — and not
  mixed with seats that have place ids.
- ``exact_seats_request(...)``: the reserve for the picks — ``places`` when every pick has a place
  id, else ``section``/``row``/``begin_seat``/``end_seat`` — with ``asked_seats`` so that other seats
  held instead are noticed (``seats.seat_difference``).
- ``run_picks(availability, section, row, begin, end)``: the picks for the seats ``begin``..``end``
  of one row (the CLI's ``--section/--row/--seats``), each of which must be free.

The window and the command line both ask these; no Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from app.partner.models import Availability, InventoryRow, ReserveRequest, SeatRef, TicketRequest

from .errors import CheckoutError

_PREFIX = "seat\x1f"  # never the start of a place id (those are letters and digits)
_SEP = "\x1f"


class SeatPickProblem(CheckoutError):
    """Picked seats that cannot be reserved together; ``str()`` says why, plainly."""


def seat_key(section: str | None, row: str | None, seat: str) -> str:
    """The pick key of a free seat that has no place id."""
    return f"{_PREFIX}{section or ''}{_SEP}{row or ''}{_SEP}{seat}"


def seat_of_key(key: str) -> SeatRef | None:
    """The seat a seat key names (None for a place id)."""
    if not key.startswith(_PREFIX):
        return None
    section, row, seat = key[len(_PREFIX):].split(_SEP, 2)
    return SeatRef(section, row, seat)


def pick_keys(row: InventoryRow) -> tuple[str, ...]:
    """One pick key per seat of ``row`` (``row.places`` itself when every seat has its place id)."""
    places = row.places
    if len(places) == len(row.seats) and all(places):
        return places
    return tuple(places[i] if i < len(places) and places[i] else seat_key(row.section, row.row, seat)
                 for i, seat in enumerate(row.seats))


def _number(seat: str) -> int | None:
    text = str(seat).strip()
    return int(text) if text.isdigit() else None


def _step(availability: Availability, section: str) -> int:
    """2 where the section's free seats are all odd- or all even-numbered (side sections), else 1 —
    the same reading as the seat map's columns."""
    numbers = {n for t in availability.tickets for r in t.inventory if (r.section or "") == section
               for n in map(_number, r.seats) if n is not None}
    return 2 if len(numbers) >= 3 and len({n % 2 for n in numbers}) == 1 else 1


def _run(availability: Availability, seats: Sequence[SeatRef]) -> tuple[SeatRef, ...]:
    """``seats`` (without place ids) as one run of a row, in seat order, or ``SeatPickProblem``."""
    rows = {(s.section, s.row) for s in seats}
    if len(rows) > 1:
        raise SeatPickProblem("Seats without place ids are reserved together only within one row: "
                              "pick seats of one row, side by side.")
    numbered = [(n, s) for s in seats if (n := _number(s.seat)) is not None]
    if len(numbered) != len(seats):
        raise SeatPickProblem("These seats have neither place ids nor seat numbers, so they cannot be "
                              "picked exactly; sell best available.")
    ordered = sorted(numbered, key=lambda pair: pair[0])
    step = _step(availability, seats[0].section)
    values = [n for n, _ in ordered]
    if len(set(values)) != len(values) or any(b - a != step for a, b in pairwise(values)):
        raise SeatPickProblem(f"Seats without place ids are reserved as a run: pick seats side by side in "
                              f"row {seats[0].row} (no gap between them).")
    return tuple(s for _, s in ordered)


def _split(picks: Iterable[str]) -> tuple[list[str], list[SeatRef]]:
    places, seats = [], []
    for key in picks:
        seat = seat_of_key(key)
        if seat is None:
            places.append(key)
        else:
            seats.append(seat)
    return places, seats


def pick_problem(availability: Availability | None, picks: Sequence[str]) -> str | None:
    """Why ``picks`` cannot be reserved together (None when they can, or nothing is picked)."""
    places, seats = _split(picks)
    if not seats or availability is None:
        return None
    if places:
        return ("Seats without place ids are reserved on their own: pick either them or seats with place ids "
                "for one sale.")
    try:
        _run(availability, seats)
    except SeatPickProblem as exc:
        return str(exc)
    return None


def exact_seats_request(availability: Availability, picks: Sequence[str], *, ticket_type_id: str,
                        accept_best_available: bool | None, asked_for_places: Sequence[SeatRef] = ()
                        ) -> ReserveRequest:
    """The reserve for ``picks`` (``SeatPickProblem`` when they cannot go together). For place ids,
    ``asked_for_places`` are the seats they stand for (the caller looks them up)."""
    problem = pick_problem(availability, picks)
    if problem:
        raise SeatPickProblem(problem)
    places, seats = _split(picks)
    if not seats:
        return ReserveRequest.simple(ticket_type_id, len(places), places=places, asked_seats=tuple(asked_for_places),
                                     accept_best_available=accept_best_available)
    run = _run(availability, seats)
    return ReserveRequest(
        tickets=(TicketRequest(ticket_type_id, len(run)),),
        section=run[0].section, row=run[0].row, begin_seat=run[0].seat, end_seat=run[-1].seat,
        accept_best_available=accept_best_available, asked_seats=run,
    )


def run_picks(availability: Availability, section: str, row: str, begin: int, end: int, *,
              ticket_type_id: str | None = None) -> tuple[str, ...]:
    """The pick keys of seats ``begin``..``end`` of one row (every seat of the run must be free,
    for ``ticket_type_id`` when given), or ``SeatPickProblem``."""
    if begin > end:
        raise SeatPickProblem(f"The seats run from the lower number to the higher: {end}-{begin}, not {begin}-{end}.")
    found: dict[int, str] = {}
    for tickets in availability.tickets:
        if ticket_type_id and not any(o.ticket_type_id == ticket_type_id for o in tickets.offers):
            continue
        for line in tickets.inventory:
            if (line.section or "") != section or (line.row or "") != row:
                continue
            for seat, key in zip(line.seats, pick_keys(line), strict=True):
                number = _number(seat)
                if number is not None and begin <= number <= end:
                    found.setdefault(number, key)
    step = _step(availability, section)
    wanted = range(begin, end + 1, step) if begin % step == end % step else range(begin, end + 1)
    missing = [n for n in wanted if n not in found]
    if missing:
        shown = ", ".join(map(str, missing[:4])) + (" …" if len(missing) > 4 else "")
        raise SeatPickProblem(f"Not every seat from {begin} to {end} in section {section}, row {row} is free "
                              f"(not free: {shown}). Pick other seats.")
    return tuple(found[n] for n in wanted)
