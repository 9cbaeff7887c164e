"""The orders window, used as a cashier would at the counter: after real sales through the window,
find an order, read what was sold, ask the service for its tickets, reprint it as PDF, export and
close the shift, list unredeemed orders — never more of a card than its last four digits."""

from __future__ import annotations

import asyncio
import csv
import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)

from app.checkout.shifts import REFUND_NOTE
from app.gui.orders.records import NO_BARCODES
from tests.gui.sale.salekit import pdf_text
from tests.gui.windowkit import (
    TEST_CARD,
    TEST_EVENT,
    choose_delivery,
    click,
    fill_payment,
    find,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
)

NO_BARCODE_EVENT = "3B00NOBARCODE005"


async def sell(window, qtbot, until, search: str, event_id: str, seats: int = 2) -> str:
    await open_event_by_search(window, qtbot, until, search, event_id)
    await reserve_best_available(window, qtbot, until, seats)
    await choose_delivery(window, qtbot, until)
    fill_payment(qtbot, window.sale_flow)
    number = await pay_and_commit(window, qtbot, until)
    click(qtbot, find(window.sale_flow, "newSaleButton", QPushButton))
    await until(lambda: window.sale_flow is None, what="the sale ended")
    return number


def new_shift(window) -> int:
    """Start from a shift of our own (the suite's journal outlives a test, as a station's does)."""
    _closed, _orders, shift = window.station.books.close_shift()
    return shift.id


def open_orders(window, qtbot):
    action = find(window, "action_orders", QAction)
    assert action.shortcut().toString() == "Ctrl+Shift+O"
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = find(window, "ordersWindow")
    assert view.isVisible()
    return view


def rows(view) -> list[list[str]]:
    table = find(view, "ordersTable", QTableWidget)
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_sale_is_found_read_and_reprinted(window, run, until, qtbot, tmp_path):
    shift = new_shift(window)
    number = run(sell(window, qtbot, until, "test purchase", TEST_EVENT))
    view = open_orders(window, qtbot)
    listed = rows(view)
    assert len(listed) == 1
    time, order, event, seats, payment, total, cashier, state = listed[0]
    assert order == number and event == "Sandbox Test Purchase Night" and state == "Sold"
    assert cashier == window.station.settings.station_user and len(time) == len("2026-12-01 14:02")
    assert payment == "Discover ••••1006" and total.startswith("$") and seats.startswith("Section ")
    summary = find(view, "shiftSummary", QLabel).text()
    assert summary.startswith(f"Shift {shift}, open since ") and "Card: 1 order, USD " in summary

    search = find(view, "ordersSearch", QLineEdit)
    assert view.focusWidget() is search  # where the keyboard is once the window is active
    qtbot.keyClicks(search, "doe")
    assert len(rows(view)) == 1
    search.clear()
    qtbot.keyClicks(search, "nobody-of-that-name")
    assert rows(view) == []
    qtbot.keyClick(search, Qt.Key.Key_Return)  # Enter in the search box presses no button
    assert find(view, "ordersNote", QLabel).text() == ""
    search.clear()
    # The hint's example date is today's, as the Time column writes it, and typing it finds the sale.
    today = time.split()[0]
    assert search.placeholderText().endswith(f"date ({today})")
    qtbot.keyClicks(search, today)
    assert [row[1] for row in rows(view)] == [number]
    search.clear()

    find(view, "ordersTable", QTableWidget).selectRow(0)
    details = find(view, "orderDetails", QPlainTextEdit).toPlainText()
    assert f"Order {number} · Sold" in details and "Buyer: Jo Doe" in details
    assert "Payment: Card — Discover ••••1006" in details and REFUND_NOTE in details
    assert TEST_CARD not in details and "123" not in details.split("Payment")[1].split("\n")[0]

    click(qtbot, find(view, "orderSavePdfButton", QPushButton))
    dialog = find(view, "orderSaveReceiptDialog", QFileDialog)
    target = tmp_path / "reprint.pdf"
    dialog.selectFile(str(target))
    dialog.accept()
    text = pdf_text(target)
    assert number in text and "Reprinted " in text and "Discover ••••1006" in text and "Jo Doe" in text
    assert "Receipt saved to" in find(view, "ordersNote", QLabel).text()


