"""The station's signed-in member: sign in, keep the tokens fresh, sign out (partner-api.md 4).

``MemberDesk`` is what the window (and the self-test) ask; the browser part of the sign-in — a web
view on the provider's page — is the front end's, everything else is decided here:

- ``begin()`` checks first that the provider knows this station's client id and redirect URI (one
  request, not followed: an error page there would leave the member stuck on it) and gives a fresh
  ``AuthorizationRequest`` (random ``state``, PKCE S256, the partner's logo URL passed along);
- ``finish(callback_url, request)`` checks ``state``, exchanges the code, asks ``/oauth/info`` who
  signed in, keeps the refresh token in the keychain and makes that member the current one;
- the ``MemberSession`` renews the access token before it runs out and once after "No valid access
  token found"; a renewal refused for good signs the member out here and tells the listeners
  (``lost``), so the window asks for a new sign-in — the open sale and its cart are not touched;
- ``sign_out()`` forgets the tokens, in memory and in the keychain; ``restore()`` (at start-up)
  signs in again the member a previous run left signed in, from the keychain's refresh token.

``saved_address(method)`` is a saved card's billing address with its country as the ISO alpha-2
code, however the service named it (a member's saved address comes as ``{"id": 840}``);
``saved_address_text`` the one line the payment page shows beside the card.

Listeners are plain callables (``subscribe``) hearing ``MemberChanged``. Sentences for the cases a
cashier meets (``DIALOG_CLOSED``, ``NETWORK_FAILED``…) live here so every front end says the same.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from app.partner.client import PartnerClient
from app.partner.errors import PartnerError, SignInFailed, SignInRequired
from app.partner.models import Address, BillingMethod, TokenSet
from app.partner.oauth import AuthorizationRequest, MemberSession
from app.partner.probe import authorize_refusal
from app.storage import REFRESH_TOKEN
from app.storage.secrets import SecretStore

from . import countries

log = logging.getLogger(__name__)

DIALOG_CLOSED = "Sign-in cancelled: the sign-in window was closed before the member finished."
NETWORK_FAILED = ("The sign-in page could not be reached. Check the network connection (and the OAuth address in "
                  "Settings), then try again.")
LEFT_THE_PROVIDER = ("The sign-in page tried to open another site; Box Office stayed on the sign-in page. "
                     "Sign in there, or close the window.")
NOT_SET_UP = "Member sign-in is not set up for this backend: enter the OAuth client id and redirect URI in Settings."
LOST = "The member's sign-in has expired and could not be renewed. Sign the member in again; the sale is kept."


@dataclass(frozen=True)
class SignedInMember:
    """Who is signed in (``email`` from ``/oauth/info``) and their ``session`` (tokens kept fresh)."""

    email: str
    user_id: str
    session: MemberSession = field(repr=False)


@dataclass(frozen=True)
class MemberChanged:
    """The member signed in (``member``), signed out (``member`` None), or lost the sign-in
    (``member`` None, ``lost`` the sentence to show)."""

    member: SignedInMember | None
    lost: str = ""


Listener = Callable[[MemberChanged], None]


class MemberDesk:
    """One station's member sign-in (see the module docstring). ``client`` answers the station's
    client now (it changes when the settings do); ``logo_url`` the partner logo for the page."""

    def __init__(self, client: Callable[[], PartnerClient], secrets: SecretStore,
                 logo_url: Callable[[], str] = lambda: "") -> None:
        self._client = client
        self._secrets = secrets
        self._logo_url = logo_url
        self._member: SignedInMember | None = None
        self._listeners: list[Listener] = []

    @property
    def current(self) -> SignedInMember | None:
        return self._member

    @property
    def email(self) -> str | None:
        return self._member.email if self._member is not None else None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self, change: MemberChanged) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("a member listener failed")

    # ----- signing in ------------------------------------------------------------------------
    def oauth_origin(self) -> str:
        """scheme://host[:port] of the provider: the only site the sign-in view may show."""
        from urllib.parse import urlsplit

        parts = urlsplit(self._client().config.oauth_base_url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    async def begin(self) -> AuthorizationRequest:
        """A fresh sign-in attempt, after checking the provider takes this station's client id and
        redirect URI; ``SignInFailed`` with the plain reason otherwise."""
        client = self._client()
        config = client.config
        if not config.client_id or not config.redirect_uri:
            raise SignInFailed(NOT_SET_UP)
        try:
            page = await client.oauth.authorize_check()
        except SignInFailed:
            raise
        except PartnerError as exc:
            raise SignInFailed(NETWORK_FAILED, http_status=exc.http_status) from None
        if page.status_code >= 400:
            raise SignInFailed(authorize_refusal(page, config), http_status=page.status_code)
        return client.oauth.authorization_request(logo_url=self._logo_url().strip() or None)

    async def finish(self, callback_url: str, request: AuthorizationRequest) -> SignedInMember:
        """The provider sent the member back to ``callback_url``: check it, exchange the code, learn
        who signed in, keep the refresh token. ``SignInFailed`` with the plain reason otherwise."""
        client = self._client()
        code = request.code_from_callback(callback_url)  # state checked, consent denied said plainly
        try:
            tokens = await client.oauth.exchange_code(code, request)
        except SignInRequired:
            raise SignInFailed("The sign-in took too long or was already used. Please sign in again.") from None
        session = self._session(tokens)
        info = await session.info()
        member = SignedInMember(email=info.email or info.user_id or "member", user_id=info.user_id,
                                session=session)
        refresh_token = session.tokens.refresh_token
        # A closure, not an argument: qasync's worker logs (at debug) the arguments of what it runs.
        await asyncio.to_thread(lambda: self._keep_refresh(refresh_token))
        self._member = member
        log.info("member signed in")
        self._tell(MemberChanged(member))
        return member

    def _session(self, tokens: TokenSet) -> MemberSession:
        """A member session whose renewals and loss count only while it is the current member's
        (an earlier member's session, still finishing a call, never overwrites the next one's)."""
        made: list[MemberSession] = []
        session = MemberSession(self._client().oauth, tokens,
                                on_tokens_changed=lambda fresh: self._keep(made[0], fresh),
                                on_sign_in_lost=lambda _error: self._lost(made[0]))
        made.append(session)
        return session

    def _is_current(self, session: MemberSession) -> bool:
        return self._member is not None and self._member.session is session

    def _keep(self, session: MemberSession, tokens: TokenSet) -> None:
        if tokens.refresh_token and self._is_current(session):
            self._keep_refresh(tokens.refresh_token)

    def _keep_refresh(self, refresh_token: str | None) -> None:
        try:
            if refresh_token:
                self._secrets.set(REFRESH_TOKEN, refresh_token)
        except Exception as exc:  # the sign-in works without it; only a restart would need it
            log.warning("the member's refresh token could not be kept (%s)", type(exc).__name__)

    def _lost(self, session: MemberSession) -> None:
        if not self._is_current(session):
            return
        self._forget()
        log.info("member sign-in lost: renewing was refused")
        self._tell(MemberChanged(None, lost=LOST))

    async def restore(self) -> SignedInMember | None:
        """The member still signed in when the station last closed (their refresh token is in the
        keychain): renewed and asked who they are. A token the service refuses is forgotten; one
        that cannot be checked now (no network) is kept for the next start. None when nobody is."""
        if self._member is not None:
            return self._member
        stored = await asyncio.to_thread(self._read_refresh)
        if not stored:
            return None
        session = self._session(TokenSet("", stored, expires_in=0))
        try:
            info = await session.info()
        except SignInRequired:
            await asyncio.to_thread(self._forget_stored)
            return None
        except PartnerError as exc:
            log.info("the member's sign-in could not be checked now (%s); kept for later", type(exc).__name__)
            return None
        signed_in_meanwhile = self.current  # while the service answered: theirs wins
        if signed_in_meanwhile is not None:
            return signed_in_meanwhile
        member = SignedInMember(email=info.email or info.user_id or "member", user_id=info.user_id, session=session)
        self._member = member
        log.info("member signed in again from the keychain")
        self._tell(MemberChanged(member))
        return member

    def _read_refresh(self) -> str | None:
        try:
            return self._secrets.get(REFRESH_TOKEN)
        except Exception as exc:
            log.warning("the member's refresh token could not be read (%s)", type(exc).__name__)
            return None

    # ----- signing out -----------------------------------------------------------------------
    async def sign_out(self) -> None:
        """Forget the member: tokens in memory and in the keychain."""
        had = self._member is not None
        self._member = None
        await asyncio.to_thread(self._forget_stored)
        if had:
            log.info("member signed out")
            self._tell(MemberChanged(None))

    def forget(self) -> None:
        """Sign out without waiting (the backend changed, the station closes)."""
        had = self._member is not None
        self._forget()
        if had:
            self._tell(MemberChanged(None))

    def _forget(self) -> None:
        self._member = None
        self._forget_stored()

    def _forget_stored(self) -> None:
        try:
            self._secrets.delete(REFRESH_TOKEN)
        except Exception as exc:
            log.warning("the member's refresh token could not be removed (%s)", type(exc).__name__)



def saved_address(method: BillingMethod) -> Address | None:
    """The saved card's address, its country as the ISO alpha-2 code (``840`` → ``US``)."""
    address = method.address
    if address is None:
        return None
    code = countries.iso_code(address.country) or address.country
    return dataclasses.replace(address, country=code)


def saved_address_text(method: BillingMethod) -> str:
    """``123 My Street, Los Angeles, CA 90210, US`` — "" when the card has no saved address."""
    address = saved_address(method)
    if address is None:
        return ""
    place = " ".join(p for p in (address.region, address.postal_code) if p)
    return ", ".join(p for p in (address.line1, address.city, place, address.country) if p)
