"""Esc in a web dialog closes it, whatever in it has the keyboard — the page itself included (a
cashier presses Esc to get out of a sign-in or a captcha, the safe way out: nothing is signed in,
no token given)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui.captcha import solve_captcha
from tests.gui.member.memberkit import element_shown, open_sign_in
from tests.gui.windowkit import captcha_dialog, run_js

CAPTCHA_EVENT = "3B00C4A7C0DE0001"


async def page_has_the_keyboard(dialog, view, until) -> None:
    def in_page() -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is view.focusProxy() or view.isAncestorOf(focus))

    view.setFocus()
    await until(in_page, what="the page has the keyboard")


def test_esc_in_the_sign_in_page_closes_the_dialog(window, run, until, qtbot):
    async def steps():
        dialog = await open_sign_in(window, until)
        await element_shown(dialog, until, "signin", "the sign-in form")
        await run_js(dialog.view.page(), "document.getElementById('email').focus(); true;")
        await page_has_the_keyboard(dialog, dialog.view, until)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        await until(lambda: not dialog.isVisible(), what="the dialog closed by Esc")

    run(steps())
    assert window.station.member is None


def test_esc_in_the_captcha_page_gives_no_token(station, run, until, qtbot):
    async def steps():
        solving = asyncio.ensure_future(
            solve_captcha(station.settings.captcha_page_url, lambda: station.counter.captcha_page(CAPTCHA_EVENT)))
        dialog = await until(captcha_dialog, 30, "the captcha dialog")
        for _ in range(400):
            if await run_js(dialog.page, "!!document.getElementById('widget')"):
                break
            await asyncio.sleep(0.05)
        await page_has_the_keyboard(dialog, dialog.view, until)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert await asyncio.wait_for(solving, 10) is None

    run(steps())
