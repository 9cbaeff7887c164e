"""Seat-map geometry from an availability answer: pure Python, no Qt, so it runs off the GUI thread.

``compute_layout(availability)`` turns the inventory (only *free* seats are listed) into sections
placed around a stage or field:

- each section is a grid: rows front (nearest the stage) to back, seat columns left to right;
  the seat numbers missing between a section's free seats are drawn as taken seats, odd-only /
  even-only sections stay compact, and missing rows inside a lettered or numbered run become taken
  rows (the API never lists a sold-out row);
- sections are grouped into levels (``101``–``140`` → level 1, ``FLOOR``/``BALCONY`` by word) and
  each level is a ring around a field (big venues) or an arc in front of a stage (theatres) — where
  they go is ``placement``'s;
- every seat carries its pick key — its place id, or for a seat listed without one the key that
  names its section, row and seat (``app.checkout.seatpicks``); ``None`` for taken seats —, its
  price-level palette index and its names, and each section has a cell index so a point is hit-tested in O(1).

Coordinates are scene units; a seat pitch is ``PITCH``. Section-local coordinates have the origin
at the section's centre and +y pointing away from the stage; ``angle`` rotates them into the scene.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from typing import Any

from app.checkout.seatpicks import pick_keys
from app.gui.seatmap.placement import PITCH, bounds, level_of, level_order, natural_key, place_rings, section_order

SEAT = 8.0  # side of a drawn seat
GA_COLUMNS, GA_ROWS = 24, 8  # size of a general-admission block, in seats
TAKEN = -1  # seat kind of a taken / unavailable seat
SEAT_BITS, SEAT_MASK = 24, (1 << 24) - 1  # a place's (section, seat) packed into one int
NO_LEVEL = -2  # seat kind of a free seat whose price level is unknown

_ROW_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # venues skip I and O




@dataclass(frozen=True, slots=True)
class PriceLevelInfo:
    """One colour of the legend: a price level and the offers sold in it."""

    id: str | None
    index: int
    offer_names: tuple[str, ...]
    face_min: Decimal | None
    face_max: Decimal | None
    total_min: Decimal | None
    total_max: Decimal | None
    currency: str | None
    available: int


@dataclass(slots=True)
class SectionLayout:
    """One section: its seat grid (parallel arrays, one entry per seat) and its place in the scene."""

    name: str
    level: str
    row_names: list[str] = field(repr=False)
    columns: int
    seat_col: array = field(default_factory=lambda: array("H"), repr=False)
    seat_row: array = field(default_factory=lambda: array("H"), repr=False)
    seat_kind: array = field(default_factory=lambda: array("b"), repr=False)  # palette index, TAKEN or NO_LEVEL
    seat_place: tuple = field(default_factory=tuple, repr=False)  # place id or None
    seat_name: tuple = field(default_factory=tuple, repr=False)
    cells: array = field(default_factory=lambda: array("i"), repr=False)  # row * columns + col → seat index or -1
    available: int = 0
    general_admission: bool = False
    ga_available: int | None = None  # a standing area's free places, when the answer tells
    main_kind: int = NO_LEVEL
    centre_x: float = 0.0
    centre_y: float = 0.0
    angle: float = 0.0  # degrees, clockwise on screen
    row_names_both_sides: bool = True  # False in a full ring: one column of row names per aisle

    @property
    def width(self) -> float:
        return self.columns * PITCH

    @property
    def height(self) -> float:
        return len(self.row_names) * PITCH

    def seat_centre(self, index: int) -> tuple[float, float]:
        """A seat's centre in section-local coordinates."""
        return (
            (self.seat_col[index] - (self.columns - 1) / 2) * PITCH,
            (self.seat_row[index] - (len(self.row_names) - 1) / 2) * PITCH,
        )

    def seat_at(self, x: float, y: float) -> int:
        """The seat under a section-local point (within the drawn square), or -1."""
        if self.general_admission:
            return -1
        col_f = x / PITCH + (self.columns - 1) / 2
        row_f = y / PITCH + (len(self.row_names) - 1) / 2
        col, row = round(col_f), round(row_f)
        half = SEAT / PITCH / 2
        if not (0 <= col < self.columns and 0 <= row < len(self.row_names)):
            return -1
        if abs(col_f - col) > half or abs(row_f - row) > half:
            return -1
        return self.cells[row * self.columns + col]

    def seats_in_box(self, left: float, top: float, right: float, bottom: float) -> list[int]:
        """Seats whose centre lies in a section-local box (a candidate set for polygon tests)."""
        if self.general_admission:
            return []
        off_c, off_r = (self.columns - 1) / 2, (len(self.row_names) - 1) / 2
        c0, c1 = max(0, math.ceil(left / PITCH + off_c)), min(self.columns - 1, math.floor(right / PITCH + off_c))
        r0, r1 = (
            max(0, math.ceil(top / PITCH + off_r)),
            min(len(self.row_names) - 1, math.floor(bottom / PITCH + off_r)),
        )
        found = []
        for row in range(r0, r1 + 1):
            base = row * self.columns
            for col in range(c0, c1 + 1):
                seat = self.cells[base + col]
                if seat >= 0:
                    found.append(seat)
        return found


