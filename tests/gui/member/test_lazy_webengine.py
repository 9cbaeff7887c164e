"""QtWebEngine is heavy (its core library alone is ~30 MB resident and ~25 ms to load): the window
starts without any of it, and the first sign-in or captcha dialog brings it, registering the
captcha's custom scheme before the engine starts (afterwards Qt refuses: "Too late to register")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import sys
from app.__main__ import make_application
app = make_application()
from app.checkout.station import Station
from app.gui.mainwindow import MainWindow
window = MainWindow(Station())
print("before", any(name.startswith("PySide6.QtWebEngine") for name in sys.modules))

def sign_in():
    from app.gui.member.dialog import SignInDialog
    return SignInDialog(window)

def captcha():
    from app.gui.captcha import CaptchaDialog
    async def no_page():
        raise RuntimeError("not fetched in this test")
    return CaptchaDialog("https://captcha.example/", no_page, window)

dialogs = [{"sign-in": sign_in, "captcha": captcha}[name]() for name in sys.argv[1:]]
print("after", "PySide6.QtWebEngineWidgets" in sys.modules)
from PySide6.QtWebEngineCore import QWebEngineUrlScheme
from app.gui.captcha import CAPTCHA_SCHEME
scheme = QWebEngineUrlScheme.schemeByName(CAPTCHA_SCHEME.encode())
print("scheme", bytes(scheme.name()).decode() or "-", scheme.syntax() == QWebEngineUrlScheme.Syntax.Host)
"""


@pytest.mark.parametrize("first, then", [("sign-in", "captcha"), ("captcha", "sign-in")])
def test_the_window_starts_without_qtwebengine_and_the_first_dialog_registers_the_scheme(tmp_path, first, then):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BOXOFFICE_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", SCRIPT, first, then], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["before", "False", "after", "True",
                                   "scheme", "ticketmaster-g-recaptcha-response", "True"]
    assert "Too late to register" not in done.stderr
