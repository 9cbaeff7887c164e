"""Saving when the disk says no, and answers that come after the tester moved on: the panel says
what happened in a sentence, keeps what was typed, and nothing half-saved is left behind."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from tests.gui.settings.settingskit import choose_backend, open_dialog, open_with_keys, said, save, type_field
from tests.gui.windowkit import click, find, shown
from tests.settingskit import SANDBOX_KEY


@pytest.fixture
def silent_server():
    """A loopback port that takes connections and never answers (a host that hangs)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def test_a_settings_file_that_cannot_be_written_changes_nothing_not_even_the_keychain(
        panel_station, panel_window, keychain, home, qtbot, run, until):
    window = panel_window(panel_station)
    settings_file = home / "config" / "settings.json"
    before = panel_station.settings

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        settings_file.unlink()
        settings_file.mkdir()  # a folder where the file should be: the write fails
        type_field(qtbot, dialog, "api_key", "a-new-partner-key")
        type_field(qtbot, dialog, "station_name", "Box 3")
        save(qtbot, dialog)
        text = await until(lambda: said(dialog, "settingsProblem"), 30, what="the refusal")
        assert text.startswith("The settings could not be saved") and text.endswith("Nothing was changed."), text
        assert dialog.isVisible()
        assert find(dialog, "field_station_name").text() == "Box 3"  # nothing typed is lost
        dialog.close()

    run(steps())
    assert keychain.items[("boxoffice", "api_key")] == SANDBOX_KEY
    assert panel_station.settings == before
    assert panel_station.partner_config().api_key == SANDBOX_KEY


def test_an_edit_during_a_test_stops_it_and_its_answer_never_shows(panel_station, panel_window, silent_server,
                                                                   qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url", f"http://127.0.0.1:{silent_server}/partners/v1")
        type_field(qtbot, dialog, "request_timeout_seconds", "1")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        assert said(dialog, "connectionResult") == "Testing the connection…"
        type_field(qtbot, dialog, "station_name", "Box 3")
        assert said(dialog, "connectionResult") == ""  # the test was about other values
        assert find(dialog, "testConnectionButton").isEnabled() and not shown(dialog, "stopTestButton")
        import asyncio

        await asyncio.sleep(2.5)  # longer than the typed wait: a test still running would have answered
        assert said(dialog, "connectionResult") == ""
        dialog.close()

    run(steps())


def test_closing_the_panel_during_a_test_ends_it_quietly(panel_station, panel_window, silent_server, qtbot, run,
                                                         until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url", f"http://127.0.0.1:{silent_server}/partners/v1")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        click(qtbot, find(dialog, "cancelSettingsButton", QPushButton))
        await until(lambda: open_dialog(window) is None, what="the panel closed")

    run(steps())  # an answer or error landing on the closed panel would fail the test at teardown


def test_esc_while_a_save_is_under_way_closes_the_panel_and_the_save_still_lands(sandbox_station, panel_window,
                                                                                 silent_server, qtbot, run, until):
    """Moving onto a backend runs its recovery there first, which waits on a slow host; the tester
    closes the panel meanwhile: the save finishes all the same, and nothing breaks."""
    window = panel_window(sandbox_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        choose_backend(qtbot, dialog, "custom")
        type_field(qtbot, dialog, "custom_partner_url", f"http://127.0.0.1:{silent_server}/partners/v1")
        type_field(qtbot, dialog, "api_key", SANDBOX_KEY)
        type_field(qtbot, dialog, "request_timeout_seconds", "2")
        save(qtbot, dialog)
        assert not find(dialog, "saveSettingsButton", QPushButton).isEnabled()  # saving
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        await until(lambda: open_dialog(window) is None, what="the panel closed")
        await until(lambda: find(window, "backendStatus", QLabel).text().startswith("Backend: Custom:"), 30,
                    what="the save landed")

    run(steps())
    assert sandbox_station.settings.backend == "custom"
