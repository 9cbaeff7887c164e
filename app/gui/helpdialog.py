"""The help dialog (F1): every keyboard shortcut, grouped by where it acts, and how a sale goes.

``ShortcutsHelp(parent)`` (objectName ``shortcutsHelp``) reads ``app.gui.shortcuts.KEYS``, so the
help always says what the keys really do. It is not modal: the window (and a running hold clock)
keep going while it is open; Esc, Enter or Close close it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.gui.shortcuts import KEYS

SALE_STEPS = (
    "Find the event (type in the search box) and open it with Enter.",
    "Choose the ticket type and quantity, or click / drag on the seat map to pick exact seats; "
    "Enter reserves.",
    "The seats are held for a few minutes (the countdown is in the cart pane): choose the delivery, "
    "take the payment, check the order with the buyer, Place order.",
    "Print or save the receipt; Enter starts the next sale. Esc during a sale asks whether to cancel "
    "it and release the seats.",
)


def help_html() -> str:
    """The dialog's text: the shortcut table by area, then the steps of a sale."""
    parts = ["<h3>Keyboard shortcuts</h3>", '<table cellspacing="0" cellpadding="3" width="100%">']
    area = None
    for entry in KEYS:
        if entry.area != area:
            area = entry.area
            parts.append(f'<tr><td colspan="2" style="padding-top:10px"><b>{escape(area)}</b></td></tr>')
        parts.append(f'<tr><td width="28%" style="white-space:nowrap"><code>{escape(entry.label)}</code></td>'
                     f"<td>{escape(entry.action)}</td></tr>")
    parts.append("</table><h3>A sale, step by step</h3><ol>")
    parts.extend(f"<li>{escape(step)}</li>" for step in SALE_STEPS)
    parts.append("</ol>")
    return "".join(parts)


class ShortcutsHelp(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsHelp")
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts and help")
        self.text = QTextBrowser(self)
        self.text.setObjectName("shortcutsText")
        self.text.setOpenLinks(False)
        self.text.setHtml(help_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeHelpButton")
        close.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(580, 680)
        self.setWindowModality(Qt.WindowModality.NonModal)

    def fit_to(self, window: QWidget) -> None:
        """Keep the dialog inside the window that opened it (small screens: 1280×800, 1366×768)."""
        room = window.size()
        self.resize(min(580, room.width() - 40), min(680, room.height() - 60))
        centre = window.frameGeometry().center()
        self.move(centre.x() - self.width() // 2, centre.y() - self.height() // 2)
