"""The captcha step: the service's captcha page in an embedded web view, and its token handed over.

The page (``CaptchaPage.html``, fetched by the engine, never by this module) is shown with
``setHtml`` and a base URL on the whitelisted captcha domain (``Settings.captcha_page_url``), so its
origin is that domain without any request for the page itself. When the person solves it, the widget
calls the page's ``window[data-callback]`` with the token. A ``QWebEngineScript`` replaces that
function with one that passes the token to the app through ``QWebChannel``: the token keeps its
exact case (read from the ``ticketmaster-g-recaptcha-response://<token>`` URL it would arrive
lowercased, because it sits where a host goes). The custom-scheme navigation itself is always
refused.

The view never leaves the page it was given. Every main-frame navigation is refused — a link, a
form submission, a meta refresh, a script setting ``location``, whatever its type and wherever it
goes — except the dialog's own ``setHtml``; the status line then says the page was kept. Frames
inside the page may load (a captcha widget lives in one) but never see the bridge: QtWebEngine
gives ``qt.webChannelTransport`` to the main frame's origin only, and the hand-over script wires
itself only on the exact captcha origin. On the receiving side a token counts only when it comes
with the one-time key of the page this dialog opened last and while the view still shows that
page on the captcha origin (scheme, host and port).

A page whose widget says its domain is not whitelisted for the site key (reCAPTCHA's own words,
"Invalid domain for site key", in the page or any of its frames — the sandbox's widget says the
same) can never give a token: the dialog watches for that sentence for a few seconds after each
page loads, closes, and ``solve_captcha`` raises ``CaptchaDomainRefused`` (plain sentence, "Check
settings…" at the captcha domain) instead of leaving the cashier in front of a dead widget.

QtWebEngine is heavy (its core library alone is ~30 MB resident and ~25 ms to load), so nothing loads
it at start-up: the first sign-in or captcha dialog does, and registers the custom scheme first
(``register_captcha_scheme``).
Each dialog uses a fresh off-the-record profile: nothing persists between captchas.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.checkout.errors import CaptchaDomainRefused
from app.gui.asyncutil import spawn
from app.gui.webkeys import EscapeCloses
from app.partner.models import CaptchaPage

log = logging.getLogger(__name__)

CAPTCHA_SCHEME = "ticketmaster-g-recaptcha-response"

# Filled with the captcha origin and the page's one-time key (both JSON strings) for every page.
_HANDOVER_JS = """
(function () {
  if (location.origin !== %(origin)s || typeof qt === "undefined") { return; }
  var key = %(key)s;
  var widget = document.querySelector("[data-callback]");
  var name = (widget && widget.getAttribute("data-callback")) || "callback";
  var bridge = null, pending = null;
  window[name] = function (token) {
    token = String(token);
    if (bridge) { bridge.deliver(key, token); } else { pending = token; }
  };
  new QWebChannel(qt.webChannelTransport, function (channel) {
    bridge = channel.objects.boxofficeCaptcha;
    if (pending !== null) { bridge.deliver(key, pending); pending = null; }
  });
})();
"""
HANDOVER_SCRIPT = "boxoffice-captcha-handover"
SITE_ERROR = "Invalid domain for site key"
_SITE_ERROR_JS = ("(function () { var b = document.body; return !!b && (b.innerText || '').indexOf("
                  + json.dumps(SITE_ERROR) + ") >= 0; })()")
SITE_ERROR_CHECKS = 25  # looks, once every SITE_ERROR_INTERVAL_MS after a page loaded
SITE_ERROR_INTERVAL_MS = 200
KEPT_SENTENCE = ("The security check tried to open another page; Box Office kept it here. "
                 "Solve it here, or press New captcha.")


def origin_of(url: QUrl) -> tuple[str, str, int]:
    """(scheme, host, port) — the default port filled in, so https://x and https://x:443 agree."""
    scheme = url.scheme().lower()
    return scheme, url.host().lower(), url.port({"https": 443, "http": 80}.get(scheme, -1))


