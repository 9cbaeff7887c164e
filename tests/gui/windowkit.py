"""Steps a cashier takes in the whole window, shared by the end-to-end GUI tests.

Everything goes through widgets by their object names (as a tester's automation would) and waits
with ``until`` for what the window shows; nothing reaches into private attributes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

TEST_EVENT = "000051048D991EE7"
CAPTCHA_EVENT = "3B00C4A7C0DE0001"
STADIUM_EVENT = "3B00STADIUM00007"
TEST_CARD = "6011993200001006"
TEST_CVV = "123"
# The window's clock in tests: mid-afternoon UTC, far from every fixture venue's maintenance night.
AFTERNOON = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def find(root: QWidget, name: str, kind=QWidget):
    widget = root.findChild(kind, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def shown(root: QWidget, name: str, kind=QWidget) -> bool:
    widget = root.findChild(kind, name)
    return widget is not None and widget.isVisible()


def click(qtbot, button: QAbstractButton) -> None:
    """Press a button. ``button.click()`` rather than a synthesized mouse click: QTest's mouse
    functions process Qt events, which inside a test coroutine would run other asyncio tasks
    re-entrantly."""
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    assert button.isVisible(), f"{button.objectName()} is not shown"
    button.click()


def mouse_click_at(widget: QWidget, pos) -> None:
    """A left click at ``pos`` delivered straight to ``widget`` (no event processing, see ``click``)."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    point = QPointF(pos)
    glob = QPointF(widget.mapToGlobal(pos))
    for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                          (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
        event = QMouseEvent(kind, point, glob, Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


def type_into(qtbot, root: QWidget, name: str, text: str) -> None:
    """Click into a field, type like a cashier, and leave it (Tab) so its check runs."""
    edit = find(root, name, QLineEdit)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


async def open_event_by_search(window, qtbot, until, text: str, event_id: str) -> None:
    """Type into the search box and press Enter; wait until that event's page is ready to sell."""
    await until(lambda: window.events.model.rowCount() > 0, what="events listed")
    search = find(window, "eventSearch", QLineEdit)
    search.setFocus()
    search.selectAll()
    qtbot.keyClicks(search, text)
    await until(lambda: window.events.visible_event_ids() == [event_id], what=f"only {event_id} listed")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    await event_page_ready(window, until, event_id)


async def event_page_ready(window, until, event_id: str) -> None:
    page = window.event_page
    await until(lambda: page.loaded_event_id == event_id and find(window, "reserveButton", QPushButton).isEnabled(),
                30, what="event page ready to sell")


async def reserve_best_available(window, qtbot, until, quantity: int = 2):
    spin = find(window, "quantitySpin", QSpinBox)
    spin.setValue(quantity)
    click(qtbot, find(window, "reserveButton", QPushButton))
    await until(lambda: window.sale_flow is not None, 60, what="seats held, sale open")
    return window.sale_flow


async def choose_delivery(window, qtbot, until, delivery: str | None = None) -> None:
    """Click the delivery option whose text starts with ``delivery`` ("Will Call…"), else the first."""
    flow = window.sale_flow
    await until(lambda: [b for b in flow.findChildren(QRadioButton) if b.objectName().startswith("shipping_")
                         and b.isVisible() and b.isEnabled()], what="delivery options shown")
    options = [b for b in flow.findChildren(QRadioButton) if b.objectName().startswith("shipping_")]
    button = next(b for b in options if delivery is None or b.text().startswith(delivery))
    click(qtbot, button)
    next_button = find(flow, "shippingNextButton", QPushButton)
    await until(lambda: next_button.isEnabled() and find(flow, "shippingOptions").isEnabled(),
                what="delivery accepted")
    click(qtbot, next_button)
    await until(lambda: shown(flow, "payButton"), what="payment page")


def fill_card(qtbot, flow, number: str = TEST_CARD, cvv: str = TEST_CVV, expiry: str = "12/30") -> None:
    type_into(qtbot, flow, "cardNumber", number)
    type_into(qtbot, flow, "cardExpiry", expiry)
    type_into(qtbot, flow, "cardCvv", cvv)


def fill_buyer(qtbot, flow) -> None:
    type_into(qtbot, flow, "firstName", "Jo")
    type_into(qtbot, flow, "lastName", "Doe")
    type_into(qtbot, flow, "email", "jo.doe@example.com")


def fill_address(qtbot, flow) -> None:
    type_into(qtbot, flow, "addressLine1", "1 Main Street")
    type_into(qtbot, flow, "city", "New York")
    region = find(flow, "region", QComboBox)
    region.setFocus()
    region.lineEdit().selectAll()
    qtbot.keyClicks(region.lineEdit(), "NY")
    qtbot.keyClick(region.lineEdit(), Qt.Key.Key_Tab)
    type_into(qtbot, flow, "postalCode", "10001")


def fill_payment(qtbot, flow, number: str = TEST_CARD, cvv: str = TEST_CVV) -> None:
    fill_card(qtbot, flow, number, cvv)
    fill_buyer(qtbot, flow)
    fill_address(qtbot, flow)


async def pay_and_commit(window, qtbot, until) -> str:
    """Press Pay, then Place order on the review; returns the order number the window shows."""
    flow = window.sale_flow
    pay = find(flow, "payButton", QPushButton)
    await until(pay.isEnabled, 10, what="Pay enabled (" + find(flow, "paymentHint", QLabel).text() + ")")
    click(qtbot, pay)
    await until(lambda: shown(flow, "commitButton") and find(flow, "commitButton").isEnabled(), 30,
                what="review page")
    click(qtbot, find(flow, "commitButton", QPushButton))
    await until(lambda: shown(flow, "orderNumberLabel") and find(flow, "orderNumberLabel", QLabel).text(), 60,
                what="order confirmation")
    return find(flow, "orderNumberLabel", QLabel).text()


SOLVE_LIKE_A_PERSON = """
document.getElementById('not-robot').click();
var sum = document.getElementById('question').textContent.split('+');
document.getElementById('answer').value = String(parseInt(sum[0]) + parseInt(sum[1]));
document.getElementById('verify').click();
true;
"""


def captcha_dialog():
    from PySide6.QtWidgets import QApplication

    from app.gui.captcha import CaptchaDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, CaptchaDialog) and widget.isVisible():
            return widget
    return None


async def run_js(page, code: str):
    import asyncio

    done = asyncio.get_running_loop().create_future()
    page.runJavaScript(code, 0, lambda result: done.done() or done.set_result(result))
    return await asyncio.wait_for(done, 10)


async def solve_shown_captcha(until) -> None:
    """What a person does in the captcha view: tick the box, answer the sum, press Verify."""
    import asyncio

    dialog = await until(captcha_dialog, 30, "the captcha dialog")
    page = dialog.page
    state = "document.getElementById('widget') ? document.getElementById('widget').dataset.state : null"
    for _ in range(400):
        if await run_js(page, state) == "ready":
            break
        await asyncio.sleep(0.05)
    assert await run_js(page, state) == "ready"
    await run_js(page, SOLVE_LIKE_A_PERSON)
