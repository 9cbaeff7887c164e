"""Esc in a dialog that shows a web page (member sign-in, captcha) closes it, wherever the keyboard
is inside the dialog — the page included. QtWebEngine hands every key of a focused page to the page
and never back, so without this Esc did nothing while the cashier was typing in the form.

``EscapeCloses(dialog, view)`` watches the key presses of ``view``'s widgets — the one that takes
the page's keyboard is made by QtWebEngine whenever a page is shown, so each new child of the view
is watched once it is ready (``ChildPolished``) — and a plain Esc among them rejects the dialog: its
safe answer (nobody signed in, no token). Outside the page the dialog's own Esc does the same.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QWidget


class EscapeCloses(QObject):
    def __init__(self, dialog: QDialog, view: QWidget) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        for widget in (view, *view.findChildren(QWidget)):
            widget.installEventFilter(self)  # Qt keeps one copy of a filter installed twice

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ChildPolished:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QWidget):
                child.installEventFilter(self)
        elif (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier
              and self._dialog.isVisible()):
            self._dialog.reject()
            return True
        return False
