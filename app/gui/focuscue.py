"""Moving the keyboard for the cashier where they can see it.

The window hands the keyboard on as a sale goes: to the ticket type once an event is loaded, to the
first delivery option, to "New sale" once the order is placed, to "Keep selling" while asking. Qt
draws the focus frame of a combo box, a button or an option only once a key has moved the focus;
after a mouse click those moves left nothing on screen to say where Enter or Space would act.
``lead_to`` moves the focus as a shortcut does (``Qt.ShortcutFocusReason``), so the frame shows. A
text field always shows its frame and cursor: it gets the focus plainly, its text not selected, so
a key typed to fix it does not replace it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

_TEXT = (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


def lead_to(widget: QWidget) -> None:
    """Give ``widget`` the keyboard, its focus frame drawn."""
    plain = isinstance(widget, _TEXT) or isinstance(widget.focusProxy(), _TEXT)
    widget.setFocus(Qt.FocusReason.OtherFocusReason if plain else Qt.FocusReason.ShortcutFocusReason)
