"""The review page: everything the buyer is about to buy, then "Place order" (``commitButton``).

While the order is being placed the page shows progress (and the waiting-line countdown when the
service polls). When the answer to a commit was lost, it says "Checking whether the order went
through…" while the engine settles it (``lock``); the button stays disabled so nobody commits
twice. When the engine still cannot tell, the page says so and offers "Check again"
(``checkAgainButton``, signal ``checkAgainRequested``; ``show_still_unknown``) — never "Place
order".
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.checkout.seatlabels import SeatHints
from app.gui.focuscue import lead_to
from app.gui.sale.pagebase import page_title
from app.gui.sale.receipt import SaleEvent, buyer_lines, seat_lines, total_lines
from app.partner.models import BillingContact, Cart


class ReviewPage(QWidget):
    """The order as it will be placed, and the one button that places it (see the module docstring)."""

    commitRequested = Signal()
    backRequested = Signal()
    checkAgainRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self._locked = False
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Review and place the order",
                                    "Check the details with the buyer, then place the order.", self))

        box = QGroupBox("Order", self)
        self.form = QFormLayout(box)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.event_value = self._row("Event:", "reviewEvent")
        self.seats_value = self._row("Seats:", "reviewSeats")
        self.buyer_value = self._row("Buyer:", "reviewBuyer")
        self.delivery_value = self._row("Delivery:", "reviewDelivery")
        self.payment_value = self._row("Payment:", "reviewPayment")
        self.totals_value = self._row("Totals:", "reviewTotals")
        layout.addWidget(box)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("commitProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("commitStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.back_button = QPushButton("‹  Back to payment", self)
        self.back_button.setObjectName("reviewBackButton")
        self.back_button.clicked.connect(self.backRequested)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.check_again_button = QPushButton("Check again", self)
        self.check_again_button.setObjectName("checkAgainButton")
        self.check_again_button.setAccessibleName("Check again whether the order went through")
        self.check_again_button.clicked.connect(self._on_check_again)
        self.check_again_button.hide()
        buttons.addWidget(self.check_again_button)
        self.commit_button = QPushButton("Place order", self)
        self.commit_button.setObjectName("commitButton")
        self.commit_button.setDefault(True)
        self.commit_button.setAccessibleName("Place the order")
        self.commit_button.clicked.connect(self._on_commit)
        buttons.addWidget(self.commit_button)
        layout.addLayout(buttons)

    def _row(self, label: str, name: str) -> QLabel:
        value = QLabel(self)
        value.setObjectName(name)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if name in ("reviewDelivery", "reviewPayment", "reviewBuyer"):
            value.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(label, value)
        return value

    def show_order(self, event: SaleEvent, cart: Cart, delivery: str, payment: str,
                   hints: SeatHints | None = None, buyer: BillingContact | None = None) -> None:
        when = escape(" · ".join(x for x in (event.when, event.venue) if x))
        self.event_value.setText(f"<b>{escape(event.title)}</b>" + (f"<br>{when}" if when else ""))
        self.seats_value.setText(
            "<br>".join(escape(line) for line in seat_lines(cart, event.hide_row_seat, hints, event.ticket_names))
            or "—"
        )
        self.buyer_value.setText("\n".join(buyer_lines(buyer)) or "—")
        self.delivery_value.setText(delivery or "Partner's default delivery")
        self.payment_value.setText(payment or "—")
        rows = total_lines(cart.totals, cart.currency)
        table = "".join(
            f"<tr><td>{label}</td><td align='right' style='padding-left:24px'>"
            f"{'<b>' + amount + '</b>' if label == 'Total' else amount}</td></tr>"
            for label, amount in rows
        )
        self.totals_value.setText(f"<table cellspacing='0'>{table}</table>")
        self.set_working(False)
        self.status.setText("")

    def set_working(self, working: bool, text: str = "") -> None:
        self.progress.setVisible(working)
        self.commit_button.setEnabled(not working and not self._locked)
        self.back_button.setEnabled(not working and not self._locked)
        if text or not working:
            self.status.setText(text)

    def lock(self, text: str) -> None:
        """After a commit whose outcome is unknown: no second commit, no going back."""
        self._locked = True
        self.check_again_button.hide()
        self.set_working(True, text)

    def show_still_unknown(self, sentence: str) -> None:
        """Settling gave no answer: still locked, the sentence, and "Check again" with the focus."""
        self._locked = True
        self.set_working(False, sentence)
        self.check_again_button.show()
        lead_to(self.check_again_button)

    def unlock(self) -> None:
        self._locked = False
        self.check_again_button.hide()
        self.set_working(False)

    def _on_commit(self) -> None:
        if self.commit_button.isEnabled():
            self.commitRequested.emit()

    def _on_check_again(self) -> None:
        if self.check_again_button.isVisible():
            self.checkAgainRequested.emit()

    def go_on(self) -> None:
        if self.check_again_button.isVisible():
            self._on_check_again()
        else:
            self._on_commit()

    def focus_first(self) -> None:
        button = self.check_again_button if self.check_again_button.isVisible() else self.commit_button
        lead_to(button)
