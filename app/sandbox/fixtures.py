"""The sandbox's fixture events: venues, seat maps, ticket types and prices, built from a seed.

Every event id in the README's fixture table is defined here. The same seed always gives the same
names, prices, seat maps, place ids and pre-sold seats; dates are placed relative to the sandbox
clock's current day so events stay in the future. Seat maps are compact: a seat is an index into
its event's map, rows are ranges of indices, and a place id encodes the index (no lookup table),
so the 62,400-seat stadium builds in milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import random
import struct
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

TEST_PURCHASE_EVENT = "000051048D991EE7"
LONDON_EVENT = "1AeZZfEGkD0xtGV"
TEST_CARD_EVENT = "2000527EE48A9334"
CAPTCHA_EVENT = "3B00C4A7C0DE0001"
NOT_TRANSACTABLE_EVENT = "3B00NOAPI0000002"
HIDDEN_EVENT = "3B00HIDDEN000003"
NO_ONSALE_EVENT = "3B00NOONSALE0004"
NO_BARCODE_EVENT = "3B00NOBARCODE005"
GA_EVENT = "3B00GENADMIT0006"
STADIUM_EVENT = "3B00STADIUM00007"
NO_PLACES_EVENT = "3B00NOPLACES0008"


@dataclass(frozen=True)
class ShippingOption:
    id: str  # opaque, as upstream: a client must never read anything into it
    carrier: str
    service_level: str
    description: str
    fee: Decimal


# Delivery methods by the sandbox's own name for them; the ids a client sees are made per event.
DELIVERY_METHODS = {
    "eticket": ("TICKETMASTER", "ETICKET", "Mobile Entry", Decimal("0.00")),
    "mail": ("USPS", "MAIL", "US Postal Mail", Decimal("0.50")),
    "airmail": ("USPS", "AIRMAIL", "US Postal Air Mail", Decimal("0.50")),
    "willcall": ("TICKETMASTER", "WILLCALL", "Will Call at the box office", Decimal("2.50")),
    "royalmail": ("ROYALMAIL", "MAIL", "Royal Mail First Class", Decimal("1.50")),
    "auspost": ("AUSPOST", "EXPRESS", "Australia Post Express", Decimal("7.95")),
}


def shipping_id(seed: int, event_id: str, method: str) -> str:
    """A long opaque id (32 URL-safe characters), the same for the same seed, event and method."""
    digest = hashlib.blake2b(f"{seed}:{event_id}:shipping:{method}".encode(), digest_size=24).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def shipping_options(seed: int, event_id: str, methods: tuple[str, ...]) -> dict[str, ShippingOption]:
    """The event's delivery options by their opaque id, in the order they are offered."""
    options = {}
    for method in methods:
        option = ShippingOption(shipping_id(seed, event_id, method), *DELIVERY_METHODS[method])
        options[option.id] = option
    return options


@dataclass(frozen=True)
class PriceLevel:
    id: int
    description: str
    face_value: Decimal
    facility_fee: Decimal
    service_fee: Decimal


@dataclass(frozen=True)
class TicketType:
    id: str  # string with leading zeros, never a number
    description: str  # the offer name, e.g. "GPAS1"
    name: str
    factor: Decimal  # share of the price level's face value
    limit: int


@dataclass(frozen=True)
class Area:
    id: int
    name: str
    description: str
    group: str


@dataclass(frozen=True)
class Section:
    name: str
    level_id: int
    area_ids: tuple[int, ...]
    ga: bool = False


@dataclass(frozen=True)
class Row:
    section: int  # index into SeatMap.sections
    name: str
    first: int  # index of the row's first seat in the event's seat map
    count: int
    start: int  # number of the first seat
    step: int  # 1, or 2 for odd-only / even-only rows

    def number(self, index: int) -> int:
        return self.start + self.step * (index - self.first)


@dataclass
class SeatMap:
    sections: list[Section] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    _firsts: list[int] = field(default_factory=list)
    size: int = 0

    def add_row(self, section: int, name: str, count: int, start: int = 1, step: int = 1) -> None:
        self.rows.append(Row(section, name, self.size, count, start, step))
        self._firsts.append(self.size)
        self.size += count

    def row_of(self, index: int) -> Row:
        return self.rows[bisect_right(self._firsts, index) - 1]


