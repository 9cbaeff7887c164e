"""Orders (Orders → Orders…, Ctrl+Shift+O): this station's sales from its journal, for a cashier
at the counter — look one up (order number, buyer, event, date), see what was sold and how it was
paid (the card's last four digits at most), ask the service for its tickets and barcodes, reprint
or save its receipt, and the shift: its totals per payment kind, its CSV, and Close shift.

The list and the totals come from the station (``station.books.shift_orders`` / ``journal_orders``) and
the core's ``app.checkout.shifts`` (search, totals, CSV); ticket details through
``station.counter.order``. An answer that arrives after the cashier picked another order is dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.checkout import shifts
from app.gui.asyncutil import spawn
from app.gui.errors import describe
from app.gui.formatting import format_money
from app.gui.orders.records import order_lines, receipt_for, state_text, ticket_lines
from app.gui.orders.unredeemed import UnredeemedTab
from app.gui.sale.receipt import Receipt
from app.gui.sale.receiptoutput import ReceiptOutput, receipt_folder
from app.gui.searchbox import SearchBox
from app.storage.journalfaults import JournalError
from app.storage.journalrecords import OrderRecord
from app.storage.settings import atomic_write_text

THIS_SHIFT, ALL = "This shift", "All orders"
COLUMNS = ("Time", "Order", "Event", "Seats", "Payment", "Total", "Cashier", "State")


class OrdersWindow(QDialog):
    """A window beside the main one (not modal: selling goes on while it is open)."""

    def __init__(self, station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersWindow")
        self.setWindowTitle("Orders")
        self.station = station
        self._orders: list[OrderRecord] = []
        self._asked_token = ""  # the order whose ticket details are on their way
        self._csv_dialog: QFileDialog | None = None

        self.search = SearchBox(self)
        self.search.setObjectName("ordersSearch")
        self.search.setAccessibleName("Search orders")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._into_table)
        self.search.downPressed.connect(self._into_table)
        self.scope = QComboBox(self)
        self.scope.setObjectName("ordersScope")
        self.scope.setAccessibleName("Which orders")
        self.scope.addItems([THIS_SHIFT, ALL])
        self.scope.currentIndexChanged.connect(self.refresh)
        self.shift_label = QLabel(self)
        self.shift_label.setObjectName("shiftSummary")
        self.shift_label.setWordWrap(True)
        self.shift_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("ordersTable")
        self.table.setAccessibleName("Orders")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The event and the seats share what is left: a sale over several rows has a long seats line,
        # which sized to its text pushed the event's name out of sight. Cut text ends in "…"; the
        # cell's tip and the details below hold it whole.
        header.setSectionResizeMode(COLUMNS.index("Event"), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMNS.index("Seats"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("orderDetails")
        self.details.setAccessibleName("The order")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an order to see what was sold.")

        self.tickets_button = self._button("Ticket &details", "orderTicketsButton", self.ask_ticket_details)
        self.print_button = self._button("&Reprint receipt…", "orderReprintButton", self._print)
        self.pdf_button = self._button("Save receipt as &PDF…", "orderSavePdfButton", self._save_pdf)
        self.csv_button = self._button("&Export shift as CSV…", "shiftExportButton", self.ask_where_to_export)
        self.close_shift_button = self._button("&Close shift…", "closeShiftButton", self.ask_close_shift)
        self.note = QLabel(self)
        self.note.setObjectName("ordersNote")
        self.note.setWordWrap(True)
        self.output = ReceiptOutput(self, self.selected_receipt, self.note.setText, name="order")

        orders_page = QWidget(self)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.scope)
        split = QSplitter(Qt.Orientation.Vertical, orders_page)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        order_actions = QHBoxLayout()
        for button in (self.tickets_button, self.print_button, self.pdf_button):
            order_actions.addWidget(button)
        order_actions.addStretch(1)
        order_actions.addWidget(self.csv_button)
        order_actions.addWidget(self.close_shift_button)
        page = QVBoxLayout(orders_page)
        page.addLayout(top)
        page.addWidget(self.shift_label)
        page.addWidget(split, 1)
        page.addLayout(order_actions)
        page.addWidget(self.note)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ordersTabs")
        self.tabs.addTab(orders_page, "This station's orders")
        self.unredeemed = UnredeemedTab(station, self)
        self.tabs.addTab(self.unredeemed, "Unredeemed")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(1000, 640)
        self._selection_changed()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the search box presses nothing
        button.clicked.connect(slot)
        return button

    # --- what is listed ---------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        # The example date is today's (the window stays open across midnight at a long shift's end).
        self.search.setPlaceholderText(f"Search: order number, buyer, event, seats, date ({shifts.local_today()})")
        self.refresh()
        self.search.setFocus()
        super().showEvent(event)

    def refresh(self, *_args) -> None:
        """Read the journal again (the list, the shift's totals) keeping the selected order."""
        keep = self.selected()
        try:
            shift = self.station.books.current_shift()
            shift_orders = self.station.books.shift_orders(shift)
            source = shift_orders if self.scope.currentText() == THIS_SHIFT else self.station.books.journal_orders(5000)
        except JournalError as exc:
            self.note.setText(describe(exc).sentence)
            return
        opened = shifts.local_time(shift.opened_at)
        who = f" by {shift.opened_by}" if shift.opened_by else ""
        self.shift_label.setText(f"Shift {shift.id}, open since {opened}{who} — "
                                 + " · ".join(shifts.totals(shift_orders).lines()))
        listed = shifts.search(source, self.search.text())
        if self.scope.currentText() == THIS_SHIFT:
            listed = list(reversed(listed))  # newest first, like "All orders"
        self._orders = listed
        self.table.setRowCount(len(listed))
        for row, order in enumerate(listed):
            cells = (shifts.local_time(order.completed_at), order.order_number or "—",
                     order.event_name or order.event_id, order.seats,
                     order.detail("payment") or shifts.payment_kind_name(order.detail("payment_kind")),
                     format_money(order.grand_total, order.currency_code or None), order.station_user,
                     state_text(order))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        again = next((i for i, o in enumerate(listed) if keep is not None and _same(o, keep)), None)
        if again is not None:
            self.table.selectRow(again)
        else:
            self.table.clearSelection()
        self._selection_changed()

    def _into_table(self) -> None:
        """From the search (Enter or Down): the first match selected and read out, the arrows in the
        list from then on. Presses no button."""
        if self.table.rowCount() == 0:
            return
        if self.selected() is None:
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected(self) -> OrderRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self._orders[rows[0].row()] if rows and rows[0].row() < len(self._orders) else None

    def selected_receipt(self) -> Receipt | None:
        order = self.selected()
        if order is None:
            return None
        return receipt_for(order, station_name=self.station.settings.station_name, reprinted_at=datetime.now(UTC))

    def _selection_changed(self) -> None:
        order = self.selected()
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(order is not None)
        self.tickets_button.setEnabled(order is not None and bool(order.order_token))
        self._asked_token = ""  # an answer for the order left behind is dropped
        self.details.setPlainText("\n".join(order_lines(order)) if order is not None else "")

    # --- one order --------------------------------------------------------------------------------
    def ask_ticket_details(self) -> None:
        order = self.selected()
        if order is None or not order.order_token:
            return
        self._asked_token = order.order_token
        self.note.setText("Asking the service for the tickets…")
        spawn(self._ticket_details(order), context="fetching an order's tickets", on_error=self._show_error)

    async def _ticket_details(self, order: OrderRecord) -> None:
        details = await self.station.counter.order(order.order_token)
        if self._asked_token != order.order_token:
            return  # the cashier moved on to another order
        self._asked_token = ""
        self.note.setText("")
        lines = [*order_lines(order), "", *ticket_lines(details, hide_row_seat=order.hides_row_seat)]
        self.details.setPlainText("\n".join(lines))

    def _show_error(self, exc: BaseException) -> None:
        self._asked_token = ""
        self.note.setText(describe(exc).sentence)

    def _print(self) -> None:
        self.output.print_receipt()

    def _save_pdf(self) -> None:
        self.output.ask_and_save_pdf()

    # --- the shift --------------------------------------------------------------------------------
    def ask_where_to_export(self) -> None:
        if self._csv_dialog is not None:
            return
        shift = self.station.books.current_shift()
        name = f"shift-{shift.id}-{datetime.now():%Y%m%d-%H%M}.csv"
        dialog = QFileDialog(self, "Export the shift as CSV", str(receipt_folder() / name), "CSV files (*.csv)")
        dialog.setObjectName("shiftExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(lambda _r: self._export_closed(dialog))
        self._csv_dialog = dialog
        dialog.open()

    def _export_closed(self, dialog: QFileDialog) -> None:
        self._csv_dialog = None
        dialog.deleteLater()

    def export_to(self, path: str) -> bool:
        try:
            shift = self.station.books.current_shift()
            text = shifts.shift_csv(shift, self.station.books.shift_orders(shift),
                                    station_name=self.station.settings.station_name)
            atomic_write_text(Path(path), text)
        except JournalError as exc:
            self.note.setText(describe(exc).sentence)
            return False
        except OSError as exc:
            self.note.setText(f"Could not save {Path(path).name}: {exc.strerror or 'not writable'}. "
                              "Choose another folder.")
            return False
        self.note.setText(f"Shift exported to {path}.")
        return True

    def ask_close_shift(self) -> None:
        try:
            shift = self.station.books.current_shift()
            lines = shifts.totals(self.station.books.shift_orders(shift)).lines()
        except JournalError as exc:
            self.note.setText(describe(exc).sentence)
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Close this shift?",
                          f"Close shift {shift.id}, open since {shifts.local_time(shift.opened_at)}?\n\n"
                          + "\n".join(lines) + "\n\nSales from now on go to a new shift.",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("closeShiftQuestion")
        keep = box.addButton("Keep it open", QMessageBox.ButtonRole.RejectRole)
        close = box.addButton("Close shift", QMessageBox.ButtonRole.AcceptRole)
        close.setObjectName("closeShiftConfirm")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.finished.connect(lambda _r: self._close_answered(box, close))
        box.open()

    def _close_answered(self, box: QMessageBox, close: QPushButton) -> None:
        chosen = box.clickedButton()
        box.deleteLater()
        if chosen is not close:
            return
        try:
            closed, orders, opened = self.station.books.close_shift()
        except JournalError as exc:
            self.note.setText(describe(exc).sentence)
            return
        summary = " · ".join(shifts.totals(orders).lines())
        self.note.setText(f"Shift {closed.id} closed at {shifts.local_time(closed.closed_at)}: {summary}. "
                          f"Shift {opened.id} is open.")
        self.refresh()


def _same(a: OrderRecord, b: OrderRecord) -> bool:
    return (a.order_token, a.cart_id, a.completed_at) == (b.order_token, b.cart_id, b.completed_at)