@dataclass(frozen=True, slots=True)
class SeatMapLayout:
    """Everything the map draws; built by ``compute_layout``."""

    sections: tuple[SectionLayout, ...] = field(repr=False)
    price_levels: tuple[PriceLevelInfo, ...]
    stage_label: str  # "STAGE" or "FIELD"
    stage_rect: tuple[float, float, float, float]  # x, y, w, h
    bounds: tuple[float, float, float, float]
    place_index: dict  # place id → section index << SEAT_BITS | seat index (see ``locate``)
    show_names: bool
    seat_count: int
    available: int
    event_id: str | None = None

    def locate(self, place: str) -> tuple[int, int] | None:
        """(section index, seat index) of a place id, or None if this map does not have it."""
        packed = self.place_index.get(place)
        return None if packed is None else (packed >> SEAT_BITS, packed & SEAT_MASK)


# ----- reading the inventory ------------------------------------------------------------------
def _ticket_level(ticket: Any) -> str | None:
    levels = [o.price_level_id for o in ticket.offers if o.price_level_id]
    return levels[0] if levels else None


def _price_levels(availability: Any) -> tuple[list[PriceLevelInfo], dict[str | None, int]]:
    ids: list[str] = []
    offers_by_level: dict[str, list] = {}
    for ticket in availability.tickets:
        for offer in ticket.offers:
            if offer.price_level_id is None:
                continue
            if offer.price_level_id not in offers_by_level:
                ids.append(offer.price_level_id)
                offers_by_level[offer.price_level_id] = []
            offers_by_level[offer.price_level_id].append(offer)
    ids.sort(key=natural_key)
    infos, index = [], {}
    for i, level_id in enumerate(ids):
        offers = offers_by_level[level_id]
        faces = [o.face_value for o in offers]
        totals = [o.total_per_ticket for o in offers]
        names = tuple(dict.fromkeys(o.offer_name or o.ticket_type_id for o in offers))
        infos.append(
            PriceLevelInfo(
                level_id,
                i,
                names,
                min(faces),
                max(faces),
                min(totals),
                max(totals),
                next((o.currency for o in offers if o.currency), None),
                0,
            )
        )
        index[level_id] = i
    return infos, index


def _collect(availability: Any, level_index: dict) -> tuple[dict, dict, list[str]]:
    """section → row → [(seat name → place id ("" if none given), kind), …] one chunk per ticket entry;
    GA sections → (kind, free count or None); sections in inventory order."""
    sections: dict[str, dict[str, list[tuple[dict[str, str], int]]]] = {}
    ga: dict[str, tuple | None] = {}
    order: list[str] = []
    for ticket in availability.tickets:
        kind = level_index.get(_ticket_level(ticket), NO_LEVEL)
        only_section = len({inv.section for inv in ticket.inventory}) == 1
        for inv in ticket.inventory:
            name = inv.section or "—"
            rows = sections.get(name)
            if rows is None:
                rows = sections[name] = {}
                order.append(name)
            if not inv.seats:
                if name not in ga:
                    ga[name] = (kind, ticket.available if only_section else None)
                continue
            ga[name] = None
            seats, places = inv.seats, pick_keys(inv)  # a seat without a place id is picked by its key
            rows.setdefault(inv.row or "", []).append((dict(zip(seats, places, strict=False)), kind))
    return sections, ga, order


def _fill_rows(names: list[str]) -> list[str]:
    """Rows missing inside a lettered or numbered run are sold out: put them back, in order."""
    if len(names) > 1 and all(n.isdigit() for n in names):
        numbers = sorted(int(n) for n in names)
        if numbers[-1] - numbers[0] < 4 * len(numbers) + 10:
            return [str(n) for n in range(numbers[0], numbers[-1] + 1)]
    if len(names) > 1 and all(len(n) == 1 and n in _ROW_LETTERS for n in names):
        first, last = (
            _ROW_LETTERS.index(min(names, key=_ROW_LETTERS.index)),
            _ROW_LETTERS.index(max(names, key=_ROW_LETTERS.index)),
        )
        return list(_ROW_LETTERS[first : last + 1])
    return sorted(names, key=natural_key)


