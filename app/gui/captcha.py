"""The captcha step: the service's captcha page in an embedded web view, and its token handed over.

The page (``CaptchaPage.html``, fetched by the engine, never by this module) is shown with
``setHtml`` and a base URL on the whitelisted captcha domain (``Settings.captcha_page_url``), so its
origin is that domain without any request for the page itself. When the person solves it, the widget
calls the page's ``window[data-callback]`` with the token. A ``QWebEngineScript`` replaces that
function with one that passes the token to the app through ``QWebChannel``: the token keeps its
exact case (read from the ``ticketmaster-g-recaptcha-response://<token>`` URL it would arrive
lowercased, because it sits where a host goes). The custom-scheme navigation itself is always
refused.

QtWebEngine is heavy, so only ``register_captcha_scheme`` (which must run before the QApplication
exists) touches it at start-up; this module's widgets import it when a captcha first opens.
Each dialog uses a fresh off-the-record profile: nothing persists between captchas.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from PySide6.QtCore import QFile, QIODevice, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.gui.asyncutil import spawn
from app.partner.models import CaptchaPage

log = logging.getLogger("boxoffice.gui.captcha")

CAPTCHA_SCHEME = "ticketmaster-g-recaptcha-response"

_HANDOVER_JS = """
(function () {
  var widget = document.querySelector("[data-callback]");
  var name = (widget && widget.getAttribute("data-callback")) || "callback";
  var bridge = null, pending = null;
  window[name] = function (token) {
    token = String(token);
    if (bridge) { bridge.deliver(token); } else { pending = token; }
  };
  new QWebChannel(qt.webChannelTransport, function (channel) {
    bridge = channel.objects.boxofficeCaptcha;
    if (pending !== null) { bridge.deliver(pending); pending = null; }
  });
})();
"""


def register_captcha_scheme() -> None:
    """Make the captcha's custom scheme known to QtWebEngine. Call before the QApplication exists.

    An unregistered scheme's navigation never reaches ``acceptNavigationRequest``, so without
    this the app could not refuse it.
    """
    from PySide6.QtWebEngineCore import QWebEngineUrlScheme

    name = CAPTCHA_SCHEME.encode()
    if QWebEngineUrlScheme.schemeByName(name).name() == name:
        return
    scheme = QWebEngineUrlScheme(name)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.LocalScheme | QWebEngineUrlScheme.Flag.LocalAccessAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)


class CaptchaBridge(QObject):
    """The object the page reaches through QWebChannel as ``boxofficeCaptcha``."""

    tokenReceived = Signal(str)

    @Slot(str)
    def deliver(self, token: str) -> None:
        token = token.strip()
        if token:
            self.tokenReceived.emit(token)


def _web_channel_js() -> str:
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("Qt's qwebchannel.js resource is missing")
    try:
        return bytes(source.readAll()).decode("utf-8")
    finally:
        source.close()


def _make_refusing_handler():
    from PySide6.QtWebEngineCore import QWebEngineUrlSchemeHandler

    class RefuseTokenScheme(QWebEngineUrlSchemeHandler):
        """Fails any request for the token scheme: the URL is never loaded, whatever happens."""

        def requestStarted(self, job) -> None:  # noqa: N802
            job.fail(job.Error.RequestDenied)

    return RefuseTokenScheme()


def _make_page_class():
    from PySide6.QtWebEngineCore import QWebEnginePage

    class CaptchaWebPage(QWebEnginePage):
        """Refuses the token navigation and any navigation away from the captcha's own origin."""

        def __init__(self, profile, origin: QUrl, parent=None) -> None:
            super().__init__(profile, parent)
            self._origin = origin
            self.refused: list[str] = []

        def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
            if url.scheme() == CAPTCHA_SCHEME:
                self.refused.append(url.scheme())
                return False
            if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked and url.host() != self._origin.host():
                self.refused.append(url.toString())
                return False
            return super().acceptNavigationRequest(url, nav_type, is_main_frame)

        def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:  # noqa: N802
            log.debug("captcha page console (%s:%s): %s", source, line, message)

    return CaptchaWebPage


