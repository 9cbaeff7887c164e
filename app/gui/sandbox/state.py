"""Sandbox state…: what the local sandbox holds now — held carts (seats, total, seconds left), orders
placed and seats sold per event — read from ``/_sandbox/state`` through the core, with Refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.checkout.sandboxcontrols import SandboxControlError, SandboxState
from app.gui.asyncutil import spawn


def _table(name: str, headers: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if isinstance(value, (int, float)):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class SandboxStateView(QDialog):
    """A non-modal window a tester keeps open beside the sale (Refresh reads again)."""

    def __init__(self, controls: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxStateView")
        self.setWindowTitle("Sandbox state")
        self._controls = controls
        self.summary = QLabel(self)
        self.summary.setObjectName("sandboxStateSummary")
        self.summary.setWordWrap(True)
        self.carts = _table("sandboxHeldCarts", ("Event", "Seats", "Total", "Seconds left"), self)
        self.orders = _table("sandboxOrders", ("Order", "Event", "Seats", "Total"), self)
        self.sold = _table("sandboxSeatsSold", ("Event", "Seats sold"), self)
        buttons = QDialogButtonBox(self)
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setObjectName("sandboxStateRefresh")
        self.refresh_button.setAutoDefault(False)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        buttons.rejected.connect(self.close)
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        for title, table in (("Held carts", self.carts), ("Orders", self.orders), ("Seats sold", self.sold)):
            heading = QLabel(title, self)
            heading.setObjectName("sandboxStateHeading")
            layout.addWidget(heading)
            layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def refresh(self) -> None:
        controls = self._controls()
        if controls is None:
            self.summary.setText("The station no longer sells against a local sandbox.")
            return
        self.summary.setText("Reading the sandbox…")
        spawn(self._read(controls), context="reading the sandbox state")

    async def _read(self, controls) -> None:
        try:
            state = await controls.state()
        except SandboxControlError as exc:
            self.summary.setText(str(exc))
            return
        self.show_state(state)

    def show_state(self, state: SandboxState) -> None:
        _fill(self.carts, [(c.get("event_id", ""), c.get("seats", 0), f"{float(c.get('grand_total', 0)):.2f}",
                            c.get("expires_in", "")) for c in state.held_carts])
        _fill(self.orders, [(o.get("order_number", ""), o.get("event_id", ""), o.get("seats", 0),
                             str(o.get("grand_total", ""))) for o in state.orders])
        _fill(self.sold, [(event, count) for event, count in sorted(state.seats_sold.items()) if count])
        self.summary.setText(f"{_count(len(state.held_carts), 'cart')} held, {_count(len(state.orders), 'order')}, "
                             f"{_count(sum(state.seats_sold.values()), 'seat')} sold"
                             + (f" — sandbox clock {state.now}" if state.now else "") + ".")
