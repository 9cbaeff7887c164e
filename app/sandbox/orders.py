"""Orders: what a commit turns a paid cart into, and how partners look orders up afterwards.

``OrderBook.record`` sells the cart's seats and writes the order (number like ``35-46145/LA1``,
token, redemption URL, a ``tm_app_url`` for the Ticketmaster app, one ticket per seat with a
barcode and the documented ticket fields; events that emit no barcodes have neither barcode nor
app link).
Routes: ``GET /orders?order_token=`` (polling), ``GET /orders/unredeemed``, ``GET /tracking``
(a 1×1 GIF) and a small redemption page at ``/redeem?token=``.
"""

from __future__ import annotations

import base64
import html
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .carts import Cart
from .common import money, ok, query_int
from .errors import INVALID_INPUT, NOT_FOUND, SandboxError

# The commit's optional ``tm_app_url``: a custom-scheme URL the Ticketmaster app opens.
TM_APP_SCHEME = "ticketmaster://"
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
log = logging.getLogger(__name__)
# Order numbers and barcodes come from the system's randomness, never from the seeded fixtures: the
# station's journal outlives a reset and every start of the embedded sandbox, which rebuild the same
# fixtures, and a number or a barcode issued once must never be issued again.
_DRAW = secrets.SystemRandom()


@dataclass
class Order:
    number: str
    token: str
    event_id: str
    seats: list[int]
    grand_total: Decimal
    currency: str
    email: str
    delivery: dict
    source_account_id: str | None
    purchased_at: datetime
    tickets: list[dict] = field(default_factory=list)
    redeemed: bool = False
    payments: list[dict] = field(default_factory=list)  # the cart's, as paid (type, amount, last4 / reference)

    def saved(self) -> dict:
        """The order as the sandbox's memory keeps it (``app.sandbox.memory``)."""
        return {"number": self.number, "token": self.token, "event_id": self.event_id, "seats": self.seats,
                "grand_total": str(self.grand_total), "currency": self.currency, "email": self.email,
                "delivery": self.delivery, "source_account_id": self.source_account_id,
                "purchased_at": self.purchased_at.isoformat(), "tickets": self.tickets,
                "redeemed": self.redeemed, "payments": self.payments}

    @classmethod
    def from_saved(cls, item: dict) -> Order:
        return cls(str(item["number"]), str(item["token"]), str(item["event_id"]), [int(i) for i in item["seats"]],
                   Decimal(str(item["grand_total"])), str(item["currency"]), str(item["email"]),
                   dict(item["delivery"]), item.get("source_account_id"),
                   datetime.fromisoformat(item["purchased_at"]), list(item["tickets"]),
                   bool(item.get("redeemed")), list(item.get("payments", [])))