class CaptchaDialog(QDialog):
    """Shows captcha pages until one is solved; ``tokenReceived(str)`` carries the exact token.

    ``load_page`` is an async callable that fetches a fresh ``CaptchaPage`` through the engine
    (the site key may change, so every attempt asks again). Object names: ``captchaDialog``,
    ``captchaView``, ``captchaStatus``, ``newCaptchaButton``, ``cancelCaptchaButton``.
    """

    tokenReceived = Signal(str)

    def __init__(self, page_url: str, load_page: Callable[[], Awaitable[CaptchaPage]], parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtWebChannel import QWebChannel
        from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineScript
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.setObjectName("captchaDialog")
        self.setWindowTitle("Security check")
        self.setAccessibleName("Security check for this event")
        self.setModal(True)
        self.resize(440, 520)
        self._origin = QUrl(page_url)
        self._load_page = load_page
        self._token: str | None = None
        self._loading: asyncio.Task | None = None

        # No name: off the record. No Qt parent either: ``dispose`` deletes the page before it.
        self.profile = QWebEngineProfile()
        self._scheme_handler = _make_refusing_handler()
        self.profile.installUrlSchemeHandler(CAPTCHA_SCHEME.encode(), self._scheme_handler)
        self.page = _make_page_class()(self.profile, self._origin, self)
        self.bridge = CaptchaBridge(self)
        self.bridge.tokenReceived.connect(self._on_token)
        self.channel = QWebChannel(self)
        self.channel.registerObject("boxofficeCaptcha", self.bridge)
        self.page.setWebChannel(self.channel, QWebEngineScript.ScriptWorldId.MainWorld)
        for name, source, point in (
            ("qwebchannel", _web_channel_js(), QWebEngineScript.InjectionPoint.DocumentCreation),
            ("boxoffice-captcha-handover", _HANDOVER_JS, QWebEngineScript.InjectionPoint.DocumentReady),
        ):
            script = QWebEngineScript()
            script.setName(name)
            script.setSourceCode(source)
            script.setInjectionPoint(point)
            script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
            script.setRunsOnSubFrames(False)
            self.page.scripts().insert(script)

        self.view = QWebEngineView(self)
        self.view.setObjectName("captchaView")
        self.view.setAccessibleName("Captcha")
        self.view.setPage(self.page)
        self.status = QLabel("Loading the security check…", self)
        self.status.setObjectName("captchaStatus")
        self.status.setWordWrap(True)
        self.new_button = QPushButton("New captcha", self)
        self.new_button.setObjectName("newCaptchaButton")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelCaptchaButton")
        self.new_button.clicked.connect(self.reload)
        self.cancel_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The event asks for a security check. Ask the buyer to solve it, or solve it yourself.", self))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    @property
    def token(self) -> str | None:
        return self._token

    def reload(self) -> asyncio.Task:
        """Fetch a fresh captcha page through the engine and show it."""
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._loading = spawn(self._show_fresh_page(), context="loading the captcha", on_error=self._on_load_error)
        return self._loading

    async def _show_fresh_page(self) -> None:
        self.new_button.setEnabled(False)
        self.status.setText("Loading the security check…")
        try:
            page = await self._load_page()
        except asyncio.CancelledError:
            raise  # the dialog is closing: its widgets may already be gone
        except BaseException:
            self.new_button.setEnabled(True)
            raise
        self.new_button.setEnabled(True)
        self.page.setHtml(page.html, self._origin)
        self.status.setText("Solve the check to hold the seats.")
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_load_error(self, exc: BaseException) -> None:
        from app.gui.errors import describe

        self.status.setText(describe(exc).sentence)

    def _on_token(self, token: str) -> None:
        if self._token is not None:
            return
        self._token = token
        log.info("captcha solved (token of %d characters received)", len(token))
        self.status.setText("Verified.")
        self.tokenReceived.emit(token)
        self.accept()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        # Leave the web page blank so nothing keeps running behind a closed dialog.
        self.page.setHtml("<html></html>", self._origin)
        super().done(result)

    def dispose(self) -> None:
        """Delete page, then profile, then the dialog (a profile must outlive its pages)."""
        self.view.setPage(None)
        self.page.deleteLater()
        self.profile.removeAllUrlSchemeHandlers()
        self.profile.deleteLater()
        self.deleteLater()


async def solve_captcha(
    page_url: str, load_page: Callable[[], Awaitable[CaptchaPage]], parent=None
) -> str | None:
    """Open a ``CaptchaDialog`` showing the page under ``page_url`` (``Settings.captcha_page_url``),
    wait until it is solved (→ token) or cancelled (→ None)."""
    dialog = CaptchaDialog(page_url, load_page, parent)
    finished: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def _finish(result: int) -> None:
        if not finished.done():
            finished.set_result(dialog.token if result == QDialog.DialogCode.Accepted else None)

    dialog.finished.connect(_finish)
    dialog.open()
    dialog.reload()
    try:
        return await finished
    finally:
        if dialog.isVisible():
            dialog.reject()
        dialog.dispose()
