"""From a banner's "Check settings…" to a working station: the panel opens at the field at fault,
the cashier fixes it there, and the window goes on without a restart."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from app.storage import API_KEY
from tests.gui.settings.settingskit import open_dialog, problem, save, type_field
from tests.gui.windowkit import click, find, shown
from tests.settingskit import SANDBOX_KEY


def test_a_refused_key_leads_to_the_key_and_fixing_it_lists_the_events(panel_station, panel_window, keychain,
                                                                        qtbot, run, until):
    panel_station.storage.secrets.set(API_KEY, "an-old-key")
    run(panel_station.apply_settings(panel_station.settings))  # the station now runs on the old key
    window = panel_window(panel_station, load=False)

    async def steps():
        window.load_events()
        banner = await until(lambda: shown(window, "errorBanner") and find(window, "errorBanner"), 30,
                             what="the banner")
        assert "refused this station's API key" in find(banner, "errorText", QLabel).text()
        assert window.events.model.rowCount() == 0
        click(qtbot, find(banner, "errorAction", QPushButton))
        dialog = await until(lambda: open_dialog(window), what="the panel")
        key = find(dialog, "field_api_key")
        await until(lambda: QApplication.focusWidget() is key, what="the cursor in the API key")
        assert problem(dialog, "api_key") == ""
        type_field(qtbot, dialog, "api_key", SANDBOX_KEY)
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved")
        await until(lambda: window.events.model.rowCount() > 0, 30, what="the events listed with the right key")
        assert not shown(window, "errorBanner")

    run(steps())
    assert keychain.items[("boxoffice", "api_key")] == SANDBOX_KEY