def register_captcha_scheme() -> None:
    """Make the captcha's custom scheme known to QtWebEngine (idempotent).

    Call before the run's first QtWebEngine object (profile, page or view): once the engine has
    started, Qt refuses ("Too late to register scheme"). Before or after the QApplication is made
    makes no difference, so both web dialogs call it first thing and start-up loads none of it.
    Registered, the scheme is parsed as ``scheme://host`` and its navigations reach
    ``acceptNavigationRequest``, where the app refuses them.
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
    """The object the page reaches through QWebChannel as ``boxofficeCaptcha``. ``accepts(key)``
    (set by the dialog) decides whether a delivery comes from the page it opened."""

    tokenReceived = Signal(str)

    def __init__(self, accepts: Callable[[str], bool], parent=None) -> None:
        super().__init__(parent)
        self._accepts = accepts

    @Slot(str, str)
    def deliver(self, key: str, token: str) -> None:
        token = token.strip()
        if not self._accepts(key):
            log.warning("a captcha token from a page this dialog did not open was refused")
            return
        if token:
            self.tokenReceived.emit(token)


def _web_channel_js() -> str:
    from PySide6.QtCore import QFile, QIODevice  # their enums cost ~7 ms to make: at the first captcha, not at start

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

        def requestStarted(self, job) -> None:
            job.fail(job.Error.RequestDenied)

    return RefuseTokenScheme()


def _make_page_class():
    from PySide6.QtWebEngineCore import QWebEnginePage

    class CaptchaWebPage(QWebEnginePage):
        """Keeps the page it was given: refuses the token navigation and every other main-frame
        navigation but the dialog's own ``setHtml`` (``show_page``); ``navigationRefused(url)``."""

        navigationRefused = Signal(str)

        def __init__(self, profile, origin: QUrl, parent=None) -> None:
            super().__init__(profile, parent)
            self._origin = origin
            self._own_loads = 0  # setHtml calls whose navigation has not been asked about yet

        def show_page(self, html: str) -> None:
            self._own_loads += 1
            self.setHtml(html, self._origin)

        def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:
            if url.scheme() == CAPTCHA_SCHEME:
                return False  # the token travels through the bridge, with its case intact
            if not is_main_frame:
                return True  # a frame inside the page (the widget's own); it never sees the bridge
            own = (self._own_loads > 0 and url.scheme() == "data"
                   and nav_type == QWebEnginePage.NavigationType.NavigationTypeTyped)
            if own:
                self._own_loads -= 1
                return True
            log.warning("the captcha page tried to go to %s; refused", url.scheme() + "://" + url.host())
            self.navigationRefused.emit(url.toString())
            return False

        def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:
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
        register_captcha_scheme()  # before anything of QtWebEngine is made
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
        self._page_key: str | None = None  # the one-time key of the page shown last
        self.domain_refused = False  # the widget said this domain is not whitelisted
        self._site_checks_left = 0

        # No name: off the record. No Qt parent either: ``dispose`` deletes the page before it.
        self.profile = QWebEngineProfile()
        self._scheme_handler = _make_refusing_handler()
        self.profile.installUrlSchemeHandler(CAPTCHA_SCHEME.encode(), self._scheme_handler)
        self.page = _make_page_class()(self.profile, self._origin, self)
        self.page.navigationRefused.connect(self._on_navigation_refused)
        self.page.loadFinished.connect(self._watch_for_site_error)
        self._site_timer = QTimer(self)
        self._site_timer.setInterval(SITE_ERROR_INTERVAL_MS)
        self._site_timer.timeout.connect(self._look_for_site_error)
        self.bridge = CaptchaBridge(self._from_shown_page, self)
        self.bridge.tokenReceived.connect(self._on_token)
        self.channel = QWebChannel(self)
        self.channel.registerObject("boxofficeCaptcha", self.bridge)
        self.page.setWebChannel(self.channel, QWebEngineScript.ScriptWorldId.MainWorld)
        self._add_script("qwebchannel", _web_channel_js(), QWebEngineScript.InjectionPoint.DocumentCreation)

        self.view = QWebEngineView(self)
        self._escape = EscapeCloses(self, self.view)  # Esc closes it even while the page has the keyboard
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
        ask = "The event asks for a security check. Ask the buyer to solve it, or solve it yourself."
        layout.addWidget(QLabel(ask, self))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    @property
    def token(self) -> str | None:
        return self._token

    def _add_script(self, name: str, source: str, point) -> None:
        from PySide6.QtWebEngineCore import QWebEngineScript

        script = QWebEngineScript()
        script.setName(name)
        script.setSourceCode(source)
        script.setInjectionPoint(point)
        script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        script.setRunsOnSubFrames(False)
        self.page.scripts().insert(script)

    def _show(self, html: str) -> None:
        """Show ``html`` on the captcha origin with a fresh one-time key for its hand-over."""
        from PySide6.QtWebEngineCore import QWebEngineScript

        self._page_key = secrets.token_urlsafe(24)
        for old in self.page.scripts().find(HANDOVER_SCRIPT):
            self.page.scripts().remove(old)
        scheme, host, port = origin_of(self._origin)
        origin = f"{scheme}://{host}" + ("" if port == {"https": 443, "http": 80}.get(scheme) else f":{port}")
        source = _HANDOVER_JS % {"origin": json.dumps(origin), "key": json.dumps(self._page_key)}
        self._add_script(HANDOVER_SCRIPT, source, QWebEngineScript.InjectionPoint.DocumentReady)
        self.page.show_page(html)

    def _watch_for_site_error(self, ok: bool) -> None:
        if ok and self._page_key is not None:
            self._site_checks_left = SITE_ERROR_CHECKS
            self._site_timer.start()

    def _look_for_site_error(self) -> None:
        self._site_checks_left -= 1
        if self._site_checks_left <= 0 or self._page_key is None:
            self._site_timer.stop()
            return
        frames, todo = [], [self.page.mainFrame()]
        while todo and len(frames) < 32:  # the page and its frames (a real widget lives in one)
            frame = todo.pop()
            frames.append(frame)
            todo.extend(frame.children())
        key = self._page_key
        for frame in frames:
            frame.runJavaScript(_SITE_ERROR_JS, 0, lambda said, key=key: self._on_site_error(said, key))

    def _on_site_error(self, said: object, key: str | None) -> None:
        if said is True and key is not None and key == self._page_key and not self.domain_refused:
            self.domain_refused = True
            log.warning("the captcha widget refused the domain %s (not whitelisted)", self._origin.host())
            self.reject()

    def _from_shown_page(self, key: str) -> bool:
        """A token counts only from the page shown last, still on the captcha origin."""
        return (
            self._page_key is not None
            and secrets.compare_digest(key, self._page_key)
            and origin_of(self.page.url()) == origin_of(self._origin)
        )

    def _on_navigation_refused(self, url: str) -> None:
        self.status.setText(KEPT_SENTENCE)

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
        self._show(page.html)
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

    def done(self, result: int) -> None:
        self._site_timer.stop()
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        # Leave the web page blank so nothing keeps running behind a closed dialog.
        self._page_key = None
        self.page.show_page("<html></html>")
        super().done(result)

    def dispose(self) -> None:
        """Delete page, then profile, then the dialog (a profile must outlive its pages)."""
        self.view.setPage(None)
        self.page.deleteLater()
        self.profile.removeAllUrlSchemeHandlers()
        self.profile.deleteLater()
        self.deleteLater()


async def solve_captcha(page_url: str, load_page: Callable[[], Awaitable[CaptchaPage]], parent=None) -> str | None:
    """Open a ``CaptchaDialog`` showing the page under ``page_url`` (``Settings.captcha_page_url``),
    wait until it is solved (→ token) or cancelled (→ None). ``CaptchaDomainRefused`` when the widget
    says the domain is not whitelisted."""
    dialog = CaptchaDialog(page_url, load_page, parent)
    finished: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def _finish(result: int) -> None:
        if not finished.done():
            finished.set_result(dialog.token if result == QDialog.DialogCode.Accepted else None)

    dialog.finished.connect(_finish)
    dialog.open()
    dialog.reload()
    try:
        token = await finished
        if token is None and dialog.domain_refused:
            raise CaptchaDomainRefused(QUrl(page_url).host())
        return token
    finally:
        if dialog.isVisible():
            dialog.reject()
        dialog.dispose()
