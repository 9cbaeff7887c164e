"""Cart-side models: the reserve request (3.6), the cart and its totals, shipping options (3.7)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.partner._models_base import ZERO, flag, integer, integer_or_none, items, mapping, money, money_or_none, text


def _json_id(value: str) -> int | str:
    """Price-level and area ids travel as numbers in the documented reserve body (``{"id": 3}``);
    an id that is not purely digits is sent unchanged as a string. Ticket ids never pass here."""
    return int(value) if value.isdigit() and not (len(value) > 1 and value.startswith("0")) else value


def _json_money(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class TicketRequest:
    """One ticket line of a reserve: ticket type id (string, leading zeros kept) and quantity."""

    ticket_type_id: str
    quantity: int
    price_level_id: str | None = None
    price_amount: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        line: dict[str, Any] = {"id": self.ticket_type_id, "quantity": self.quantity}
        price: dict[str, Any] = {}
        if self.price_level_id is not None:
            price["id"] = _json_id(str(self.price_level_id))
        if self.price_amount is not None:
            price["amount"] = _json_money(self.price_amount)
        if price:
            line["price"] = price
        return line


@dataclass(frozen=True)
class SeatRef:
    """One seat by its names (section, row, seat number), as availability lists a place id."""

    section: str
    row: str
    seat: str


@dataclass(frozen=True)
class ReserveRequest:
    """The ``reserve`` part of ``POST /events/{id}/cart``.

    ``places`` (preferred) or section/row/begin/end pick exact seats; ``area_ids`` or a ticket's
    ``price_level_id`` pick best available there; ``accept_best_available`` None leaves the server
    default (true). ``asked_seats`` names the seats the ``places`` stand for (from availability);
    it is never sent: the station checks the cart's answer against it.
    """

    tickets: tuple[TicketRequest, ...]
    area_ids: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    section: str | None = None
    row: str | None = None
    begin_seat: str | None = None
    end_seat: str | None = None
    accept_best_available: bool | None = None
    asked_seats: tuple[SeatRef, ...] = ()

    @classmethod
    def simple(
        cls,
        ticket_type_id: str,
        quantity: int,
        *,
        price_level_id: str | None = None,
        places: tuple[str, ...] | list[str] = (),
        area_ids: tuple[str, ...] | list[str] = (),
        accept_best_available: bool | None = None,
        asked_seats: tuple[SeatRef, ...] | list[SeatRef] = (),
    ) -> ReserveRequest:
        return cls(
            tickets=(TicketRequest(str(ticket_type_id), int(quantity), price_level_id),),
            places=tuple(places),
            area_ids=tuple(str(a) for a in area_ids),
            accept_best_available=accept_best_available,
            asked_seats=tuple(asked_seats),
        )

    @property
    def quantity(self) -> int:
        return sum(t.quantity for t in self.tickets)

    def to_json(self, token: str | None = None) -> dict[str, Any]:
        """The whole request body; ``token`` is the captcha solution, sent unchanged."""
        reserve: dict[str, Any] = {"tickets": [t.to_json() for t in self.tickets]}
        if self.area_ids:
            reserve["areas"] = [{"id": _json_id(a)} for a in self.area_ids]
        if self.places:
            reserve["places"] = list(self.places)
        if self.section is not None:
            reserve["section"] = self.section
        if self.row is not None:
            reserve["row"] = self.row
        for key, seat in (("begin_seat", self.begin_seat), ("end_seat", self.end_seat)):
            if seat is not None:
                reserve[key] = int(seat) if str(seat).isdigit() else seat
        if self.accept_best_available is not None:
            reserve["accept_best_available"] = self.accept_best_available
        body: dict[str, Any] = {}
        if token:
            body["token"] = token
        body["reserve"] = reserve
        return body

    @classmethod
    def from_json(cls, data: Any) -> ReserveRequest:
        r = mapping(mapping(data).get("reserve"))
        tickets = []
        for t in map(mapping, items(r.get("tickets"))):
            price = mapping(t.get("price"))
            tickets.append(TicketRequest(
                ticket_type_id=text(t.get("id")) or "",
                quantity=integer(t.get("quantity")),
                price_level_id=text(price.get("id")),
                price_amount=money_or_none(price.get("amount")),
            ))
        abba = r.get("accept_best_available")
        return cls(
            tickets=tuple(tickets),
            area_ids=tuple(text(mapping(a).get("id")) or "" for a in items(r.get("areas"))),
            places=tuple(text(p) or "" for p in items(r.get("places"))),
            section=text(r.get("section")),
            row=text(r.get("row")),
            begin_seat=text(r.get("begin_seat")),
            end_seat=text(r.get("end_seat")),
            accept_best_available=None if abba is None else flag(abba),
        )


@dataclass(frozen=True)
class Totals:
    """Cart or item totals. Absent amounts are zero; ``currency`` may be None (use the cart's)."""

    currency: str | None
    merchandise: Decimal = ZERO
    fee: Decimal = ZERO
    tax: Decimal = ZERO
    delivery: Decimal = ZERO
    upsell: Decimal = ZERO
    grand: Decimal = ZERO
    unpaid: Decimal | None = None

    @classmethod
    def from_json(cls, data: Any) -> Totals:
        t = mapping(data)
        return cls(
            currency=text(t.get("currency_code")),
            merchandise=money(t.get("merchandise")),
            fee=money(t.get("fee")),
            tax=money(t.get("tax")),
            delivery=money(t.get("delivery")),
            upsell=money(t.get("upsell")),
            grand=money(t.get("grand")),
            unpaid=money_or_none(t.get("unpaid")),
        )


@dataclass(frozen=True)
class CartCharge:
    type: str | None
    price: Decimal
    quantity: int
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return (self.price + self.tax) * self.quantity


@dataclass(frozen=True)
class CartTicket:
    id: str
    description: str | None
    quantity: int
    charges: tuple[CartCharge, ...]

    @property
    def face_value(self) -> Decimal:
        return sum((c.price for c in self.charges if c.type == "face_value"), ZERO)


@dataclass(frozen=True)
class CartArea:
    id: str
    description: str | None


@dataclass(frozen=True)
class CartItem:
    id: str | None
    type: str | None
    event_id: str | None
    is_ga: bool
    section: str | None
    row: str | None
    start_seat: str | None
    end_seat: str | None
    num_seats: int
    x_num: int | None
    tickets: tuple[CartTicket, ...]
    areas: tuple[CartArea, ...]
    totals: Totals

    @classmethod
    def from_json(cls, data: Any) -> CartItem:
        i = mapping(data)
        return cls(
            id=text(i.get("id")),
            type=text(i.get("type")),
            event_id=text(i.get("event_id")),
            is_ga=flag(i.get("is_ga")),
            section=text(i.get("section")),
            row=text(i.get("row")),
            start_seat=text(i.get("start_seat_number")),
            end_seat=text(i.get("end_seat_number")),
            num_seats=integer(i.get("num_seats")),
            x_num=integer_or_none(i.get("x_num")),
            tickets=tuple(
                CartTicket(
                    id=text(t.get("id")) or "",
                    description=text(t.get("description")),
                    quantity=integer(t.get("quantity")),
                    charges=tuple(
                        CartCharge(type=text(c.get("type")), price=money(c.get("price")),
                                   quantity=integer(c.get("quantity")), tax=money(c.get("tax")))
                        for c in map(mapping, items(t.get("charges")))
                    ),
                )
                for t in map(mapping, items(i.get("tickets")))
            ),
            areas=tuple(CartArea(id=text(a.get("id")) or "", description=text(a.get("description")))
                        for a in map(mapping, items(i.get("areas")))),
            totals=Totals.from_json(i.get("totals")),
        )


@dataclass(frozen=True)
class Cart:
    """A held cart. ``hold_time`` counts seconds from the answer that carried it."""

    cart_id: str
    hold_time: int | None
    items: tuple[CartItem, ...]
    totals: Totals
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def currency(self) -> str | None:
        if self.totals.currency:
            return self.totals.currency
        for item in self.items:
            if item.totals.currency:
                return item.totals.currency
        return None

    @property
    def event_id(self) -> str | None:
        return next((i.event_id for i in self.items if i.event_id), None)

    @property
    def num_seats(self) -> int:
        return sum(i.num_seats for i in self.items)

    @property
    def unpaid(self) -> Decimal:
        return self.totals.grand if self.totals.unpaid is None else self.totals.unpaid

    @classmethod
    def from_json(cls, data: Any, cart_id: str | None = None, *, earlier: Cart | None = None) -> Cart:
        """Reserve answers carry ``cart_id``; shipping/payment answers (``{"cart": …}``) do not,
        so the caller passes the id it already knows. ``earlier``: an earlier answer about the same
        cart; when this answer lists the very same items (equal JSON), its parsed items are reused
        (a sale's shipping and payment answers repeat the reserve's items unchanged)."""
        body = mapping(data)
        cart = mapping(body.get("cart"))
        hold = cart.get("hold_time")
        listed = items(cart.get("items"))
        if earlier is not None and listed and listed == items(mapping(earlier.raw.get("cart")).get("items")):
            parsed = earlier.items
        else:
            parsed = tuple(CartItem.from_json(i) for i in listed)
        return cls(
            cart_id=text(body.get("cart_id")) or text(cart.get("cart_id")) or cart_id or "",
            hold_time=integer_or_none(hold),
            items=parsed,
            totals=Totals.from_json(cart.get("totals")),
            raw=body,
        )


@dataclass(frozen=True)
class ShippingOption:
    id: str
    carrier: str | None
    service_level: str | None
    totals: Totals
    description: str | None = None

    @property
    def fee(self) -> Decimal:
        return self.totals.grand or self.totals.fee

    @property
    def label(self) -> str:
        return self.description or " ".join(x.title() for x in (self.carrier, self.service_level) if x) or self.id

    @classmethod
    def list_from_json(cls, data: Any) -> tuple[ShippingOption, ...]:
        return tuple(
            cls(
                id=text(o.get("id")) or "",
                carrier=text(o.get("carrier")),
                service_level=text(o.get("service_level")),
                totals=Totals.from_json(o.get("totals")),
                description=text(mapping(o.get("description")).get("short"))
                if isinstance(o.get("description"), Mapping)
                else text(o.get("description")),
            )
            for o in map(mapping, items(mapping(data).get("shipping_options")))
        )
