"""The settings panel in the window: File → Settings… (Preferences in the application menu on
macOS, through Qt's menu role), Ctrl+, and the toolbar's Settings button open it; any banner's
"Check settings…" opens it at the field at fault (the banner triggers ``action_settings`` with the
field's name as the action's data). After a save that moved the station onto another backend or
credentials the window goes back to the events and loads them from it, the status bar names it, and
the partner logo in the header is fetched anew; a save in place (station name, logo, whitelists —
also during a sale) leaves the window where it is and only refreshes the logo and the status bar.

The secrets are read from the keychain on a worker thread when the panel opens (a keychain may be
slow to answer), never at start-up. The logo is asked of the core once the events are listed
(``SettingsKeeper.partner_logo``: fetched once, then kept in the station's folder); a logo that cannot be
had is simply not shown in the header, and the panel says why.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.checkout.logo import LogoProblem
from app.gui.asyncutil import spawn
from app.gui.menus import make_action
from app.storage import API_KEY, CLIENT_SECRET

from .dialog import SettingsDialog, qt_image_formats
from .header import PartnerLogo

log = logging.getLogger(__name__)


class SettingsController:
    """Owns the Settings action, the panel while it is open, and the header's logo."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog: SettingsDialog | None = None
        self._opening: asyncio.Task | None = None
        self.action = make_action(window, "settings", "&Settings…", self._triggered, key="settings",
                                  tip="Backend, API key, logo, station name, connection",
                                  role=QAction.MenuRole.PreferencesRole)
        self.action.setIconText("Settings")
        window.menus.add_to_file(self.action)
        window.menus.add_to_toolbar(self.action)
        spacer = QWidget(window)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        window.menus.toolbar.addWidget(spacer)
        self.logo = PartnerLogo(window)
        self._logo_action = window.menus.toolbar.addWidget(self.logo)
        self._logo_action.setVisible(False)
        self._logo_task: asyncio.Task | None = None
        window.eventsLoaded.connect(self.refresh_logo)

    @property
    def station(self):
        return self.window.station

    # --- opening ----------------------------------------------------------------------------------
    def _triggered(self) -> None:
        field = self.action.data()
        self.action.setData(None)
        self.open(str(field) if field else "")

    def open(self, field: str = "") -> None:
        """Show the panel (or bring it forward), at ``field`` when one is named."""
        if self.dialog is not None:
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()
            if field:
                self.dialog.focus_field(field)
            return
        if self._opening is None or self._opening.done():
            self._opening = spawn(self._open(field), context="opening the settings")

    async def _open(self, field: str) -> None:
        secrets = self.station.storage.secrets

        def read() -> tuple[dict[str, str], str]:
            return ({API_KEY: secrets.get(API_KEY) or "", CLIENT_SECRET: secrets.get(CLIENT_SECRET) or ""},
                    secrets.location)

        values, where = await asyncio.to_thread(read)
        dialog = SettingsDialog(self.station, secrets=values, secrets_where=where, sale_open=self._sale_open,
                                parent=self.window)
        dialog.saved.connect(lambda moved: self._saved(moved, dialog))
        dialog.saleHelp.connect(self._sale_help)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.resize(min(760, self.window.width()), min(620, self.window.height()))
        dialog.show()
        dialog.focus_field(field or "backend")

    def _closed(self, dialog: SettingsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if dialog.saving:  # closed while saving: kept until the save has landed (it tells the window)
            dialog.saveEnded.connect(dialog.deleteLater)
        else:
            dialog.deleteLater()

    def _sale_open(self) -> bool:
        return bool(self.station.sale_open)

    def _sale_help(self, what: str) -> None:
        """The panel's "Back to the sale" / "Cancel the sale…": the sale itself asks before cancelling."""
        window = self.window
        window.raise_()
        window.activateWindow()
        if what == "cancel":
            if window.sale_flow is not None:
                window.sale_flow.request_cancel()
            elif window.is_reserving():
                window.event_page.cancel_reserve()

    def _saved(self, moved: bool, dialog: SettingsDialog) -> None:
        """A new backend or credentials: the window lists the events anew from it. Saved in place
        (a station name, a logo, a whitelist; also during a sale): the window stays where it is."""
        if moved:
            self.window.backend_changed()
        else:
            self.window.status.refresh()
            self.window.statusBar().showMessage("Settings saved.", 10000)
            self.refresh_logo()
        credentials = dialog.form.credentials()
        kept = bool(credentials.api_key or credentials.client_secret)
        notice = self.station.storage.secrets.fallback_notice if kept else None  # known: they were just written
        if notice:  # no keychain, or it failed while saving: say where the secrets went
            self.window.statusBar().showMessage(f"Settings saved. {notice}", 20000)

    # --- the header's logo ------------------------------------------------------------------------
    def refresh_logo(self) -> None:
        """Fetch (or take from the station's folder) the logo the settings name now; a fetch still
        under way for an earlier URL is dropped, so its answer never replaces the new logo."""
        if self._logo_task is not None and not self._logo_task.done():
            self._logo_task.cancel()
        self._logo_task = spawn(self._show_logo(), context="showing the partner logo")

    async def _show_logo(self) -> None:
        if not self.station.settings.logo_url.strip():  # no logo: Qt's image plugins stay unloaded (~8 ms)
            self.logo.show_file(None)
            self._logo_action.setVisible(False)
            return
        try:
            path = await self.station.settings_keeper.partner_logo(qt_image_formats())
        except LogoProblem as exc:
            log.info("partner logo not shown: %s", exc)
            path = None
        shown = self.logo.show_file(path) and path is not None
        self._logo_action.setVisible(shown)

    @property
    def logo_image(self) -> QImage | None:
        """The logo for receipts (None when the header shows none)."""
        return self.logo.image if self._logo_action.isVisible() else None
