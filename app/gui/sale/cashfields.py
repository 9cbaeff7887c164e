"""The payment page's cash fields: the amount the buyer handed over, one-click round sums, and the
change to give back, shown large as soon as the amount covers what is due.

The amount is read and checked by the core's cash rules (``app.checkout.cash``), the same ones
``python -m app.cli buy --cash`` uses; this group only shows them. Object names testers automate:
``cashTendered`` (the amount received), ``cashQuick0``… (the round sums), ``cashChange``.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.checkout.cash import change_due, quick_amounts, read_tendered, tendered_error
from app.checkout.money import minor_digits
from app.gui.formatting import format_money
from app.gui.sale.billing import FieldGroup

QUICK_BUTTONS = 4
INVOICE_NOTE = ("Paid to Ticketmaster by invoice: this partner account settles cash sales with Ticketmaster, "
                "and the receipt number is the invoice's reference.")


class CashFields(FieldGroup):
    """Amount received, round sums and the change due; ``quickChosen`` fires after a round sum is
    put in the field (the page then moves the cursor on)."""

    quickChosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cash", parent)
        self._due: tuple[Decimal, str | None] = (Decimal(0), None)
        self.received = self.add_line("cashTendered", "Received:", "amount the buyer handed over",
                                      accessible="Cash received from the buyer")
        self.received.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.received.textChanged.connect(self._show_change)

        quick_row = QWidget(self)
        row = QHBoxLayout(quick_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.quick_buttons: list[QPushButton] = []
        for index in range(QUICK_BUTTONS):
            button = QPushButton(quick_row)
            button.setObjectName(f"cashQuick{index}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, i=index: self._quick(i))
            row.addWidget(button)
            self.quick_buttons.append(button)
        row.addStretch(1)
        self.form.addRow("Quick:", quick_row)

        self.change = QLabel(self)
        self.change.setObjectName("cashChange")
        self.change.setAccessibleName("Change due")
        self.change.setTextFormat(Qt.TextFormat.PlainText)
        big = QFont(self.change.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.change.setFont(big)
        self.form.addRow("Change:", self.change)

        note = QLabel(INVOICE_NOTE, self)
        note.setObjectName("cashInvoiceNote")
        note.setWordWrap(True)
        note.setEnabled(False)  # drawn in the palette's quieter text colour
        self.form.addRow(note)
        self._amounts: tuple[Decimal, ...] = ()
        self._show_change()

    def set_due(self, amount: Decimal, currency: str | None) -> None:
        """The amount to pay changed (a new cart answer): new round sums, the change again."""
        self._due = (amount, currency)
        self._amounts = quick_amounts(amount, currency, QUICK_BUTTONS)
        for index, button in enumerate(self.quick_buttons):
            if index < len(self._amounts):
                words = "Exact" if index == 0 else format_money(self._amounts[index], currency)
                button.setText(f"{words} ({format_money(amount, currency)})" if index == 0 else words)
                button.setToolTip(f"The buyer hands over {format_money(self._amounts[index], currency)}")
                button.show()
            else:
                button.hide()
        self._show_change()

    def tendered(self) -> Decimal | None:
        """The amount received, when the field holds one."""
        return read_tendered(self.received.text(), self._due[1])

    def problem(self) -> str | None:
        return tendered_error(self.received.text(), *self._due)

    def clear(self) -> None:
        self.received.clear()
        self.fields["cashTendered"].reset()

    def _quick(self, index: int) -> None:
        if index >= len(self._amounts):
            return
        digits = minor_digits(self._due[1])
        self.received.setText(f"{self._amounts[index]:.{digits}f}")
        self._touch("cashTendered")
        self.quickChosen.emit()

    def _show_change(self) -> None:
        due, currency = self._due
        tendered = self.tendered()
        if tendered is None or self.problem() is not None:
            self.change.setText("—")
            return
        change = change_due(tendered, due)
        self.change.setText(f"Give back {format_money(change, currency)}" if change else "No change")
