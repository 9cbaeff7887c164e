"""The two ways a sale can end without an order, as widgets: the cancel question and "seats released".

``CancelBar`` (objectName ``cancelConfirmBar``) asks "Cancel this sale and release the seats?" inline
(no modal dialog, so Esc then Enter works from the keyboard): ``confirmed`` / ``declined``.
``ReleasedPage`` (``releasedPage``) tells the cashier the hold ran out ("releasedMessage") and offers
the way back to the event ("backToEventButton", signal ``back``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui.sale.pagebase import page_title

RELEASED_SENTENCE = "Your seats were released — the hold ran out."


class CancelBar(QFrame):
    confirmed = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelConfirmBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        question = QLabel("Cancel this sale and release the seats?", self)
        question.setStyleSheet("font-weight: bold;")
        row.addWidget(question, 1)
        self.confirm_button = QPushButton("Yes, release the seats", self)
        self.confirm_button.setObjectName("confirmCancelButton")
        self.confirm_button.clicked.connect(self.confirmed)
        self.keep_button = QPushButton("No, keep selling", self)
        self.keep_button.setObjectName("keepSellingButton")
        self.keep_button.clicked.connect(self.declined)
        row.addWidget(self.confirm_button)
        row.addWidget(self.keep_button)
        self.hide()

    def ask(self) -> None:
        self.show()
        self.confirm_button.setFocus(Qt.FocusReason.OtherFocusReason)


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
        self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)
