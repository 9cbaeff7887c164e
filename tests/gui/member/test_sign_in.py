"""Member sign-in through the real web view on the sandbox's pages: the member's email in the
toolbar and the status bar, sign-out leaving nothing, and each way a sign-in can fail said plainly."""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from tests.browserkit import MEMBER_EMAIL
from tests.gui.member.memberkit import (
    SIGNED_IN_AS,
    dialog_message,
    element_shown,
    fill_sign_in_form,
    open_sign_in,
    sign_in_dialog,
    sign_in_through_the_view,
)
from tests.gui.windowkit import find


def toolbar_text(window) -> str:
    return find(window, "toolbar_member").text()


def test_member_signs_in_through_the_web_view(window, run, until, sandbox_control, caplog):
    import logging

    from app.partner.masking import MaskingFilter

    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(MaskingFilter())  # as the app's log handlers do (app.__main__)

    async def steps():
        assert toolbar_text(window) == "Sign in"
        assert find(window, "memberStatus", QLabel).text() == "Member: not signed in"
        dialog = await sign_in_through_the_view(window, until)
        await until(lambda: sign_in_dialog() is None, 30, f"the dialog closed ({dialog_message(dialog)})")
        await until(lambda: toolbar_text(window) == MEMBER_EMAIL, 10, "the email in the toolbar")
        assert find(window, "memberStatus", QLabel).text() == SIGNED_IN_AS
        assert find(window, "action_sign_out", QAction).isEnabled()

    run(steps())
    log = sandbox_control.log()
    token = [r for r in log if r["path"].endswith("/oauth/token")]
    assert token and token[-1]["status"] == 200
    # The redirect URI (http://localhost/oauth/callback) was never loaded: nothing there to reach.
    assert not [r for r in log if "callback" in r["path"]]
    menu = find(window, "menu_member", QMenu)
    assert [a.text().replace("&", "") for a in menu.actions()] == ["Sign in another member…", "Sign out"]
    # The tokens stay out of the logs and the settings file (the refresh token is in the keychain only).
    from app.storage import REFRESH_TOKEN

    station = window.station
    refresh, access = station.storage.secrets.get(REFRESH_TOKEN), station.member.session.tokens.access_token
    assert refresh and access
    assert refresh not in caplog.text and access not in caplog.text
    settings_file = station.storage.paths.settings_file
    assert not settings_file.exists() or refresh not in settings_file.read_text()


def test_sign_out_forgets_the_member_and_the_next_sign_in_shows_the_form_again(window, run, until):
    from app.storage import REFRESH_TOKEN

    secrets = window.station.storage.secrets

    async def steps():
        await sign_in_through_the_view(window, until)
        await until(lambda: toolbar_text(window) == MEMBER_EMAIL, 30, "signed in")
        assert secrets.get(REFRESH_TOKEN)  # kept in the keychain while signed in
        find(window, "action_sign_out", QAction).trigger()
        await until(lambda: toolbar_text(window) == "Sign in", 10, "signed out")
        assert find(window, "memberStatus", QLabel).text() == "Member: not signed in"
        assert not find(window, "action_sign_out", QAction).isEnabled()
        assert secrets.get(REFRESH_TOKEN) is None
        assert window.station.member is None
        # The next sign-in starts from the empty form: nothing of the last one was kept.
        dialog = await open_sign_in(window, until)
        await element_shown(dialog, until, "signin", "the sign-in form again")
        assert dialog.profile.isOffTheRecord()
        from tests.gui.windowkit import run_js

        assert await run_js(dialog.view.page(), "document.getElementById('email').value") == ""
        assert await run_js(dialog.view.page(), "document.cookie") == ""
        find(dialog, "signInCloseButton").click()
        await until(lambda: sign_in_dialog() is None, 10, "the dialog closed")

    run(steps())


def test_consent_denied_is_said_plainly_and_nobody_is_signed_in(window, run, until):
    async def steps():
        dialog = await sign_in_through_the_view(window, until, decision="deny")
        await until(lambda: "did not allow" in dialog_message(dialog), 30, "the refusal said")
        assert find(dialog, "signInRetryButton").isVisible()
        assert window.station.member is None and toolbar_text(window) == "Sign in"
        find(dialog, "signInRetryButton").click()  # a new attempt: the form again
        await fill_sign_in_form(dialog, until)
        from tests.gui.member.memberkit import answer_consent

        await answer_consent(dialog, until)
        await until(lambda: toolbar_text(window) == MEMBER_EMAIL, 30, "signed in on the second attempt")

    run(steps())


def test_an_answer_of_another_attempt_is_refused(window, run, until, sandbox_control):
    """A redirect carrying a state this attempt never made (a forged or stale link) signs nobody in."""
    async def steps():
        dialog = await open_sign_in(window, until)
        await element_shown(dialog, until, "signin", "the sign-in form")
        from tests.gui.windowkit import run_js

        await run_js(dialog.view.page(),
                     "location.href = 'http://localhost/oauth/callback?code=stolen&state=forged'; true;")
        await until(lambda: "did not match this sign-in attempt" in dialog_message(dialog), 30, "the mismatch said")
        assert window.station.member is None

    run(steps())
    assert not [r for r in sandbox_control.log() if r["path"].endswith("/oauth/token")]  # no exchange tried


def test_the_view_stays_on_the_sign_in_site(window, run, until):
    async def steps():
        dialog = await open_sign_in(window, until)
        await element_shown(dialog, until, "signin", "the sign-in form")
        from tests.gui.windowkit import run_js

        await run_js(dialog.view.page(), "location.href = 'https://elsewhere.example/phish'; true;")
        await until(lambda: "stayed on the sign-in page" in dialog_message(dialog), 30, "the refusal said")
        assert await run_js(dialog.view.page(), "!!document.getElementById('signin')")
        find(dialog, "signInCloseButton").click()
        await until(lambda: "window was closed" in window.statusBar().currentMessage(), 10, "closed said")
        assert window.station.member is None

    run(steps())


def test_the_form_has_the_keyboard_where_the_member_types_first(window, run, until):
    """The email field on a fresh form; the password field when a wrong password brought it back."""
    from tests.gui.windowkit import run_js

    async def focused_field(dialog) -> str:
        for _ in range(100):
            answer = await run_js(dialog.view.page(), "document.activeElement ? document.activeElement.id : ''")
            if answer:
                return answer
            await asyncio.sleep(0.05)
        return ""

    async def steps():
        dialog = await open_sign_in(window, until)
        await element_shown(dialog, until, "signin", "the sign-in form")
        assert await focused_field(dialog) == "email"
        await fill_sign_in_form(dialog, until, email=MEMBER_EMAIL, password="not-the-password")
        await element_shown(dialog, until, "error", "the form again, with its error")
        assert await focused_field(dialog) == "password"
        assert await run_js(dialog.view.page(), "document.getElementById('email').value") == MEMBER_EMAIL
        dialog.reject()

    run(steps())
