"""The confirmation page's receipts and keys: the print and save dialogs (the real Qt dialogs, answered
as a cashier would), where they start, the file names they suggest, and Enter afterwards.

Order numbers contain "/" (``27-84606/NY1``): a suggested file name must never carry one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QLineEdit, QPushButton

from tests.gui.sale.salekit import MOBILE_ENTRY, delivery_option, open_flow, pdf_text, reserve
from tests.gui.windowkit import find, type_into

SAFE_NAME = re.compile(r"^receipt-[A-Za-z0-9_-]+\.pdf$")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The cashier's home folder (with a Documents folder); the program runs from elsewhere."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    program = tmp_path / "program"
    program.mkdir()
    monkeypatch.chdir(program)
    return home


class DialogAnswer:
    """Answers the first shown dialog of ``kind`` with ``action(dialog)`` — also when it was opened with
    a blocking ``exec()``, whose nested loop still runs Qt timers."""

    def __init__(self, kind, action) -> None:
        self.kind, self.action, self.seen = kind, action, []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, self.kind) and widget.isVisible():
                self.timer.stop()
                self.seen.append(widget)
                self.action(widget)
                return


def closed(answer: DialogAnswer) -> bool:
    return bool(answer.seen) and (not shiboken6.isValid(answer.seen[0]) or not answer.seen[0].isVisible())


async def sold_by_invoice(station, qtbot, until):
    session = await reserve(station, quantity=1)
    flow = open_flow(qtbot, session)
    button, mobile_entry = await delivery_option(flow, until, MOBILE_ENTRY)
    await until(lambda: button.isVisible() and flow.shipping.group_box.isEnabled(), what="delivery choice shown")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: flow.shipping.accepted_id == mobile_entry, what="delivery accepted")
    qtbot.mouseClick(find(flow, "shippingNextButton", QPushButton), Qt.MouseButton.LeftButton)
    await until(lambda: flow.stack.currentWidget() is flow.payment, what="payment page")
    qtbot.mouseClick(find(flow, "method_invoice"), Qt.MouseButton.LeftButton)
    type_into(qtbot, flow, "invoiceReference", "99")
    for name, text in (("firstName", "Jo"), ("lastName", "Doe"), ("email", "jo.doe@example.com")):
        type_into(qtbot, flow, name, text)
    qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
    await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
    qtbot.mouseClick(find(flow, "commitButton", QPushButton), Qt.MouseButton.LeftButton)
    await until(lambda: flow.stack.currentWidget() is flow.confirmation, what="confirmation page")
    number = find(flow, "orderNumberLabel", QLabel).text()
    assert "/" in number  # the sandbox's order numbers end in "/<host>", like the service's
    return flow, number


def test_print_to_file_suggests_a_safe_name_in_documents_and_enter_then_starts_a_new_sale(
        station, run, until, qtbot, home):
    suggested = []

    def print_it(dialog: QPrintDialog) -> None:
        path = dialog.findChild(QLineEdit, "filename").text()
        suggested.append(path)
        if Path(path).parent == home / "Documents":
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        else:
            dialog.reject()  # the old suggestion cannot be written; say so below

    async def steps():
        flow, number = await sold_by_invoice(station, qtbot, until)
        finished = []
        flow.finished.connect(finished.append)
        answer = DialogAnswer(QPrintDialog, print_it)
        qtbot.mouseClick(find(flow, "printReceiptButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda answer=answer: closed(answer), what="the print dialog answered")
        path = Path(suggested[0])
        assert path.parent == home / "Documents", suggested
        assert SAFE_NAME.match(path.name) and number.replace("/", "-") in path.name, path.name
        await until(lambda: path.exists() and find(flow, "receiptStatus", QLabel).text(), what="receipt written")
        assert find(flow, "receiptStatus", QLabel).text() == f"Receipt saved to {path}."
        assert number in pdf_text(path)
        # The dialog is gone: Enter is the page's main action again, whatever had the focus.
        new_sale = find(flow, "newSaleButton", QPushButton)
        await until(lambda: QApplication.focusWidget() is new_sale, what="the keyboard on 'New sale'")
        again = DialogAnswer(QPrintDialog, lambda dialog: dialog.reject())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert finished and finished[0].order_number == number
        assert again.seen == []
        again.timer.stop()

    run(steps())


def test_closing_the_print_dialog_gives_enter_back_to_new_sale(station, run, until, qtbot, home):
    async def steps():
        flow, _number = await sold_by_invoice(station, qtbot, until)
        finished = []
        flow.finished.connect(finished.append)
        answer = DialogAnswer(QPrintDialog, lambda dialog: dialog.reject())
        qtbot.mouseClick(find(flow, "printReceiptButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda answer=answer: closed(answer), what="the print dialog closed")
        flow.activateWindow()  # as the window manager does once a dialog closes
        await until(lambda: QApplication.focusWidget() is not None, what="the keyboard back in the window")
        again = DialogAnswer(QPrintDialog, lambda dialog: dialog.reject())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        await until(lambda: finished or again.seen, what="Enter acted")
        assert again.seen == [], "Enter opened the print dialog again"
        assert len(finished) == 1
        again.timer.stop()

    run(steps())


def test_save_as_pdf_starts_in_documents_with_a_safe_name(station, run, until, qtbot, home):
    offered = []

    def save_it(dialog: QFileDialog) -> None:
        offered.append((dialog.directory().absolutePath(), dialog.selectedFiles()))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.selectAll()
        qtbot.keyClicks(name, "for the buyer.pdf")
        qtbot.keyClick(name, Qt.Key.Key_Return)

    async def steps():
        flow, number = await sold_by_invoice(station, qtbot, until)
        answer = DialogAnswer(QFileDialog, save_it)
        qtbot.mouseClick(find(flow, "saveReceiptButton", QPushButton), Qt.MouseButton.LeftButton)
        target = home / "Documents" / "for the buyer.pdf"
        await until(lambda: answer.seen and target.exists(), what="the receipt saved")
        folder, files = offered[0]
        assert Path(folder) == home / "Documents"
        assert len(files) == 1 and Path(files[0]).parent == home / "Documents"
        assert SAFE_NAME.match(Path(files[0]).name) and number.replace("/", "-") in files[0]
        assert find(flow, "receiptStatus", QLabel).text() == f"Receipt saved to {target}."
        assert number in pdf_text(target)
        new_sale = find(flow, "newSaleButton", QPushButton)
        await until(lambda: QApplication.focusWidget() is new_sale, what="the keyboard on 'New sale'")

    run(steps())


def test_without_a_documents_folder_the_dialogs_start_at_home(station, run, until, qtbot, home):
    (home / "Documents").rmdir()
    offered = []

    def look(dialog) -> None:
        if isinstance(dialog, QFileDialog):
            offered.append(Path(dialog.directory().absolutePath()))
        else:
            offered.append(Path(dialog.findChild(QLineEdit, "filename").text()).parent)
        dialog.reject()

    async def steps():
        flow, _number = await sold_by_invoice(station, qtbot, until)
        for button, kind in (("saveReceiptButton", QFileDialog), ("printReceiptButton", QPrintDialog)):
            answer = DialogAnswer(kind, look)
            qtbot.mouseClick(find(flow, button, QPushButton), Qt.MouseButton.LeftButton)
            await until(lambda answer=answer: closed(answer), what=f"{kind.__name__} closed")
        assert offered == [home, home]

    run(steps())


def test_both_codes_stack_so_the_page_leaves_the_event_list_its_room(qtbot):
    """An order with a Ticketmaster-app link has two QR codes; side by side they made the page so wide
    that the window squeezed its event list to a sliver (seen at 1366×768)."""
    from app.gui.sale.confirmation import ConfirmationPage
    from app.gui.sale.receipt import Receipt, SaleEvent

    page = ConfirmationPage()
    qtbot.addWidget(page)
    one = Receipt(SaleEvent("E1", "Spring Recital"), "27-84606/NY1", ("Section 102 · row A · seat 1",),
                  (("Total", "$111.64"),), "$111.64", redemption_url="http://127.0.0.1/redeem?token=" + "x" * 40)
    page.show_receipt(one)
    page.show()
    alone = page.minimumSizeHint().width()
    both = Receipt(**{**one.__dict__, "tm_app_url": "ticketmaster://orders/redeem?token=" + "y" * 40,
                      "change": "$88.36"})
    page.show_receipt(both)
    assert page.app_qr_block.isVisible() and find(page, "changeDue", QLabel).isVisible()
    assert page.minimumSizeHint().width() <= alone + 10
