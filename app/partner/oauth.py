"""Member sign-in (partner-api.md section 4): authorization URL with a random ``state`` and a PKCE
S256 challenge, callback parsing with the state check, code exchange, refresh, ``/oauth/info``.

A small own module rather than Authlib: the flow is four form posts and a URL, the web view (not
this module) drives the browser part, and the project's HttpLayer must carry every exchange so
that the HTTPS rule, masking and the request inspector apply to OAuth too.

``MemberSession`` holds one member's tokens: it refreshes them shortly before they expire
(``refresh_margin``: a minute, or a fifth of a shorter lifetime) and once more when the service
says a token is no longer valid, tells a listener whenever the tokens change (so the refresh token
can be kept in the keychain) and another when renewing is refused for good (the member must sign
in again).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from app.partner._models_payment import MemberInfo, TokenSet
from app.partner.config import PartnerConfig
from app.partner.errors import SignInFailed, SignInRequired, UnexpectedResponse
from app.partner.transport import HttpLayer, json_body

# Refresh an access token this many seconds before it runs out (less for short-lived tokens).
REFRESH_MARGIN_SECONDS = 60.0


def refresh_margin(tokens: TokenSet) -> float:
    """How long before expiry ``tokens`` are renewed: a minute, or a fifth of a shorter lifetime
    (a token that lives 5 s is renewed after 4 s, not before every call)."""
    return min(REFRESH_MARGIN_SECONDS, tokens.expires_in / 5)


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class AuthorizationRequest:
    """One sign-in attempt: the URL to open and what must come back. Secrets hidden from repr."""

    url: str
    redirect_uri: str
    state: str = field(repr=False)
    code_verifier: str = field(repr=False)

    def is_callback(self, url: str) -> bool:
        """Whether a navigation in the web view is the provider sending the member back."""
        target, expected = urlsplit(url), urlsplit(self.redirect_uri)
        return (target.scheme, target.netloc, target.path.rstrip("/")) == (
            expected.scheme, expected.netloc, expected.path.rstrip("/"))

    def code_from_callback(self, url: str) -> str:
        """The authorization code from ``redirect_uri?code=…&state=…``; ``SignInFailed`` otherwise."""
        if not self.is_callback(url):
            raise SignInFailed("The sign-in page sent the member to an unexpected address.")
        query = parse_qs(urlsplit(url).query)
        state = (query.get("state") or [""])[0]
        if not secrets.compare_digest(state.encode(), self.state.encode()):
            raise SignInFailed("The sign-in answer did not match this sign-in attempt. Please sign in again.")
        if "error" in query:
            if query["error"][0] == "access_denied":
                raise SignInFailed("The member did not allow this station to use their account.")
            raise SignInFailed(f"The sign-in was refused ({query['error'][0]}). Please sign in again.")
        code = (query.get("code") or [""])[0]
        if not code:
            raise SignInFailed("The sign-in answer carried no authorization code. Please sign in again.")
        return code


class OAuthClient:
    def __init__(self, config: PartnerConfig, http: HttpLayer) -> None:
        self.config = config
        self._http = http

    def authorization_request(self, *, scope: str = "all", logo_url: str | None = None) -> AuthorizationRequest:
        state = secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(48)
        params = {"client_id": self.config.client_id, "redirect_uri": self.config.redirect_uri,
                  "response_type": "code", "scope": scope, "state": state,
                  "code_challenge": _s256(verifier), "code_challenge_method": "S256"}
        if logo_url:
            params["logo_url"] = logo_url
        url = f"{self.config.oauth_base_url}/authorize?{urlencode(params)}"
        return AuthorizationRequest(url=url, redirect_uri=self.config.redirect_uri, state=state, code_verifier=verifier)

    async def authorize_check(self) -> httpx.Response:
        """``GET /authorize`` with this station's client id and redirect URI and a throwaway state,
        not followed: a sign-in page (or a redirect to one) means both are known; an error page
        means the provider refuses them. Nobody is signed in by it."""
        query = urlencode({"client_id": self.config.client_id, "redirect_uri": self.config.redirect_uri,
                           "response_type": "code", "scope": "all", "state": secrets.token_urlsafe(16)})
        url = f"{self.config.oauth_base_url}/authorize?{query}"
        return await self._http.send("oauth authorize (check)", "GET", url, headers={"Accept": "text/html"})

    async def exchange_code(self, code: str, request: AuthorizationRequest) -> TokenSet:
        return await self._token("oauth code exchange", {
            "grant_type": "authorization_code", "code": code, "redirect_uri": request.redirect_uri,
            "code_verifier": request.code_verifier,
        })

    async def sign_in_from_callback(self, callback_url: str, request: AuthorizationRequest) -> TokenSet:
        return await self.exchange_code(request.code_from_callback(callback_url), request)

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        if not tokens.refresh_token:
            raise SignInRequired("The member's sign-in cannot be renewed. Ask them to sign in again.")
        fresh = await self._token(
            "oauth refresh", {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        )
        return (
            fresh
            if fresh.refresh_token
            else TokenSet.from_json(
                {
                    "access_token": fresh.access_token,
                    "expires_in": fresh.expires_in,
                    "token_type": fresh.token_type,
                    "scope": fresh.scope,
                },
                previous_refresh_token=tokens.refresh_token,
                obtained_at=fresh.obtained_at,
            )
        )

    async def info(self, access_token: str) -> MemberInfo:
        response = await self._http.send("oauth info", "GET", f"{self.config.oauth_base_url}/info/{access_token}")
        if response.status_code != 200:
            raise SignInRequired(http_status=response.status_code, server_message=_message(response))
        return MemberInfo.from_json(json_body(response))

    async def _token(self, operation: str, form: dict[str, str]) -> TokenSet:
        form = {**form, "client_id": self.config.client_id, "client_secret": self.config.client_secret}
        response = await self._http.send(operation, "POST", f"{self.config.oauth_base_url}/token", form=form)
        if response.status_code == 200:
            body = json_body(response)
            if not body.get("access_token"):
                raise UnexpectedResponse("The sign-in service answered without an access token.")
            return TokenSet.from_json(body)
        error = ""
        with contextlib.suppress(ValueError):
            error = str(response.json().get("error", ""))
        if error == "invalid_client":
            raise SignInFailed(
                "The sign-in service does not accept this station's OAuth client id or secret. Check Settings.",
                http_status=response.status_code,
                server_message=_message(response),
            )
        if error == "invalid_grant":
            raise SignInRequired(http_status=response.status_code, server_message=_message(response))
        raise SignInFailed(http_status=response.status_code, server_message=_message(response))


def _message(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return err.get("message")
        return body.get("error_description") or (str(err) if err else None)
    return None


class MemberSession:
    """One signed-in member. ``access_token()`` always returns a token that is not about to expire.

    ``on_tokens_changed(tokens)`` hears every renewal; ``on_sign_in_lost(error)`` hears a renewal
    the service refused for good (``SignInRequired``: revoked or expired refresh token), which is
    raised to the caller as well."""

    def __init__(
        self, oauth: OAuthClient, tokens: TokenSet, on_tokens_changed: Callable[[TokenSet], None] | None = None,
        on_sign_in_lost: Callable[[SignInRequired], None] | None = None,
    ) -> None:
        self._oauth = oauth
        self._tokens = tokens
        self._on_change = on_tokens_changed
        self._on_lost = on_sign_in_lost
        self._lock = asyncio.Lock()

    @property
    def tokens(self) -> TokenSet:
        return self._tokens

    async def access_token(self) -> str:
        if self._tokens.expires_within(refresh_margin(self._tokens)):
            await self.refresh(stale=self._tokens.access_token)
        return self._tokens.access_token

    async def refresh(self, stale: str | None = None) -> TokenSet:
        """Renew the access token (once, even when several callers notice at the same time)."""
        async with self._lock:
            if stale is not None and self._tokens.access_token != stale:
                return self._tokens  # another caller already renewed it
            try:
                self._tokens = await self._oauth.refresh(self._tokens)
            except SignInRequired as lost:
                if self._on_lost is not None:
                    self._on_lost(lost)
                raise
        if self._on_change is not None:
            self._on_change(self._tokens)
        return self._tokens

    async def info(self) -> MemberInfo:
        token = await self.access_token()
        try:
            return await self._oauth.info(token)
        except SignInRequired:
            await self.refresh(stale=token)
            return await self._oauth.info(self._tokens.access_token)