@dataclass
class Event:
    id: str
    ordinal: int
    code: str
    host: str
    name: str
    venue_id: int
    venue_name: str
    city: str
    region: str
    country: str
    time_zone: str
    currency: str
    starts_at: datetime  # aware, UTC
    onsale: datetime | None
    offsale: datetime
    restrict_single: bool
    ticket_limit: int
    api_transactable: bool = True
    internet_enabled: bool = True
    barcodes: bool = True
    captcha: bool = False
    ga: bool = False
    # Sections whose seats availability lists without place ids (as the documented example's second
    # ticket group): they are named by section, row and seat numbers in a reserve, never by place.
    placeless_sections: frozenset[str] = frozenset()
    shipping: dict[str, ShippingOption] = field(default_factory=dict)  # opaque id -> option, offered order
    levels: dict[int, PriceLevel] = field(default_factory=dict)
    ticket_types: list[TicketType] = field(default_factory=list)
    areas: dict[int, Area] = field(default_factory=dict)
    seatmap: SeatMap = field(default_factory=SeatMap)
    presold: bytes = b""
    place_salt: bytes = b""
    _places: list[str] | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def ticket_type(self, ticket_id: str) -> TicketType | None:
        return next((t for t in self.ticket_types if t.id == ticket_id), None)

    def face_value(self, ticket: TicketType, level: PriceLevel) -> Decimal:
        return (level.face_value * ticket.factor).quantize(Decimal("0.01"))

    def place_id(self, index: int) -> str:
        digest = hashlib.blake2s(self.place_salt + struct.pack(">I", index), digest_size=3).digest()
        raw = struct.pack(">B", self.ordinal) + self.place_salt[:3] + struct.pack(">I", index)[1:] + digest
        return base64.b32encode(raw).decode().rstrip("=")

    def places(self) -> list[str]:
        """Every seat's place id, computed once per event."""
        if self._places is None:
            self._places = [self.place_id(i) for i in range(self.seatmap.size)]
        return self._places

    def has_place(self, index: int) -> bool:
        """False for a seat availability lists without a place id."""
        seatmap = self.seatmap
        return seatmap.sections[seatmap.row_of(index).section].name not in self.placeless_sections

    def seat_of_place(self, place: str) -> int | None:
        """The seat index a place id names, or None for anything this event did not issue."""
        if not isinstance(place, str) or len(place) != 16:
            return None
        try:
            raw = base64.b32decode(place.upper())
        except (ValueError, TypeError):
            return None
        index = struct.unpack(">I", b"\0" + raw[4:7])[0]
        if index >= self.seatmap.size or self.place_id(index) != place or not self.has_place(index):
            return None
        return index


# ----- layouts -----------------------------------------------------------------------------
def _row_names(count: int) -> list[str]:
    letters = [c for c in "ABCDEFGHJKLMNPQRSTUVWXYZ"]  # no I or O, as in most venues
    names = list(letters)
    names += [a + a for a in letters]
    return names[:count]


def _add_section(seatmap: SeatMap, section: Section, rows: int, seats: int, numbering: str = "seq") -> None:
    seatmap.sections.append(section)
    index = len(seatmap.sections) - 1
    if section.ga:
        seatmap.add_row(index, "", seats)
        return
    start, step = {"seq": (1, 1), "odd": (1, 2), "even": (2, 2)}[numbering]
    for name in _row_names(rows) if rows <= 24 else [str(n) for n in range(1, rows + 1)]:
        seatmap.add_row(index, name, seats, start, step)


def _theater(seatmap: SeatMap, scale: int) -> None:
    """Orchestra and mezzanine: centre sections numbered 1.., side sections odd / even only."""
    orch, mezz, centre, left, right = 0, 2, 3, 7, 6
    # Listed best first: best available walks sections in this order, front rows first.
    _add_section(seatmap, Section("102", 1, (orch, centre)), 10 * scale, 24)
    _add_section(seatmap, Section("101", 2, (orch, left)), 10 * scale, 12, "odd")
    _add_section(seatmap, Section("103", 2, (orch, right)), 10 * scale, 12, "even")
    _add_section(seatmap, Section("202", 2, (mezz, centre)), 4 * scale, 20)
    _add_section(seatmap, Section("201", 3, (mezz, left)), 4 * scale, 12, "odd")
    _add_section(seatmap, Section("203", 3, (mezz, right)), 4 * scale, 12, "even")


