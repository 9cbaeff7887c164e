"""The two ways a sale can end without an order, as widgets: the cancel question and "seats released".

``CancelQuestion`` asks "Cancel this sale and release the seats?" in a window-modal message box
(objectName ``cancelSaleQuestion``) that Qt centres on the window, where the cashier is looking,
without a nested event loop (``open()``, so the hold clock and polling keep running). The safe
answer "Keep selling" (``keepSellingButton``) has the focus and is the default: Enter and Esc keep
the sale. "Release the seats" (``confirmCancelButton``) takes a click or moving to it first.
Signals ``confirmed`` / ``declined``; ``dismiss()`` closes the question without an answer (the hold
ran out, the sale ended elsewhere).
``ReleasedPage`` (``releasedPage``) tells the cashier the hold ran out ("releasedMessage") and offers
the way back to the event ("backToEventButton", signal ``back``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.gui.focuscue import lead_to
from app.gui.sale.pagebase import page_title

RELEASED_SENTENCE = "Your seats were released — the hold ran out."
CANCEL_QUESTION = "Cancel this sale and release the seats?"
CANCEL_DETAIL = "The cart is deleted and its seats go back on sale."


class CancelQuestion(QObject):
    confirmed = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._anchor = parent
        self._box: QMessageBox | None = None
        self._keep: QPushButton | None = None
        self._release: QPushButton | None = None
        self._focus_before: QWidget | None = None
        self._answering = False

    def _build(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Cancel sale", CANCEL_QUESTION,
                          QMessageBox.StandardButton.NoButton, self._anchor)
        box.setObjectName("cancelSaleQuestion")
        # Its own frame comes from the style sheet (boxoffice.qss): it stands out from the page
        # behind even where no window manager draws one (a kiosk session).
        box.setInformativeText(CANCEL_DETAIL)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self._keep = box.addButton("Keep selling", QMessageBox.ButtonRole.RejectRole)
        self._keep.setObjectName("keepSellingButton")
        self._release = box.addButton("Release the seats", QMessageBox.ButtonRole.DestructiveRole)
        self._release.setObjectName("confirmCancelButton")
        self._release.setAccessibleName("Release the seats and delete the cart")
        box.setDefaultButton(self._keep)
        box.setEscapeButton(self._keep)
        box.finished.connect(self._answered)
        return box

    def ask(self) -> None:
        if self.is_open():
            self._box.raise_()
            self._box.activateWindow()
            return
        if self._box is None:
            self._box = self._build()
        focus = QApplication.focusWidget()
        self._focus_before = focus if focus is not None and self._anchor.isAncestorOf(focus) else None
        self._answering = True
        self._box.setDefaultButton(self._keep)
        self._box.open()
        lead_to(self._keep)

    def is_open(self) -> bool:
        return self._box is not None and self._box.isVisible()

    def dismiss(self) -> None:
        """Close the question without an answer."""
        if self.is_open():
            self._answering = False
            self._box.done(0)
            self._give_back_the_window()

    def _give_back_the_window(self) -> None:
        # The window the question covered becomes the active one again (without a window manager,
        # or offscreen, nothing else would), so the keyboard reaches it.
        window = self._anchor.window()
        if window.isVisible():
            window.activateWindow()

    def restore_focus(self) -> bool:
        """Put the cursor back where it was before asking; False when that widget is gone or hidden."""
        widget, self._focus_before = self._focus_before, None
        if widget is not None and widget.isVisible() and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    def _answered(self, _result: int) -> None:
        if not self._answering:
            return
        self._answering = False
        self._give_back_the_window()
        if self._box.clickedButton() is self._release:
            self.confirmed.emit()
        else:
            self.declined.emit()


class ReleasedPage(QWidget):
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("releasedPage")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Seats released", "", self))
        self.message = QLabel(RELEASED_SENTENCE, self)
        self.message.setObjectName("releasedMessage")
        self.message.setWordWrap(True)
        big = self.message.font()
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.message.setFont(big)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("Nothing was charged. Go back to the event to pick seats again.", self))
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.back_button = QPushButton("Back to the event  ›", self)
        self.back_button.setObjectName("backToEventButton")
        self.back_button.clicked.connect(self.back)
        row.addWidget(self.back_button)
        layout.addLayout(row)

    def go_on(self) -> None:
        self.back.emit()

    def focus_first(self) -> None:
        lead_to(self.back_button)
