"""The panel by keyboard: Tab walks the fields in the order they are shown, Esc closes without
saving, and Enter does what the focused widget is for — never saving a form that has a wrong field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from tests.gui.settings.settingskit import open_dialog, open_from_toolbar, open_with_keys, problem, said, type_field
from tests.gui.windowkit import find


def focused():
    return QApplication.focusWidget()


def test_esc_closes_without_saving_what_was_typed(panel_station, panel_window, home, qtbot, run, until):
    window = panel_window(panel_station)
    before = (home / "config" / "settings.json").read_text()

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "station_name", "Box 9", leave=False)
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
        await until(lambda: open_dialog(window) is None, what="the panel closed")
        dialog = await open_from_toolbar(window, qtbot, until)
        assert find(dialog, "field_station_name", QLineEdit).text() == panel_station.settings.station_name
        dialog.close()

    run(steps())
    assert (home / "config" / "settings.json").read_text() == before
    assert panel_station.settings.station_name != "Box 9"


def test_enter_in_a_field_never_saves_a_form_with_a_wrong_field(panel_station, panel_window, home, qtbot, run,
                                                                until):
    window = panel_window(panel_station)
    before = (home / "config" / "settings.json").read_text()

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "captcha_domain", "https://tickets.example/")
        type_field(qtbot, dialog, "station_name", "Box 9", leave=False)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        await until(lambda: said(dialog, "settingsProblem"), what="the refusal")
        assert said(dialog, "settingsProblem").startswith("Nothing was saved")
        assert dialog.isVisible() and problem(dialog, "captcha_domain")
        assert focused() is find(dialog, "field_captcha_domain")  # taken to the field to fix
        dialog.close()

    run(steps())
    assert (home / "config" / "settings.json").read_text() == before


def test_enter_on_test_connection_tests_and_saves_nothing(panel_station, panel_window, home, qtbot, run, until):
    window = panel_window(panel_station)
    before = (home / "config" / "settings.json").read_text()

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "station_name", "Box 9", leave=False)
        test = find(dialog, "testConnectionButton", QPushButton)
        test.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(test, Qt.Key.Key_Return)
        await until(lambda: said(dialog, "connectionResult").startswith("Connected"), 30, what="the test's answer")
        assert dialog.isVisible()
        cancel = find(dialog, "cancelSettingsButton", QPushButton)
        cancel.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(cancel, Qt.Key.Key_Return)
        await until(lambda: open_dialog(window) is None, what="Enter on Cancel closed the panel")

    run(steps())
    assert (home / "config" / "settings.json").read_text() == before


def test_tab_walks_the_backend_page_in_the_order_shown(panel_station, panel_window, qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        assert focused() is find(dialog, "field_custom_partner_url")  # custom backend: its address first
        order = []
        for _ in range(7):
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
            order.append(focused().objectName())
        assert order == ["field_custom_oauth_url", "field_custom_wallet_url", "field_api_key", "field_oauth_client_id",
                         "field_client_secret", "field_redirect_uri", "testConnectionButton"]
        dialog.close()

    run(steps())
