"""The settings panel: the fields (``form``), where the secrets are kept, Test connection, the logo's
preview, and Save — nothing is saved until every field is valid.

``SettingsDialog(station, …)`` is a window of its own, not modal: while it is open the cashier can
still finish the sale a change of backend waits for. Every check is the core's: ``Settings.changed``
(the rules of ``app.storage.settingsrules``), ``Station.test_connection``, ``Station.apply_settings``
and ``SettingsKeeper.partner_logo``; the panel only shows their sentences.

- **Test connection** tries the typed values (nothing saved). It never blocks the window; while it
  runs its button is off and **Stop** cancels it; any edit stops it too (its answer would be about
  other values), and so does closing the panel.
- **Save** checks every field; a problem is shown at its field (and the field's page marked) and
  nothing is saved. When the change needs a new connection while a sale is open, the panel says so
  and offers both ways out: back to the sale, or cancel the sale (the sale asks first).
- **The logo's preview** is fetched once the typing in the logo URL pauses or the field is left
  (never per key: no half-typed address is fetched); what it shows is always about the URL typed.
- ``saved(moved)`` is emitted once the station runs on the new settings (``moved``: on another
  backend or credentials, rather than saved in place); ``saleHelp`` with "show" or
  "cancel" asks the window to bring the sale forward or to cancel it.

Object names: ``settingsDialog``, ``secretsWhere``, ``testConnectionButton``, ``stopTestButton``,
``connectionResult``, ``logoPreview``, ``logoNote``, ``saleOpenNote``, ``backToSaleButton``,
``cancelSaleButton``, ``saveSettingsButton``, ``cancelSettingsButton``, ``settingsProblem``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.checkout.logo import LogoProblem, forget
from app.checkout.station import SaleStillOpen
from app.gui.asyncutil import spawn
from app.gui.errors import describe
from app.storage.settings import Settings

from .fields import BY_NAME, SECRETS
from .form import SettingsForm

log = logging.getLogger(__name__)
LOGO_PREVIEW_HEIGHT = 40
LOGO_TYPING_PAUSE_MS = 700  # the logo is fetched once typing pauses this long (or the field is left)


def qt_image_formats() -> tuple[str, ...]:
    """The image types this Qt can decode (``png``, ``jpeg``…): the only ones a logo may be."""
    return tuple(bytes(f.data()).decode("ascii", "replace").lower() for f in QImageReader.supportedImageFormats())


class SettingsDialog(QDialog):
    saved = Signal(bool)  # True: the station moved onto another backend or credentials
    saveEnded = Signal()  # a save finished, however it ended (the panel may be closed by then)
    saleHelp = Signal(str)  # "show" | "cancel"

    def __init__(self, station, *, secrets: dict[str, str], secrets_where: str, sale_open=lambda: False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setAccessibleName("Box Office settings")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.station = station
        self._window = parent  # told how a save ended when the panel was closed meanwhile
        self._sale_open = sale_open
        self._test: asyncio.Task | None = None
        self._saving: asyncio.Task | None = None
        self._logo_task: asyncio.Task | None = None
        self._logo_url: str | None = None  # the URL the preview (or its note) is about
        self._touched: set[str] = set()

        self.form = SettingsForm(self)
        self.where = QLabel(secrets_where, self)
        self.where.setObjectName("secretsWhere")
        self.where.setWordWrap(True)
        self.where.setProperty("settingsNote", "meaning")
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.setToolTip("Try the typed values against the backend (nothing is saved)")
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setObjectName("stopTestButton")
        self.stop_button.hide()
        self.result = QLabel("", self)
        self.result.setObjectName("connectionResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.logo_preview = QLabel(self)
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setAccessibleName("Partner logo")
        self.logo_preview.hide()
        self.logo_note = QLabel("", self)
        self.logo_note.setObjectName("logoNote")
        self.logo_note.setWordWrap(True)
        self.logo_note.setProperty("settingsNote", "problem")
        self.logo_note.hide()

        self.sale_note = QFrame(self)
        self.sale_note.setObjectName("saleOpenNote")
        self.sale_note.setFrameShape(QFrame.Shape.StyledPanel)
        note_text = QLabel("A sale is open. The new backend or credentials take effect once it is finished or "
                           "cancelled: finish it, or cancel it and release its seats, then Save again.", self.sale_note)
        note_text.setWordWrap(True)
        self.back_to_sale = QPushButton("Back to the sale", self.sale_note)
        self.back_to_sale.setObjectName("backToSaleButton")
        self.cancel_sale = QPushButton("Cancel the sale…", self.sale_note)
        self.cancel_sale.setObjectName("cancelSaleButton")
        note_row = QHBoxLayout(self.sale_note)
        note_row.addWidget(note_text, 1)
        note_row.addWidget(self.back_to_sale)
        note_row.addWidget(self.cancel_sale)
        self.sale_note.hide()

        self.problem = QLabel("", self)
        self.problem.setObjectName("settingsProblem")
        self.problem.setWordWrap(True)
        self.problem.setProperty("settingsNote", "problem")
        self.problem.hide()
        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.setDefault(True)
        self.close_button = QPushButton("Cancel", self)
        self.close_button.setObjectName("cancelSettingsButton")

        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.stop_button)
        test_row.addWidget(self.result, 1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.logo_note, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addStretch(0)  # while no problem is said, the buttons keep their size, at the right
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.where)
        layout.addLayout(logo_row)
        layout.addLayout(test_row)
        layout.addWidget(self.sale_note)
        layout.addLayout(buttons)

        self.form.load(station.settings, secrets)
        self.form.edited.connect(self._on_edited)
        self.test_button.clicked.connect(self.start_test)
        self.stop_button.clicked.connect(self.stop_test)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.back_to_sale.clicked.connect(lambda: self.saleHelp.emit("show"))
        self.cancel_sale.clicked.connect(lambda: self.saleHelp.emit("cancel"))
        self._logo_pause = QTimer(self)
        self._logo_pause.setSingleShot(True)
        self._logo_pause.setInterval(LOGO_TYPING_PAUSE_MS)
        self._logo_pause.timeout.connect(self._check_logo)
        logo_field = self.form.editors["logo_url"]
        assert isinstance(logo_field, QLineEdit)
        logo_field.editingFinished.connect(self._check_logo)
        self._check_logo()

    # --- checking ---------------------------------------------------------------------------------
    def _candidate(self) -> tuple[Settings | None, dict[str, str]]:
        """The typed settings, checked by the core; a field that does not apply to the chosen
        backend keeps its saved value when what is typed there is not valid."""
        values: dict[str, Any] = self.form.values()
        credentials = self.form.credentials()
        settings, problems = self.station.settings.changed(values, api_key=credentials.api_key)
        backend = self.form.backend()
        idle = {n for n in problems if BY_NAME[n].backends and backend not in BY_NAME[n].backends}
        if idle and settings is None:
            kept = {n: v for n, v in values.items() if n not in idle}
            settings, problems = self.station.settings.changed(kept, api_key=credentials.api_key)
        return settings, problems

    def _on_edited(self, name: str) -> None:
        if name != "backend":
            self._touched.add(name)
        self.stop_test()
        self.result.clear()
        self.problem.hide()
        _settings, problems = self._candidate()
        self.form.show_problems(problems, only=self._touched)
        if name == "logo_url":  # fetched once the typing pauses (or the field is left), not per key
            self._logo_preview_gone()
            self._logo_pause.start()

    # --- test connection --------------------------------------------------------------------------
    def start_test(self) -> None:
        if self._test is not None and not self._test.done():
            return  # one test at a time
        settings, problems = self._candidate()
        if settings is None:
            self._show_all(problems)
            self.result.setText("Fix the marked fields first.")
            return
        self.result.setText("Testing the connection…")
        self.test_button.setEnabled(False)
        self.stop_button.show()
        self._test = spawn(self._run_test(settings), context="testing the connection", on_error=self._test_failed)

    async def _run_test(self, settings: Settings) -> None:
        try:
            report = await self.station.test_connection(settings, self.form.credentials())
        finally:
            self._test_ended()
        self.result.setText(report.sentence)
        self.result.setToolTip("\n".join(report.lines))
        field = report.problem
        if field == "partner":  # the address: the one typed for a custom backend (the others are fixed)
            field = "custom_partner_url" if settings.backend == "custom" else None
        if field in SECRETS or field in BY_NAME:
            self.form.set_problem(field, report.sentence)

    def _test_failed(self, exc: BaseException) -> None:
        self.result.setText(describe(exc).sentence)

    def _test_ended(self) -> None:
        self.test_button.setEnabled(True)
        self.stop_button.hide()

    def stop_test(self) -> None:
        if self._test is not None and not self._test.done():
            self._test.cancel()
            self.result.setText("Test stopped.")
        self._test_ended()

    # --- the logo ---------------------------------------------------------------------------------
    def _logo_preview_gone(self) -> None:
        """What was shown is about another URL now: away with it, and with its fetch."""
        self._logo_url = None
        if self._logo_task is not None and not self._logo_task.done():
            self._logo_task.cancel()
        self.logo_preview.hide()
        self.logo_note.hide()

    def _check_logo(self) -> None:
        self._logo_pause.stop()
        url = str(self.form.values().get("logo_url", "")).strip()
        if url == self._logo_url:
            return
        self._logo_preview_gone()
        self._logo_url = url
        _settings, problems = self._candidate()
        if not url or "logo_url" in problems:
            return
        self._logo_task = spawn(self._fetch_logo(url), context="fetching the partner logo")

    async def _fetch_logo(self, url: str) -> None:
        try:
            path = await self.station.settings_keeper.partner_logo(qt_image_formats(), url)
        except LogoProblem as exc:
            self._logo_said(str(exc))
            return
        pixmap = QPixmap(str(path)) if path is not None else QPixmap()
        if pixmap.isNull():
            forget(url, self.station.storage.paths.logo_dir)
            self._logo_said("The logo could not be read as an image. Check the logo URL.")
            return
        self.logo_preview.setPixmap(pixmap.scaledToHeight(LOGO_PREVIEW_HEIGHT,
                                                          Qt.TransformationMode.SmoothTransformation))
        self.logo_preview.show()
        self._logo_said("The logo as the window's header and the receipts show it.", role="meaning")

    def _logo_said(self, text: str, role: str = "problem") -> None:
        """The logo's note, as a fault ("problem") or as a plain note ("meaning")."""
        note = self.logo_note
        note.setText(text)
        if note.property("settingsNote") != role:
            note.setProperty("settingsNote", role)
            note.style().unpolish(note)  # the style sheet's selector reads the property at polish time
            note.style().polish(note)
        note.show()

    # --- saving -----------------------------------------------------------------------------------
    def _show_all(self, problems: dict[str, str]) -> None:
        self._touched.update(problems)
        self.form.show_problems(problems, only=self._touched)
        if problems:
            self.form.focus(next(iter(problems)))

    def save(self) -> None:
        if self._saving is not None and not self._saving.done():
            return
        settings, problems = self._candidate()
        if settings is None:
            self._show_all(problems)
            count = len(problems)
            self._say(f"Nothing was saved: {count} field{'s' if count != 1 else ''} need{'' if count != 1 else 's'} "
                      "fixing (marked).")
            return
        self.sale_note.hide()
        self.save_button.setEnabled(False)
        self._saving = spawn(self._save(settings), context="saving the settings", on_error=self._save_failed)

    @property
    def saving(self) -> bool:
        return self._saving is not None and not self._saving.done()

    async def _save(self, settings: Settings) -> None:
        """Move the station onto ``settings``. The panel may be closed while this waits (Esc):
        the save still lands, the window is told (``saved``), and the panel is kept until then."""
        self.stop_test()
        try:
            try:
                moved = await self.station.apply_settings(settings, self.form.credentials())
            except SaleStillOpen:
                if self.isVisible():
                    self.sale_note.show()
                    self.cancel_sale.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    self._tell_window(SaleStillOpen().args[0])
                return
            finally:
                self.save_button.setEnabled(True)
            self.saved.emit(bool(moved))
            if self.isVisible():
                self.accept()
        finally:
            self.saveEnded.emit()  # last: a panel closed meanwhile may go now

    def _save_failed(self, exc: BaseException) -> None:
        view = describe(exc)
        if not shiboken6.isValid(self) or not self.isVisible():  # closed meanwhile: say it in the window
            self._tell_window(view.sentence)
            return
        self._say(view.sentence)
        if view.setting:
            self.form.focus(view.setting)

    def _tell_window(self, sentence: str) -> None:
        window = self._window
        if isinstance(window, QMainWindow) and shiboken6.isValid(window):
            window.statusBar().showMessage(f"The settings were not saved. {sentence}", 20000)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def focus_field(self, name: str) -> None:
        self.form.focus(name)

    def done(self, result: int) -> None:
        self.stop_test()
        self._logo_pause.stop()
        if self._logo_task is not None and not self._logo_task.done():
            self._logo_task.cancel()
        super().done(result)
