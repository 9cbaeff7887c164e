"""The cart pane on its own: seats, totals in the cart's currency, the hold countdown and its warning."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from app.gui.formatting import format_money
from app.gui.sale.cartpane import CartPane
from app.partner.models import Cart

CART_JSON = {
    "cart_id": "abc=",
    "cart": {
        "hold_time": 299,
        "items": [
            {"id": 1, "type": "ticket", "event_id": "000051048D991EE7", "is_ga": False, "section": "CLB234",
             "row": "I", "start_seat_number": 7, "end_seat_number": "8", "num_seats": 2,
             "tickets": [{"id": "000002040006", "description": "GPAS1", "quantity": 2}],
             "totals": {"currency_code": "USD", "merchandise": 50, "fee": 0, "tax": 0, "grand": 50}},
            {"id": 2, "type": "ticket", "event_id": "000051048D991EE7", "is_ga": True, "num_seats": 1,
             "tickets": [], "totals": {}},
        ],
        "totals": {"currency_code": "USD", "merchandise": 75.1, "fee": "7.50", "tax": 0.2, "delivery": 2.5,
                   "upsell": 0, "grand": 85.3, "unpaid": 85.3},
    },
}


def pane(qtbot) -> CartPane:
    widget = CartPane()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_seats_and_totals_come_from_the_cart(qtbot):
    widget = pane(qtbot)
    cart = Cart.from_json(CART_JSON)
    widget.set_cart(cart)
    seats = widget.findChild(QLabel, "cartSeats").text().splitlines()
    assert seats == ["Section CLB234 · row I · seats 7–8 (2 seats) · GPAS1", "General admission · 1 seat"]
    values = {key: widget.findChild(QLabel, f"total_{key}").text()
              for key in ("merchandise", "fee", "tax", "delivery", "grand", "unpaid")}
    assert values == {
        "merchandise": format_money(Decimal("75.10"), "USD"), "fee": format_money(Decimal("7.50"), "USD"),
        "tax": format_money(Decimal("0.20"), "USD"), "delivery": format_money(Decimal("2.50"), "USD"),
        "grand": format_money(Decimal("85.30"), "USD"), "unpaid": format_money(Decimal("85.30"), "USD"),
    }


def test_restricted_events_show_the_section_only(qtbot):
    widget = pane(qtbot)
    widget.set_hide_row_seat(True)
    widget.set_cart(Cart.from_json(CART_JSON))
    seats = widget.findChild(QLabel, "cartSeats").text().splitlines()
    assert seats[0] == "Section CLB234 · 2 seats · GPAS1"


def orange_in(bar) -> bool:
    """Whether the rendered bar shows the warning orange (#e07000) anywhere."""
    bar.resize(200, 24)
    image = bar.grab().toImage()
    return any(image.pixelColor(x, image.height() // 2).name() == "#e07000" for x in range(image.width()))


def test_countdown_and_warning_in_the_last_minute(qtbot):
    widget = pane(qtbot)
    bar = widget.findChild(QProgressBar, "holdTimer")
    label = widget.findChild(QLabel, "holdTimerLabel")
    widget.set_hold(61.4, 299)
    assert bar.format() == "1:01" and bar.maximum() == 299 and bar.value() == 61
    assert label.text() == "Seats held for 1:01"
    assert not widget.warning and not orange_in(bar)
    widget.set_hold(60, 299)
    assert widget.warning and orange_in(bar)  # what the cashier sees: the bar turns orange
    assert label.text() == "Hurry: seats are held for only 1:00 more."
    widget.set_hold(0, 299)
    assert label.text() == "The hold ran out."
    widget.set_hold(200, 299)  # a new cart answer refreshed the hold
    assert not widget.warning


def test_released_and_sold_states(qtbot):
    widget = pane(qtbot)
    widget.set_hold(10, 299)
    widget.show_released()
    assert widget.findChild(QLabel, "holdTimerLabel").text() == ""  # the sale page says why, once
    assert widget.findChild(QLabel, "cartTitle").text() == "Released"
    assert widget.findChild(QLabel, "cartSeats").text() == "No seats held."
    assert not widget.findChild(QLabel, "total_unpaid").isVisible()
    assert not widget.findChild(QPushButton, "cancelCartButton").isEnabled()
    widget.set_finished()
    assert not widget.findChild(QProgressBar, "holdTimer").isVisible()
    assert not widget.findChild(QPushButton, "cancelCartButton").isVisible()
