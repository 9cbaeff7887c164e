"""Order models: the commit answer (3.9), order details and unredeemed orders (3.12).

Every documented key is kept: an order ticket's ``distance_charge`` and ``is_national_vip`` too; an
order ticket of an event without barcodes has ``barcode_id`` None, and a commit answer of such an
event no ``tm_app_url``. Keys the documentation does not name are tolerated (``Order.raw`` keeps
the whole answer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.partner._models_base import (
    ZERO,
    flag,
    integer_or_none,
    items,
    mapping,
    money,
    money_or_none,
    parse_instant,
    text,
)


@dataclass(frozen=True)
class CommitResult:
    """The commit's answer. ``tm_app_url`` is the custom-scheme URL the Ticketmaster app opens
    (``ticketmaster://…``), absent for events that emit no barcodes."""

    order_number: str
    order_token: str
    redemption_url: str | None
    grand_total: Decimal | None
    currency: str | None
    tm_app_url: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> CommitResult:
        body = mapping(data)
        return cls(
            order_number=text(body.get("order_number")) or "",
            order_token=text(body.get("order_token")) or "",
            redemption_url=text(body.get("redemption_url")),
            grand_total=money_or_none(body.get("grand_total")),
            currency=text(body.get("currency_code")),
            tm_app_url=text(body.get("tm_app_url")),
        )


@dataclass(frozen=True)
class OrderCharge:
    type: str | None
    sub_type: str | None
    description: str | None
    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class OrderTicket:
    order_number: str | None
    display_id: str | None
    order_date: str | None
    event_id: str | None
    event_code: str | None
    event_host: str | None
    section: str | None
    row: str | None
    seat_name: str | None
    seat_id: str | None
    is_ga: bool
    portal: str | None
    barcode_id: str | None  # absent when the event does not emit barcodes
    voided: bool
    charges: tuple[OrderCharge, ...]
    distance_charge: Decimal | None = None  # the ticket's distance charge, as the order lists it
    is_national_vip: bool = False

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.charges), ZERO)


@dataclass(frozen=True)
class OrderDelivery:
    carrier: str | None
    service_level: str | None
    description: str | None


@dataclass(frozen=True)
class Order:
    """``GET /orders?order_token=…``."""

    customer_email: str | None
    voided: bool
    delivery: OrderDelivery | None
    tickets: tuple[OrderTicket, ...]
    upsells: tuple[Any, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def order_number(self) -> str | None:
        return next((t.order_number for t in self.tickets if t.order_number), None)

    @property
    def total(self) -> Decimal:
        return sum((t.total for t in self.tickets), ZERO)

    @classmethod
    def from_json(cls, data: Any) -> Order:
        body = mapping(data)
        d = body.get("delivery")
        delivery = None
        if isinstance(d, Mapping):
            desc = d.get("description")
            delivery = OrderDelivery(
                carrier=text(d.get("carrier")), service_level=text(d.get("service_level")),
                description=text(mapping(desc).get("short")) if isinstance(desc, Mapping) else text(desc),
            )
        tickets = []
        for t in map(mapping, items(body.get("tickets"))):
            tickets.append(OrderTicket(
                order_number=text(t.get("order_number")), display_id=text(t.get("display_id")),
                order_date=text(t.get("order_date")), event_id=text(t.get("event_id")),
                event_code=text(t.get("event_code")), event_host=text(t.get("event_host")),
                section=text(t.get("section")), row=text(t.get("row")), seat_name=text(t.get("seat_name")),
                seat_id=text(t.get("seat_id")), is_ga=flag(t.get("is_ga")), portal=text(t.get("portal")),
                barcode_id=text(t.get("barcode_id")), voided=flag(t.get("voided")),
                distance_charge=money_or_none(t.get("distance_charge")),
                is_national_vip=flag(t.get("is_national_vip")),
                charges=tuple(
                    OrderCharge(type=text(c.get("type")), sub_type=text(c.get("sub_type")),
                                description=text(c.get("description")),
                                amount=money(mapping(c.get("amount")).get("amount")),
                                currency=text(mapping(c.get("amount")).get("currency")))
                    for c in map(mapping, items(t.get("charges")))
                ),
            ))
        return cls(customer_email=text(body.get("customer_email")), voided=flag(body.get("voided")),
                   delivery=delivery, tickets=tuple(tickets), upsells=tuple(items(body.get("upsells"))), raw=body)


EMAIL_STATUS = {1: "sent", 2: "bounced", 3: "marked as spam", 4: "send error"}


@dataclass(frozen=True)
class UnredeemedOrder:
    event_id: str | None
    purchased_at: datetime | None
    event_at: datetime | None
    email_status: int | None
    source_account_id: str | None
    email: str | None

    @property
    def email_status_text(self) -> str:
        return EMAIL_STATUS.get(self.email_status or 0, "unknown")

    @classmethod
    def list_from_json(cls, data: Any) -> tuple[UnredeemedOrder, ...]:
        return tuple(
            cls(event_id=text(o.get("event_id")), purchased_at=parse_instant(o.get("purchase_date_time")),
                event_at=parse_instant(o.get("event_date_time")), email_status=integer_or_none(o.get("email_status")),
                source_account_id=text(o.get("order_source_account_id")), email=text(o.get("purchase_email_address")))
            for o in map(mapping, items(mapping(data).get("data")))
        )
