"""Cash at the counter through the sale pages, as a cashier does it: pick Cash, type (or click) the
amount the buyer handed over, see the change as it is typed, pay, place the order, and read the
change on the confirmation and the receipt. Against the live sandbox: what it recorded is the
documented INVOICE payment whose reference is the receipt number."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from app.gui.formatting import format_money
from app.gui.orders.records import order_lines, receipt_for
from app.gui.sale.receipt import save_receipt_pdf
from tests.gui.sale.salekit import MOBILE_ENTRY, payment_calls, payment_page, pdf_text
from tests.gui.windowkit import fill_buyer, find, type_into


def unpaid(sandbox_control) -> Decimal:
    return Decimal(str(sandbox_control.state()["held_carts"][0]["unpaid"])).quantize(Decimal("0.01"))


def test_a_cash_sale_shows_the_change_and_sends_the_receipt_number(station, run, until, qtbot, sandbox_control,
                                                                    tmp_path):
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        session = flow.session
        due = unpaid(sandbox_control)
        qtbot.mouseClick(find(flow, "method_cash"), Qt.MouseButton.LeftButton)
        assert not find(flow, "cardNumber", QLineEdit).isVisible()

        type_into(qtbot, flow, "cashTendered", "5")
        short = f"That is USD {due - 5:,.2f} short of the USD {due:,.2f} due."
        assert find(flow, "cashTenderedError", QLabel).text() == short
        assert find(flow, "cashChange", QLabel).text() == "—"
        assert not find(flow, "payButton", QPushButton).isEnabled()

        type_into(qtbot, flow, "cashTendered", "500")
        change = format_money(Decimal(500) - due, "USD")
        assert find(flow, "cashChange", QLabel).text() == f"Give back {change}"
        assert not find(flow, "cashTenderedError", QLabel).isVisible()
        fill_buyer(qtbot, flow)
        pay = find(flow, "payButton", QPushButton)
        assert pay.isEnabled(), flow.payment.hint.text()
        assert payment_calls(sandbox_control) == []  # the short amount never left the station
        qtbot.mouseClick(pay, Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
        assert find(flow, "reviewPayment", QLabel).text() == (
            f"Cash — received USD 500.00, change USD {Decimal(500) - due:,.2f}")

        qtbot.mouseClick(find(flow, "commitButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.confirmation, what="confirmation page")
        assert find(flow, "changeDue", QLabel).text() == f"Give back {change} in change"
        assert find(flow, "changeDue", QLabel).isVisible()
        receipt = flow.confirmation.receipt
        assert f"Receipt no. {session.receipt_number}" in receipt.sale_lines
        path = tmp_path / receipt.file_name
        save_receipt_pdf(receipt, str(path))
        text = pdf_text(path)
        assert f"Receipt no. {session.receipt_number}" in text and "Cash — received USD 500.00" in text
        order = [o for o in sandbox_control.state()["orders"] if o["order_number"] == receipt.order_number][-1]
        assert order["payments"][0]["type"] == "INVOICE"
        assert order["payments"][0]["reference"] == session.receipt_number
        assert order["payments"][0]["amount"] == f"{due:.2f}"
        recorded = next(o for o in station.journal.orders() if o.order_token == order["order_token"])
        assert recorded.detail("payment_kind") == "cash" and recorded.detail("cash_tendered") == "500"
        # The orders window says it once, and a reprint carries the same receipt number and change.
        lines = order_lines(recorded)
        assert lines[0].endswith(f" · receipt no. {session.receipt_number}")
        assert f"Payment: Cash — received USD 500.00, change USD {Decimal(500) - due:,.2f}" in lines
        reprint = receipt_for(recorded, station_name="Box 3", reprinted_at=datetime.now(UTC))
        assert (reprint.receipt_number, reprint.change) == (session.receipt_number, change)

    run(steps())


def test_a_round_sum_button_fills_the_amount_and_moves_on(station, run, until, qtbot, sandbox_control):
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        due = unpaid(sandbox_control)
        qtbot.mouseClick(find(flow, "method_cash"), Qt.MouseButton.LeftButton)
        fill_buyer(qtbot, flow)
        exact = find(flow, "cashQuick0", QPushButton)
        assert exact.text() == f"Exact ({format_money(due, 'USD')})"
        qtbot.mouseClick(exact, Qt.MouseButton.LeftButton)
        assert find(flow, "cashTendered", QLineEdit).text() == f"{due:.2f}"
        assert find(flow, "cashChange", QLabel).text() == "No change"
        assert QApplication.focusWidget() is find(flow, "payButton", QPushButton)  # Enter now pays
        second = find(flow, "cashQuick1", QPushButton)
        qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
        assert find(flow, "cashChange", QLabel).text().startswith("Give back ")
        # Leaving Cash forgets the amount: nothing typed for one way of paying lingers under another.
        qtbot.mouseClick(find(flow, "method_card"), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(find(flow, "method_cash"), Qt.MouseButton.LeftButton)
        assert find(flow, "cashTendered", QLineEdit).text() == ""

    run(steps())
