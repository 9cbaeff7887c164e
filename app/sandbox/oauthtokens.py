"""The sandbox OAuth provider's memory: pending sign-ins, codes, access and refresh tokens.

``TokenStore`` owns every grant and the one lock around them (the server runs requests on its own
loop while the tester's controls reset or revoke). Codes are single-use, live 60 s and are bound to
the client, the redirect URI and, when given, a PKCE S256 challenge; a replayed code revokes what it
produced (RFC 6749 section 4.1.2). Refresh tokens live until revoked; access tokens for the token
lifetime (a tester's control). Each store keeps at most ``MAX_ENTRIES``, the oldest dropped first.
Refresh tokens outlive the run when the sandbox has a memory (``app.sandbox.memory``): it keeps
their SHA-256 digests (``saved_refresh``/``restore_refresh``), never the tokens, and ``on_change``
tells it when they changed.
A refused exchange raises ``OAuthFailure``, said in the standard OAuth error shape.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.responses import JSONResponse

from .config import SandboxConfig
from .errors import oauth_error_body

DEFAULT_TOKEN_LIFETIME = 3600
CODE_LIFETIME = timedelta(seconds=60)
MAX_ENTRIES = 10_000
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthFailure(Exception):
    """A token-endpoint error in the standard OAuth shape."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        headers = {**NO_STORE, **(headers or {})}
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="oauth"'
        body = oauth_error_body(self.error, self.description)
        return JSONResponse(body, status_code=self.status, headers=headers)

    @classmethod
    def for_status(cls, status: int, description: str) -> OAuthFailure:
        """Any HTTP-level refusal (404, 405, 413, …) said in the OAuth error shape."""
        return cls("invalid_request", description, status)


