"""Event-side models: inventory rows (3.1), event details (3.2) and the event id (3.3).

``EventSummary.local_start`` is aware in the event's own time zone (naive only when the service
names no known zone); ``EventDetails.local_start`` converts the UTC event date into the venue's zone.
Event details keep what a cashier reads beside the sale: the event's ``notes`` (plain text, as the
venue wrote them), its Ticketmaster ``url`` and the venue's ``images`` (``seating_chart``: the
picture of the hall, for when no seat map can be drawn)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.partner._models_base import (
    dated_value,
    flag,
    integer_or_none,
    items,
    mapping,
    money,
    money_or_none,
    parse_instant,
    text,
)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        return None


@dataclass(frozen=True)
class EventOffer:
    rep_name: str | None
    ticket_type: str | None


@dataclass(frozen=True)
class EventSummary:
    """One row of ``GET /events``. ``local_start`` is aware, in the event's own time zone."""

    event_id: str
    event_code: str | None
    event_host: str | None
    event_date: str | None
    event_time: str | None
    time_zone: str | None
    local_start: datetime | None
    seat_location_map_restrict: bool
    loc_row_seat_restrict: bool
    loc_xnum_addesc_restrict: bool
    offers: tuple[EventOffer, ...]

    @classmethod
    def from_json(cls, data: Any) -> EventSummary:
        row = mapping(data)
        zone_name = text(row.get("timeZone"))
        event_date, event_time = text(row.get("eventDate")), text(row.get("eventTime"))
        local_start = None
        if event_date:
            try:
                day = date.fromisoformat(event_date)
                clock = time.fromisoformat(event_time) if event_time else time(0, 0)
                local_start = datetime.combine(day, clock, tzinfo=_zone(zone_name))
            except ValueError:
                local_start = None
        return cls(
            event_id=text(row.get("eventId")) or "",
            event_code=text(row.get("eventCode")),
            event_host=text(row.get("eventHost")),
            event_date=event_date,
            event_time=event_time,
            time_zone=zone_name,
            local_start=local_start,
            seat_location_map_restrict=flag(row.get("seatLocationMapRestrict")),
            loc_row_seat_restrict=flag(row.get("locRowSeatRestrict")),
            loc_xnum_addesc_restrict=flag(row.get("locXnumAddescRestrict")),
            offers=tuple(
                EventOffer(rep_name=text(o.get("repName")), ticket_type=text(o.get("ticketType")))
                for o in map(mapping, items(row.get("offers")))
            ),
        )

    @classmethod
    def list_from_json(cls, data: Any) -> tuple[EventSummary, ...]:
        return tuple(cls.from_json(row) for row in items(mapping(data).get("events")))


def event_id_from_json(data: Any) -> str:
    """``{"event": {"id": "…"}}`` (3.3) → the id."""
    return text(mapping(mapping(data).get("event")).get("id")) or ""


@dataclass(frozen=True)
class Presale:
    label: str | None
    starts: datetime | None
    ends: datetime | None


@dataclass(frozen=True)
class Area:
    id: str
    description: str | None
    price_ids: tuple[str, ...]


@dataclass(frozen=True)
class AreaGroup:
    label: str | None
    areas: tuple[Area, ...]


@dataclass(frozen=True)
class PriceLevel:
    id: str
    description: str | None
    amounts: tuple[Decimal, ...]
    area_ids: tuple[str, ...]


@dataclass(frozen=True)
class PriceDetail:
    type: str | None
    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class TicketPrice:
    price_id: str
    amount: Decimal | None
    display_amount: Decimal | None
    details: tuple[PriceDetail, ...]

    @property
    def face_value(self) -> Decimal | None:
        for detail in self.details:
            if detail.type == "face_value":
                return detail.amount
        return self.amount


@dataclass(frozen=True)
class Quantities:
    limit: int | None = None
    minimum: int | None = None
    multiple: int | None = None
    exact: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> Quantities:
        q = mapping(data)
        return cls(*(integer_or_none(q.get(k)) for k in ("limit", "minimum", "multiple", "exact")))


@dataclass(frozen=True)
class TicketType:
    id: str
    description: str | None
    area_ids: tuple[str, ...]
    prices: tuple[TicketPrice, ...]
    quantities: Quantities


@dataclass(frozen=True)
class PriceRange:
    min_display: Decimal | None
    max_display: Decimal | None
    description: str | None


@dataclass(frozen=True)
class VenueImage:
    """One of the venue's pictures (``type`` "seatingchart" is the hall's seating chart)."""

    type: str | None
    name: str | None
    location: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class EventNote:
    """A note the venue attached to the event (``type`` e.g. "webinfo"); ``text`` is plain text."""

    type: str | None
    text: str


@dataclass(frozen=True)
class Venue:
    id: str | None
    name: str | None
    city: str | None
    region: str | None
    country: str | None
    time_zone: str | None
    images: tuple[VenueImage, ...] = ()

    @property
    def seating_chart(self) -> VenueImage | None:
        """The venue's seating chart: its image of type "seatingchart", else None."""
        return next((i for i in self.images if (i.type or "").lower() == "seatingchart"), None)


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(text(mapping(x).get("id")) or "" for x in items(value))


