"""Availability models (partner-api.md 3.4): ticket types with their free seats and offers.

A stadium answer holds 60,000+ seats; the client parses it on a worker thread, and these models
keep it compact (tuples of strings) and display-ready (``Offer.total_per_ticket``).
``Availability.from_body(bytes)`` decodes the JSON in steps (``loads_in_steps``): ``json.loads`` of a
1.5 MB answer is one C call that holds the GIL for 15–45 ms, freezing the GUI thread meanwhile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.partner._models_base import (
    ZERO,
    flag,
    integer,
    integer_or_none,
    items,
    mapping,
    money,
    parse_instant,
    text,
)
from app.partner.jsonsteps import loads_in_steps


@dataclass(frozen=True)
class InventoryArea:
    area_id: str
    name: str | None
    description: str | None


@dataclass(frozen=True)
class InventoryRow:
    """A run of free seats; ``places[i]`` is the place id of ``seats[i]``."""

    section: str | None
    row: str | None
    seats: tuple[str, ...]
    places: tuple[str, ...]
    has_even_odd_mix: bool
    areas: tuple[InventoryArea, ...]

    @property
    def seat_places(self) -> tuple[tuple[str, str | None], ...]:
        """(seat, place id or None) pairs."""
        return tuple((seat, self.places[i] if i < len(self.places) else None) for i, seat in enumerate(self.seats))


@dataclass(frozen=True)
class OfferCharge:
    reason: str | None
    type: str | None
    amount: Decimal


@dataclass(frozen=True)
class Offer:
    ticket_type_id: str
    price_level_id: str | None
    currency: str | None
    face_value: Decimal
    offer_name: str | None
    offer_description: str | None
    charges: tuple[OfferCharge, ...]

    @property
    def fees_total(self) -> Decimal:
        return sum((c.amount for c in self.charges), ZERO)

    @property
    def total_per_ticket(self) -> Decimal:
        return self.face_value + self.fees_total


@dataclass(frozen=True)
class TicketAvailability:
    available: int
    total: int
    seating: str | None
    current_ticket_limit: int | None
    event_ticket_limit: int | None
    inventory: tuple[InventoryRow, ...]
    offers: tuple[Offer, ...]

    @property
    def is_general_admission(self) -> bool:
        return self.seating == "general" or (bool(self.inventory) and all(not r.seats for r in self.inventory))


_PLAIN = frozenset((str, int))


def _names(value: Any) -> tuple[str, ...]:
    """Seat names / place ids as strings. The usual answer holds only ints and strings: converted
    in one C-level pass (a stadium lists ~50,000 seats and as many places)."""
    values = items(value)
    if set(map(type, values)) <= _PLAIN:
        return tuple(map(str, values))
    return tuple(text(v) or "" for v in values)


def _area(data: Any, known: dict[tuple[Any, ...], InventoryArea]) -> InventoryArea:
    """One area; identical areas (every row of a section repeats its area) share one object."""
    a = mapping(data)
    key = (a.get("areaId"), a.get("name"), a.get("description"))
    shareable = all(v is None or type(v) is str for v in key)  # 1 == 1.0 == True: never share those
    found = known.get(key) if shareable else None
    if found is None:
        found = InventoryArea(area_id=text(key[0]) or "", name=text(key[1]), description=text(key[2]))
        if shareable:
            known[key] = found
    return found


def _inventory_row(data: Any, areas: dict[tuple[Any, ...], InventoryArea]) -> InventoryRow:
    r = mapping(data)
    return InventoryRow(
        section=text(r.get("section")),
        row=text(r.get("row")),
        seats=_names(r.get("seats")),
        places=_names(r.get("places")),
        has_even_odd_mix=flag(r.get("hasEvenOddMix")),
        areas=tuple(_area(a, areas) for a in items(r.get("areas"))),
    )


def _offer(data: Any) -> Offer:
    o = mapping(data)
    return Offer(
        ticket_type_id=text(o.get("ticketTypeId")) or "",
        price_level_id=text(o.get("priceLevelId")),
        currency=text(o.get("currency")),
        face_value=money(o.get("faceValue")),
        offer_name=text(o.get("offerName")),
        offer_description=text(o.get("offerDescription")),
        charges=tuple(
            OfferCharge(reason=text(c.get("reason")), type=text(c.get("type")), amount=money(c.get("amount")))
            for c in map(mapping, items(o.get("charges")))
        ),
    )


@dataclass(frozen=True)
class Availability:
    """``GET /events/{id}/availability``: ticket inventory and free seats (display only)."""

    event_id: str
    restrict_single: bool
    event_ticket_limit: int | None
    onsale: datetime | None
    offsale: datetime | None
    event_datetime: datetime | None
    seat_location_map_restrict: bool
    loc_row_seat_restrict: bool
    loc_xnum_addesc_restrict: bool
    tickets: tuple[TicketAvailability, ...]

    @property
    def offers(self) -> tuple[Offer, ...]:
        return tuple(o for t in self.tickets for o in t.offers)

    @property
    def available(self) -> int:
        return sum(t.available for t in self.tickets)

    @classmethod
    def from_body(cls, body: bytes | str) -> Availability:
        """From the raw answer; like ``from_json(json.loads(body))`` (same errors) but without
        holding the GIL for the whole decode: each inventory row is decoded on its own."""
        return cls.from_json(loads_in_steps(body, depth=5))

    @classmethod
    def from_json(cls, data: Any) -> Availability:
        ev = mapping(mapping(data).get("event"))
        areas: dict[tuple[Any, ...], InventoryArea] = {}
        return cls(
            event_id=text(ev.get("id")) or "",
            restrict_single=flag(ev.get("restrictSingle")),
            event_ticket_limit=integer_or_none(ev.get("eventTicketLimit")),
            onsale=parse_instant(ev.get("onsale")),
            offsale=parse_instant(ev.get("offsale")),
            event_datetime=parse_instant(ev.get("eventDateTime")),
            seat_location_map_restrict=flag(ev.get("seatLocationMapRestrict")),
            loc_row_seat_restrict=flag(ev.get("locRowSeatRestrict")),
            loc_xnum_addesc_restrict=flag(ev.get("locXnumAddescRestrict")),
            tickets=tuple(
                TicketAvailability(
                    available=integer(t.get("available")),
                    total=integer(t.get("total")),
                    seating=text(t.get("seating")),
                    current_ticket_limit=integer_or_none(t.get("currentTicketLimit")),
                    event_ticket_limit=integer_or_none(t.get("eventTicketLimit")),
                    inventory=tuple(_inventory_row(r, areas) for r in items(t.get("inventory"))),
                    offers=tuple(_offer(o) for o in items(t.get("offers"))),
                )
                for t in map(mapping, items(ev.get("tickets")))
            ),
        )
