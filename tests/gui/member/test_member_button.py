"""The toolbar's member button once a member is signed in: the email is read whole, clear of the
little menu arrow the style draws in the button's bottom-right corner."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QToolButton

from tests.browserkit import MEMBER_EMAIL
from tests.gui.member.memberkit import signed_in
from tests.gui.windowkit import find


def test_the_signed_in_email_is_clear_of_the_menu_arrow(window, run, until, qapp):
    run(signed_in(window, until))
    button = find(window, "toolbar_member", QToolButton)
    qapp.processEvents()
    assert button.text() == MEMBER_EMAIL and button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    text = button.fontMetrics().horizontalAdvance(button.text())
    # The text is centred: its right end stays left of the arrow when the button is this wide.
    assert button.width() >= text + 2 * arrow, (button.width(), text, arrow)
