"""Keys on the event side of the window act on the widget that has the focus, and only there.

Each test presses keys on whatever widget has the keyboard focus (as a person at the counter does)
and checks what the window shows and what the sandbox was asked. Also: F1 shows the shortcuts,
Ctrl+Q quits (asking first while seats are held), and the window's title names the app once.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QMessageBox, QTextBrowser

from app.gui.shortcuts import KEYS, Scope
from tests.gui.windowkit import STADIUM_EVENT, TEST_EVENT, find, open_event_by_search, reserve_best_available

VINTAGE = "3B00NOBARCODE005"
WAREHOUSE = "3B00GENADMIT0006"


def focused():
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def cart_requests(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(2000) if r["method"] == "POST" and r["path"].endswith("/cart")]


def page_loads(sandbox_control, event_id: str) -> int:
    """How often the event page asked for the event (details are asked at every load; availability
    answers may come from the client's few-second cache)."""
    return sum(
        1 for r in sandbox_control.log(2000) if r["method"] == "GET" and r["path"].endswith(f"/events/{event_id}")
    )


def test_enter_in_the_search_box_opens_the_match_and_reserves_nothing_behind_it(
    window, run, until, qtbot, sandbox_control
):
    async def steps():
        await open_event_by_search(window, qtbot, until, "championship", STADIUM_EVENT)
        press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert focused().objectName() == "eventSearch"
        QTest.keyClicks(focused(), "Vintage")
        await until(lambda: window.events.visible_event_ids() == [VINTAGE], what="one match")
        press(Qt.Key.Key_Return)
        await until(lambda: window.event_page.loaded_event_id == VINTAGE, 30, what="Vintage Film Night opened")
        assert find(window, "eventTitle", QLabel).text() == "Vintage Film Night"
        assert window.sale_flow is None
        assert cart_requests(sandbox_control) == []
        assert sandbox_control.state()["held_carts"] == []

    run(steps())


def test_esc_and_f5_in_the_search_box_leave_the_open_event_alone(window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        asked = page_loads(sandbox_control, TEST_EVENT)
        press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(focused(), "jazz")
        press(Qt.Key.Key_F5)
        press(Qt.Key.Key_Escape)  # clears the search, nothing else
        search = find(window, "eventSearch", QLineEdit)
        assert search.hasFocus() and search.text() == ""
        assert window.right.currentWidget() is window.event_page
        assert find(window, "eventTitle", QLabel).text() == "Sandbox Test Purchase Night"
        assert page_loads(sandbox_control, TEST_EVENT) == asked  # F5 refreshed nothing
        # On the page itself the same keys act on the page.
        find(window, "quantitySpin").setFocus()
        press(Qt.Key.Key_F5)
        await until(
            lambda: (
                page_loads(sandbox_control, TEST_EVENT) == asked + 1 and window.event_page.loaded_event_id == TEST_EVENT
            ),
            30,
            what="F5 on the page refreshes it",
        )
        press(Qt.Key.Key_Escape)
        await until(lambda: window.right.currentWidget() is not window.event_page, what="Esc on the page: back")

    run(steps())


def test_every_shortcut_acts_where_the_table_says(window):
    def text(keys: str) -> str:
        return QKeySequence(keys).toString()

    window_wide = {text(keys) for entry in KEYS if entry.scope is Scope.WINDOW for keys in entry.keys}
    shortcuts = window.findChildren(QShortcut)
    assert shortcuts
    for shortcut in shortcuts:
        if shortcut.context() == Qt.ShortcutContext.WindowShortcut:
            assert shortcut.key().toString() in window_wide, f"{shortcut.key().toString()} acts anywhere in the window"
    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    for action in actions:  # menu entries: window-wide, and only with keys the table gives them
        for keys in action.shortcuts():
            assert keys.toString() in window_wide, f"{keys.toString()} of {action.objectName()}"
    bound = {text(keys) for entry in KEYS if entry.bound for keys in entry.keys}
    made = {s.key().toString() for s in shortcuts} | {k.toString() for a in actions for k in a.shortcuts()}
    assert bound <= made
    assert len(made) == len(shortcuts) + sum(len(a.shortcuts()) for a in actions)  # no key made twice


def test_f1_shows_every_shortcut_readably_and_esc_closes_it(window, run, until, qtbot):
    async def steps():
        find(window, "eventSearch").setFocus()
        press(Qt.Key.Key_F1)
        dialog = await until(lambda: window.findChild(QDialog, "shortcutsHelp"), what="the help")
        await until(dialog.isVisible, what="the help shown")
        text = find(dialog, "shortcutsText", QTextBrowser).toPlainText()
        for entry in KEYS:
            assert entry.label in text and entry.action in text, entry.name
        for area in ("Anywhere", "Events list", "Event page", "Seat map", "Sale"):
            assert area in text
        assert dialog.width() <= window.width() and dialog.height() <= window.height()
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        await until(lambda: not dialog.isVisible(), what="the help closed")

    run(steps())


def test_ctrl_q_quits_and_asks_first_while_seats_are_held(open_window, run, until, qtbot, sandbox_control):
    from tests.gui.windowkit import AFTERNOON

    window = open_window(lambda: AFTERNOON)

    async def steps():
        await window.load_events()
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 2)
        assert len(sandbox_control.state()["held_carts"]) == 1
        press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        box = await until(lambda: window.findChild(QMessageBox, "closeConfirm"), what="the question")
        assert box.isVisible() and "held" in box.text()
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)  # the safe answer
        box.button(QMessageBox.StandardButton.No).click()
        await until(lambda: window.findChild(QMessageBox, "closeConfirm") is None, what="question gone")
        assert window.isVisible() and len(sandbox_control.state()["held_carts"]) == 1
        # The question gone, the window is active again (a desktop's window manager does that; the
        # offscreen platform has none) and the keyboard is back where it was.
        window.activateWindow()
        await until(lambda: QApplication.activeWindow() is window, what="the window active again")
        QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        box = await until(lambda: window.findChild(QMessageBox, "closeConfirm"), what="the question again")
        box.button(QMessageBox.StandardButton.Yes).click()
        await until(lambda: not window.isVisible(), 30, what="the window closed")

    run(steps())
    assert sandbox_control.state()["held_carts"] == []


