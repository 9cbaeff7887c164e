"""A cashier's shift and this station's orders, as the orders view and the CLI show them: looking
an order up in a cashier's words, the shift's totals per payment kind, the shift as CSV, and how a
refund is made (the Partner API has no refund or void call).

The orders come from the station's journal (``app.storage.journal``); nothing here talks to the
service. Money stays ``Decimal`` per currency: a shift that sold in two currencies has two totals.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.storage.journalrecords import OrderRecord, Shift

REFUND_NOTE = ("Refunds and voids are made through Ticketmaster, not at this station: the Partner API "
               "has no refund call. Give the buyer the order number and send them to Ticketmaster's "
               "customer service (or your account manager for a partner refund).")
LOST_CONFIRMATION_NOTE = ("The order is placed, but the service's answer with its number was lost. Tell the "
                          "buyer the seats are theirs and give them this receipt; do not sell the seats or take "
                          "the payment again. The order number shows here once the service confirms it.")
PAYMENT_KINDS = {"card": "Card", "invoice": "Invoice", "member card": "Member's card", "wallet": "Wallet",
                 "cash": "Cash"}


def payment_kind_name(kind: str) -> str:
    return PAYMENT_KINDS.get(kind, "Not recorded" if not kind else kind.title())


def local_time(iso: str) -> str:
    """``2026-12-01 14:02`` in this station's time zone, from the journal's UTC text."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def local_today() -> str:
    """Today's date in this station's time zone, written as ``local_time`` writes it (``2026-12-01``)."""
    return datetime.now().astimezone().strftime("%Y-%m-%d")


def matches(order: OrderRecord, query: str) -> bool:
    """Every word of ``query`` in the order or receipt number, event, buyer, seats, payment, cashier or
    local date and time (``2026-12-01``, ``14:02``); case does not matter."""
    text = " ".join((order.order_number, order.detail("receipt_number"), order.event_name, order.event_id,
                     order.seats, order.station_user, order.detail("buyer"), order.detail("payment"),
                     order.detail("delivery"), local_time(order.completed_at))).lower()
    return all(word in text for word in query.lower().split())


def search(orders: Iterable[OrderRecord], query: str) -> list[OrderRecord]:
    return [order for order in orders if matches(order, query)] if query.strip() else list(orders)


@dataclass(frozen=True)
class KindTotal:
    kind: str  # the payment kind's name ("Card", "Invoice"…)
    currency: str
    orders: int
    total: Decimal


@dataclass(frozen=True)
class ShiftTotals:
    orders: int
    by_kind: tuple[KindTotal, ...]  # by payment kind, then currency
    by_currency: tuple[tuple[str, Decimal], ...]
    unconfirmed: int  # placed, but the number was lost with the answer

    def lines(self) -> list[str]:
        """``Card: 3 orders, USD 223.28`` … ``Total: USD 446.56``, for the view and the closing note."""
        lines = [f"{t.kind}: {t.orders} order{'s' if t.orders != 1 else ''}, {t.currency} {t.total:,.2f}"
                 for t in self.by_kind]
        lines += [f"Total: {currency} {total:,.2f}" for currency, total in self.by_currency]
        if self.unconfirmed:
            lines.append(f"{self.unconfirmed} order{'s' if self.unconfirmed != 1 else ''} "
                         "placed without a confirmed number")
        return lines or ["No orders yet."]


def totals(orders: Sequence[OrderRecord]) -> ShiftTotals:
    by_kind: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    for order in orders:
        amount = order.grand_total or Decimal(0)
        currency = order.currency_code or "—"
        by_kind[(payment_kind_name(order.detail("payment_kind")), currency)].append(amount)
        by_currency[currency] += amount
    return ShiftTotals(
        orders=len(orders),
        by_kind=tuple(KindTotal(kind, currency, len(amounts), sum(amounts, Decimal(0)))
                      for (kind, currency), amounts in sorted(by_kind.items())),
        by_currency=tuple(sorted(by_currency.items())),
        unconfirmed=sum(1 for order in orders if not order.confirmed),
    )


CSV_COLUMNS = ("time", "order_number", "receipt_number", "event", "event_id", "seats", "payment_kind", "payment",
               "cash_received", "change_given", "delivery", "buyer", "merchandise", "fees", "delivery_charge", "tax",
               "grand_total", "currency", "cashier", "confirmed")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def shift_csv(shift: Shift, orders: Sequence[OrderRecord], *, station_name: str) -> str:
    """The shift as CSV: a heading block (station, shift, opened, closed) and one line per order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["station", station_name])
    writer.writerow(["shift", shift.id])
    writer.writerow(["opened", shift.opened_at])
    writer.writerow(["closed", shift.closed_at or "open"])
    writer.writerow([])
    writer.writerow(CSV_COLUMNS)
    for order in orders:
        writer.writerow([order.completed_at, order.order_number, order.detail("receipt_number"), order.event_name,
                         order.event_id, order.seats, payment_kind_name(order.detail("payment_kind")),
                         order.detail("payment"), order.detail("cash_tendered"), order.detail("cash_change"),
                         order.detail("delivery"), order.detail("buyer"), _money(order.merchandise),
                         _money(order.fees), _money(order.delivery), _money(order.tax), _money(order.grand_total),
                         order.currency_code, order.station_user, "yes" if order.confirmed else "no"])
    return out.getvalue()
