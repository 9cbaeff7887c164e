"""How big the main window opens: a cashier's screen (1280×800, 1366×768 less a panel) gets it
maximized, so the window manager's title bar and the desktop's panel cannot push the status line
(backend, quota, member) off the bottom of the screen; a larger screen gets 1280×800, centred."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from app.gui.mainwindow import opening_geometry


def test_a_screen_no_bigger_than_the_window_opens_it_maximized(qapp):
    for free in (QRect(0, 0, 1280, 800), QRect(0, 0, 1366, 740), QRect(0, 28, 1440, 832), QRect(0, 0, 1024, 600)):
        size, maximized = opening_geometry(free)
        assert maximized, free
        assert size.width() <= free.width() and size.height() <= free.height(), free  # restored: still on screen


def test_a_large_screen_opens_the_window_at_1280_by_800_in_its_middle(qapp):
    size, maximized = opening_geometry(QRect(0, 0, 1920, 1050))
    assert not maximized
    assert (size.width(), size.height()) == (1280, 800)


def test_the_window_shown_on_a_small_screen_fits_inside_its_free_area(open_window, qtbot):
    window = open_window()
    window.showNormal()
    window.show_on_screen()
    free = QGuiApplication.primaryScreen().availableGeometry()
    qtbot.waitUntil(lambda: window.isMaximized() == (free.width() < 1296 or free.height() < 840))
    assert free.contains(window.frameGeometry()), (free, window.frameGeometry())
