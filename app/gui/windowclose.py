"""Closing the main window: ``WindowClosing`` owns the question asked when seats are held and the
one shutdown that releases them.

Closing with an open cart (or while seats are being reserved) asks first — not a blocking
``exec()``: a nested Qt loop would stall the asyncio side (hold clock, polling) — then deletes the
cart; closing always shuts the station down (``shutdown``), once, however many times the cashier
asks; Ctrl+Q closes the same way. Once shut down, the window really closes.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

from app.gui import asyncutil
from app.gui.asyncutil import spawn

if TYPE_CHECKING:
    from app.gui.mainwindow import MainWindow


class WindowClosing:
    """Decides each close of ``window``: ask, shut down, or let it close (once shut down)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._shutdown_task: asyncio.Task | None = None
        self._closed_cleanly = False
        self._question: QMessageBox | None = None

    def close_event(self, event: QCloseEvent) -> None:
        """The window's ``closeEvent``."""
        if self._closed_cleanly:
            event.accept()
            return
        event.ignore()
        if self._shutdown_task is not None:
            return
        window = self._window
        if window.open_cart_session() is not None or window.is_reserving():
            self._ask_before_closing()
            return
        self._shutdown_task = spawn(self.shutdown(), context="closing the window")

    def _ask_before_closing(self) -> None:
        if self._question is not None:
            self._question.raise_()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Close Box Office",
            "A sale is open and its seats are held. Close anyway and release the seats?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._window,
        )
        box.setObjectName("closeConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Close and release the seats")
        box.button(QMessageBox.StandardButton.No).setText("Keep selling")
        self._question = box

        def answered(result: int) -> None:
            self._question = None
            box.deleteLater()
            if result == QMessageBox.StandardButton.Yes and self._shutdown_task is None:
                self._shutdown_task = spawn(self.shutdown(), context="closing the window")

        box.finished.connect(answered)
        box.open()

    async def shutdown(self) -> None:
        """Release any held cart, stop the station, then really close."""
        window = self._window
        window.statusBar().showMessage("Closing: releasing held seats…")
        try:
            session = window.open_cart_session()
            if session is not None:
                await session.abandon()
            if window.is_reserving():
                window.event_page.cancel_reserve()
            # Nothing of the window may keep running against a closed station.
            await asyncutil.cancel_all_pending()
            await window.station.close()
        finally:
            asyncutil.set_error_reporter(None)
            window.inspector.panel.detach()
            window.status.stop()
            self._closed_cleanly = True
            window.close()
