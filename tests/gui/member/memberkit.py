"""What a member does in the sign-in dialog's real web view: type the email and password into the
sandbox's form, press Sign in, then Allow (or Deny) on the consent page — through ``runJavaScript``
on the page the dialog shows, as a person's clicks would."""

from __future__ import annotations

import asyncio
import json

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel

from tests.browserkit import MEMBER_EMAIL, MEMBER_PASSWORD
from tests.gui.windowkit import find, run_js

SIGNED_IN_AS = "Member: " + MEMBER_EMAIL


def sign_in_dialog():
    from app.gui.member.dialog import SignInDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SignInDialog) and widget.isVisible():
            return widget
    return None


def dialog_message(dialog) -> str:
    """What the dialog says now: why the sign-in ended (where the page was), else its status line."""
    problem = find(dialog, "signInProblem", QLabel)
    return problem.text() if problem.isVisible() else find(dialog, "signInMessage", QLabel).text()


async def element_shown(dialog, until, element_id: str, what: str) -> None:
    """Until the page in the dialog has the element ``element_id`` (the page has loaded)."""
    probe = f"!!document.getElementById({json.dumps(element_id)})"

    async def present() -> bool:
        page = dialog.view.page()
        return bool(page is not None and await run_js(page, probe))

    for _ in range(600):
        if await present():
            return
        await asyncio.sleep(0.05)
    await until(lambda: False, 0.01, what)


async def open_sign_in(window, until):
    find(window, "action_sign_in", QAction).trigger()
    return await until(sign_in_dialog, 30, "the sign-in dialog")


async def fill_sign_in_form(dialog, until, *, email: str = MEMBER_EMAIL, password: str = MEMBER_PASSWORD) -> None:
    await element_shown(dialog, until, "signin", "the sandbox's sign-in form")
    await run_js(dialog.view.page(), f"""
        document.getElementById('email').value = {json.dumps(email)};
        document.getElementById('password').value = {json.dumps(password)};
        document.getElementById('sign-in').click(); true;""")


async def answer_consent(dialog, until, decision: str = "allow") -> None:
    await element_shown(dialog, until, "consent", "the consent page")
    await run_js(dialog.view.page(), f"document.getElementById({json.dumps(decision)}).click(); true;")


async def sign_in_through_the_view(window, until, decision: str = "allow"):
    """Member → Sign in…, the form filled, the consent answered; returns the dialog."""
    dialog = await open_sign_in(window, until)
    await fill_sign_in_form(dialog, until)
    await answer_consent(dialog, until, decision)
    return dialog


async def signed_in(window, until):
    """The documented member signed in through the view; the toolbar names them."""
    await sign_in_through_the_view(window, until)
    await until(lambda: find(window, "toolbar_member").text() == MEMBER_EMAIL, 30, "the member signed in")


async def to_member_payment(window, qtbot, until):
    """Open the test event, hold one seat, take the first delivery: the payment page, saved cards chosen."""
    from PySide6.QtCore import Qt

    from tests.gui.windowkit import TEST_EVENT, choose_delivery, open_event_by_search, reserve_best_available

    await open_event_by_search(window, qtbot, until, TEST_EVENT, TEST_EVENT)
    flow = await reserve_best_available(window, qtbot, until, 1)
    await choose_delivery(window, qtbot, until)
    member_option = find(flow, "method_member")
    await until(member_option.isVisible, 30, "the member's saved cards offered")
    qtbot.mouseClick(member_option, Qt.MouseButton.LeftButton)
    await until(lambda: flow.payment.member_list.count() > 0, 30, "the saved cards listed")
    return flow


def pay_with_saved_card(qtbot, flow, row: int = 0) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from tests.gui.windowkit import type_into

    flow.payment.member_list.setCurrentRow(row)
    type_into(qtbot, flow, "memberCvv", "123")
    qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
