"""The menu bar: File and Help where a desktop user looks, each entry named, keyed from the
shortcut table, and doing what it says when clicked."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QToolBar

from app import __version__
from tests.gui.windowkit import find


def entries(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_file_and_help_menus_hold_the_standard_entries(window):
    bar = window.menuBar()
    titles = [a.text().replace("&", "") for a in bar.actions()]
    assert titles[0] == "File" and titles[-1] == "Help"
    assert entries(find(window, "menu_file", QMenu)) == ["Open event…", "Settings…", "Quit"]
    assert entries(find(window, "menu_help", QMenu)) == ["Keyboard shortcuts", "About Box Office"]
    quit_action = find(window, "action_quit", QAction)
    assert quit_action.shortcut().toString() == "Ctrl+Q" and quit_action.menuRole() == QAction.MenuRole.QuitRole
    assert find(window, "action_shortcuts", QAction).shortcut().toString() == "F1"
    for action in window.findChildren(QAction):
        if action.objectName().startswith("action_"):
            assert action.toolTip() and action.statusTip(), action.objectName()
    settings = find(window, "action_settings", QAction)
    assert settings.shortcut().toString() == "Ctrl+," and settings.menuRole() == QAction.MenuRole.PreferencesRole
    toolbar = find(window, "mainToolBar", QToolBar)
    assert toolbar.isVisible() and find(toolbar, "toolbar_settings").text() == "Settings"


def test_help_entries_open_the_shortcuts_and_about(window, run, until):
    async def steps():
        find(window, "action_shortcuts", QAction).trigger()
        help_dialog = await until(lambda: window.findChild(QDialog, "shortcutsHelp"), what="the help")
        await until(help_dialog.isVisible, what="the help shown")
        help_dialog.close()
        find(window, "action_about", QAction).trigger()
        about = await until(lambda: window.findChild(QMessageBox, "aboutBox"), what="the about box")
        assert __version__ in about.text() and f"Backend: {window.station.backend_label}" in about.text()
        about.button(QMessageBox.StandardButton.Close).click()
        await until(lambda: window.findChild(QMessageBox, "aboutBox") is None, what="about closed")

    run(steps())


def test_more_menus_go_between_file_and_help(window):
    window.menus.menu("&Member", "member")
    window.menus.menu("&Orders", "orders")
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "View", "Member", "Orders", "Help"]  # View (the inspector) is made first
    assert window.menus.menu("&Member", "member") is find(window, "menu_member", QMenu)  # made once


def test_alt_f_in_the_search_box_opens_the_file_menu_and_types_nothing(window, run, until):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    async def steps():
        search = find(window, "eventSearch", QLineEdit)
        search.setFocus()
        QTest.keyClick(search, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
        menu = find(window, "menu_file", QMenu)
        await until(menu.isVisible, what="the File menu open")
        assert search.text() == ""
        QTest.keyClick(menu, Qt.Key.Key_Escape)
        await until(lambda: not menu.isVisible(), what="the menu closed")

    run(steps())