def test_ctrl_q_without_a_sale_quits_at_once(open_window, run, until):
    from tests.gui.windowkit import AFTERNOON

    window = open_window(lambda: AFTERNOON)

    async def steps():
        await window.load_events()
        find(window, "eventSearch").setFocus()
        press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: not window.isVisible(), 30, what="the window closed")
        assert window.findChild(QMessageBox, "closeConfirm") is None

    run(steps())


@pytest.fixture
def display_name(qapp):
    """The application's display name as ``python -m app`` sets it (the platform appends it to titles)."""
    previous = QGuiApplication.applicationDisplayName()
    QGuiApplication.setApplicationDisplayName("Box Office")
    yield "Box Office"
    QGuiApplication.setApplicationDisplayName(previous)


def title_bar(window) -> str:
    """The title as the platform shows it: Qt documents that it adds the application's display name
    after a window title that does not already end with it."""
    title, name = window.windowTitle(), QGuiApplication.applicationDisplayName()
    return title if not name or title.endswith(name) else f"{title} — {name}"


def test_the_title_bar_names_the_event_and_the_app_once(display_name, window, run, until, qtbot):
    async def steps():
        assert title_bar(window) == "Box Office"
        await open_event_by_search(window, qtbot, until, "warehouse", WAREHOUSE)
        assert title_bar(window) == "Warehouse Sessions — Box Office"
        press(Qt.Key.Key_Escape)
        await until(lambda: title_bar(window) == "Box Office", what="the title after leaving the event")

    run(steps())
