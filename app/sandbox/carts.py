"""Carts: seats held for a buyer, their prices, delivery and payments, and the hold clock.

A cart lives ``hold_time`` seconds from its last successful step (reserve, shipping, payment);
once that runs out its seats go back to the inventory and the cart answers 90003 for good, as do
deleted and committed carts. ``CartStore.working`` marks a cart busy for the length of one call so
an overlapping second call on the same cart gets 409 / 10009.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections import defaultdict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from .common import money
from .errors import CONCURRENT_CART, INVALID_CART, SandboxError
from .fixtures import Event, PriceLevel, ShippingOption, TicketType

HELD, COMMITTED, DELETED, EXPIRED = "held", "committed", "deleted", "expired"
ZERO = Decimal("0")


@dataclass
class Line:
    """Some seats of one ticket type."""

    ticket: TicketType
    seats: list[int]


@dataclass
class Cart:
    id: str
    event: Event
    api_key: str
    lines: list[Line]
    hold_time: int
    expires_at: float
    shipping: ShippingOption
    status: str = HELD
    busy: bool = False
    paid: Decimal = ZERO
    payments: list[dict] = field(default_factory=list)
    contact: dict = field(default_factory=dict)

    @property
    def seats(self) -> list[int]:
        return [seat for line in self.lines for seat in line.seats]

    def level_of(self, seat: int) -> PriceLevel:
        seatmap = self.event.seatmap
        return self.event.levels[seatmap.sections[seatmap.row_of(seat).section].level_id]

    def seat_price(self, ticket: TicketType, seat: int) -> tuple[Decimal, Decimal, Decimal]:
        level = self.level_of(seat)
        return self.event.face_value(ticket, level), level.facility_fee, level.service_fee

    def merchandise_and_fees(self) -> tuple[Decimal, Decimal]:
        merchandise = fees = ZERO
        for line in self.lines:
            for seat in line.seats:
                face, facility, service = self.seat_price(line.ticket, seat)
                merchandise += face
                fees += facility + service
        return merchandise, fees

    def grand_total(self) -> Decimal:
        merchandise, fees = self.merchandise_and_fees()
        return merchandise + fees + self.shipping.fee

    def unpaid(self) -> Decimal:
        return max(ZERO, self.grand_total() - self.paid)

    # ----- the answer's "cart" object --------------------------------------------------------
    def to_json(self, now: float) -> dict:
        currency = self.event.currency
        items = []
        for number, (row, seats_by_line) in enumerate(self._blocks(), start=1):
            section = self.event.seatmap.sections[row.section]
            seat_numbers = [row.number(s) for line_seats in seats_by_line.values() for s in line_seats]
            tickets, merchandise, fees = [], ZERO, ZERO
            for ticket, seats in seats_by_line.items():
                prices = [self.seat_price(ticket, s) for s in seats]
                face = prices[0][0]
                facility, service = prices[0][1], prices[0][2]
                merchandise += sum(p[0] for p in prices)
                fees += sum(p[1] + p[2] for p in prices)
                qty = len(seats)
                tickets.append({"id": ticket.id, "description": ticket.description, "quantity": qty, "charges": [
                    {"type": "face_value", "price": money(face), "quantity": qty, "tax": 0},
                    {"type": "facility", "price": money(facility), "quantity": qty, "tax": 0},
                    {"type": "service", "price": money(service), "quantity": qty, "tax": 0},
                    {"type": "distance", "price": 0, "quantity": qty, "tax": 0}]})
            item = {"id": number, "type": "ticket", "event_id": self.event.id, "is_ga": section.ga,
                    "section": section.name, "num_seats": len(seat_numbers), "x_num": 0, "tickets": tickets,
                    "areas": [{"id": a, "description": self.event.areas[a].description} for a in section.area_ids],
                    "totals": {"currency_code": currency, "merchandise": money(merchandise), "fee": money(fees),
                               "tax": 0, "grand": money(merchandise + fees)}}
            if not section.ga:
                item.update(row=row.name, start_seat_number=str(min(seat_numbers)),
                            end_seat_number=str(max(seat_numbers)))
            items.append(item)
        merchandise, fees = self.merchandise_and_fees()
        grand = merchandise + fees + self.shipping.fee
        return {"hold_time": max(0, round(self.expires_at - now)), "items": items,
                "totals": {"currency_code": currency, "merchandise": money(merchandise), "fee": money(fees),
                           "tax": 0, "delivery": money(self.shipping.fee), "upsell": 0, "grand": money(grand),
                           "unpaid": money(max(ZERO, grand - self.paid))}}

    def _blocks(self):
        """Seats grouped by row (one cart item per row), keeping each ticket type's seats."""
        rows: dict[int, tuple] = {}
        for line in self.lines:
            for seat in line.seats:
                row = self.event.seatmap.row_of(seat)
                entry = rows.setdefault(row.first, (row, {}))
                entry[1].setdefault(line.ticket, []).append(seat)
        return [rows[key] for key in sorted(rows)]


