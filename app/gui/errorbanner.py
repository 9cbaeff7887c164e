"""A strip that shows one error as a plain sentence with one action button (and a close button).

``ErrorBanner.show_error(exc)`` describes the exception through ``app.gui.errors.describe``; the
action button emits ``actionRequested(ActionKind)`` for the owner to act on (retry, new captcha…);
"Open on Ticketmaster" opens the link the engine gave; "Check settings…" triggers the window's
Settings action (``action_settings``) with the field at fault as its data, so the settings panel
opens there from any banner of the window. The banner is hidden when there is nothing to say.
Object names: ``errorBanner``, ``errorText``, ``errorAction``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from app.gui.errors import ActionKind, ErrorView, describe
from app.gui.focuscue import lead_to


class ErrorBanner(QFrame):
    actionRequested = Signal(object)  # ActionKind

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._view: ErrorView | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel(self)
        self.text.setObjectName("errorText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton(self)
        self.action.setObjectName("errorAction")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.setToolTip("Dismiss")
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.action.clicked.connect(self._on_action)
        self.close_button.clicked.connect(self.clear)
        self._apply_palette()
        self.hide()

    def _apply_palette(self) -> None:
        # A palette role, not a colour: it follows the system's light or dark scheme, also when the
        # scheme changes while the app runs.
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.text.setForegroundRole(QPalette.ColorRole.Text)

    @property
    def current(self) -> ErrorView | None:
        return self._view

    def show_error(self, exc: BaseException) -> ErrorView:
        return self.show_view(describe(exc))

    def show_view(self, view: ErrorView) -> ErrorView:
        self._view = view
        self.text.setText(view.sentence)
        self.setAccessibleDescription(view.sentence)
        self.action.setText(view.action_label)
        self.action.setAccessibleName(view.action_label)
        self.show()
        lead_to(self.action)
        return view

    def show_message(self, sentence: str, action: ActionKind = ActionKind.NONE) -> ErrorView:
        """A problem the GUI found itself (not an exception), shown the same way."""
        return self.show_view(ErrorView(sentence, action, True))

    def clear(self) -> None:
        self._view = None
        self.text.clear()
        self.hide()

    def _on_action(self) -> None:
        view = self._view
        if view is None:
            return
        if view.action is ActionKind.OPEN_TICKETMASTER and view.url:
            QDesktopServices.openUrl(QUrl(view.url))
        if view.action is ActionKind.CHECK_SETTINGS:
            settings = self.window().findChild(QAction, "action_settings")
            if settings is not None:
                settings.setData(view.setting or "")
                settings.trigger()
        self.clear()
        if view.action is not ActionKind.NONE:
            self.actionRequested.emit(view.action)
