"""The window's menu bar and toolbar: the standard places a desktop user looks.

``WindowMenus(window)`` builds the menu bar and the toolbar of ``MainWindow``:

- **File**: Quit (Ctrl+Q; asks first while seats are held, then releases them). Other parts of the
  window add their own entries above Quit with ``add_to_file`` (the settings panel: Settings…,
  which Qt moves to the application menu as Preferences on macOS through its menu role).
- **Help**: Keyboard shortcuts (F1), About Box Office.
- Further menus (Member, Orders, Sandbox…) are added with ``menu(title)``: they sit between File
  and Help, in the order they are asked for.

Every action has an ``objectName`` (``action_<name>``) for testers and an accessible name; its keys
come from ``app.gui.shortcuts.KEYS`` (``shortcuts.apply``), so the help dialog lists them. Actions
are window-wide: a menu's key works wherever the focus is, like the menu itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QToolBar

from app import __version__
from app.gui import shortcuts

APP_NAME = "Box Office"


def make_action(parent: QMainWindow, name: str, text: str, slot: Callable[[], object], *,
                tip: str = "", key: str | None = None, role: QAction.MenuRole | None = None) -> QAction:
    """One action: ``objectName`` ``action_<name>``, an accessible description, optionally the keys
    of the shortcut table's entry ``key``."""
    action = QAction(text, parent)
    action.setObjectName(f"action_{name}")
    plain = text.replace("&", "").rstrip("…").strip()
    action.setToolTip(tip or plain)
    action.setStatusTip(tip or plain)
    if key is not None:
        shortcuts.apply(key, action)
    if role is not None:
        action.setMenuRole(role)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class WindowMenus:
    """The menu bar (File … Help) and the toolbar of one main window."""

    def __init__(self, window: QMainWindow, *, on_quit: Callable[[], object], on_help: Callable[[], object],
                 about_text: Callable[[], str]) -> None:
        self.window = window
        self._about_text = about_text
        bar = window.menuBar()
        bar.setObjectName("menuBar")
        bar.setAccessibleName("Menu bar")

        self.file_menu = bar.addMenu("&File")
        self.file_menu.setObjectName("menu_file")
        self.quit_action = make_action(window, "quit", "&Quit", on_quit, key="quit",
                                       tip="Quit Box Office (asks first while seats are held)",
                                       role=QAction.MenuRole.QuitRole)
        self.file_menu.addAction(self.quit_action)

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.setObjectName("menu_help")
        self.shortcuts_action = make_action(window, "shortcuts", "&Keyboard shortcuts", on_help, key="help")
        self.about_action = make_action(window, "about", f"&About {APP_NAME}", self.show_about,
                                        role=QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self._menus: dict[str, QMenu] = {}

        self.toolbar = QToolBar("Main toolbar", window)
        self.toolbar.setObjectName("mainToolBar")
        self.toolbar.setAccessibleName("Main toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.toggleViewAction().setEnabled(False)  # no way to lose it by a stray right click
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.hide()  # shown once something is on it

    # --- for the rest of the window ---------------------------------------------------------------
    def add_to_file(self, action: QAction) -> None:
        """An entry of the File menu, above Quit (and its separator)."""
        entries = self.file_menu.actions()
        if len(entries) == 1:  # only Quit so far: keep a separator between the entries and Quit
            self.file_menu.insertSeparator(self.quit_action)
            entries = self.file_menu.actions()
        self.file_menu.insertAction(entries[-2], action)

    def menu(self, title: str, name: str) -> QMenu:
        """The menu ``title`` (objectName ``menu_<name>``), made on first use between File and Help."""
        if name not in self._menus:
            menu = QMenu(title, self.window)
            menu.setObjectName(f"menu_{name}")
            self.window.menuBar().insertMenu(self.help_menu.menuAction(), menu)
            self._menus[name] = menu
        return self._menus[name]

    def add_to_toolbar(self, action: QAction) -> None:
        self.toolbar.addAction(action)
        button = self.toolbar.widgetForAction(action)
        if button is not None:
            button.setObjectName(f"toolbar_{action.objectName().removeprefix('action_')}")
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        self.toolbar.show()

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}", self._about_text(),
                          QMessageBox.StandardButton.Close, self.window)
        box.setObjectName("aboutBox")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()


def about_text(backend: str) -> str:
    return (f"{APP_NAME} {__version__}\n\n"
            "Sells tickets at the box office through the Ticketmaster Partner API.\n\n"
            f"Backend: {backend}\n"
            "Card numbers and security codes are sent only encrypted and are never stored.")
