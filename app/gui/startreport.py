"""At start-up, one dialog that says what the station did about the last run's unfinished sales
(``station.books.start_report``: held carts released, commits in doubt settled, orders found, orders
that had waited for the journal written) — a cashier reads it once and knows what to tell a buyer.
The station's other notices (where secrets are kept…) go to the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

TITLE = "Unfinished sales from the last run"
INTRO = "Box Office did not close normally last time. At this start it did this:"


def show_start_report(window: QMainWindow, station, *, dialog: bool = True) -> QMessageBox | None:
    """The dialog (window-modal, Enter or Esc closes it), or None when there was nothing to do;
    without ``dialog`` (a screenshot run) the sentences go to the status bar like the others."""
    lines = station.books.start_report
    for notice in station.storage.notices + ([] if dialog else lines):
        window.statusBar().showMessage(notice, 15000)
    if not lines or not dialog:
        return None
    box = QMessageBox(QMessageBox.Icon.Information, TITLE, INTRO + "\n\n" + "\n\n".join(f"• {line}" for line in lines),
                      QMessageBox.StandardButton.Ok, window)
    box.setObjectName("startReport")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setEscapeButton(QMessageBox.StandardButton.Ok)
    box.finished.connect(lambda _r: box.deleteLater())
    box.open()
    return box