def new_cart_id() -> str:
    """Opaque, base64 with '=' and often '/' or '+': clients must URL-encode it."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class CartStore:
    def __init__(self, context) -> None:
        self.context = context
        self._lock = threading.RLock()
        self.carts: dict[str, Cart] = {}  # live (held) carts only; ended carts answer 90003 as unknown
        self.abandoned: dict[str, int] = defaultdict(int)  # api key -> carts left to expire

    def create(self, event: Event, api_key: str, lines: list[Line]) -> Cart:
        hold_time = int(self.context.scenario.get("hold_time"))
        now = self.context.clock.timestamp()
        shipping = next(iter(event.shipping.values()))  # the first option until one is chosen
        cart = Cart(new_cart_id(), event, api_key, lines, hold_time, now + hold_time, shipping)
        with self._lock:
            self.carts[cart.id] = cart
        return cart

    def sweep(self) -> None:
        """Expire carts whose hold ran out: seats back to the inventory, cart invalid."""
        now = self.context.clock.timestamp()
        with self._lock:
            for cart in list(self.carts.values()):
                if cart.expires_at <= now and not cart.busy:
                    cart.status = EXPIRED
                    self.context.inventory.release(cart.event.id, cart.seats)
                    self.abandoned[cart.api_key] += 1
                    del self.carts[cart.id]

    def get(self, cart_id, event_id: str, api_key: str) -> Cart:
        """The live cart, or 90003 for unknown, expired, deleted, committed, other-event or
        other-partner (another API key's) ids."""
        self.sweep()
        with self._lock:
            cart = self.carts.get(cart_id) if isinstance(cart_id, str) else None
        if cart is None or cart.event.id != event_id or cart.status != HELD or cart.api_key != api_key:
            raise SandboxError(INVALID_CART)
        return cart

    def extend(self, cart: Cart) -> None:
        cart.expires_at = self.context.clock.timestamp() + cart.hold_time

    @asynccontextmanager
    async def working(self, cart: Cart):
        with self._lock:
            if cart.busy:
                raise SandboxError(CONCURRENT_CART)
            cart.busy = True
        try:
            yield cart
        finally:
            with self._lock:
                cart.busy = False

    def delete(self, cart: Cart) -> None:
        with self._lock:
            if cart.status == HELD:
                cart.status = DELETED
                self.context.inventory.release(cart.event.id, cart.seats)
                self.carts.pop(cart.id, None)

    def committed(self, cart: Cart) -> None:
        """The cart became an order: it is gone (a second commit is 90003 like any unknown cart)."""
        with self._lock:
            cart.status = COMMITTED
            self.carts.pop(cart.id, None)

    def held(self) -> list[Cart]:
        self.sweep()
        with self._lock:
            return list(self.carts.values())
