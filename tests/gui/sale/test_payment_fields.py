"""Typing into the payment page as a cashier does: the expiry in its common forms, and buyer details
the payment service would not take (too long, characters it does not accept), refused at the field
before anything is sent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from salesteps import open_flow, payment_calls, reserve
from test_saleflow import to_payment
from windowsteps import fill_address, fill_buyer, fill_card, find, type_into


def paste_into(qtbot, root, name: str, text: str) -> None:
    """Select the field's text, paste ``text`` over it (Ctrl+V) and leave the field."""
    edit = find(root, name, QLineEdit)
    edit.setFocus()
    edit.selectAll()
    QApplication.clipboard().setText(text)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


@pytest.mark.parametrize("typed, shown", [("1230", "12/30"), ("12/2030", "12/2030"), ("122030", "12/2030"),
                                          ("1/30", "01/30"), ("12-30", "12/30")])
def test_the_expiry_is_formatted_as_typed_and_accepted(typed, shown, station, run, until, qtbot, sandbox_control):
    async def steps():
        session = await reserve(station, quantity=1)
        flow = open_flow(qtbot, session)
        await to_payment(flow, until, qtbot, "1")
        fill_card(qtbot, flow, expiry=typed)
        assert find(flow, "cardExpiry", QLineEdit).text() == shown
        assert not find(flow, "cardExpiryError", QLabel).isVisible(), find(flow, "cardExpiryError", QLabel).text()
        fill_buyer(qtbot, flow)
        fill_address(qtbot, flow)
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
        assert len(payment_calls(sandbox_control)) == 1

    run(steps())


def test_backspace_walks_back_through_the_formatted_expiry(station, run, until, qtbot):
    async def steps():
        session = await reserve(station, quantity=1)
        flow = open_flow(qtbot, session)
        await to_payment(flow, until, qtbot, "1")
        expiry = find(flow, "cardExpiry", QLineEdit)
        expiry.setFocus()
        qtbot.keyClicks(expiry, "1230")
        seen = [expiry.text()]
        for _ in range(4):
            qtbot.keyClick(expiry, Qt.Key.Key_Backspace)
            seen.append(expiry.text())
        assert seen == ["12/30", "12/3", "12/", "12", "1"]

    run(steps())
