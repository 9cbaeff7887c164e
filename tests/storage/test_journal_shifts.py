"""Shifts in the journal, the details kept with an order, and a journal made before either."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from app.storage.journal import Journal, OrderRecord

OLD_ORDERS = """
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT, order_number TEXT NOT NULL DEFAULT '',
    order_token TEXT NOT NULL DEFAULT '', event_id TEXT NOT NULL, event_name TEXT NOT NULL DEFAULT '',
    cart_id TEXT NOT NULL DEFAULT '', source_account_id TEXT NOT NULL DEFAULT '', seats TEXT NOT NULL DEFAULT '',
    merchandise TEXT NOT NULL DEFAULT '', fees TEXT NOT NULL DEFAULT '', delivery TEXT NOT NULL DEFAULT '',
    tax TEXT NOT NULL DEFAULT '', grand_total TEXT NOT NULL DEFAULT '', currency_code TEXT NOT NULL DEFAULT '',
    redemption_url TEXT NOT NULL DEFAULT '', completed_at TEXT NOT NULL, station_user TEXT NOT NULL DEFAULT '',
    confirmed INTEGER NOT NULL DEFAULT 1);
INSERT INTO orders (order_number, order_token, event_id, grand_total, currency_code, completed_at)
VALUES ('27-1/NY1', 'tok-old', 'E1', '85.00', 'USD', '2026-11-30T10:00:00+00:00');
"""


def order(token: str, **extra) -> OrderRecord:
    return OrderRecord(order_number=f"N-{token}", order_token=token, event_id="E1", grand_total=Decimal("10.50"),
                       currency_code="USD", **extra)


def test_a_journal_from_before_shifts_opens_and_keeps_its_orders(tmp_path):
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_ORDERS)
    with Journal(path) as journal:
        (old,) = journal.orders()
        assert old.order_number == "27-1/NY1" and old.details == {} and old.shift_id == 0
        shift = journal.open_shift(station_name="Box 3", opened_by="jo")
        journal.record_order(order("new"))
        assert [o.order_token for o in journal.orders_of_shift(shift.id)] == ["new"]


def test_orders_go_to_the_open_shift_and_a_closed_shift_keeps_them(tmp_path):
    with Journal(tmp_path / "j.sqlite3") as journal:
        first = journal.open_shift(station_name="Box 3", opened_by="jo")
        assert journal.open_shift() == first  # one open shift at a time
        journal.record_order(order("a"))
        closed = journal.close_shift(first.id)
        assert not closed.is_open and closed.closed_at
        second = journal.open_shift(station_name="Box 3", opened_by="sam")
        journal.record_order(order("b"))
        assert [o.order_token for o in journal.orders_of_shift(first.id)] == ["a"]
        assert [o.order_token for o in journal.orders_of_shift(second.id)] == ["b"]
        assert [s.id for s in journal.shifts()] == [second.id, first.id]


def test_only_the_known_details_are_kept(tmp_path):
    with Journal(tmp_path / "j.sqlite3") as journal:
        journal.record_order(order("c", details={"payment_kind": "card", "payment": "Visa ••••1111",
                                                 "buyer": "Jo Doe", "cvv": "123", "number": "4111111111111111"}))
        (kept,) = journal.orders()
    assert kept.details == {"payment_kind": "card", "payment": "Visa ••••1111", "buyer": "Jo Doe"}
    raw = (tmp_path / "j.sqlite3").read_bytes()
    assert b"4111111111111111" not in raw and b'"cvv"' not in raw
