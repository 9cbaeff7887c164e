"""The events list under the mouse: a click opens the event clicked, a double-click opens it once,
and the arrow keys only move the highlight (Enter opens; browsing costs no availability calls)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox

from tests.gui.windowkit import TEST_EVENT, event_page_ready, find, mouse_at, open_event_dialog, press_key

OTHER_EVENT = "3B00STADIUM00007"


def _row_centre(window, event_id: str):
    shown = window.events.visible_event_ids()
    assert event_id in shown, f"{event_id} not listed"
    return window.events.table.visualRect(window.events.proxy.index(shown.index(event_id), 0)).center()


def _mouse(window, event_id: str, *kinds: QEvent.Type) -> None:
    """Press/release/double-click on ``event_id``'s row, as the platform delivers them."""
    mouse_at(window.events.table.viewport(), _row_centre(window, event_id), *kinds)


PRESS, RELEASE, DOUBLE = QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick


def _availability_calls(sandbox_control, event_id: str) -> int:
    """Availability calls the sandbox saw for ``event_id`` (for any event with "")."""
    return sum(1 for r in sandbox_control.log(limit=500)
               if r["path"].endswith("/availability") and f"/events/{event_id}" in r["path"])


def test_a_click_opens_the_event_clicked(window, run, until, sandbox_control):
    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="events listed")
        _mouse(window, TEST_EVENT, PRESS, RELEASE)
        await until(lambda: window.event_page.loaded_event_id == TEST_EVENT, what="the clicked event's page")
        title = find(window, "eventTitle", QLabel).text()
        assert title == window.events.model.row_for(TEST_EVENT).name

    run(steps())


def test_a_double_click_opens_the_event_once(window, run, until, sandbox_control):
    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="events listed")
        before = _availability_calls(sandbox_control, OTHER_EVENT)
        _mouse(window, OTHER_EVENT, PRESS, RELEASE)  # the double-click's first click opens it...
        await event_page_ready(window, until, OTHER_EVENT)
        find(window, "quantitySpin", QSpinBox).setValue(3)  # the cashier is quick
        shown = find(window, "eventSubtitle", QLabel).text()
        _mouse(window, OTHER_EVENT, DOUBLE, RELEASE)  # ...its second half, a moment later, changes nothing:
        assert find(window, "eventSubtitle", QLabel).text() == shown  # no "Loading the event…" flash
        await asyncio.sleep(0.3)
        assert window.event_page.loaded_event_id == OTHER_EVENT
        assert find(window, "quantitySpin", QSpinBox).value() == 3
        assert _availability_calls(sandbox_control, OTHER_EVENT) - before == 1

    run(steps())


def test_the_arrow_keys_move_the_highlight_without_opening(window, run, until, sandbox_control):
    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="events listed")
        before = _availability_calls(sandbox_control, "")
        window.activateWindow()
        window.events.table.setFocus()
        await until(window.events.table.hasFocus, what="the list focused")
        for _ in range(3):
            press_key(Qt.Key.Key_Down)
        highlighted = window.events.table.currentIndex().siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        assert highlighted and window.right.currentWidget() is window.welcome
        assert _availability_calls(sandbox_control, "") == before  # browsing asks the service nothing
        press_key(Qt.Key.Key_Return)
        await until(lambda: window.event_page.loaded_event_id == highlighted, 30, what="the highlighted event's page")

    run(steps())


def test_an_event_opened_by_its_id_is_the_one_highlighted(window, run, until):
    def highlighted() -> list[str]:
        rows = window.events.table.selectionModel().selectedRows()
        return [r.data(Qt.ItemDataRole.UserRole) for r in rows]

    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="events listed")
        _mouse(window, TEST_EVENT, PRESS, RELEASE)
        await until(lambda: window.event_page.loaded_event_id == TEST_EVENT, what="the clicked event's page")
        assert highlighted() == [TEST_EVENT]
        dialog = await open_event_dialog(window, until)
        field = find(dialog, "openEventField", QLineEdit)
        QTest.keyClicks(field, OTHER_EVENT)
        QTest.keyClick(field, Qt.Key.Key_Return)
        await until(lambda: window.event_page.loaded_event_id == OTHER_EVENT, 30, what="the stadium's page")
        assert highlighted() == [OTHER_EVENT]  # the list no longer points at the event left behind

    run(steps())


def test_after_a_click_the_control_that_takes_the_keyboard_shows_it(window, run, until, qtbot):
    """The page hands the keyboard to the ticket type once loaded (Enter then reserves). Moved there
    after a mouse click, Qt drew no focus frame on it (a combo box, like a button or an option, shows
    one only after a key moved the focus): Enter would reserve with nothing on screen saying where
    the keyboard was."""

    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="events listed")
        _mouse(window, TEST_EVENT, PRESS, RELEASE)
        await event_page_ready(window, until, TEST_EVENT)
        combo = find(window, "ticketTypeCombo", QComboBox)
        assert combo.hasFocus()
        assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)  # Qt draws the focus frame
        focused = combo.grab().toImage()
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)
        plain = combo.grab().toImage()
        assert focused != plain  # the frame is there to see

    run(steps())