def _columns(rows: dict[str, list[tuple[dict[str, str], int]]]) -> list[str]:
    """The section's seat columns: numbers from the lowest to the highest free seat, keeping to
    odd or even numbers when every free seat is; otherwise the free seats' names in order."""
    names = {seat for chunks in rows.values() for seats, _ in chunks for seat in seats}
    if names and all(n.isdigit() and n == str(int(n)) for n in names):
        numbers = sorted(int(n) for n in names)
        step = 2 if len(numbers) >= 3 and len({n % 2 for n in numbers}) == 1 else 1
        span = (numbers[-1] - numbers[0]) // step + 1
        longest = max(len(seats) for chunks in rows.values() for seats, _ in chunks)
        if span <= 4 * longest + 20:
            return [str(n) for n in range(numbers[0], numbers[-1] + 1, step)]
        return [str(n) for n in numbers]
    return sorted(names, key=natural_key)


def _build_section(name: str, rows: dict, general_admission: tuple | None, level_counts: list[int]) -> SectionLayout:
    if general_admission is not None or not rows:
        kind, count = general_admission or (NO_LEVEL, None)
        section = SectionLayout(
            name=name,
            level="",
            row_names=[""] * GA_ROWS,
            columns=GA_COLUMNS,
            general_admission=True,
            main_kind=kind,
            ga_available=count,
        )
        if count and kind >= 0:
            level_counts[kind] += count
        section.cells = array("i", [-1]) * (GA_ROWS * GA_COLUMNS)
        return section
    row_names = _fill_rows(list(rows))
    columns = _columns(rows)
    width = len(columns)
    section = SectionLayout(name=name, level="", row_names=row_names, columns=width)
    kinds, places = [], []
    taken_if_none = {None: TAKEN}
    for row_name in row_names:
        chunks = rows.get(row_name, [])
        if len(chunks) == 1:  # the usual case: one ticket entry lists the row (C-level maps, no loop per seat)
            seats, kind = chunks[0]
            got = list(map(seats.get, columns))
            kinds.extend(map(taken_if_none.get, got, repeat(kind)))
        else:
            got, row_kinds = [], []
            for seat in columns:
                hit = next(((chunk[seat], kind) for chunk, kind in chunks if seat in chunk), (None, TAKEN))
                got.append(hit[0])
                row_kinds.append(hit[1])
            kinds.extend(row_kinds)
        places.extend(got)
    # The grid is dense: seat i sits at row i // width, column i % width.
    section.seat_col = array("H", range(width)) * len(row_names)
    section.seat_row = array("H", b"".join(array("H", [r]).tobytes() * width for r in range(len(row_names))))
    section.seat_kind = array("b", kinds)
    # Tuples of strings: the garbage collector stops scanning them; lists it would scan every time.
    section.seat_place = tuple(places)
    section.seat_name = tuple(columns) * len(row_names)
    section.cells = array("i", range(len(kinds)))
    counts = Counter(kinds)
    counts.pop(TAKEN, None)
    section.available = sum(counts.values())
    if counts:
        section.main_kind = max(counts, key=lambda k: (counts[k], -k))
    for kind, count in counts.items():
        if kind >= 0:
            level_counts[kind] += count
    return section


def compute_layout(availability: Any, *, show_names: bool = True) -> SeatMapLayout:
    """The whole map for an ``app.partner.models.Availability``. Pure Python; call it off the GUI thread."""
    infos, level_index = _price_levels(availability)
    by_section, ga, order = _collect(availability, level_index)
    level_counts = [0] * len(infos)
    sections = [_build_section(name, by_section[name], ga.get(name), level_counts) for name in order]
    first_seen: dict[str, int] = {}
    for s in sections:
        s.level = level_of(s.name)
        first_seen.setdefault(s.level, len(first_seen))
    rings = []
    for level in level_order(first_seen, first_seen):
        rings.append(sorted((s for s in sections if s.level == level), key=section_order))
    sections = [s for ring in rings for s in ring]
    stage_label, stage = place_rings(rings) if rings else ("STAGE", (-10 * PITCH, 0.0, 20 * PITCH, 4 * PITCH))
    place_index = {}
    for si, s in enumerate(sections):
        base = si << SEAT_BITS  # ints, not tuples: an all-atomic dict the garbage collector skips
        place_index.update(zip(s.seat_place, range(base, base + len(s.seat_place)), strict=False))
    place_index.pop(None, None)  # taken seats (the last duplicate of a place wins, as before)
    infos = [
        PriceLevelInfo(
            i.id,
            i.index,
            i.offer_names,
            i.face_min,
            i.face_max,
            i.total_min,
            i.total_max,
            i.currency,
            level_counts[i.index],
        )
        for i in infos
    ]
    return SeatMapLayout(
        sections=tuple(sections),
        price_levels=tuple(infos),
        stage_label=stage_label,
        stage_rect=stage,
        bounds=bounds(sections, stage),
        place_index=place_index,
        show_names=show_names,
        seat_count=sum(len(s.seat_kind) for s in sections),
        available=sum(s.available + (s.ga_available or 0) for s in sections),
        event_id=getattr(availability, "event_id", None),
    )
