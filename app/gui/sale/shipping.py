"""The shipping page: how the buyer gets the tickets (carrier, service level, fee).

The options come from the engine; each is a radio button inside the ``shippingOptions`` group.
Choosing one emits ``optionChosen(id)``; the flow sends it and feeds the server's new cart back to
the cart pane, so the totals shown are always the server's. "Continue to payment" is enabled once
the server has accepted a choice. The flow preselects the core's ``default_delivery`` (the only
option, else the cheapest); options are named by ``delivery_words``, as the CLI names them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.checkout.delivery import delivery_words
from app.gui.focuscue import lead_to
from app.gui.formatting import format_money
from app.gui.sale.pagebase import page_title
from app.partner.models import ShippingOption


def option_text(option: ShippingOption, currency: str | None) -> str:
    name = delivery_words(option)
    fee = option.fee
    price = "free" if not fee else format_money(fee, option.totals.currency or currency)
    return f"{name} ({price})"  # one phrase: the review and the receipt print it as is


class ShippingPage(QWidget):
    optionChosen = Signal(str)
    nextRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shippingPage")
        self._buttons: dict[str, QRadioButton] = {}
        self._accepted_id: str | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Delivery", "How will the buyer get the tickets?", self))
        self.group_box = QGroupBox("Delivery options", self)
        self.group_box.setObjectName("shippingOptions")
        self.group_box.setAccessibleName("Delivery options")
        self.options_layout = QVBoxLayout(self.group_box)
        self.options_layout.setSpacing(10)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonClicked.connect(self._on_clicked)
        layout.addWidget(self.group_box)

        self.status = QLabel(self)
        self.status.setObjectName("shippingStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.next_button = QPushButton("Continue to payment  ›", self)
        self.next_button.setObjectName("shippingNextButton")
        self.next_button.setDefault(True)
        self.next_button.setEnabled(False)
        self.next_button.clicked.connect(self.nextRequested)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)

    def set_options(self, options: tuple[ShippingOption, ...], currency: str | None) -> None:
        for button in list(self._buttons.values()):
            self.group.removeButton(button)
            button.deleteLater()
        self._buttons.clear()
        self._accepted_id = None
        for option in options:
            button = QRadioButton(option_text(option, currency), self.group_box)
            button.setObjectName(f"shipping_{option.id}")
            button.setProperty("shippingId", option.id)
            button.setAccessibleName(option_text(option, currency))
            self.group.addButton(button)
            self.options_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self._buttons[option.id] = button
        if not options:
            self.status.setText("This event has no delivery choice: the partner's default is used.")
        else:
            self.status.setText("Choose one; the cart's total updates with its fee.")
        self.next_button.setEnabled(False)

    def option_ids(self) -> list[str]:
        return list(self._buttons)

    def button_for(self, shipping_id: str) -> QRadioButton | None:
        return self._buttons.get(shipping_id)

    @property
    def accepted_id(self) -> str | None:
        return self._accepted_id

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.group_box.setEnabled(not busy)
        self.next_button.setEnabled(not busy and self._accepted_id is not None)
        if text:
            self.status.setText(text)

    def accept(self, shipping_id: str, label: str = "") -> None:
        """The server took this choice (its cart answer came back)."""
        self._accepted_id = shipping_id
        button = self._buttons.get(shipping_id)
        if button is not None and not button.isChecked():
            button.setChecked(True)
        self.status.setText(f"Delivery: {label}." if label else "")
        self.next_button.setEnabled(True)

    def reject(self, sentence: str) -> None:
        """The server refused the choice: show why and put the previous choice back."""
        self.group.setExclusive(False)
        for shipping_id, button in self._buttons.items():
            button.setChecked(shipping_id == self._accepted_id)
        self.group.setExclusive(True)
        self.status.setText(sentence)
        self.next_button.setEnabled(self._accepted_id is not None)

    def focus_first(self) -> None:
        target = self._buttons.get(self._accepted_id or "") or next(iter(self._buttons.values()), None)
        lead_to(target or self.next_button)

    def _on_clicked(self, button) -> None:
        shipping_id = button.property("shippingId")
        if shipping_id and shipping_id != self._accepted_id:
            self.optionChosen.emit(str(shipping_id))
