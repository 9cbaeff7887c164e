"""A shift's totals, search and CSV, without a window (``app.checkout.shifts``)."""

from __future__ import annotations

import csv
import dataclasses
import io
from decimal import Decimal

from app.checkout.shifts import matches, search, shift_csv, totals
from app.storage.journalrecords import OrderRecord, Shift


def order(number: str, total: str, currency: str = "USD", kind: str = "card", **extra) -> OrderRecord:
    return OrderRecord(order_number=number, order_token=f"t{number}", event_id="E1", event_name="Spring Recital",
                       grand_total=Decimal(total), currency_code=currency,
                       completed_at="2026-12-01T14:02:00+00:00",
                       details={"payment_kind": kind, "buyer": "Jo Doe", "payment": "Invoice 7" if kind == "invoice"
                                else "Visa ••••1111"}, **extra)


def test_totals_per_payment_kind_and_currency():
    shift = totals([order("1", "10.50"), order("2", "4.50"), order("3", "20", kind="invoice"),
                    order("4", "30", currency="CAD"), order("5", "1", confirmed=False)])
    assert shift.orders == 5 and shift.unconfirmed == 1
    assert shift.lines() == ["Card: 1 order, CAD 30.00", "Card: 3 orders, USD 16.00", "Invoice: 1 order, USD 20.00",
                             "Total: CAD 30.00", "Total: USD 36.00", "1 order placed without a confirmed number"]
    assert totals([]).lines() == ["No orders yet."]


def test_search_takes_every_word_in_a_cashiers_terms():
    orders = [order("27-1/NY1", "10"), order("27-2/NY1", "10", kind="invoice")]
    assert [o.order_number for o in search(orders, "doe invoice")] == ["27-2/NY1"]
    assert [o.order_number for o in search(orders, "27-1")] == ["27-1/NY1"]
    assert len(search(orders, "  ")) == 2
    assert not matches(orders[0], "recital smith")


def test_the_shift_as_csv():
    shift = Shift(id=4, opened_at="2026-12-01T08:00:00+00:00", closed_at="2026-12-01T16:00:00+00:00")
    rows = list(csv.reader(io.StringIO(shift_csv(shift, [order("27-1/NY1", "10.5")], station_name="Box 3"))))
    assert rows[:4] == [["station", "Box 3"], ["shift", "4"], ["opened", "2026-12-01T08:00:00+00:00"],
                        ["closed", "2026-12-01T16:00:00+00:00"]]
    line = dict(zip(rows[5], rows[6], strict=True))
    assert line["order_number"] == "27-1/NY1" and line["grand_total"] == "10.50" and line["payment_kind"] == "Card"


def test_cash_sales_have_their_own_total_their_receipt_number_and_the_change_in_the_csv():
    cash = order("27-3/NY1", "87.66", kind="cash")
    cash = dataclasses.replace(cash, details={**cash.details, "payment": "Cash — received USD 100.00, change USD 12.34",
                                              "receipt_number": "42", "cash_tendered": "100", "cash_change": "12.34"})
    assert totals([cash, order("27-1/NY1", "10")]).lines()[:2] == ["Card: 1 order, USD 10.00",
                                                                    "Cash: 1 order, USD 87.66"]
    assert search([cash, order("27-1/NY1", "10")], "42") == [cash]
    shift = Shift(id=4, opened_at="2026-12-01T08:00:00+00:00")
    rows = list(csv.reader(io.StringIO(shift_csv(shift, [cash], station_name="Box 3"))))
    line = dict(zip(rows[5], rows[6], strict=True))
    assert (line["payment_kind"], line["receipt_number"], line["cash_received"], line["change_given"]) == (
        "Cash", "42", "100", "12.34")
