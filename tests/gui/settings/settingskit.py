"""Steps a tester takes in the settings panel, shared by the panel's tests.

The panel is opened the way a person opens it (Ctrl+, in the window, the toolbar's Settings, a
banner's "Check settings…"); fields are found by their object names (``field_<name>``), typed into
with the keyboard, and what the panel says is read from its labels (``problem_<name>``,
``connectionResult``, ``logoNote``…). Nothing reaches into private attributes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDialog, QLabel, QLineEdit, QPushButton, QTabWidget

from tests.gui.windowkit import click, find


def open_dialog(window) -> QDialog | None:
    dialog = window.findChild(QDialog, "settingsDialog")
    return dialog if dialog is not None and dialog.isVisible() else None


async def open_with_keys(window, qtbot, until) -> QDialog:
    """Ctrl+, in the window (the events' search box has the focus), then wait for the panel."""
    window.activateWindow()  # keys go to the active window (after a closed panel, too)
    await until(lambda: QApplication.activeWindow() is window, what="the window active")
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    return await until(lambda: open_dialog(window), what="the settings panel")


async def open_from_toolbar(window, qtbot, until) -> QDialog:
    click(qtbot, find(window, "toolbar_settings"))
    return await until(lambda: open_dialog(window), what="the settings panel")


def problem(dialog, name: str) -> str:
    """The sentence shown at field ``name`` ("" when none is shown), also while its page is not the
    one in front (the person sees it on going there)."""
    label = find(dialog, f"problem_{name}", QLabel)
    return label.text() if not label.isHidden() else ""


def marked_pages(dialog) -> list[str]:
    """The titles of the pages whose tab carries the mark of a field to fix."""
    pages = find(dialog, "settingsPages", QTabWidget)
    return [pages.tabText(i).removesuffix(" •") for i in range(pages.count()) if pages.tabText(i).endswith("•")]


def show_page_of(dialog, name: str) -> None:
    """Click the tab holding field ``name`` (a person finds the field before typing into it)."""
    pages = find(dialog, "settingsPages", QTabWidget)
    field = find(dialog, f"field_{name}")
    for index in range(pages.count()):
        if pages.widget(index).isAncestorOf(field):
            pages.tabBar().setCurrentIndex(index)
            return
    raise AssertionError(f"field_{name} is on no page")


def type_field(qtbot, dialog, name: str, text: str, *, leave: bool = True) -> None:
    """Go to the field's page, click into the field, replace what it holds with ``text`` typed on
    the keyboard, and Tab out of it (``leave``)."""
    show_page_of(dialog, name)
    edit = find(dialog, f"field_{name}")
    assert isinstance(edit, (QLineEdit, QAbstractSpinBox)), f"field_{name} takes no typing"
    assert edit.isEnabled(), f"field_{name} is disabled"
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)
    if leave:
        qtbot.keyClick(edit, Qt.Key.Key_Tab)


def choose_backend(qtbot, dialog, backend: str) -> None:
    show_page_of(dialog, "custom_partner_url")  # the Backend page
    click(qtbot, find(dialog, f"backend_{backend}"))


def save(qtbot, dialog) -> None:
    click(qtbot, find(dialog, "saveSettingsButton", QPushButton))


def said(dialog, name: str) -> str:
    """The text of one of the panel's own labels, when it is shown."""
    label = find(dialog, name, QLabel)
    return label.text() if label.isVisibleTo(dialog) else ""