THEATER_AREAS = {
    0: Area(0, "ORCH", "Orchestra", "Section"),
    2: Area(2, "MEZZ", "Mezzanine", "Section"),
    3: Area(3, "CENTER", "Center Section", "Side"),
    7: Area(7, "LEFT", "Left Center Section", "Side"),
    6: Area(6, "RIGHT", "Right Center Section", "Side"),
}


def _stadium(seatmap: SeatMap) -> None:
    for n in range(101, 141):
        level = 1 if 106 <= n <= 115 or 126 <= n <= 135 else 2
        _add_section(seatmap, Section(str(n), level, (1,)), 20, 18)
    for n in range(201, 241):
        _add_section(seatmap, Section(str(n), 3, (2,)), 15, 20)
    for n in range(301, 341):
        _add_section(seatmap, Section(str(n), 4, (3,)), 30, 30)


STADIUM_AREAS = {
    1: Area(1, "LOWER", "Lower Level", "Level"),
    2: Area(2, "CLUB", "Club Level", "Level"),
    3: Area(3, "UPPER", "Upper Level", "Level"),
}


def _general_admission(seatmap: SeatMap) -> None:
    _add_section(seatmap, Section("FLOOR", 1, (1,), ga=True), 1, 800)
    _add_section(seatmap, Section("BALCONY", 2, (2,), ga=True), 1, 300)


GA_AREAS = {1: Area(1, "FLOOR", "Standing Floor", "Section"), 2: Area(2, "BALC", "Balcony", "Section")}


# ----- the fixture table --------------------------------------------------------------------
_EVENTS = [
    # id, code, host, name, venue id, venue, city, region, country, tz, currency, days, local time, layout, extras
    (TEST_PURCHASE_EVENT, "ESBX0001", "NY1", "Sandbox Test Purchase Night", 237685, "The Grand Theater",
     "New York", "NY", "US", "America/New_York", "USD", 21, time(19, 30), "theater3",
     dict(restrict_single=True, delivery=("eticket", "mail", "willcall"))),
    (LONDON_EVENT, "ELON0626", "LON", "An Evening of Chamber Music", 410022, "Wigmore Rooms",
     "London", "LND", "GB", "Europe/London", "GBP", 30, time(19, 0), "theater2",
     dict(delivery=("eticket", "royalmail"))),
    (TEST_CARD_EVENT, "ELAX0527", "LA1", "Test Card Showcase", 118204, "Pacific Concert Hall",
     "Los Angeles", "CA", "US", "America/Los_Angeles", "USD", 14, time(20, 0), "theater2",
     dict(delivery=("eticket", "mail", "airmail", "willcall"))),
    (CAPTCHA_EVENT, "ESYD0001", "SYD", "Harbour Lights Festival", 501177, "Harbourside Arena",
     "Sydney", "NSW", "AU", "Australia/Sydney", "AUD", 40, time(19, 30), "theater2",
     dict(captcha=True, delivery=("eticket", "auspost"))),
    (NOT_TRANSACTABLE_EVENT, "ECHI0002", "CHI", "Box Office Only Matinee", 220901, "Lakeshore Auditorium",
     "Chicago", "IL", "US", "America/Chicago", "USD", 18, time(14, 0), "theater2",
     dict(api_transactable=False, delivery=("eticket",))),
    (HIDDEN_EVENT, "EDEN0003", "DEN", "Private Rehearsal", 330412, "Mile High Studio",
     "Denver", "CO", "US", "America/Denver", "USD", 25, time(18, 0), "theater2",
     dict(internet_enabled=False, api_transactable=False, delivery=("willcall",))),
    (NO_ONSALE_EVENT, "ENYC0004", "NY1", "Jazz at Midnight", 237690, "Blue Room",
     "New York", "NY", "US", "America/New_York", "USD", 35, time(23, 0), "theater2",
     dict(has_onsale=False, delivery=("eticket", "willcall"))),
    (NO_BARCODE_EVENT, "ELAX0005", "LA1", "Vintage Film Night", 118210, "Sunset Cinema",
     "Los Angeles", "CA", "US", "America/Los_Angeles", "USD", 9, time(21, 0), "theater2",
     dict(barcodes=False, delivery=("willcall",))),
    (GA_EVENT, "EBER0006", "BER", "Warehouse Sessions", 620331, "Halle am Kanal",
     "Berlin", "BE", "DE", "Europe/Berlin", "EUR", 12, time(22, 0), "ga",
     dict(ga=True, ticket_limit=6, delivery=("eticket",))),
    (STADIUM_EVENT, "ECHI0007", "CHI", "Championship Final", 220950, "Lakefront Stadium",
     "Chicago", "IL", "US", "America/Chicago", "USD", 45, time(18, 30), "stadium",
     dict(ticket_limit=8, delivery=("eticket", "mail", "willcall"))),
    (NO_PLACES_EVENT, "ETOR0008", "TOR", "Spring Recital", 730118, "Old Town Hall",
     "Toronto", "ON", "CA", "America/Toronto", "CAD", 28, time(19, 30), "theater2",
     dict(placeless_sections=frozenset({"201", "202", "203"}), delivery=("eticket", "willcall"))),
]

