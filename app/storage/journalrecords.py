"""What the journal keeps: its tables (``SCHEMA``) and the rows it hands out (``OpenCart``,
``OrderRecord``, ``RecoveryEntry``), money kept as decimal text and times as UTC ISO-8601.
``app.storage.journal`` reads and writes them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

SCHEMA = """
CREATE TABLE IF NOT EXISTS open_carts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    event_name TEXT NOT NULL DEFAULT '',
    cart_id TEXT NOT NULL DEFAULT '',
    source_account_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    station_user TEXT NOT NULL DEFAULT '',
    process_id INTEGER NOT NULL DEFAULT 0,
    run_id TEXT NOT NULL DEFAULT '',
    backend TEXT NOT NULL DEFAULT '',
    seats TEXT NOT NULL DEFAULT '',
    grand_total TEXT NOT NULL DEFAULT '',
    currency_code TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_number TEXT NOT NULL DEFAULT '',
    order_token TEXT NOT NULL DEFAULT '',
    event_id TEXT NOT NULL,
    event_name TEXT NOT NULL DEFAULT '',
    cart_id TEXT NOT NULL DEFAULT '',
    source_account_id TEXT NOT NULL DEFAULT '',
    seats TEXT NOT NULL DEFAULT '',
    merchandise TEXT NOT NULL DEFAULT '',
    fees TEXT NOT NULL DEFAULT '',
    delivery TEXT NOT NULL DEFAULT '',
    tax TEXT NOT NULL DEFAULT '',
    grand_total TEXT NOT NULL DEFAULT '',
    currency_code TEXT NOT NULL DEFAULT '',
    redemption_url TEXT NOT NULL DEFAULT '',
    completed_at TEXT NOT NULL,
    station_user TEXT NOT NULL DEFAULT '',
    confirmed INTEGER NOT NULL DEFAULT 1,
    details TEXT NOT NULL DEFAULT '{}',
    shift_id INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS orders_token ON orders(order_token) WHERE order_token != '';
CREATE UNIQUE INDEX IF NOT EXISTS orders_cart ON orders(cart_id) WHERE cart_id != '';
CREATE TABLE IF NOT EXISTS shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    opened_at TEXT NOT NULL,
    closed_at TEXT NOT NULL DEFAULT '',
    station_name TEXT NOT NULL DEFAULT '',
    opened_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS recovery_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    kind TEXT NOT NULL,
    event_id TEXT NOT NULL DEFAULT '',
    cart_id TEXT NOT NULL DEFAULT '',
    order_number TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL
);
"""
# Columns added to a table after its first release: a journal made before them gets them on open
# (``ALTER TABLE … ADD COLUMN``), with the same defaults a new journal has.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("orders", "details", "TEXT NOT NULL DEFAULT '{}'"),
    ("orders", "shift_id", "INTEGER NOT NULL DEFAULT 0"),
    ("open_carts", "details", "TEXT NOT NULL DEFAULT '{}'"),
)
# What ``OrderRecord.details`` may hold: what the receipt and the orders view show that the cart
# does not (never card data beyond the last four digits, never the security code).
DETAIL_KEYS = ("payment_kind", "payment", "buyer", "delivery", "event_when", "venue", "station_name",
               "hide_row_seat", "receipt_number", "cash_tendered", "cash_change")


def detail_text(details: Mapping[str, object]) -> str:
    """The ``DETAIL_KEYS`` of ``details`` that have a value, as the journal stores them (JSON)."""
    return json.dumps({k: str(v) for k, v in details.items() if k in DETAIL_KEYS and v}, ensure_ascii=False)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class OpenCart:
    id: int
    event_id: str
    event_name: str
    cart_id: str
    source_account_id: str
    state: str
    opened_at: str
    updated_at: str
    station_user: str
    process_id: int
    run_id: str
    backend: str
    seats: str
    grand_total: str
    currency_code: str
    # the sale's ``DETAIL_KEYS`` as JSON, written with the "committing" mark: an order recovery finds
    # for a dead run still says how it was paid (the shift's totals go by it)
    details: str = "{}"

    def detail_map(self) -> dict[str, str]:
        try:
            found = json.loads(self.details or "{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in found.items() if k in DETAIL_KEYS} if isinstance(found, dict) else {}


@dataclass(frozen=True)
class OrderRecord:
    order_number: str
    order_token: str
    event_id: str
    grand_total: Decimal | None
    currency_code: str
    event_name: str = ""
    cart_id: str = ""
    source_account_id: str = ""
    seats: str = ""
    merchandise: Decimal | None = None
    fees: Decimal | None = None
    delivery: Decimal | None = None
    tax: Decimal | None = None
    redemption_url: str = ""
    completed_at: str = ""
    station_user: str = ""
    confirmed: bool = True
    # payment kind and its masked text, buyer's name, delivery… (``DETAIL_KEYS``): for the orders view
    details: Mapping[str, str] = field(default_factory=dict)
    shift_id: int = 0  # 0: the shift open when the order is written

    def detail(self, key: str) -> str:
        return str(self.details.get(key, "") or "")

    @property
    def hides_row_seat(self) -> bool:
        """Sold on a venue that forbids row and seat names (``locRowSeatRestrict``): never name them."""
        return self.detail("hide_row_seat") == "yes"


@dataclass(frozen=True)
class Shift:
    """A cashier's shift: from opening to closing (``closed_at`` empty while open)."""

    id: int
    opened_at: str
    closed_at: str = ""
    station_name: str = ""
    opened_by: str = ""

    @property
    def is_open(self) -> bool:
        return not self.closed_at


@dataclass(frozen=True)
class RecoveryEntry:
    time: str
    kind: str
    event_id: str
    cart_id: str
    order_number: str
    detail: str


def money_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def money_from_text(text: str) -> Decimal | None:
    return Decimal(text) if text else None
