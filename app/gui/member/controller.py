"""The Member menu (Sign in…, Sign out), the toolbar's member button and the sign-in's course.

``MemberController(window)`` adds the menu between File and Help and a toolbar button that reads
"Sign in" or, once a member is signed in, their email (its menu then offers Sign out). The status
bar names the member too (the window reads ``station.member``).

A sign-in: the core checks the provider takes this station's client id and redirect URI
(``MemberDesk.begin``), the dialog shows the provider's page, the core checks what comes back and
exchanges the code (``MemberDesk.finish``) — the window waits without blocking all along. Every
way it can end without a member is a plain sentence in the dialog (with "Try again"), or in the
status bar once the dialog is closed. A sign-in lost later (renewing refused) signs the member out
and asks, without a modal loop, to sign in again; a sale in progress keeps its cart and hears the
change (``SaleFlow.member_changed``).
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtWidgets import QMenu, QMessageBox, QStyle, QToolButton

from app.checkout.backends import StationSetupError
from app.checkout.member import DIALOG_CLOSED, MemberChanged
from app.gui.asyncutil import spawn
from app.gui.errors import describe
from app.gui.menus import make_action
from app.partner.errors import PartnerError

log = logging.getLogger(__name__)
SIGN_IN_TEXT = "Sign in"


class MemberController:
    """Owns the Member menu's actions, the toolbar button and the sign-in dialog while it is open."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog = None
        self._attempt: asyncio.Task | None = None
        self._request = None
        self._lost_box: QMessageBox | None = None
        self._exchanging = False  # the way back was caught: the code is being exchanged
        self.sign_in_action = make_action(window, "sign_in", "Sign &in…", self.sign_in, key="sign_in",
                                          tip="Sign a Ticketmaster member in (their saved cards can pay)")
        self.sign_out_action = make_action(window, "sign_out", "Sign &out", self.sign_out, key="sign_out",
                                           tip="Sign the member out (nothing of their sign-in is kept)")
        menu = window.menus.menu("&Member", "member")
        menu.addAction(self.sign_in_action)
        menu.addAction(self.sign_out_action)
        self.button_menu = QMenu(window)
        self.button_menu.setObjectName("memberButtonMenu")
        self.button_menu.addAction(self.sign_out_action)
        self.toolbar_action = make_action(window, "member", SIGN_IN_TEXT, self._toolbar_clicked,
                                          tip="Sign a Ticketmaster member in")
        self.toolbar_action.setIconText(SIGN_IN_TEXT)
        window.menus.add_to_toolbar(self.toolbar_action)
        self._unsubscribe = window.station.members.subscribe(self._on_member_changed)
        self.show_member()

    @property
    def station(self):
        return self.window.station

    # --- what is shown ------------------------------------------------------------------------------
    def show_member(self) -> None:
        email = self.station.members.email
        self.sign_out_action.setEnabled(email is not None)
        self.sign_in_action.setText("Sign &in another member…" if email else "Sign &in…")
        button = self.window.menus.toolbar.widgetForAction(self.toolbar_action)
        if email:
            self.toolbar_action.setText(email)
            self.toolbar_action.setIconText(email)
            self.toolbar_action.setToolTip(f"Signed in as {email} (click for Sign out)")
            self.toolbar_action.setMenu(self.button_menu)
        else:
            self.toolbar_action.setText(SIGN_IN_TEXT)
            self.toolbar_action.setIconText(SIGN_IN_TEXT)
            self.toolbar_action.setToolTip("Sign a Ticketmaster member in")
            self.toolbar_action.setMenu(None)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup if email
                                else QToolButton.ToolButtonPopupMode.DelayedPopup)
            # The style draws the menu's arrow in the bottom-right corner without making room for it:
            # as wide as the centred email plus the arrow on both sides, its last letters stay clear.
            arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(email) + 2 * arrow + 8 if email else 0)
            button.setAccessibleName(f"Member: {email}" if email else SIGN_IN_TEXT)
        self.window.refresh_member_status()

    def _toolbar_clicked(self) -> None:
        if self.station.members.email is None:
            self.sign_in()

    def _on_member_changed(self, change: MemberChanged) -> None:
        self.show_member()
        flow = self.window.sale_flow
        if flow is not None:
            flow.member_changed()
        if change.lost:
            self.window.statusBar().showMessage(change.lost, 15000)
            self._ask_to_sign_in_again(change.lost)

    def _ask_to_sign_in_again(self, sentence: str) -> None:
        if self._lost_box is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Member sign-in expired", sentence,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setObjectName("memberSignInLost")
        box.button(QMessageBox.StandardButton.Yes).setText("Sign in again")
        box.button(QMessageBox.StandardButton.No).setText("Not now")
        self._lost_box = box

        def answered(result: int) -> None:
            self._lost_box = None
            box.deleteLater()
            if result == QMessageBox.StandardButton.Yes:
                self.sign_in()

        box.finished.connect(answered)
        box.open()

    # --- signing in ---------------------------------------------------------------------------------
    def sign_in(self) -> None:
        """Open the dialog (or bring it forward) and start an attempt."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        from app.gui.member.dialog import SignInDialog  # QtWebEngine is loaded here, on first use

        dialog = SignInDialog(self.window)
        dialog.callbackReached.connect(self._on_callback)
        dialog.retryRequested.connect(self._start_attempt)
        dialog.finished.connect(lambda result: self._closed(dialog, result))
        self.dialog = dialog
        width, height = self.window.width(), self.window.height()
        dialog.resize(min(560, width), min(680, max(420, height - 60)))
        dialog.open()
        self._start_attempt()

    def _start_attempt(self) -> None:
        if self._attempt is not None and not self._attempt.done():
            self._attempt.cancel()
        self._attempt = spawn(self._begin(), context="starting the member sign-in")

    async def _begin(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        dialog.say("Opening the sign-in page…")
        try:
            request = await self.station.members.begin()
        except (PartnerError, StationSetupError) as exc:  # the latter: no backend to sign in with
            if self.dialog is dialog:
                dialog.show_problem(describe(exc).sentence)
            return
        if self.dialog is not dialog:
            return  # closed while the provider was asked
        self._request = request
        dialog.show_attempt(request, self.station.members.oauth_origin())

    def _on_callback(self, url: str) -> None:
        request, self._request = self._request, None
        if request is None or self.dialog is None:
            return
        self._attempt = spawn(self._finish(url, request), context="signing the member in")

    async def _finish(self, url: str, request) -> None:
        dialog = self.dialog
        self._exchanging = True
        try:
            member = await self.station.members.finish(url, request)
        except PartnerError as exc:
            if self.dialog is dialog and dialog is not None:
                dialog.show_problem(describe(exc).sentence)
            else:
                self.window.statusBar().showMessage(describe(exc).sentence, 15000)
            return
        finally:
            self._exchanging = False
        self.window.statusBar().showMessage(f"Signed in: {member.email}", 10000)
        if self.dialog is dialog and dialog is not None:
            dialog.accept()

    def _closed(self, dialog, result: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if self._attempt is not None and not self._attempt.done() and self._request is not None:
            self._attempt.cancel()
        if not self._exchanging and result != dialog.DialogCode.Accepted and self.station.members.email is None:
            self.window.statusBar().showMessage(DIALOG_CLOSED, 10000)  # (an exchange under way finishes and says so)
        self._request = None
        dialog.deleteLater()

    def restore(self) -> asyncio.Task:
        """At start-up: the member a previous run left signed in, signed in again quietly."""
        return spawn(self._restore(), context="signing the member in again")

    async def _restore(self) -> None:
        member = await self.station.members.restore()
        if member is not None:
            self.window.statusBar().showMessage(f"Still signed in from the last run: {member.email}", 10000)

    # --- signing out --------------------------------------------------------------------------------
    def sign_out(self) -> None:
        spawn(self._sign_out(), context="signing the member out")

    async def _sign_out(self) -> None:
        email = self.station.members.email
        await self.station.members.sign_out()
        if email:
            self.window.statusBar().showMessage(f"Signed out: {email}. Nothing of the sign-in is kept.", 10000)