def _ticket_type(data: Any) -> TicketType:
    t = mapping(data)
    prices = []
    for p in map(mapping, items(t.get("prices"))):
        details = tuple(
            PriceDetail(
                type=text(d.get("type")),
                amount=money(mapping(d.get("amount")).get("amount")),
                currency=text(mapping(d.get("amount")).get("currency")),
            )
            for d in map(mapping, items(p.get("price_details")))
        )
        prices.append(TicketPrice(
            price_id=text(p.get("id")) or "",
            amount=money_or_none(p.get("amount")),
            display_amount=money_or_none(p.get("display_amount")),
            details=details,
        ))
    return TicketType(
        id=text(t.get("id")) or "",
        description=text(t.get("description")),
        area_ids=_ids(t.get("areas")),
        prices=tuple(prices),
        quantities=Quantities.from_json(t.get("quantities")),
    )


@dataclass(frozen=True)
class EventDetails:
    """``GET /events/{id}``. ``onsale`` may be None: badly set-up events lack it."""

    event_id: str
    name: str | None
    currency: str | None
    api_transactable: bool
    event_date: datetime | None
    onsale: datetime | None
    offsale: datetime | None
    presales: tuple[Presale, ...]
    venue: Venue
    area_groups: tuple[AreaGroup, ...]
    prices: tuple[PriceLevel, ...]
    tickets: tuple[TicketType, ...]
    quantities: Quantities
    price_range: PriceRange | None
    criteria_groups: tuple[str, ...]
    url: str | None
    image_url: str | None
    notes: tuple[EventNote, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def time_zone(self) -> str | None:
        return self.venue.time_zone

    @property
    def ticketmaster_url(self) -> str:
        """Where a buyer can purchase instead: the event's own URL, else its ticketmaster.com page."""
        return self.url or f"https://www.ticketmaster.com/event/{self.event_id}"

    @property
    def local_start(self) -> datetime | None:
        zone = _zone(self.time_zone)
        if self.event_date is None or zone is None:
            return self.event_date
        return self.event_date.astimezone(zone)

    @classmethod
    def from_json(cls, data: Any) -> EventDetails:
        body = mapping(data)
        ev = mapping(body.get("event"))
        venue = mapping(ev.get("venue"))
        location = mapping(venue.get("location"))
        address = mapping(location.get("address"))
        presales = []
        for p in map(mapping, items(ev.get("presales"))):
            start, _, end = (text(p.get("value")) or "").partition("/")
            presales.append(Presale(label=text(p.get("label")), starts=parse_instant(start), ends=parse_instant(end)))
        price_range = None
        if ev.get("price_range") is not None:
            pr = mapping(ev.get("price_range"))
            price_range = PriceRange(
                min_display=money_or_none(mapping(pr.get("min")).get("display_amount")),
                max_display=money_or_none(mapping(pr.get("max")).get("display_amount")),
                description=text(pr.get("description")),
            )
        return cls(
            event_id=text(ev.get("id")) or "",
            name=text(ev.get("name")),
            currency=text(ev.get("currency_code")),
            api_transactable=flag(body.get("api_transactable"), default=True),
            event_date=dated_value(ev.get("eventdate")),
            onsale=dated_value(ev.get("onsale")),
            offsale=dated_value(ev.get("offsale")),
            presales=tuple(presales),
            venue=Venue(
                id=text(venue.get("id")),
                name=text(venue.get("name")),
                city=text(address.get("city")),
                region=text(mapping(address.get("region")).get("abbrev")),
                country=text(mapping(address.get("country")).get("abbrev")),
                time_zone=text(location.get("time_zone")),
                images=tuple(
                    VenueImage(type=text(i.get("type")), name=text(i.get("name")),
                               location=text(i.get("location")) or "", width=integer_or_none(i.get("width")),
                               height=integer_or_none(i.get("height")))
                    for i in map(mapping, items(venue.get("images"))) if text(i.get("location"))
                ),
            ),
            area_groups=tuple(
                AreaGroup(
                    label=text(g.get("label")),
                    areas=tuple(
                        Area(
                            id=text(a.get("id")) or "",
                            description=text(a.get("description")),
                            price_ids=_ids(a.get("prices")),
                        )
                        for a in map(mapping, items(g.get("areas")))
                    ),
                )
                for g in map(mapping, items(ev.get("area_groups")))
            ),
            prices=tuple(
                PriceLevel(
                    id=text(p.get("id")) or "",
                    description=text(p.get("description")),
                    amounts=tuple(money(a) for a in items(p.get("amounts"))),
                    area_ids=_ids(p.get("areas")),
                )
                for p in map(mapping, items(ev.get("prices")))
            ),
            tickets=tuple(_ticket_type(t) for t in items(ev.get("tickets"))),
            quantities=Quantities.from_json(ev.get("quantities")),
            price_range=price_range,
            criteria_groups=tuple(text(c) or "" for c in items(ev.get("criteria_groups"))),
            url=text(ev.get("url")),
            image_url=text(mapping(ev.get("event_image")).get("location")),
            notes=tuple(EventNote(type=text(n.get("type")), text=note)
                        for n in map(mapping, items(ev.get("notes"))) if (note := text(n.get("text")) or "").strip()),
            raw=body,
        )
