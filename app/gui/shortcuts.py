"""Every keyboard shortcut of the window, declared once: the keys, where they act, what they do.

``KEYS`` is the table. ``bind(name, widget, slot)`` makes the ``QShortcut``s of one entry, and the
help dialog (F1, ``app.gui.helpdialog``) lists the whole table, so the help says what the keys do.

Where a key acts (``Scope``):

- ``WINDOW``: anywhere in the window, whatever has the focus (Ctrl+F, F1, Ctrl+Q);
- ``FOCUS``: only while the keyboard focus is inside the widget the shortcut is bound to (Enter,
  Esc and F5 on the event page). A key typed into the events search box therefore never acts on
  the event page beside it.

Menu entries (Quit, Keyboard shortcuts…) take their keys from the table with ``apply(name,
action)``: a key belongs either to an action or to ``bind``'s shortcuts, never both (Qt would call
them ambiguous and do nothing).

Entries with ``bound=False`` are keys a widget handles in its own key presses (the seat map's zoom
keys, Down and Esc in the search box, Enter and Esc in a sale); they are listed for the help only.

``bind`` sets the context *after* constructing each shortcut: with the pinned PySide6,
``QShortcut(keys, parent, callable, context=...)`` silently ignores ``context`` when a callable is
passed, and the shortcut stays window-wide.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


class Scope(enum.Enum):
    WINDOW = Qt.ShortcutContext.WindowShortcut
    FOCUS = Qt.ShortcutContext.WidgetWithChildrenShortcut


@dataclass(frozen=True)
class Key:
    name: str
    keys: tuple[str, ...]  # portable QKeySequence text ("Ctrl+F", "Return")
    label: str  # how the help writes the keys
    area: str  # where it acts, in the cashier's words
    action: str
    scope: Scope = Scope.FOCUS
    bound: bool = True  # False: handled by the widget's own key presses (listed for the help only)


ANYWHERE, EVENTS, EVENT_PAGE, SEAT_MAP, SALE = "Anywhere", "Events list", "Event page", "Seat map", "Sale"

KEYS: tuple[Key, ...] = (
    Key("find", ("Ctrl+F",), "Ctrl+F", ANYWHERE, "Search the events", Scope.WINDOW),
    Key("open_event", ("Ctrl+O",), "Ctrl+O", ANYWHERE,
        "Open an event by its id, venue event code and host, or Ticketmaster address", Scope.WINDOW),
    Key("help", ("F1",), "F1", ANYWHERE, "Show these keyboard shortcuts", Scope.WINDOW),
    Key("settings", ("Ctrl+,",), "Ctrl+,", ANYWHERE,
        "Settings: backend, API key, logo, station name (Preferences on macOS)", Scope.WINDOW),
    Key("sign_in", ("Ctrl+Shift+M",), "Ctrl+Shift+M", ANYWHERE,
        "Sign a Ticketmaster member in (their saved cards can pay)", Scope.WINDOW),
    Key("sign_out", ("Ctrl+Shift+L",), "Ctrl+Shift+L", ANYWHERE,
        "Sign the member out (nothing of their sign-in is kept)", Scope.WINDOW),
    Key("quit", ("Ctrl+Q",), "Ctrl+Q", ANYWHERE,
        "Quit Box Office (asks first while seats are held, then releases them)", Scope.WINDOW),
    Key("orders", ("Ctrl+Shift+O",), "Ctrl+Shift+O", ANYWHERE,
        "This station's orders (look up, reprint, the shift's totals)", Scope.WINDOW),
    Key("inspector", ("Ctrl+Shift+I",), "Ctrl+Shift+I", ANYWHERE,
        "Show or hide the request inspector (every exchange with the service, masked)", Scope.WINDOW),
    Key("mnemonic", (), "Alt+letter", ANYWHERE, "The button or field whose letter is underlined", bound=False),
    Key("held", (), "Enter / Esc held", ANYWHERE,
        "Acts once, like a single press: holding the key never repeats what it does",
        bound=False),
    Key("search_down", ("Down",), "↓", EVENTS, "From the search box into the list", bound=False),
    Key("search_open", ("Return",), "Enter", EVENTS, "Open the selected event (in the search box: the first match)",
        bound=False),
    Key("search_clear", ("Escape",), "Esc", EVENTS, "In the search box: clear the search", bound=False),
    Key("page_enter", ("Return", "Enter"), "Enter", EVENT_PAGE,
        "Reserve the seats (on a focused button: press that button)"),
    Key("page_escape", ("Escape",), "Esc", EVENT_PAGE,
        "Stop a reserve that is waiting in line; otherwise back to the events list"),
    Key("page_refresh", ("F5",), "F5", EVENT_PAGE, "Ask the service again what is free"),
    Key("map_zoom", ("+", "-"), "+ / −", SEAT_MAP, "Zoom in / out (or the mouse wheel)", bound=False),
    Key("map_fit", ("0",), "0", SEAT_MAP, "Show the whole venue", bound=False),
    Key("map_pan", ("Space",), "Space + drag", SEAT_MAP, "Move the map (or drag with the middle button)",
        bound=False),
    Key("web_escape", ("Escape",), "Esc", "Sign-in and captcha",
        "Close the dialog (nobody signed in, no captcha answer), also while typing in its page", bound=False),
    Key("sale_enter", ("Return",), "Enter", SALE, "Go on to the next step", bound=False),
    Key("sale_escape", ("Escape",), "Esc", SALE, "Ask whether to cancel the sale and release the seats",
        bound=False),
)

_BY_NAME = {key.name: key for key in KEYS}


def key(name: str) -> Key:
    return _BY_NAME[name]


def bind(name: str, widget: QWidget, slot: Callable[[], object]) -> list[QShortcut]:
    """The shortcuts of entry ``name`` on ``widget``, acting where the table says, calling ``slot``."""
    entry = _BY_NAME[name]
    if not entry.bound:
        raise ValueError(f"{name} is handled by its widget's key presses, not by a shortcut")
    made = []
    for keys in entry.keys:
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.setContext(entry.scope.value)  # after construction: see the module docstring
        shortcut.activated.connect(slot)
        shortcut.setObjectName(f"shortcut_{name}")
        made.append(shortcut)
    return made



def apply(name: str, action: QAction) -> QAction:
    """Give a menu action the keys of entry ``name`` (window-wide, like the menu it sits in)."""
    entry = _BY_NAME[name]
    action.setShortcuts([QKeySequence(keys) for keys in entry.keys])
    action.setShortcutContext(Scope.WINDOW.value if entry.scope is Scope.WINDOW else entry.scope.value)
    return action