_LEVELS = {
    "theater3": [("Price Level 1", "89.50"), ("Price Level 2", "65.00"), ("Price Level 3", "42.00")],
    "theater2": [("Price Level 1", "75.00"), ("Price Level 2", "55.00"), ("Price Level 3", "35.00")],
    "stadium": [("Field Side", "150.00"), ("Lower End", "110.00"), ("Club", "85.00"), ("Upper", "45.00")],
    "ga": [("Floor", "60.00"), ("Balcony", "45.00")],
}


def _event_date(clock_now: datetime, days: int, local: time, tz: str) -> datetime:
    zone = ZoneInfo(tz)
    day = clock_now.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, local, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def build_events(seed: int, clock_now: datetime) -> dict[str, Event]:
    """All fixture events for ``seed``, keyed by id, in the table's order."""
    events: dict[str, Event] = {}
    for ordinal, row in enumerate(_EVENTS, start=1):
        (event_id, code, host, name, venue_id, venue, city, region, country, tz, currency, days, local,
         layout, extras) = row
        rng = random.Random(f"{seed}:{event_id}")
        extras = dict(extras)
        has_onsale = extras.pop("has_onsale", True)
        starts = _event_date(clock_now, days, local, tz)
        levels = {}
        for level_id, (description, base) in enumerate(_LEVELS[layout], start=1):
            face = (Decimal(base) + Decimal(rng.randrange(0, 5)) * Decimal("2.50")).quantize(Decimal("0.01"))
            facility = Decimal(rng.choice(("0.00", "1.50", "3.00", "4.25")))
            service = (face * Decimal("0.12")).quantize(Decimal("0.01"))
            levels[level_id] = PriceLevel(level_id, description, face, facility, service)
        prefix = f"0000{ordinal:02d}04"
        ticket_limit = extras.pop("ticket_limit", 10)
        shipping = shipping_options(seed, event_id, extras.pop("delivery"))
        ticket_types = [TicketType(prefix + "0006", "GPAS1", "Adult", Decimal("1"), ticket_limit),
                        TicketType(prefix + "0007", "GPAS1J", "Child", Decimal("0.80"), min(4, ticket_limit))]
        seatmap = SeatMap()
        if layout.startswith("theater"):
            _theater(seatmap, int(layout[-1]) - 1 if layout == "theater2" else 2)
            areas = THEATER_AREAS
        elif layout == "stadium":
            _stadium(seatmap)
            areas = STADIUM_AREAS
        else:
            _general_admission(seatmap)
            areas = GA_AREAS
        share = rng.choice((0.08, 0.12, 0.18))
        presold = bytes(1 if rng.random() < share else 0 for _ in range(seatmap.size))
        events[event_id] = Event(
            id=event_id, ordinal=ordinal, code=code, host=host, name=name, venue_id=venue_id,
            venue_name=venue, city=city, region=region, country=country, time_zone=tz, currency=currency,
            starts_at=starts, onsale=(clock_now - timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
            if has_onsale else None,
            offsale=starts - timedelta(hours=3), restrict_single=extras.pop("restrict_single", False),
            ticket_limit=ticket_limit, levels=levels, ticket_types=ticket_types, areas=dict(areas),
            seatmap=seatmap, presold=presold, shipping=shipping,
            place_salt=hashlib.blake2s(f"{seed}:{event_id}".encode(), digest_size=3).digest(), **extras)
    return events