class OrderBook:
    def __init__(self, context) -> None:
        self.context = context
        self._lock = threading.Lock()
        self.orders: list[Order] = []
        self.by_token: dict[str, Order] = {}
        self._numbers: set[str] = set()
        self._barcodes: set[str] = set()

    def record(self, cart: Cart, source_account_id: str | None, base_url: str) -> tuple[Order, dict]:
        """Sell the cart's seats and write its order; answers the order and the commit body."""
        context = self.context
        event = cart.event
        with self._lock:
            context.inventory.sell(event.id, cart.seats)
            context.carts.committed(cart)
            number = self._new_number(event.host)
            token = f"{secrets.token_hex(4)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}{secrets.token_urlsafe(18)}"
            now = context.clock.now()
            order = Order(number, token, event.id, cart.seats, cart.grand_total(), event.currency,
                          cart.contact.get("email_address", ""), self._delivery(cart), source_account_id, now)
            order.tickets = self._tickets(cart, order)
            order.payments = [dict(payment) for payment in cart.payments]
            self._add(order)
        context.remember()
        body = {"order_number": number, "order_token": token,
                "redemption_url": f"{base_url}/redeem?token={token}",
                "grand_total": money(order.grand_total), "currency_code": event.currency}
        if event.barcodes:  # the app shows barcodes: an event that emits none gets no app link
            body["tm_app_url"] = f"{TM_APP_SCHEME}orders/redeem?token={token}"
        return order, body

    def _add(self, order: Order) -> None:
        self.orders.append(order)
        self.by_token[order.token] = order
        self._numbers.add(order.number)
        self._barcodes.update(t["barcode_id"] for t in order.tickets if "barcode_id" in t)

    def saved(self) -> list[dict]:
        with self._lock:
            return [order.saved() for order in self.orders]

    def restore(self, items: list) -> None:
        """Take back the orders a past run sold (``saved()``); their seats are sold again. An order
        of an event these fixtures do not have is left out, and the log says so."""
        with self._lock:
            for item in items:
                try:
                    order = Order.from_saved(item)
                except (KeyError, TypeError, ValueError) as exc:
                    log.warning("a remembered order could not be read (%s): left out", exc)
                    continue
                if order.event_id not in self.context.events or order.token in self.by_token:
                    log.warning("remembered order %s is not of these fixtures: left out", order.number)
                    continue
                self.context.inventory.sold_before(order.event_id, order.seats)
                self._add(order)

    def _new_number(self, host: str) -> str:
        while True:
            number = f"{_DRAW.randrange(10, 99)}-{_DRAW.randrange(10000, 99999)}/{host}"
            if number not in self._numbers:
                return number

    def _new_barcode(self) -> str:
        while True:
            barcode = f"{_DRAW.randrange(10**15, 10**16)}"
            if barcode not in self._barcodes:
                self._barcodes.add(barcode)
                return barcode

    @staticmethod
    def _delivery(cart: Cart) -> dict:
        option = cart.shipping
        return {"carrier": option.carrier, "service_level": option.service_level,
                "description": {"short": option.description}}

    def _tickets(self, cart: Cart, order: Order) -> list[dict]:
        event = cart.event
        tickets = []
        for line in cart.lines:
            for seat in line.seats:
                row = event.seatmap.row_of(seat)
                section = event.seatmap.sections[row.section]
                face, facility, service = cart.seat_price(line.ticket, seat)

                def charge(kind, sub, text, amount):
                    return {"type": kind, "sub_type": sub, "description": text,
                            "amount": {"amount": money(amount), "currency": event.currency}}

                ticket = {"order_number": order.number, "display_id": order.number,
                          "order_date": order.purchased_at.astimezone(event.tz).date().isoformat(),
                          "event_id": event.id, "event_code": event.code, "event_host": event.host,
                          "section": section.name, "is_ga": section.ga, "is_national_vip": False,
                          "seat_id": str(event.ordinal * 10_000_000 + seat),
                          "portal": "GENERAL ADMISSION ENTRANCE" if section.ga else f"GATE {section.name[0]}",
                          "voided": False, "distance_charge": 0.0,
                          "charges": [charge("price", "price", "Price", face),
                                      charge("fee", "service_charge", "Service Charge", service),
                                      charge("fee", "facility_charge", "Facility Charge", facility),
                                      charge("tax", "tax", "Tax", Decimal(0)),
                                      charge("fee", "distance_charge", "Distance Charge", Decimal(0))]}
                if not section.ga:
                    ticket.update(row=row.name, seat_name=str(row.number(seat)))
                if event.barcodes:
                    ticket["barcode_id"] = self._new_barcode()
                tickets.append(ticket)
        return tickets

    def order_json(self, order: Order) -> dict:
        return {"customer_email": order.email, "voided": False, "upsells": [], "delivery": order.delivery,
                "tickets": [dict(t) for t in order.tickets]}

    def snapshot(self) -> list[dict]:
        with self._lock:
            return [{"order_number": o.number, "order_token": o.token, "event_id": o.event_id,
                     "seats": len(o.seats), "grand_total": money(o.grand_total), "payments": o.payments}
                    for o in self.orders]

    def unredeemed(self, days_from_purchase: int | None, days_before_event: int | None) -> list[dict]:
        now = self.context.clock.now()
        result = []
        with self._lock:
            orders = list(self.orders)
        for order in orders:
            if order.redeemed or not order.source_account_id:
                continue
            event = self.context.events[order.event_id]
            if days_from_purchase is not None and order.purchased_at < now - timedelta(days=days_from_purchase):
                continue
            if days_before_event is not None and event.starts_at > now + timedelta(days=days_before_event):
                continue
            result.append({"event_id": order.event_id,
                           "purchase_date_time": int(order.purchased_at.timestamp() * 1000),
                           "event_date_time": int(event.starts_at.timestamp() * 1000),
                           "email_status": 1 if order.email else 4,
                           "order_source_account_id": order.source_account_id,
                           "purchase_email_address": order.email})
        return result


def routes(context, partner) -> list[Route]:
    """``partner`` is the shared preamble (api key, latency, transient faults)."""

    async def order_lookup(request: Request) -> Response:
        api_key = await partner(request)
        token = request.query_params.get("order_token")
        if not token:
            raise SandboxError(INVALID_INPUT, "order_token is required")
        order = context.orders.by_token.get(token)
        if order is None:
            raise SandboxError(NOT_FOUND, "No order with that order_token")
        body = context.orders.order_json(order)
        return context.polling.respond(request, "orders", api_key, lambda: ok(body))

    async def unredeemed(request: Request) -> Response:
        await partner(request)
        days_from_purchase = query_int(request, "days_from_purchase", 0, 3650)
        days_before_event = query_int(request, "days_before_event", 0, 3650)
        if days_from_purchase is None and days_before_event is None:
            raise SandboxError(INVALID_INPUT, "days_from_purchase or days_before_event is required")
        return ok({"data": context.orders.unredeemed(days_from_purchase, days_before_event)})

    async def tracking(request: Request) -> Response:
        await partner(request)
        if not request.query_params.get("event_id"):
            raise SandboxError(INVALID_INPUT, "event_id is required")
        return Response(PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})

    async def redeem(request: Request) -> Response:
        order = context.orders.by_token.get(request.query_params.get("token", ""))
        if order is None:
            return HTMLResponse("<!doctype html><title>Order not found</title><h1>Order not found</h1>", 404)
        if request.method == "POST" and not order.redeemed:
            order.redeemed = True
            context.remember()
        event = context.events[order.event_id]
        seats = "".join(f"<li>{html.escape(t['section'])} {html.escape(t.get('row', ''))} "
                        f"{html.escape(t.get('seat_name', ''))}</li>" for t in order.tickets)
        state = "<p><strong>Redeemed.</strong></p>" if order.redeemed else (
            '<form method="post"><button type="submit">Redeem these tickets</button></form>')
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>Order {html.escape(order.number)}</title>"
                f"</head><body><h1>{html.escape(event.name)}</h1><p>Order {html.escape(order.number)}</p>"
                f"<ul>{seats}</ul>{state}</body></html>")
        return HTMLResponse(page)

    return [
        Route("/partners/v1/orders", order_lookup, methods=["GET"]),
        Route("/partners/v1/orders/unredeemed", unredeemed, methods=["GET"]),
        Route("/partners/v1/tracking", tracking, methods=["GET"]),
        Route("/redeem", redeem, methods=["GET", "POST"]),
    ]