def test_ticket_details_from_the_service_and_no_barcodes_said_plainly(window, run, until, qtbot):
    new_shift(window)
    run(sell(window, qtbot, until, "vintage", NO_BARCODE_EVENT, 1))
    view = open_orders(window, qtbot)
    find(view, "ordersTable", QTableWidget).selectRow(0)
    details = find(view, "orderDetails", QPlainTextEdit)

    async def steps():
        click(qtbot, find(view, "orderTicketsButton", QPushButton))
        await until(lambda: "Tickets (from the service):" in details.toPlainText(), what="the tickets")

    run(steps())
    text = details.toPlainText()
    assert "· no barcode" in text and NO_BARCODES in text
    assert ", row " in text and ", seat " in text


def test_the_shift_is_exported_and_closed(window, run, until, qtbot, tmp_path):
    shift = new_shift(window)
    first = run(sell(window, qtbot, until, "test purchase", TEST_EVENT))
    view = open_orders(window, qtbot)

    click(qtbot, find(view, "shiftExportButton", QPushButton))
    dialog = find(view, "shiftExportDialog", QFileDialog)
    target = tmp_path / "shift.csv"
    dialog.selectFile(str(target))
    dialog.accept()
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert table[0][0] == "station" and table[1] == ["shift", str(shift)] and table[3] == ["closed", "open"]
    header = table[5]
    line = dict(zip(header, table[6], strict=True))
    assert line["order_number"] == first and line["payment_kind"] == "Card" and line["buyer"] == "Jo Doe"
    assert line["payment"] == "Discover ••••1006" and line["currency"] == "USD" and line["confirmed"] == "yes"
    assert TEST_CARD not in target.read_text(encoding="utf-8")

    async def close_it():
        click(qtbot, find(view, "closeShiftButton", QPushButton))
        box = await until(lambda: next((b for b in view.findChildren(QMessageBox, "closeShiftQuestion")
                                        if b.isVisible()), None), what="the question")
        assert "Card: 1 order" in box.text()
        keep = await until(lambda: QApplication.focusWidget() if QApplication.focusWidget() is not None
                           and QApplication.focusWidget().window() is box else None, what="the question focused")
        qtbot.keyClick(keep, Qt.Key.Key_Return)  # Enter keeps the shift open
        await until(lambda: not box.isVisible(), what="answered")
        assert find(view, "shiftSummary", QLabel).text().startswith(f"Shift {shift},")
        click(qtbot, find(view, "closeShiftButton", QPushButton))
        box = await until(lambda: next((b for b in view.findChildren(QMessageBox, "closeShiftQuestion")
                                        if b.isVisible()), None), what="the question again")
        click(qtbot, find(box, "closeShiftConfirm", QPushButton))
        await until(lambda: find(view, "ordersNote", QLabel).text().startswith(f"Shift {shift} closed at "),
                    what="the shift closed")

    run(close_it())
    assert "Card: 1 order" in find(view, "ordersNote", QLabel).text()
    assert find(view, "shiftSummary", QLabel).text().startswith(f"Shift {shift + 1},") and rows(view) == []
    find(view, "ordersScope", QComboBox).setCurrentText("All orders")
    assert rows(view)[0][1] == first  # newest first

    second = run(sell(window, qtbot, until, "test purchase", TEST_EVENT, 1))
    find(view, "ordersScope", QComboBox).setCurrentText("This shift")
    view.refresh()
    assert [r[1] for r in rows(view)] == [second]


