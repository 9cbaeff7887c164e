"""A whole sale without the mouse: every key goes to whatever widget has the keyboard focus.

Search (Ctrl+F), Enter to open the event, Tab to the quantity, Up to raise it, Enter to reserve,
Space to choose the delivery, Enter to go on, the card and buyer typed field by field with Tab,
Enter to pay, Enter to place the order, Enter for a new sale. The test never clicks and never
moves the focus itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.windowkit import TEST_CARD, TEST_CVV, TEST_EVENT, find, shown

FIELDS = {
    "cardNumber": TEST_CARD, "cardExpiry": "12/30", "cardCvv": TEST_CVV, "firstName": "Kay", "lastName": "Board",
    "email": "kay@example.com", "addressLine1": "1 Key Street", "city": "New York", "region": "NY",
    "postalCode": "10001",
}


def focused():
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def typed(text: str) -> None:
    QTest.keyClicks(focused(), text)


def focus_name() -> str:
    widget = focused()
    # An editable combo box's line edit has the focus; its combo carries the name.
    while (widget is not None and not widget.objectName().strip()) or widget.objectName().startswith("qt_"):
        widget = widget.parentWidget()
    return widget.objectName() if widget is not None else ""


def test_a_whole_sale_with_the_keyboard_only(window, run, until, sandbox_control):
    async def steps():
        press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert focus_name() == "eventSearch"
        typed("test purchase")
        await until(lambda: window.events.visible_event_ids() == [TEST_EVENT], what="one match")
        press(Qt.Key.Key_Return)
        page = window.event_page
        await until(lambda: page.loaded_event_id == TEST_EVENT, 30, what="event page loaded")
        assert focus_name() == "ticketTypeCombo"
        press(Qt.Key.Key_Tab)
        assert focus_name() == "quantitySpin"
        press(Qt.Key.Key_Up)
        assert find(window, "quantitySpin").value() == 2
        press(Qt.Key.Key_Return)
        flow = await until(lambda: window.sale_flow, 30, what="seats held")

        await until(lambda: focus_name().startswith("shipping_"), 30, what="focus on the first delivery option")
        press(Qt.Key.Key_Space)
        await until(lambda: find(flow, "shippingNextButton").isEnabled(), 30, what="delivery accepted")
        press(Qt.Key.Key_Return)
        await until(lambda: focus_name() == "cardNumber", 10, what="cursor in the card number")

        filled = set()
        for _ in range(40):  # Tab through the form, typing into each field it reaches
            name = focus_name()
            if name == "payButton" or filled == set(FIELDS):
                break
            if name in FIELDS and name not in filled:
                typed(FIELDS[name])
                filled.add(name)
            press(Qt.Key.Key_Tab)
        assert filled == set(FIELDS), f"Tab never reached {set(FIELDS) - filled}"
        press(Qt.Key.Key_Return)
        await until(lambda: shown(flow, "commitButton") and find(flow, "commitButton").isEnabled(), 30,
                    what="review page")
        press(Qt.Key.Key_Return)
        await until(lambda: find(flow, "orderNumberLabel", QLabel).text(), 60, what="order number shown")
        number = find(flow, "orderNumberLabel", QLabel).text()
        assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [number]
        await until(lambda: focus_name() == "newSaleButton", 10, what="focus on New sale")
        press(Qt.Key.Key_Return)
        await until(lambda: window.sale_flow is None, what="back to the events")

    run(steps())
