"""The Sandbox menu, used as a tester would: each choice says what it will do, reaches the sandbox,
and the ticks follow what the sandbox does; Reset asks first and keeps everything on Enter; the state
view lists what the sandbox holds; the menu is not there for a real backend."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMessageBox, QPushButton, QTableWidget

from app.checkout.sandboxcontrols import CONTROLS
from tests.gui.windowkit import TEST_EVENT, click, find, open_event_by_search, reserve_best_available


def entries(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def action_named(window, text: str) -> QAction:
    matches = [a for a in window.findChildren(QAction) if a.text().replace("&", "") == text]
    assert len(matches) == 1, text
    return matches[0]


def test_every_scenario_setting_is_a_choice_that_says_what_it_does(window):
    menu = find(window, "menu_sandbox", QMenu)
    assert menu.menuAction().isVisible()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions() if a.isVisible()]
    assert titles.index("Sandbox") < titles.index("Help")
    assert entries(menu)[:len(CONTROLS)] == [c.title for c in CONTROLS]
    assert entries(menu)[len(CONTROLS):] == ["Rotate the captcha site key", "Sandbox state…", "Reset the sandbox…"]
    for control in CONTROLS:
        sub = find(window, f"menu_sandbox_{control.key}", QMenu)
        actions = sub.actions()
        assert [a.text() for a in actions] == [c.label for c in control.choices]
        assert actions[0].isChecked()  # the sandbox's default, ticked
        for action in actions:
            assert action.statusTip().endswith(".") and len(action.statusTip().split()) >= 4, action.statusTip()


def test_a_choice_reaches_the_sandbox_and_the_status_bar_says_what_it_does(window, run, until, sandbox_control):
    async def steps():
        action_named(window, "Add 500 ms to every answer").trigger()
        await until(lambda: sandbox_control.state()["scenario"]["latency_ms"] == 500, what="latency set")
        await until(lambda: "500 ms late" in window.statusBar().currentMessage(), what="the status bar says so")
        assert window.statusBar().currentMessage() == "Sandbox: Every Partner API answer arrives 500 ms late."
        action_named(window, "Decline the next payment: no funds").trigger()
        await until(lambda: sandbox_control.state()["scenario"]["next_payment_decline"] == 20129,
                    what="the next payment declined")
        # Set behind the menu's back (a tester's curl): opening the menu shows what the sandbox does now.
        sandbox_control.scenario(latency_ms=0, niterun=True)
        menu = find(window, "menu_sandbox", QMenu)
        menu.aboutToShow.emit()
        await until(lambda: action_named(window, "Every venue in its maintenance night").isChecked(),
                    what="the tick follows the sandbox")
        assert action_named(window, "No added latency").isChecked()

    run(steps())


def test_reset_asks_first_enter_keeps_everything_and_reset_releases_the_carts(
        window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 2)
        assert len(sandbox_control.state()["held_carts"]) == 1

        find(window, "action_sandbox_reset", QAction).trigger()
        box = await until(lambda: window.findChild(QMessageBox, "sandboxResetQuestion"), what="the question")
        await until(box.isVisible, what="the question shown")
        assert "held carts, orders (those of earlier runs too), sold seats and member sign-ins are gone" in box.text()
        keep = find(box, "sandboxKeepButton", QPushButton)
        await until(lambda: QApplication.focusWidget() is keep, what="the safe answer focused")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter: keep everything
        await until(lambda: not box.isVisible(), what="question closed")
        assert len(sandbox_control.state()["held_carts"]) == 1

        find(window, "action_sandbox_reset", QAction).trigger()
        box = await until(lambda: next((b for b in window.findChildren(QMessageBox, "sandboxResetQuestion")
                                        if b.isVisible()), None), what="the question again")
        click(qtbot, find(box, "sandboxResetButton", QPushButton))
        await until(lambda: sandbox_control.state()["held_carts"] == [], what="the sandbox reset")
        await until(lambda: window.statusBar().currentMessage().startswith("Sandbox: Everything goes back"),
                    what="the status bar says so")

    run(steps())


def test_the_state_view_lists_what_the_sandbox_holds(window, run, until, qtbot):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 3)
        find(window, "action_sandbox_state", QAction).trigger()
        summary = find(window, "sandboxStateSummary", QLabel)
        await until(lambda: summary.text().startswith("1 cart held, 0 orders, "), what="the state read")
        carts = find(window, "sandboxHeldCarts", QTableWidget)
        assert carts.rowCount() == 1
        assert carts.item(0, 0).text() == TEST_EVENT and carts.item(0, 1).text() == "3"
        # A choice made while the view is open shows in it at once, without Refresh.
        find(window, "action_sandbox_reset", QAction).trigger()
        box = await until(lambda: next((b for b in window.findChildren(QMessageBox, "sandboxResetQuestion")
                                        if b.isVisible()), None), what="the question")
        click(qtbot, find(box, "sandboxResetButton", QPushButton))
        await until(lambda: summary.text().startswith("0 carts held, 0 orders, "), what="the view read again")
        assert carts.rowCount() == 0

    run(steps())


def test_no_sandbox_menu_for_a_real_backend(qapp, tmp_path, monkeypatch):
    import shiboken6

    from app.checkout.station import Station
    from app.gui.mainwindow import MainWindow
    from app.storage import StationStorage

    monkeypatch.setenv("BOXOFFICE_HOME", str(tmp_path))
    station = Station(StationStorage(), backend="production")
    window = MainWindow(station)
    try:
        assert station.sandbox_controls() is None
        assert not find(window, "menu_sandbox", QMenu).menuAction().isVisible()
    finally:
        shiboken6.delete(window)
