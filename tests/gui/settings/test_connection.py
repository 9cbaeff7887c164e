"""Test connection in the panel: the typed values tried against a real backend before saving —
success with the quota figures, a wrong key, a host that is not there — without blocking the window."""

from __future__ import annotations

import re
import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLineEdit, QPushButton, QTableView

from tests.gui.settings.settingskit import marked_pages, open_with_keys, problem, said, show_page_of, type_field
from tests.gui.windowkit import TEST_EVENT, click, find, shown
from tests.settingskit import closed_port


@pytest.fixture
def silent_server():
    """A loopback port that takes connections and never answers (a host that hangs)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def test_the_good_key_connects_and_shows_the_quota_figures(panel_station, panel_window, home, qtbot, run, until):
    window = panel_window(panel_station)
    before = (home / "config" / "settings.json").read_text()

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        text = await until(lambda: said(dialog, "connectionResult").startswith("Connected"), 30,
                           what="the test's answer") and said(dialog, "connectionResult")
        assert text.startswith("Connected to 127.0.0.1.")
        assert re.search(r"Quota left: \d+ of \d+ event requests this minute; "
                         r"\d+ of \d+ availability requests for this API key this hour\.", text), text
        assert find(dialog, "testConnectionButton").isEnabled() and not shown(dialog, "stopTestButton")
        dialog.close()

    run(steps())
    assert (home / "config" / "settings.json").read_text() == before  # a test saves nothing


def test_a_wrong_key_is_said_at_the_key(panel_station, panel_window, keychain, qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "api_key", "not-the-partners-key")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: "API key" in said(dialog, "connectionResult"), 30, what="the test's answer")
        assert said(dialog, "connectionResult") == ("127.0.0.1 answered, but does not accept this API key. "
                                                    "Check the key.")
        assert problem(dialog, "api_key") == said(dialog, "connectionResult")
        dialog.close()

    run(steps())
    assert keychain.items[("boxoffice", "api_key")] == "sandbox-api-key"  # the typed key was not kept


def test_a_closed_port_is_an_unreachable_host_in_plain_words(panel_station, panel_window, qtbot, run, until):
    window = panel_window(panel_station)
    port = closed_port()

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url", f"http://127.0.0.1:{port}/partners/v1")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: said(dialog, "connectionResult").startswith("Could not"), 30, what="the test's answer")
        assert said(dialog, "connectionResult") == ("Could not connect to 127.0.0.1. Check the network connection "
                                                    "and the server address.")
        assert find(dialog, "testConnectionButton").isEnabled()
        dialog.close()

    run(steps())


def test_the_window_answers_while_the_test_waits_and_stop_ends_it(panel_station, panel_window, silent_server, qtbot,
                                                                   run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url", f"http://127.0.0.1:{silent_server}/partners/v1")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        assert said(dialog, "connectionResult") == "Testing the connection…"
        assert not find(dialog, "testConnectionButton").isEnabled() and shown(dialog, "stopTestButton")
        # Meanwhile the cashier searches the events in the window: it filters as they type.
        window.activateWindow()
        search = find(window, "eventSearch", QLineEdit)
        search.setFocus()
        qtbot.keyClicks(search, "test purchase")
        await until(lambda: window.events.visible_event_ids() == [TEST_EVENT], what="the search answered")
        assert said(dialog, "connectionResult") == "Testing the connection…"  # still waiting on the host
        click(qtbot, find(dialog, "stopTestButton", QPushButton))
        assert said(dialog, "connectionResult") == "Test stopped."
        assert find(dialog, "testConnectionButton").isEnabled() and not shown(dialog, "stopTestButton")
        dialog.close()

    run(steps())


def test_a_host_that_does_not_answer_ends_after_the_typed_wait(panel_station, panel_window, silent_server, qtbot,
                                                                run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url", f"http://127.0.0.1:{silent_server}/partners/v1")
        type_field(qtbot, dialog, "request_timeout_seconds", "1")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: "in time" in said(dialog, "connectionResult"), 20, what="the wait to run out")
        assert said(dialog, "connectionResult").startswith("127.0.0.1 did not answer in time.")
        dialog.close()

    run(steps())


def test_a_redirect_uri_not_registered_is_said_at_the_redirect_uri(panel_station, panel_window, qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "redirect_uri", "https://till.example/callback")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: "redirect URI" in said(dialog, "connectionResult"), 30, what="the test's answer")
        text = said(dialog, "connectionResult")
        assert "refuses the redirect URI https://till.example/callback" in text and "not registered" in text
        assert problem(dialog, "redirect_uri") == text
        dialog.close()

    run(steps())


def test_https_to_a_server_without_tls_is_said_at_the_address(panel_station, panel_window, fresh_sandbox, qtbot,
                                                               run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "custom_partner_url",
                   fresh_sandbox.base_url.replace("http://", "https://") + "/partners/v1")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: "TLS" in said(dialog, "connectionResult"), 30, what="the test's answer")
        assert "secure (TLS) connection to 127.0.0.1 could not be set up" in said(dialog, "connectionResult")
        assert problem(dialog, "custom_partner_url") == said(dialog, "connectionResult")
        dialog.close()

    run(steps())


def test_a_ca_bundle_that_is_no_certificate_is_said_at_it_and_its_page_marked(panel_station, panel_window,
                                                                            tmp_path, qtbot, run, until):
    window = panel_window(panel_station)
    bundle = tmp_path / "private-ca.pem"
    bundle.write_text("this is not a certificate\n")

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "ca_bundle", str(bundle))
        assert problem(dialog, "ca_bundle") == ""  # the file exists: the rule is met
        show_page_of(dialog, "custom_partner_url")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: "CA bundle" in said(dialog, "connectionResult"), 30, what="the test's answer")
        assert problem(dialog, "ca_bundle") == said(dialog, "connectionResult")
        assert marked_pages(dialog) == ["Connection"]
        dialog.close()

    run(steps())


def test_the_test_s_calls_show_in_the_request_inspector_masked(panel_station, panel_window, qtbot, run, until):
    window = panel_window(panel_station)

    def rows():
        table = find(window, "inspectorTable", QTableView)
        model = table.model()
        return [" ".join(str(model.index(r, c).data()) for c in range(model.columnCount()))
                for r in range(model.rowCount())]

    async def steps():
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        await until(lambda: find(window, "inspectorDock", QDockWidget).isVisible(), what="the inspector")
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "api_key", "typed-but-not-saved-key")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))
        await until(lambda: "API key" in said(dialog, "connectionResult"), 30, what="the test's answer")
        seen = await until(lambda: [r for r in rows() if "401" in r], what="the refused call in the inspector")
        assert all("typed-but-not-saved-key" not in r for r in rows())
        assert any("apikey=••••" in r for r in seen)
        dialog.close()

    run(steps())
