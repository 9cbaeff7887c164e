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


def mouse_at(widget: QWidget, pos, *kinds) -> None:
    """Left-button mouse events at ``pos`` (``QEvent.Type`` press, release, double-click…, in that
    order) delivered straight to ``widget`` (no event processing in between, see ``click``)."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    point = QPointF(pos)
    glob = QPointF(widget.mapToGlobal(pos))
    for kind in kinds:
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        event = QMouseEvent(kind, point, glob, Qt.MouseButton.LeftButton, held, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


def mouse_click_at(widget: QWidget, pos) -> None:
    """A left click at ``pos`` delivered straight to ``widget``."""
    from PySide6.QtCore import QEvent

    mouse_at(widget, pos, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease)


async def open_event_dialog(window, until):
    """Ctrl+O, a cashier's keys from wherever the focus is; the Open event dialog, its field focused."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog, QLineEdit

    QTest.keySequence(window, "Ctrl+O")
    dialog = await until(lambda: (d := window.findChild(QDialog, "openEventDialog")) and d.isVisible() and d,
                         what="the Open event dialog")
    field = find(dialog, "openEventField", QLineEdit)
    await until(field.hasFocus, what="the field focused")
    return dialog


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


# ----- keys as the keyboard sends them ---------------------------------------------------------
# QTest's key presses are never auto-repeated, and they skip the window. A held key is delivered
# here as a platform plugin delivers it, through the entry point Qt's platform plugins call:
# ``QWindowSystemInterface::handleKeyEvent`` (exported by QtGui; the synchronous one, with the
# event's time). It runs the whole path, the window and Qt's shortcut map first and then the focused
# widget, and it takes the auto-repeat flag and the timestamp, which PySide6's QTest does not.
# The text is an empty QString: Qt routes Enter, Esc and Backspace by their key codes.
_HANDLE_KEY_EVENT = ("_ZN22QWindowSystemInterface14handleKeyEventINS_19SynchronousDeliveryEEEbP7QWindowm"
                     "N6QEvent4TypeEi6QFlagsIN2Qt16KeyboardModifierEERK7QStringbt")
REPEAT_GAP_SECONDS = 0.04  # X11's default auto-repeat rate: 25 presses a second


def _handle_key_event():
    import ctypes
    import glob
    import os

    import PySide6

    found = sorted(glob.glob(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "lib", "libQt6Gui.so*")))
    assert found, "QtGui's library was not found beside PySide6"
    handle = getattr(ctypes.CDLL(found[0]), _HANDLE_KEY_EVENT)
    handle.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p,
                       ctypes.c_bool, ctypes.c_ushort]
    handle.restype = ctypes.c_bool
    return handle


def now_ms() -> int:
    """A key event's time as a platform gives it: milliseconds."""
    import time

    return int(time.monotonic() * 1000)


def platform_key(key: Qt.Key, *, press: bool, repeat: bool = False, at: int | None = None,
                 otherwise: QWidget | None = None) -> None:
    """One key event to the window that has the keyboard focus, as the platform sends it, at time
    ``at`` (milliseconds; now by default).

    ``otherwise``: the window that gets it when none has the focus. Offscreen, a dialog that closes
    hands the focus to no window, where a window manager gives it to the window below."""
    import ctypes

    import shiboken6
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QGuiApplication

    window = QGuiApplication.focusWindow() or (otherwise.window().windowHandle() if otherwise is not None else None)
    assert window is not None, "no window has the keyboard focus"
    empty_text = ctypes.create_string_buffer(24)  # a null QString: no data pointer, no length
    kind = QEvent.Type.KeyPress if press else QEvent.Type.KeyRelease
    _handle_key_event()(shiboken6.getCppPointer(window)[0], now_ms() if at is None else at, kind.value, key.value,
                        0, ctypes.addressof(empty_text), repeat, 1)


def press_key(key: Qt.Key) -> None:
    """A key pressed and let go (not held)."""
    platform_key(key, press=True)
    platform_key(key, press=False)


def _repeat_once(key: Qt.Key, *, flagged: bool = True, otherwise: QWidget | None = None) -> None:
    """One auto-repeat of a key that is down, as X11 sends it: a release and a press with one and the
    same time. ``flagged``: Qt marked both auto-repeated; False: as Qt reports them when it misses
    that (its X11 plugin looks for the press already queued behind the release, and under load it is
    not there yet), as a plain release and press."""
    at = now_ms()
    platform_key(key, press=False, repeat=flagged, at=at, otherwise=otherwise)
    platform_key(key, press=True, repeat=flagged, at=at, otherwise=otherwise)


async def keep_holding(key: Qt.Key, repeats: int, *, flagged: bool = True, otherwise: QWidget | None = None) -> None:
    """A key that is already down stays down: the keyboard's auto-repeat sends ``repeats`` more
    presses (``_repeat_once``), ``REPEAT_GAP_SECONDS`` apart while the loop runs. The key stays down."""
    import asyncio

    for _ in range(repeats):
        await asyncio.sleep(REPEAT_GAP_SECONDS)
        _repeat_once(key, flagged=flagged, otherwise=otherwise)


def hold_key(key: Qt.Key, repeats: int) -> None:
    """A key pressed, held while the keyboard repeats it ``repeats`` times, then let go, with no
    loop running in between (for a lone widget, which answers each key at once)."""
    platform_key(key, press=True)
    for _ in range(repeats):
        _repeat_once(key)
    platform_key(key, press=False)
