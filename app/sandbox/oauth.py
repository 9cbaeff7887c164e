"""The sandbox's OAuth provider: member sign-in pages, codes, tokens and token info.

The authorization-code flow of partner-api.md section 4. ``GET /oauth/authorize`` checks the
client and its redirect URI first — an unknown client or an unregistered redirect URI gets an
error page, never a redirect — then shows a sign-in page (with the partner's logo only when its
host is whitelisted), then a consent page, then redirects to ``redirect_uri?code=…&state=…``.
Codes are single-use, live 60 s and are bound to the client, the redirect URI and, when given, a
PKCE S256 challenge. ``POST /oauth/token`` exchanges codes and refresh tokens (errors in the
standard OAuth shape); ``GET /oauth/info/<token>`` says who a token belongs to. The pending
sign-ins, codes and tokens themselves are kept by ``oauthtokens.TokenStore``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import string
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import resources
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .common import read_body
from .config import SandboxConfig
from .errors import INVALID_API_KEY, SandboxError, error_response
from .oauthtokens import NO_STORE, OAuthFailure, Pending, TokenStore

PENDING_LIFETIME = timedelta(minutes=15)
MAX_FORM_BODY = 16 * 1024
NO_VALID_TOKEN = "No valid access token found"


def _template(name: str, title: str) -> string.Template:
    """One sign-in page: its own content (``name``) inside the head and stylesheet the three pages
    share (``oauth_page.html``). A ``$TITLE`` title stays a placeholder for the page to fill."""
    folder = resources.files("app.sandbox").joinpath("templates")
    layout = string.Template(folder.joinpath("oauth_page.html").read_text("utf-8"))
    content = folder.joinpath(name).read_text("utf-8").rstrip("\n")
    return string.Template(layout.safe_substitute(TITLE=title, CONTENT=content))


def _with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


class OAuthService:
    """Sign-in pages plus the token store; ``member_for_access_token`` serves Bearer calls."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock
        self.tokens = TokenStore(config, clock)
        self._signin = _template("oauth_signin.html", "Sign in")
        self._consent = _template("oauth_consent.html", "Allow access")
        self._error = _template("oauth_error.html", "$TITLE")

    # ----- what the rest of the sandbox uses -------------------------------------------------
    def set_token_lifetime(self, seconds: int) -> None:
        self.tokens.set_lifetime(seconds)

    def member_for_access_token(self, token: str) -> dict | None:
        grant = self.tokens.live_access(token)
        if grant is None:
            return None
        return {"user_id": self.user_id(grant.email), "email": grant.email}

    @staticmethod
    def user_id(email: str) -> str:
        return hashlib.sha256(("boxoffice-sandbox-member:" + email.lower()).encode()).hexdigest()

    def revoke_tokens(self) -> None:
        """Every access and refresh token stops working (the member signed out at the provider, or
        the account revoked the app): a tester's way to see a renewal refused."""
        self.tokens.revoke_tokens()

    def reset(self) -> None:
        self.tokens.reset()

    def routes(self) -> list[Route]:
        return [
            Route("/oauth/authorize", self._authorize, methods=["GET"]),
            Route("/oauth/signin", self._sign_in, methods=["POST"]),
            Route("/oauth/consent", self._consent_answer, methods=["POST"]),
            Route("/oauth/token", self._token, methods=["POST"]),
            Route("/oauth/info/{token}", self._info, methods=["GET"]),
        ]

    # ----- pages --------------------------------------------------------------------------------
    def _error_page(self, title: str, message: str, status: int = 400) -> HTMLResponse:
        page = self._error.substitute(TITLE=html.escape(title), MESSAGE=html.escape(message))
        return HTMLResponse(page, status_code=status, headers=NO_STORE)

    def _signin_page(self, pending_id: str, pending: Pending, error: str = "", email: str = "") -> HTMLResponse:
        logo = ""
        try:
            parts = urlsplit(pending.logo_url)
            host_ok = parts.scheme in ("https", "http") and (parts.hostname or "").lower() in {
                h.lower() for h in self.config.logo_hosts}
        except ValueError:
            host_ok = False
        if pending.logo_url and host_ok:
            logo = f'<img id="partner-logo" class="logo" src="{html.escape(pending.logo_url)}" alt="Partner logo">'
        page = self._signin.substitute(
            LOGO=logo,
            ERROR=f'<p id="error" class="error" role="alert">{html.escape(error)}</p>' if error else "",
            PENDING=html.escape(pending_id),
            EMAIL=html.escape(email),
            # The keyboard where the member types first: the email, or the password once it is known.
            EMAIL_FOCUS="" if email else " autofocus",
            PASSWORD_FOCUS=" autofocus" if email else "",
            # A tester's reminder (this page is the sandbox's own, never the real provider's).
            MEMBER_EMAIL=html.escape(self.config.member_email),
            MEMBER_PASSWORD=html.escape(self.config.member_password),
        )
        return HTMLResponse(page, headers=NO_STORE)

    # ----- GET /oauth/authorize ---------------------------------------------------------------
    async def _authorize(self, request: Request) -> Response:
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client_id != self.config.client_id:
            return self._error_page("Unknown application",
                                    "This application (client_id) is not known, so sign-in cannot continue.")
        if redirect_uri not in self.config.redirect_uris:
            return self._error_page("Redirect address not registered",
                                    "The redirect_uri of this sign-in request is not registered for this "
                                    "application, so you will not be sent back to it.")
        state = q.get("state")
        problem = None
        if q.get("response_type") != "code":
            problem = ("unsupported_response_type", "response_type must be code")
        challenge = q.get("code_challenge")
        method = q.get("code_challenge_method", "plain")
        if challenge is not None and (method != "S256" or not 43 <= len(challenge) <= 128):
            problem = ("invalid_request", "code_challenge must be 43-128 characters with code_challenge_method S256")
        if problem:
            params = {"error": problem[0], "error_description": problem[1]}
            if state is not None:
                params["state"] = state
            return RedirectResponse(_with_query(redirect_uri, params), status_code=302)
        pending = Pending(
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=q.get("scope", "all"),
            state=state,
            code_challenge=challenge,
            logo_url=q.get("logo_url", ""),
            expires=self.clock() + PENDING_LIFETIME,
        )
        return self._signin_page(self.tokens.add_pending(pending), pending)

    # ----- POST /oauth/signin -------------------------------------------------------------------
    async def _sign_in(self, request: Request) -> Response:
        try:
            form = await _read_form(request)
        except SandboxError as exc:  # e.g. 413: said in the OAuth shape
            return OAuthFailure.for_status(exc.kind[2], exc.message or exc.kind[0]).response()
        if form is None:
            return self._error_page("Sign-in failed", "The sign-in form could not be read. Start again from the app.")
        pending_id = form.get("pending", "")
        pending = self.tokens.take_pending(pending_id)
        if pending is None:
            return self._error_page("Sign-in expired", "This sign-in page has expired. Start again from the app.")
        email, password = form.get("email", "").strip(), form.get("password", "")
        right_email = email.lower() == self.config.member_email.lower()
        right_password = hmac.compare_digest(password.encode(), self.config.member_password.encode())
        if not (right_email and right_password):
            return self._signin_page(pending_id, pending, "The email address or password is not right.", email)
        pending.email = self.config.member_email
        page = self._consent.substitute(
            PENDING=html.escape(pending_id),
            EMAIL=html.escape(pending.email),
            SCOPE=html.escape(pending.scope),
            CLIENT=html.escape(pending.client_id),
        )
        return HTMLResponse(page, headers=NO_STORE)

    # ----- POST /oauth/consent ----------------------------------------------------------------
    async def _consent_answer(self, request: Request) -> Response:
        try:
            form = await _read_form(request)
        except SandboxError as exc:  # e.g. 413: said in the OAuth shape
            return OAuthFailure.for_status(exc.kind[2], exc.message or exc.kind[0]).response()
        pending = self.tokens.take_pending(form.get("pending", ""), pop=True) if form is not None else None
        if pending is None or pending.email is None:
            return self._error_page("Sign-in expired", "This sign-in page has expired. Start again from the app.")
        params: dict[str, str] = {}
        if form.get("decision") == "allow":
            params["code"] = self.tokens.issue_code(pending, pending.email)
        else:
            params.update(error="access_denied", error_description="The member did not allow access")
        if pending.state is not None:
            params["state"] = pending.state
        return RedirectResponse(_with_query(pending.redirect_uri, params), status_code=302, headers=NO_STORE)

    # ----- POST /oauth/token ------------------------------------------------------------------
    async def _token(self, request: Request) -> Response:
        try:
            try:
                form = await _read_form(request)
            except SandboxError as exc:
                return OAuthFailure.for_status(exc.kind[2], exc.message or exc.kind[0]).response()
            if form is None:
                raise OAuthFailure("invalid_request", "Send a form-encoded body (application/x-www-form-urlencoded)")
            client_id, client_secret = _client_credentials(request, form)
            if client_id != self.config.client_id or not hmac.compare_digest(
                client_secret.encode(), self.config.client_secret.encode()
            ):
                raise OAuthFailure("invalid_client", "Unknown client or wrong client secret", 401)
            grant_type = form.get("grant_type", "")
            if grant_type == "authorization_code":
                body = self.tokens.exchange_code(form)
            elif grant_type == "refresh_token":
                body = self.tokens.refresh_grant(form)
            elif not grant_type:
                raise OAuthFailure("invalid_request", "grant_type is required")
            else:
                raise OAuthFailure("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
        except OAuthFailure as failure:
            return failure.response()
        return JSONResponse(body, headers=NO_STORE)

    # ----- GET /oauth/info/<token> ------------------------------------------------------------
    async def _info(self, request: Request) -> Response:
        member = self.member_for_access_token(request.path_params.get("token", ""))
        if member is None:
            return error_response(INVALID_API_KEY, NO_VALID_TOKEN, headers=NO_STORE)
        return JSONResponse({**member, "email_verified": False}, headers=NO_STORE)


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """client_id/client_secret from the form, or from HTTP Basic authentication."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise OAuthFailure("invalid_client", "Malformed Basic authorization header", 401) from None
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


async def _read_form(request: Request) -> dict[str, str] | None:
    """A small url-encoded form as a dict, None when the body is not one; SandboxError 413 when too large."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return None
    raw = await read_body(request, MAX_FORM_BODY)
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=50))
    except (UnicodeDecodeError, ValueError):
        return None
