"""Small building blocks shared by the sale pages: page headings, a body that scrolls down when the
window is short, and fields with their own error line.

A ``CheckedField`` is an input plus the label under it that says, in plain words, what is wrong
with it (objectName ``<field>Error``); the payment page shows a field's error once the cashier has
left that field, and every error at once when they try to go on. A line once shown keeps its room
when its field is fixed, so nothing moves under the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget


def page_title(title: str, subtitle: str = "", parent: QWidget | None = None) -> QWidget:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(2)
    heading = QLabel(title, box)
    heading.setObjectName("pageTitle")
    f = QFont(heading.font())
    f.setPointSizeF(f.pointSizeF() * 1.5)
    f.setBold(True)
    heading.setFont(f)
    heading.setAccessibleName(title)
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle, box)
        sub.setObjectName("pageSubtitle")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    return box


class ScrollsDown(QScrollArea):
    """``body`` in a scroll area that scrolls down, never sideways: as wide as the body needs (so the
    page keeps the width it had without it), and as short as the window makes it. A page's buttons
    stay outside it, always on the screen; the body itself takes no keyboard focus (Tab goes from
    its links to the buttons)."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(body)  # which also makes this the body's event filter (``eventFilter``)

    def _with_bar(self, size: QSize) -> int:
        return size.width() + self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._with_bar(self.widget().minimumSizeHint())), hint.height())

    def sizeHint(self) -> QSize:
        body = self.widget().sizeHint()
        return QSize(self._with_bar(body), body.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the body's needs changed (a longer link…): the page asks again
        return super().eventFilter(watched, event)


def error_colour(widget: QWidget):
    """A red readable on the current palette (darker on light themes, lighter on dark ones)."""
    light = widget.palette().color(QPalette.ColorRole.Window).lightness() > 128
    return Qt.GlobalColor.darkRed if light else Qt.GlobalColor.red


class CheckedField(QWidget):
    """An input widget with an error line beneath it."""

    def __init__(self, name: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.editor = editor
        editor.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        self.error = QLabel(self)
        self.error.setObjectName(f"{name}Error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        palette = self.error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_colour(self))
        self.error.setPalette(palette)
        small = QFont(self.error.font())
        small.setPointSizeF(small.pointSizeF() * 0.92)
        self.error.setFont(small)
        self.error.hide()
        layout.addWidget(self.error)
        self.touched = False  # typed in since it was last emptied
        self.left_after_typing = False  # …and left: from then on its error shows

    def reset(self) -> None:
        """The field was emptied for the cashier: as if never typed in."""
        self.touched = self.left_after_typing = False

    def showing_error(self) -> bool:
        return not self.error.isHidden()

    def show_error(self, message: str | None) -> None:
        if message:
            self.error.setText(message)
            self.error.show()
            # Once an error line has been shown its room stays, empty when fixed: the fields below
            # do not jump up a line under the mouse each time the cashier fixes one.
            policy = self.error.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            self.error.setSizePolicy(policy)
            self.editor.setAccessibleDescription(message)
            self.editor.setProperty("invalid", True)
        else:
            self.error.hide()  # its words are kept (hidden) so the line keeps its height
            self.editor.setAccessibleDescription("")
            self.editor.setProperty("invalid", False)
