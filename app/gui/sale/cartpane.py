"""The cart pane beside the sale pages: seats held, totals, the hold countdown and "Cancel sale".

``CartPane`` only shows things; the sale flow feeds it (``set_cart``, ``set_hold``) and reacts to
its signals. The countdown is a QProgressBar (objectName ``holdTimer``) plus a ``mm:ss`` label; it
turns to the warning colour in the last 60 seconds. Money is formatted from the cart's Decimals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.checkout.seatlabels import SeatHints
from app.gui import style
from app.gui.formatting import format_countdown, format_money
from app.gui.sale.receipt import seat_lines, ticket_codes
from app.partner.models import Cart

WARN_AT_SECONDS = 60
TOTAL_ROWS = (
    ("merchandise", "Tickets"),
    ("fee", "Fees"),
    ("tax", "Tax"),
    ("delivery", "Delivery"),
    ("grand", "Total"),
    ("unpaid", "Still to pay"),
)


class CartPane(QFrame):
    """Seats, totals and hold time of the cart being sold."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartPane")
        self.setAccessibleName("Cart")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(260)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._hide_row_seat = False
        self._seat_hints: SeatHints | None = None
        self._ticket_names: dict = {}
        self._released = False
        self._warning = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        title = QLabel("Cart", self)
        title.setObjectName("cartTitle")
        self.title = title
        title_font = QFont(title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        title.setFont(title_font)
        layout.addWidget(title)

        self.hold_label = QLabel(self)
        self.hold_label.setObjectName("holdTimerLabel")
        self.hold_label.setWordWrap(True)
        layout.addWidget(self.hold_label)
        self.hold_bar = QProgressBar(self)
        self.hold_bar.setObjectName("holdTimer")
        self.hold_bar.setAccessibleName("Time left on the seat hold")
        self.hold_bar.setTextVisible(True)
        self.hold_bar.setRange(0, 1)
        self.hold_bar.setValue(1)
        layout.addWidget(self.hold_bar)

        seats_heading = QLabel("Seats", self)
        seats_heading.setObjectName("cartSeatsHeading")
        layout.addWidget(seats_heading)
        self.seats_label = QLabel(self)
        self.seats_label.setObjectName("cartSeats")
        self.seats_label.setTextFormat(Qt.TextFormat.PlainText)  # seat names come from the server
        self.seats_label.setWordWrap(True)
        self.seats_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.seats_label)

        self.totals_box = QWidget(self)
        grid = QGridLayout(self.totals_box)
        grid.setContentsMargins(0, 6, 0, 6)
        grid.setHorizontalSpacing(16)
        self.total_values: dict[str, QLabel] = {}
        for row, (key, label_text) in enumerate(TOTAL_ROWS):
            label = QLabel(label_text, self.totals_box)
            value = QLabel("—", self.totals_box)
            value.setObjectName(f"total_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setAccessibleName(label_text)
            if key in ("grand", "unpaid"):
                for w in (label, value):
                    f = QFont(w.font())
                    f.setBold(True)
                    w.setFont(f)
            if key == "grand":
                line = QFrame(self.totals_box)
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                grid.addWidget(line, 2 * row, 0, 1, 2)
            grid.addWidget(label, 2 * row + 1, 0)
            grid.addWidget(value, 2 * row + 1, 1)
            self.total_values[key] = value
        layout.addWidget(self.totals_box)
        layout.addStretch(1)

        self.cancel_button = QPushButton("Cancel sale", self)
        self.cancel_button.setObjectName("cancelCartButton")
        self.cancel_button.setToolTip("Release the seats and delete the cart (Esc)")
        self.cancel_button.setAccessibleName("Cancel sale and release the seats")
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout.addWidget(self.cancel_button)

    # --- what the flow feeds in -------------------------------------------------------------

    def set_hide_row_seat(self, hide: bool) -> None:
        self._hide_row_seat = hide

    def set_seat_hints(self, hints: SeatHints | None) -> None:
        """What tells which seats an item holds when others' seats lie between its first and last."""
        self._seat_hints = hints

    def set_ticket_names(self, names) -> None:
        """Ticket type id → name and codes: the seats say "Adult", the tooltip the codes."""
        self._ticket_names = dict(names)

    def set_cart(self, cart: Cart | None) -> None:
        if self._released:
            return  # a late answer about a cart that is gone
        lines = seat_lines(cart, self._hide_row_seat, self._seat_hints, self._ticket_names)
        self.seats_label.setText("\n".join(lines) if lines else "No seats held.")
        self.seats_label.setToolTip(ticket_codes(cart, self._ticket_names))
        if cart is None:
            for value in self.total_values.values():
                value.setText("—")
            return
        totals, currency = cart.totals, cart.currency
        amounts = {
            "merchandise": totals.merchandise, "fee": totals.fee, "tax": totals.tax,
            "delivery": totals.delivery, "grand": totals.grand, "unpaid": cart.unpaid,
        }
        for key, amount in amounts.items():
            self.total_values[key].setText(format_money(amount, currency))

    def set_hold(self, seconds_left: float | None, hold_seconds: float | None) -> None:
        """Show the time left; None means the hold is not running (nothing held, or sale done)."""
        if seconds_left is None:
            self.hold_label.setText("")
            self.hold_bar.hide()
            return
        self.hold_bar.show()
        left = max(0, int(seconds_left))
        total = max(left, int(hold_seconds or left or 1))
        self.hold_bar.setRange(0, total)
        self.hold_bar.setValue(left)
        self.hold_bar.setFormat(format_countdown(left))
        if left <= 0:
            self.hold_label.setText("The hold ran out.")
        elif left <= WARN_AT_SECONDS:
            self.hold_label.setText(f"Hurry: seats are held for only {format_countdown(left)} more.")
        else:
            self.hold_label.setText(f"Seats held for {format_countdown(left)}")
        self._set_warning(left <= WARN_AT_SECONDS)

    def show_released(self) -> None:
        """The hold ran out: nothing is held and nothing is owed. The sale page beside the pane says
        why (once); the pane only stops showing seats, amounts and a countdown."""
        self._released = True
        self.set_hold(None, None)
        self.title.setText("Released")
        self.seats_label.setText("No seats held.")
        self.totals_box.hide()
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()  # nothing left to cancel

    def set_finished(self) -> None:
        """The order is placed: no hold to watch, nothing left to cancel."""
        self.set_hold(None, None)
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.title.setText("Sold")

    @property
    def warning(self) -> bool:
        return self._warning

    def _set_warning(self, on: bool) -> None:
        if on == self._warning:
            return
        self._warning = on
        style.set_state(self.hold_bar, "warning", on)  # orange in the last minute (boxoffice.qss)
        palette = self.hold_label.palette()
        if on:
            palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed
                             if self.palette().color(QPalette.ColorRole.Window).lightness() > 128
                             else Qt.GlobalColor.yellow)
            self.hold_label.setPalette(palette)
        else:
            self.hold_label.setPalette(self.palette())
        f = QFont(self.hold_label.font())
        f.setBold(on)
        self.hold_label.setFont(f)
