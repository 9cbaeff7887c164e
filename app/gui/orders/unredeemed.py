"""Unredeemed orders (``/orders/unredeemed``): orders whose tickets nobody has picked up yet, found
by days since the purchase or days before the event, with the confirmation email's status in words
and — for this station's own sales — the redemption link to send again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.asyncutil import spawn
from app.gui.errors import describe
from app.partner.models import UnredeemedOrder

EMAIL_STATUS = {1: "Sent", 2: "Bounced", 3: "Marked as spam", 4: "Could not be sent"}
SINCE_PURCHASE, BEFORE_EVENT = "days since the purchase", "days before the event"
COLUMNS = ("Event", "Purchased", "Event date", "Email", "Email status", "Redemption link")


def email_status_text(status: int | None) -> str:
    return EMAIL_STATUS.get(status or 0, "Not known")


class UnredeemedTab(QWidget):
    def __init__(self, station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unredeemedTab")
        self.station = station
        self._generation = 0  # answers to an older question are dropped
        self.days = QSpinBox(self)
        self.days.setObjectName("unredeemedDays")
        self.days.setAccessibleName("Days")
        self.days.setRange(1, 365)
        self.days.setValue(7)
        self.kind = QComboBox(self)
        self.kind.setObjectName("unredeemedKind")
        self.kind.setAccessibleName("Counted from")
        self.kind.addItems([SINCE_PURCHASE, BEFORE_EVENT])
        self.find_button = QPushButton("&Find", self)
        self.find_button.setObjectName("unredeemedFind")
        self.find_button.setDefault(True)  # Enter in the days box finds
        self.find_button.clicked.connect(self.find)
        self.status = QLabel("Orders nobody has picked up yet, as the service lists them.", self)
        self.status.setObjectName("unredeemedStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("unredeemedTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("Within", self))
        row.addWidget(self.days)
        row.addWidget(self.kind)
        row.addWidget(self.find_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def find(self) -> None:
        self._generation += 1
        generation = self._generation
        self.status.setText("Asking the service…")
        self.find_button.setEnabled(False)
        spawn(self._find(generation, self.days.value(), self.kind.currentText()),
              context="listing unredeemed orders", on_error=lambda exc: self._failed(generation, exc))

    async def _find(self, generation: int, days: int, kind: str) -> None:
        if kind == SINCE_PURCHASE:
            orders = await self.station.counter.unredeemed_orders(days_from_purchase=days)
        else:
            orders = await self.station.counter.unredeemed_orders(days_before_event=days)
        if generation != self._generation:
            return
        self.find_button.setEnabled(True)
        self.show_orders(orders, days, kind)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.find_button.setEnabled(True)
            self.status.setText(describe(exc).sentence)

    def show_orders(self, orders: tuple[UnredeemedOrder, ...], days: int, kind: str) -> None:
        links = {o.source_account_id: o.redemption_url for o in self.station.books.journal_orders(5000)
                 if o.source_account_id and o.redemption_url}
        self.table.setRowCount(len(orders))
        for row, order in enumerate(orders):
            cells = (order.event_id or "", _when(order.purchased_at), _when(order.event_at), order.email or "",
                     email_status_text(order.email_status), links.get(order.source_account_id or "", ""))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 4 and order.email_status in (2, 3, 4):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        noun = "order" if len(orders) == 1 else "orders"
        self.status.setText(f"{len(orders)} unredeemed {noun} within {days} {kind}."
                            if orders else f"No unredeemed orders within {days} {kind}.")


def _when(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""
