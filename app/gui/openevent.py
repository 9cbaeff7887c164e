"""File › Open event… (Ctrl+O): open an event the list does not show, by what the cashier knows of it.

``/events`` lists events only for channel partners; a box office usually knows its events by id,
by the venue's event code and host, or has the event's Ticketmaster page at hand. The dialog
(objectName ``openEventDialog``) has one field (``openEventField``) for any of them; what it means
is decided by the core (``app.checkout.eventref``, the same reading the CLI's ``event``/``buy`` use)
and the station looks the event up (``ServiceCounter.find_event``), listed in ``/events`` or not.

Anything that names no event, or an event the service does not know, is one plain sentence under
the field (``openEventProblem``); what was typed stays, selected, to be corrected. While the
look-up runs the field and Open are off and the dialog says so; Cancel (or Esc) drops an answer that
arrives afterwards. A found event opens on the event page like one chosen from the list.

``OpenEvent(window)`` owns the action (added to the File menu through ``window.menus``) and the
dialog; it never talks HTTP itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from app.checkout.eventref import HINT
from app.gui.asyncutil import spawn
from app.gui.errors import describe
from app.gui.menus import make_action
from app.gui.sale.pagebase import error_colour

LOOKING = "Looking the event up…"


class OpenEventDialog(QDialog):
    """The field, the sentence under it, Open and Cancel; ``find(text)`` is the station's look-up,
    ``opened(details)`` is called with the event found."""

    def __init__(self, parent: QWidget, find: Callable, opened: Callable) -> None:
        super().__init__(parent)
        self.setObjectName("openEventDialog")
        self.setWindowTitle("Open event")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._find, self._opened = find, opened
        self._task: asyncio.Task | None = None
        intro = QLabel(f"Type or paste {HINT}.", self)
        intro.setObjectName("openEventHint")
        intro.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setObjectName("openEventField")
        self.field.setAccessibleName("Event id, venue event code and host, or Ticketmaster address")
        self.field.setPlaceholderText("000051048D991EE7 · ESBX0001 NY1 · https://www.ticketmaster.com/…/event/…")
        self.field.setMaxLength(2000)
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(lambda _t: self._say(""))
        label = QLabel("&Event:", self)
        label.setBuddy(self.field)
        self.problem = QLabel(self)
        self.problem.setObjectName("openEventProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setObjectName("openEventButton")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("openEventCancel")
        self.buttons.accepted.connect(self.look_up)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.field)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def start(self) -> None:
        """Shown afresh (what was typed last time stays, selected, for a quick correction)."""
        self._say("")
        self._busy(False)
        self.field.selectAll()
        self.open()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def look_up(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._busy(True)
        self._say(LOOKING, problem=False)
        self._task = spawn(self._look_up(self.field.text()), context="opening an event",
                           on_error=self._failed)

    async def _look_up(self, text: str) -> None:
        details = await self._find(text)
        if not self.isVisible():
            return  # cancelled meanwhile: the cashier moved on
        self._busy(False)
        self.accept()
        self._opened(details)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if self.isVisible():
            self._say(describe(exc).sentence)
            self.field.selectAll()
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._busy(False)
        super().reject()

    def _busy(self, busy: bool) -> None:
        self.field.setReadOnly(busy)
        self.open_button.setEnabled(not busy)

    def _say(self, sentence: str, *, problem: bool = True) -> None:
        self.problem.setText(sentence)
        palette = self.palette()
        if problem:
            palette.setColor(QPalette.ColorRole.WindowText, error_colour(self))
        self.problem.setPalette(palette)
        self.problem.setVisible(bool(sentence))
        self.field.setAccessibleDescription(sentence if problem else "")


class OpenEvent:
    """The File menu's "Open event…" and its dialog, for one main window."""

    def __init__(self, window: QMainWindow, station, open_event: Callable[..., object],
                 can_open: Callable[[], str]) -> None:
        self._window, self._open_event, self._can_open = window, open_event, can_open
        self.dialog = OpenEventDialog(window, station.counter.find_event, self._opened)
        self.action = make_action(window, "open_event", "&Open event…", self.show, key="open_event",
                                  tip="Open an event by its id, venue event code and host, or Ticketmaster address")

    def show(self) -> None:
        refusal = self._can_open()
        if refusal:
            self._window.statusBar().showMessage(refusal, 8000)
            return
        self.dialog.start()

    def _opened(self, details) -> None:
        self._open_event(details.event_id, title=details.name or "")
