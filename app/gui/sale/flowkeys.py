"""Enter and Esc in the sale flow, and the question before a sale is cancelled: ``FlowKeys`` owns the
flow's Enter shortcuts and its ``CancelQuestion``.

Enter goes on from anywhere in the flow: it presses the focused button, chooses the focused delivery
option, else runs the current page's main action. Esc is a plain key press (the flow's
``keyPressEvent``), so a window-wide Esc shortcut of the main window can hand it over through
``escape()`` instead of the two shortcuts making each other ambiguous: Esc asks whether to cancel,
Esc again (while asking) keeps selling. Whether the sale may be cancelled is the core's abandon
policy (``SaleFlow.can_cancel``); the cart is deleted only once the cashier confirms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QRadioButton

from app.gui.sale.endings import CancelQuestion

if TYPE_CHECKING:
    from app.gui.sale.flow import SaleFlow


class FlowKeys:
    """Binds Enter on ``flow`` and asks its cancel question; ``question.confirmed`` is the flow's to handle."""

    def __init__(self, flow: SaleFlow) -> None:
        self._flow = flow
        self.question = CancelQuestion(flow)
        self.question.declined.connect(self.keep_selling)
        self._shortcuts = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), flow)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.go_on)
            self._shortcuts.append(shortcut)

    def go_on(self) -> None:
        """Enter: press the focused button, else the current page's main action."""
        flow = self._flow
        focus = QApplication.focusWidget()
        if (isinstance(focus, QAbstractButton) and not isinstance(focus, QRadioButton)
                and flow.isAncestorOf(focus) and focus.isEnabled()):
            focus.click()
            return
        if self.question.is_open():
            return
        page = flow.stack.currentWidget()
        if page is flow.shipping:
            if flow.shipping.next_button.isEnabled() and not (
                    isinstance(focus, QRadioButton) and not focus.isChecked() and focus.isEnabled()):
                flow.to_payment()
            elif isinstance(focus, QRadioButton) and flow.shipping.isAncestorOf(focus) and focus.isEnabled():
                focus.click()  # Enter on a delivery option chooses it; Enter again goes on
        elif hasattr(page, "go_on"):
            page.go_on()

    def request_cancel(self) -> None:
        """Esc / "Cancel sale": ask first; the cart is deleted only once the cashier confirms."""
        flow = self._flow
        if flow.stack.currentWidget() is flow.released:
            flow.end_cancelled()
            return
        if not flow.can_cancel():
            return
        self.question.ask()

    def keep_selling(self) -> None:
        """"Keep selling": back where the cashier was (else the page's first field)."""
        if self.question.restore_focus():
            return
        page = self._flow.stack.currentWidget()
        if hasattr(page, "focus_first"):
            page.focus_first()

    def escape(self) -> None:
        """Esc: ask whether to cancel the sale; Esc again (while asking) keeps selling."""
        if self.question.is_open():
            self.question.dismiss()
            self.keep_selling()
        else:
            self.request_cancel()