@dataclass
class Pending:
    """One authorization request between the sign-in page and the consent answer."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    code_challenge: str | None
    logo_url: str
    expires: datetime
    email: str | None = None


@dataclass
class Grant:
    """What a code, an access token or a refresh token stands for."""

    client_id: str
    email: str
    scope: str
    expires: datetime | None
    redirect_uri: str = ""
    code_challenge: str | None = None
    origin: str = ""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class TokenStore:
    """The grants of the sandbox's one client (``config.client_id``), timed by ``clock``."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock
        self._lock = threading.Lock()
        self.lifetime = DEFAULT_TOKEN_LIFETIME
        self._pending: OrderedDict[str, Pending] = OrderedDict()
        self._codes: OrderedDict[str, Grant] = OrderedDict()
        self._used_codes: OrderedDict[str, str] = OrderedDict()
        self._access: OrderedDict[str, Grant] = OrderedDict()
        self._refresh: OrderedDict[str, Grant] = OrderedDict()
        # Refresh tokens of past runs, by digest (the tokens themselves were never written down).
        self._remembered: OrderedDict[str, Grant] = OrderedDict()
        self.on_change: Callable[[], None] = lambda: None

    def set_lifetime(self, seconds: int) -> None:
        self.lifetime = max(1, int(seconds))

    def revoke_tokens(self) -> None:
        """Every access and refresh token stops working."""
        with self._lock:
            self._access.clear()
            self._refresh.clear()
            self._remembered.clear()
        self.on_change()

    def reset(self) -> None:
        with self._lock:
            self.lifetime = DEFAULT_TOKEN_LIFETIME
            for store in (self._pending, self._codes, self._used_codes, self._access, self._refresh, self._remembered):
                store.clear()

    def saved_refresh(self) -> list[dict]:
        """The live refresh tokens as the sandbox's memory keeps them: digests and what they grant."""
        with self._lock:
            grants = [(token_digest(k), g) for k, g in self._refresh.items()] + list(self._remembered.items())
        return [{"digest": digest, "client_id": g.client_id, "email": g.email, "scope": g.scope, "origin": g.origin}
                for digest, g in grants]

    def restore_refresh(self, items: list) -> None:
        with self._lock:
            for item in items[-MAX_ENTRIES:]:
                named = isinstance(item, dict) and all(isinstance(item.get(k), str)
                                                       for k in ("digest", "client_id", "email"))
                if named:
                    self._remembered[item["digest"]] = Grant(
                        client_id=item["client_id"], email=item["email"], scope=str(item.get("scope", "")),
                        expires=None, origin=str(item.get("origin", "")))

    def _store(self, store: OrderedDict, value) -> str:
        key = secrets.token_hex(19)
        with self._lock:
            store[key] = value
            while len(store) > MAX_ENTRIES:
                store.popitem(last=False)
        return key

    def add_pending(self, pending: Pending) -> str:
        """Keep a sign-in in progress; its id goes in the sign-in page's form."""
        return self._store(self._pending, pending)

    def take_pending(self, pending_id: str, pop: bool = False) -> Pending | None:
        """The sign-in in progress ``pending_id`` (removed when ``pop``), None when unknown or expired."""
        with self._lock:
            pending = self._pending.pop(pending_id, None) if pop else self._pending.get(pending_id)
        if pending is None or self.clock() >= pending.expires:
            return None
        return pending

    def issue_code(self, pending: Pending, email: str) -> str:
        """A code for the member's consent to ``pending``, bound to its client, redirect URI and challenge."""
        grant = Grant(client_id=pending.client_id, email=email, scope=pending.scope,
                      expires=self.clock() + CODE_LIFETIME, redirect_uri=pending.redirect_uri,
                      code_challenge=pending.code_challenge)
        return self._store(self._codes, grant)

    def live_access(self, token: str) -> Grant | None:
        """What the access token ``token`` stands for, None when unknown, revoked or expired."""
        if not isinstance(token, str):
            return None
        with self._lock:
            grant = self._access.get(token)
        if grant is None or grant.expires is None or self.clock() >= grant.expires:
            return None
        return grant

    def exchange_code(self, form: dict[str, str]) -> dict:
        """The token answer for ``grant_type=authorization_code``."""
        code = form.get("code", "")
        if not code:
            raise OAuthFailure("invalid_request", "code is required")
        with self._lock:
            grant = self._codes.pop(code, None)
            if grant is None and code in self._used_codes:
                # A replayed code: revoke what it produced, as RFC 6749 section 4.1.2 advises.
                origin = self._used_codes[code]
                for store in (self._access, self._refresh, self._remembered):
                    for key in [k for k, g in store.items() if g.origin == origin]:
                        del store[key]
                replayed = True
            else:
                replayed = False
            if grant is not None:
                self._used_codes[code] = code
                while len(self._used_codes) > MAX_ENTRIES:
                    self._used_codes.popitem(last=False)
        if replayed:
            self.on_change()
            raise OAuthFailure("invalid_grant", "This authorization code was already used")
        if grant is None:
            raise OAuthFailure("invalid_grant", "Unknown authorization code")
        if self.clock() >= grant.expires:
            raise OAuthFailure("invalid_grant", "The authorization code has expired")
        if grant.client_id != self.config.client_id or form.get("redirect_uri", "") != grant.redirect_uri:
            raise OAuthFailure("invalid_grant", "redirect_uri does not match the one used to sign in")
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if not verifier or not hmac.compare_digest(s256(verifier), grant.code_challenge):
                raise OAuthFailure("invalid_grant", "code_verifier does not match the code_challenge")
        access = self._issue_access(grant.email, grant.scope, origin=code)
        refresh = self._store(
            self._refresh,
            Grant(client_id=grant.client_id, email=grant.email, scope=grant.scope, expires=None, origin=code),
        )
        self.on_change()
        return {"access_token": access, "expires_in": self.lifetime, "refresh_token": refresh, "token_type": "bearer"}

    def refresh_grant(self, form: dict[str, str]) -> dict:
        """The token answer for ``grant_type=refresh_token``."""
        refresh = form.get("refresh_token", "")
        if not refresh:
            raise OAuthFailure("invalid_request", "refresh_token is required")
        with self._lock:
            grant = self._refresh.get(refresh) or self._remembered.get(token_digest(refresh))
        if grant is None or grant.client_id != self.config.client_id:
            raise OAuthFailure("invalid_grant", "The refresh token is unknown or revoked; sign in again")
        access = self._issue_access(grant.email, grant.scope, origin=grant.origin)
        return {"access_token": access, "expires_in": self.lifetime, "token_type": "bearer", "scope": grant.scope}

    def _issue_access(self, email: str, scope: str, origin: str) -> str:
        expires = self.clock() + timedelta(seconds=self.lifetime)
        return self._store(
            self._access,
            Grant(client_id=self.config.client_id, email=email, scope=scope, expires=expires, origin=origin),
        )
