"""The sign-in dialog: the provider's sign-in page in an embedded web view, the way back caught.

``SignInDialog`` shows one attempt at a time (``show_attempt(request, oauth_origin)``); each attempt
gets a fresh off-the-record ``QWebEngineProfile`` (made without a name: no cookie, cache or storage
outlives it), so the next cashier's sign-in never finds the previous member signed in.

The provider ends the sign-in by sending the browser to the redirect URI
(``redirect_uri?code=…&state=…``, or ``?error=access_denied``). That navigation is caught in
``acceptNavigationRequest`` — the first place a navigation, a server redirect included, is asked
about — and refused, so the redirect URI is never loaded (it usually names no real page); a
request interceptor on the profile blocks any other request for it as well. The caught URL goes
out as ``callbackReached`` for the core to check (``state``) and exchange. Every other navigation
of the main frame must stay on the provider's origin (scheme, host, port); anything else is
refused and the dialog says it kept the page. Frames inside the provider's page may come from
other web sites (a security check, say); they never move the view. A page that fails to load says so plainly.

QtWebEngine is imported only here, when the first dialog is made. Object names for testers:
``signInDialog``, ``signInView``, ``signInMessage`` (the status line), ``signInProblem`` (shown instead
of the page when a sign-in ended without a member), ``signInRetryButton``, ``signInCloseButton``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout

from app.checkout.member import LEFT_THE_PROVIDER, NETWORK_FAILED
from app.gui.webkeys import EscapeCloses
from app.partner.oauth import AuthorizationRequest

log = logging.getLogger(__name__)

_DEFAULT_PORTS = {"https": 443, "http": 80}


def origin_of(url: QUrl) -> tuple[str, str, int]:
    scheme = url.scheme().lower()
    return scheme, url.host().lower(), url.port(_DEFAULT_PORTS.get(scheme, -1))


def _make_page_class():
    from PySide6.QtWebEngineCore import QWebEnginePage

    class SignInPage(QWebEnginePage):
        """Stays on the provider's origin; hands over the redirect URI's navigation, never loading it."""

        callbackReached = Signal(str)
        navigationRefused = Signal(str)

        def __init__(self, profile, request: AuthorizationRequest, origin: QUrl, parent=None) -> None:
            super().__init__(profile, parent)
            self._request = request
            self._origin = origin_of(origin)
            self.finished = False  # the way back was caught: nothing more happens on this page

        def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:
            text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
            if self._request.is_callback(text):
                if not self.finished:
                    self.finished = True
                    self.callbackReached.emit(text)
                return False
            if self.finished:
                return False
            if origin_of(url) == self._origin:
                return True
            if not is_main_frame:
                # A frame inside the provider's page (a security check, say) may come from elsewhere:
                # it cannot take the view anywhere, since every main-frame navigation is asked here.
                return url.scheme() in ("https", "http", "about", "data", "blob")
            log.warning("the sign-in page tried to go to %s; refused", url.scheme() + "://" + url.host())
            self.navigationRefused.emit(url.host())
            return False

        def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:
            log.debug("sign-in page console (line %s): %s", line, message[:200])

    return SignInPage


def _make_interceptor(request: AuthorizationRequest):
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

    class BlockRedirectUri(QWebEngineUrlRequestInterceptor):
        """No request ever reaches the redirect URI (a page's image or script naming it included)."""

        def interceptRequest(self, info) -> None:
            if request.is_callback(info.requestUrl().toString(QUrl.ComponentFormattingOption.FullyEncoded)):
                info.block(True)

    return BlockRedirectUri()


class SignInDialog(QDialog):
    """The member signs in here (see the module docstring). ``callbackReached(url)`` when the
    provider sends the member back; ``retryRequested`` for "Try again"; closing is ``rejected``."""

    callbackReached = Signal(str)
    retryRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from app.gui.captcha import register_captcha_scheme

        register_captcha_scheme()  # before anything of QtWebEngine is made: the engine starts with this view
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.setObjectName("signInDialog")
        self.setWindowTitle("Member sign-in")
        self.setAccessibleName("Member sign-in")
        self.setModal(True)
        self.profile = None
        self.page = None
        self._interceptor = None
        intro = QLabel("Ask the member to sign in to their Ticketmaster account and allow Box Office to use it.",
                       self)
        intro.setWordWrap(True)
        self.view = QWebEngineView(self)
        self._escape = EscapeCloses(self, self.view)  # Esc closes it even while the page has the keyboard
        self.view.setObjectName("signInView")
        self.view.setAccessibleName("Sign-in page")
        # Where the page was, a sign-in that ended without a member says why, large enough to read.
        self.problem = QLabel(self)
        self.problem.setObjectName("signInProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem.setMargin(24)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.problem)
        self.message = QLabel("Loading the sign-in page…", self)
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = QPushButton("&Try again", self)
        self.retry_button.setObjectName("signInRetryButton")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.retryRequested)
        self.close_button = QPushButton("Cancel", self)
        self.close_button.setObjectName("signInCloseButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(520, 640)

    # --- one attempt ------------------------------------------------------------------------------
    def show_attempt(self, request: AuthorizationRequest, oauth_origin: str) -> None:
        """Open ``request.url`` in a new off-the-record profile (the previous one is dropped)."""
        from PySide6.QtWebEngineCore import QWebEngineProfile

        self._drop_page()
        self.profile = QWebEngineProfile()  # no name: off the record, nothing kept
        self._interceptor = _make_interceptor(request)
        self.profile.setUrlRequestInterceptor(self._interceptor)
        self.page = _make_page_class()(self.profile, request, QUrl(oauth_origin))
        self.page.callbackReached.connect(self._on_callback)
        self.page.navigationRefused.connect(lambda _host: self.say(LEFT_THE_PROVIDER))
        self.page.loadFinished.connect(self._on_loaded)
        self.view.setPage(self.page)
        self.pages.setCurrentWidget(self.view)
        self.retry_button.setVisible(False)
        self.close_button.setText("Cancel")
        self.say("Loading the sign-in page…")
        self.page.load(QUrl(request.url))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_loaded(self, ok: bool) -> None:
        page = self.page
        if page is None or page.finished:
            return
        if ok:
            self.say("The member signs in on the page above.")
        elif self.message.text() != LEFT_THE_PROVIDER:
            self.show_problem(NETWORK_FAILED)

    def _on_callback(self, url: str) -> None:
        self.say("Signing the member in…")
        self.view.setEnabled(False)
        self.callbackReached.emit(url)

    # --- what the controller shows ------------------------------------------------------------------
    def say(self, sentence: str) -> None:
        self.message.setText(sentence)

    def show_problem(self, sentence: str) -> None:
        """The attempt is over without a member: say why; "Try again" starts a new attempt."""
        self._drop_page()
        self.problem.setText(sentence)
        self.pages.setCurrentWidget(self.problem)
        self.message.setText("")  # said once, large, where the page was
        self.retry_button.setVisible(True)
        self.retry_button.setDefault(True)
        self.close_button.setText("Close")
        self.retry_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop_page(self) -> None:
        """Delete the page, then its profile (a profile must outlive its pages): nothing stays."""
        page, profile = self.page, self.profile
        self.page = self.profile = None
        self.view.setEnabled(True)
        if page is not None:
            page.finished = True
            self.view.setPage(None)
            page.deleteLater()
        if profile is not None:
            profile.setUrlRequestInterceptor(None)
            profile.deleteLater()
        self._interceptor = None

    def done(self, result: int) -> None:
        self._drop_page()
        super().done(result)
