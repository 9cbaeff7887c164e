"""A search field over a list: Down moves into the results (``downPressed``), so search → pick needs
no mouse, and Esc clears what was typed (an empty box lets Esc through, to close a dialog).

The events list and the orders window both use it, so the two searches answer the same keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit


class SearchBox(QLineEdit):
    downPressed = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.downPressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
