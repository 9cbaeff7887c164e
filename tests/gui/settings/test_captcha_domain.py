"""A captcha on a domain the account does not whitelist: it fails as in production, in one plain
sentence, and "Check settings…" opens the panel at the whitelisted captcha domain."""

from __future__ import annotations

import httpx
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QTabWidget

from tests.gui.settings.settingskit import open_dialog, open_with_keys, save, show_page_of
from tests.gui.windowkit import CAPTCHA_EVENT, captcha_dialog, click, find, open_event_by_search, shown


def test_a_captcha_refused_for_its_domain_says_so_and_leads_to_the_setting(sandbox_station, panel_window, qtbot,
                                                                          run, until):
    window = panel_window(sandbox_station)
    account = sandbox_station.sandbox.base_url + "/_sandbox/account"
    assert httpx.get(account).json()["captcha_domains"] == ["boxoffice.example"]

    async def steps():
        # The tester takes the station's domain off the sandbox's account, as an account without it would be.
        dialog = await open_with_keys(window, qtbot, until)
        show_page_of(dialog, "sandbox_whitelists_captcha_domain")
        box = find(dialog, "field_sandbox_whitelists_captcha_domain", QCheckBox)
        assert box.isChecked()
        click(qtbot, box)
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved")
        assert httpx.get(account).json()["captcha_domains"] == []

        await open_event_by_search(window, qtbot, until, "harbour", CAPTCHA_EVENT)
        click(qtbot, find(window, "reserveButton", QPushButton))
        await until(captcha_dialog, 30, what="the captcha shown")
        await until(lambda: captcha_dialog() is None, 30, what="the refused captcha closed by itself")
        banner = await until(lambda: shown(window, "eventErrorBanner") and find(window, "eventErrorBanner"), 30,
                             what="the event page's banner")
        assert find(banner, "errorText", QLabel).text() == (
            "The captcha does not work on boxoffice.example: that domain is not whitelisted for this partner "
            "account. Check the whitelisted captcha domain in Settings.")
        assert window.sale_flow is None  # no seats held

        action = find(banner, "errorAction", QPushButton)
        assert action.text() == "Check settings…"
        click(qtbot, action)
        dialog = await until(lambda: open_dialog(window), what="the panel opened by the banner")
        pages = find(dialog, "settingsPages", QTabWidget)
        assert pages.tabText(pages.currentIndex()).startswith("Branding and whitelists")
        field = find(dialog, "field_captcha_domain", QLineEdit)
        await until(lambda: QApplication.focusWidget() is field, what="the cursor in the captcha domain")
        assert field.text() == "boxoffice.example"
        dialog.close()

    run(steps(), timeout=120)
