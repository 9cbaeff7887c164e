"""Switching backend from the panel: it takes effect in the running window, and waits for an open
sale (the panel says so and offers both ways out: back to the sale, or cancel it)."""

from __future__ import annotations

import json

import httpx
from PySide6.QtWidgets import QLabel, QPushButton

from tests.gui.settings.settingskit import (
    choose_backend,
    open_dialog,
    open_from_toolbar,
    open_with_keys,
    save,
    type_field,
)
from tests.gui.windowkit import TEST_EVENT, click, find, open_event_by_search, reserve_best_available, shown
from tests.settingskit import SANDBOX_KEY, SANDBOX_SECRET


def backend_status(window) -> str:
    return find(window, "backendStatus", QLabel).text()


def test_embedded_sandbox_to_a_custom_backend_without_a_restart(sandbox_station, panel_window, fresh_sandbox,
                                                                 sandbox_control, home, qtbot, run, until):
    window = panel_window(sandbox_station)
    embedded = sandbox_station.sandbox.base_url
    assert embedded != fresh_sandbox.base_url  # two real sandboxes, on two ports
    assert backend_status(window) == f"Backend: Embedded sandbox at {embedded}"
    asked_before = len([r for r in sandbox_control.log(500) if r["path"] == "/partners/v1/events"])

    async def steps():
        dialog = await open_from_toolbar(window, qtbot, until)
        choose_backend(qtbot, dialog, "custom")
        type_field(qtbot, dialog, "custom_partner_url", fresh_sandbox.base_url + "/partners/v1")
        type_field(qtbot, dialog, "api_key", SANDBOX_KEY)
        type_field(qtbot, dialog, "oauth_client_id", "sandbox-client")
        type_field(qtbot, dialog, "client_secret", SANDBOX_SECRET)
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="the panel closed after saving")
        await until(lambda: backend_status(window) == f"Backend: Custom: {fresh_sandbox.base_url}/partners/v1",
                    what="the status bar on the new backend")
        await until(lambda: window.events.model.rowCount() > 0, what="events listed from the new backend")
        assert window.statusBar().currentMessage().startswith("Settings saved.")
        # A sale now goes to the custom backend.
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 1)

    run(steps())
    asked = [r for r in sandbox_control.log(500) if r["path"] == "/partners/v1/events"]
    assert len(asked) > asked_before, "the window listed the events from the custom backend"
    assert len(sandbox_control.state()["held_carts"]) == 1, "the seats are held on the custom backend"
    try:
        httpx.get(embedded + "/", timeout=2)
        raise AssertionError("the embedded sandbox still answers")
    except httpx.ConnectError:
        pass
    saved = json.loads((home / "config" / "settings.json").read_text())
    assert saved["backend"] == "custom" and saved["custom_partner_url"] == fresh_sandbox.base_url + "/partners/v1"


def test_an_open_sale_holds_the_switch_and_the_panel_offers_both_ways_out(panel_station, panel_window, home,
                                                                          sandbox_control, qtbot, run, until):
    window = panel_window(panel_station)
    settings_file = home / "config" / "settings.json"
    before = settings_file.read_text()

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        dialog = await open_with_keys(window, qtbot, until)
        choose_backend(qtbot, dialog, "sandbox")
        save(qtbot, dialog)
        note = await until(lambda: shown(dialog, "saleOpenNote") and find(dialog, "saleOpenNote"),
                           what="the open sale's note")
        assert "A sale is open" in " ".join(label.text() for label in note.findChildren(QLabel))
        assert settings_file.read_text() == before and panel_station.settings.backend == "custom"
        assert len(sandbox_control.state()["held_carts"]) == 1  # the sale goes on where it was

        click(qtbot, find(dialog, "backToSaleButton", QPushButton))
        assert window.sale_flow is flow and dialog.isVisible()

        click(qtbot, find(dialog, "cancelSaleButton", QPushButton))
        release = await until(lambda: shown(flow, "confirmCancelButton") and find(flow, "confirmCancelButton"),
                              what="the sale asks before cancelling")
        click(qtbot, release)
        await until(lambda: window.sale_flow is None, 30, what="the sale cancelled")
        await until(lambda: sandbox_control.state()["held_carts"] == [], 30, what="its seats released")

        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 60, what="saved once the sale was over")
        await until(lambda: backend_status(window).startswith("Backend: Embedded sandbox at"),
                    what="the window on the embedded sandbox")

    run(steps())
    assert json.loads(settings_file.read_text())["backend"] == "sandbox"


def test_a_change_that_needs_no_new_connection_is_saved_during_a_sale_and_the_sale_stays(
        panel_station, panel_window, fresh_sandbox, sandbox_control, home, qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        await until(lambda: shown(flow, "shippingNextButton"), what="the sale's delivery page")
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "station_name", "Box 5")
        type_field(qtbot, dialog, "logo_url", fresh_sandbox.base_url + "/_sandbox/logo.png")
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved at once")
        await until(lambda: window.findChild(QLabel, "partnerLogo").isVisible(), 30, what="the new logo shown")
        assert window.sale_flow is flow and flow.isVisible() and shown(flow, "shippingNextButton")
        assert window.statusBar().currentMessage().startswith("Settings saved.")
        assert len(sandbox_control.state()["held_carts"]) == 1

    run(steps())
    assert '"station_name": "Box 5"' in (home / "config" / "settings.json").read_text()