def test_unredeemed_orders_with_their_email_status_and_link(window, run, until, qtbot):
    new_shift(window)
    run(sell(window, qtbot, until, "test purchase", TEST_EVENT))
    view = open_orders(window, qtbot)
    find(view, "ordersTabs").setCurrentIndex(1)
    table = find(view, "unredeemedTable", QTableWidget)

    async def steps():
        click(qtbot, find(view, "unredeemedFind", QPushButton))
        await until(lambda: table.rowCount() > 0, what="unredeemed orders listed")

    run(steps())
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[0] == TEST_EVENT and cells[4] in ("Sent", "Bounced", "Marked as spam", "Could not be sent")
    assert cells[5].startswith("http")
    assert find(view, "unredeemedStatus", QLabel).text().startswith("1 unredeemed order within 7 days")


def test_ticket_details_for_an_order_left_behind_are_dropped(window, run, until, qtbot, sandbox_control):
    new_shift(window)
    first = run(sell(window, qtbot, until, "test purchase", TEST_EVENT, 1))
    second = run(sell(window, qtbot, until, "test purchase", TEST_EVENT, 1))
    view = open_orders(window, qtbot)
    table = find(view, "ordersTable", QTableWidget)
    details = find(view, "orderDetails", QPlainTextEdit)
    numbers = [r[1] for r in rows(view)]
    assert set(numbers) == {first, second}

    async def steps():
        table.selectRow(0)
        sandbox_control.scenario(latency_ms=1500)
        click(qtbot, find(view, "orderTicketsButton", QPushButton))
        table.selectRow(1)  # the cashier moves on before the answer arrives
        await asyncio.sleep(2.5)

    run(steps())
    sandbox_control.scenario(latency_ms=0)
    text = details.toPlainText()
    assert text.startswith(f"Order {numbers[1]} ·") and "Tickets (from the service):" not in text


def test_from_the_search_enter_or_down_opens_the_first_match_and_esc_clears(window, run, until, qtbot):
    new_shift(window)
    number = run(sell(window, qtbot, until, "test purchase", TEST_EVENT))
    view = open_orders(window, qtbot)
    search = find(view, "ordersSearch", QLineEdit)
    table = find(view, "ordersTable", QTableWidget)
    details = find(view, "orderDetails", QPlainTextEdit)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Down):
        table.clearSelection()
        search.setFocus()
        search.clear()
        qtbot.keyClicks(search, "doe")
        qtbot.keyClick(search, key)
        assert f"Order {number} · Sold" in details.toPlainText(), key  # the match is read out...
        assert view.focusWidget() is table  # ...and the arrows now go through the orders
        assert find(view, "ordersNote", QLabel).text() == ""  # no button was pressed
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_Escape)  # the first Esc clears what was typed...
    assert search.text() == "" and view.isVisible()
    qtbot.keyClick(search, Qt.Key.Key_Escape)  # ...the next one closes the window
    assert not view.isVisible()


def test_a_long_seats_line_leaves_the_event_readable(window, run, qtbot):
    """Several rows of seats made the Seats column as wide as its text and squeezed the event's name
    to '…' (and the table scrolled sideways). The event stays readable; the seats are elided, whole
    in their tip and in the order's details below."""
    from decimal import Decimal

    from app.storage.journalrecords import OrderRecord

    new_shift(window)
    seats = "; ".join(f"Section 102, row {row}, 6 seats between seats 2 and 8" for row in "BCD")
    window.station.journal.record_order(OrderRecord(
        order_number="39-63266/SYD", order_token="tok-long-seats", event_id="3B00C4A7C0DE0001",
        grand_total=Decimal("939.00"), currency_code="AUD", event_name="Harbour Lights Festival", seats=seats,
        completed_at="2026-12-04T04:21:00+00:00"))
    view = open_orders(window, qtbot)
    table = find(view, "ordersTable", QTableWidget)
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    QApplication.processEvents()
    name_width = table.fontMetrics().horizontalAdvance("Harbour Lights Festival")
    assert table.columnWidth(2) >= name_width + 8, (table.columnWidth(2), name_width)
    assert table.horizontalScrollBar().maximum() == 0  # every column in sight
    assert table.item(0, 3).toolTip() == seats
    table.selectRow(0)
    details = find(view, "orderDetails", QPlainTextEdit).toPlainText()
    assert all(f"Seats: {part}" in details for part in seats.split("; ")), details
