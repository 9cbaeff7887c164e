"""A held key acts once: Enter (Return or the keypad's Enter) and Esc do what they do when pressed,
and the keyboard's auto-repeat while the key stays down does nothing more.

Without this, holding Enter in the last payment field for a second paid, placed the order on the
review page that came up, and started a new sale, all before the cashier had seen the review. A held
Esc in a sale asked whether to cancel it, took the question away, and asked again, for as long as
it was held.

``install(app)`` makes one event filter, which watches the window that has the keyboard focus
(every window that gets it, as it gets it: ``focusWindowChanged``). ``python -m app`` installs it,
and so does the test suite. For each press of a key, Qt hands that window first whether the focused
widget wants the key (``ShortcutOverride``), then the key itself (``KeyPress``), and the window
passes both on to the widget. For an auto-repeated press of those keys the filter accepts the first,
so no shortcut fires, and drops the second. It makes one exception: in an editable multi-line text
field a held Enter still makes new lines, as in any editor. Other keys repeat as usual (arrows,
Backspace, letters), and Space acts on its release, as Qt's buttons do already.

A press is auto-repeated when Qt marks it so, or when it has the very time of the release of the
same key just before it. X11 sends each repeat as a release and a press stamped with one time. Qt's
X11 plugin marks the pair only when it finds the press already queued behind the release; on a busy
machine it often is not there yet, and the pair comes as a plain release and press (seen here: a
held Enter still placed the order 3 times in 4 that way). A finger cannot let go of a key and press
it again within the same millisecond. Events without a time (0) are never taken for repeats.

The filter is on windows, not on the application: an application-wide filter written in Python is
called for every event of every object, and one such filter crashed the process (a segmentation
fault) in the tests where QtWebEngine's objects come and go.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit

ONCE_PER_PRESS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape})
_NEW_LINE = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
_KEY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease})


class HeldKeysActOnce(QObject):
    """The focused windows' filter (see the module docstring). A window's other events (paint,
    mouse, expose) leave after one comparison."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("heldKeysActOnce")
        self._released: tuple[int, int] = (0, 0)  # the last release of one of those keys: (key, time)
        app.focusWindowChanged.connect(self._watch)
        self._watch(app.focusWindow())

    def _watch(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)  # Qt keeps one copy of a filter installed twice

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _KEY_EVENTS:
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key not in ONCE_PER_PRESS:
            return False
        at = event.timestamp()  # type: ignore[attr-defined]
        if kind == QEvent.Type.KeyRelease:
            self._released = (key, at)
            return False
        if not (event.isAutoRepeat() or (at and self._released == (key, at))):  # type: ignore[attr-defined]
            return False
        editor = QApplication.focusWidget()  # where the window passes the key on
        if key in _NEW_LINE and isinstance(editor, (QPlainTextEdit, QTextEdit)) and not editor.isReadOnly():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # "the focused widget takes this key": Qt then tries no shortcut with it
        return True


def install(app: QApplication) -> HeldKeysActOnce:
    """Make ``app``'s filter once (a second call returns the one made); it lives as long as the
    application does."""
    installed = app.findChild(HeldKeysActOnce, "heldKeysActOnce")
    if installed is not None:
        return installed
    return HeldKeysActOnce(app)
