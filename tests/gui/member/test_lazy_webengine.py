"""QtWebEngine is heavy: the window starts without its widgets, and the sign-in dialog brings them."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.checkout.station import Station
from app.gui.mainwindow import MainWindow
window = MainWindow(Station())
print("before", "PySide6.QtWebEngineWidgets" in sys.modules)
from app.gui.member.dialog import SignInDialog
dialog = SignInDialog(window)
print("after", "PySide6.QtWebEngineWidgets" in sys.modules)
"""


def test_the_window_starts_without_qtwebengine_widgets(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOXOFFICE_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["before", "False", "after", "True"]
