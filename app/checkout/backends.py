"""Where a station's sales go: the backend given on the command line, the one in the settings, or
the embedded sandbox reached through one small seam — and the ``PartnerConfig`` built from it.

**The sandbox seam.** The core never imports ``app.sandbox`` (a test double must not be a
dependency of what it doubles for). Whoever wants the embedded sandbox hands the station a factory,
``Station(sandbox=factory)``: a callable building a ``LocalSandbox`` — an object with ``start()``
and ``stop()`` (blocking; the station runs them on a worker thread), the ``base_url`` it listens on
once started, and a ``config`` with its credentials (``api_key``, ``client_id``, ``client_secret``,
``redirect_uris``). ``app.embedded.embedded_sandbox`` is that factory; ``python -m app`` and
``python -m app.cli`` pass it in. Without a factory, a station whose backend is "sandbox" says so
(``StationSetupError``). A sandbox already running elsewhere (tests) is used through
``overrides_for(sandbox)``, like any other server.

The sandbox also plays the partner's account: ``LocalSandbox.whitelist`` sets which captcha
domains and logo hosts it accepts, and ``sandbox_whitelist(settings)`` says what a station's settings
ask for (its own captcha domain and logo host, or none, per ``sandbox_whitelists_*``), so a tester
sees the whitelisted and the refused outcome alike.

``Credentials`` are the secrets typed in the settings panel (API key, client secret) before they
are saved: ``partner_config(..., credentials=…)`` uses them instead of the stored ones, which is
how Test connection tries values that are not saved yet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from app.partner.config import PartnerConfig
from app.storage import API_KEY, CLIENT_SECRET
from app.storage.secrets import SecretStore
from app.storage.settings import Backend, Settings


class StationSetupError(Exception):
    """The station cannot reach a backend as configured; ``str()`` says what to fix."""


class SandboxCredentials(Protocol):
    """What the station reads of a local sandbox's configuration."""

    @property
    def api_key(self) -> str: ...
    @property
    def client_id(self) -> str: ...
    @property
    def client_secret(self) -> str: ...
    @property
    def redirect_uris(self) -> Sequence[str]: ...


class LocalSandbox(Protocol):
    """The seam to the embedded sandbox (see the module docstring): all the station needs of it."""

    @property
    def base_url(self) -> str: ...
    @property
    def config(self) -> SandboxCredentials: ...
    def start(self) -> object: ...
    def stop(self) -> None: ...
    def whitelist(self, *, captcha_domains: list[str] | None = None,
                  logo_hosts: list[str] | None = None) -> object: ...


SandboxFactory = Callable[[], LocalSandbox]


@dataclass(frozen=True)
class Credentials:
    """Secrets typed with the settings (not yet saved); hidden from ``repr``."""

    api_key: str = dataclasses.field(default="", repr=False)
    client_secret: str = dataclasses.field(default="", repr=False)


def sandbox_whitelist(settings: Settings) -> dict[str, list[str]]:
    """What the sandbox's account should whitelist for these settings: the captcha domain, or
    nothing; the logo URL's host, or nothing (no logo URL: the account's own list is left alone)."""
    changes = {"captcha_domains": [settings.captcha_domain.strip().lower()]
               if settings.sandbox_whitelists_captcha_domain else []}
    logo_host = (urlsplit(settings.logo_url.strip()).hostname or "") if settings.logo_url.strip() else ""
    if logo_host:
        changes["logo_hosts"] = [logo_host] if settings.sandbox_whitelists_logo else []
    return changes


@dataclass(frozen=True)
class BackendOverrides:
    """Backend given explicitly (command line), instead of the stored settings.

    ``base_url`` may be the server root (``http://127.0.0.1:8765``) or the Partner API base
    (``…/partners/v1``); OAuth and wallet URLs default to ``/oauth`` and ``/wallet/v1`` beside it.
    """

    base_url: str
    api_key: str
    oauth_url: str = ""
    wallet_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    redirect_uri: str = ""

    def endpoints(self) -> tuple[str, str, str]:
        url = self.base_url.rstrip("/")
        if "/partners/" in urlsplit(url).path + "/":
            root = url.split("/partners/", 1)[0]
            partner = url
        else:
            root, partner = url, url + "/partners/v1"
        return (
            partner,
            (self.oauth_url or root + "/oauth").rstrip("/"),
            (self.wallet_url or root + "/wallet/v1").rstrip("/"),
        )


def overrides_for(sandbox: LocalSandbox) -> BackendOverrides:
    """The backend of a running local sandbox: its address and its own credentials."""
    config = sandbox.config
    return BackendOverrides(
        base_url=sandbox.base_url,
        api_key=config.api_key,
        client_id=config.client_id,
        client_secret=config.client_secret,
        redirect_uri=config.redirect_uris[0] if config.redirect_uris else "",
    )


def partner_config(settings: Settings, secrets: SecretStore, *, overrides: BackendOverrides | None, backend: Backend,
                   sandbox: LocalSandbox | None, force_polling: bool = False,
                   credentials: Credentials | None = None) -> PartnerConfig:
    """The client's configuration: ``overrides`` win; then the running local sandbox when the
    backend is "sandbox"; else the production or custom backend with ``credentials`` when given,
    else the stored secrets."""
    common: dict[str, Any] = dict(
        ca_bundle=settings.ca_bundle or None,
        https_proxy=settings.https_proxy,
        timeout=settings.request_timeout_seconds,
        max_polling_seconds=settings.max_polling_seconds,
        availability_cache_seconds=settings.availability_cache_seconds,
        max_quota_wait_seconds=settings.max_quota_wait_seconds,
        force_polling=force_polling or settings.force_polling,
    )
    if overrides is None and backend == "sandbox":
        if sandbox is None:
            raise StationSetupError("The embedded sandbox is not running.")
        overrides = overrides_for(sandbox)
    if overrides is not None:
        partner, oauth, wallet = overrides.endpoints()
        return PartnerConfig(
            partner_base_url=partner,
            api_key=overrides.api_key,
            oauth_base_url=oauth,
            wallet_base_url=wallet,
            client_id=overrides.client_id or settings.oauth_client_id,
            client_secret=overrides.client_secret,
            redirect_uri=overrides.redirect_uri or settings.redirect_uri,
            **common,
        )
    try:
        endpoints = dataclasses.replace(settings, backend=backend).endpoints()
    except ValueError as exc:
        raise StationSetupError(str(exc)) from None
    if credentials is None:
        credentials = Credentials(secrets.get(API_KEY) or "", secrets.get(CLIENT_SECRET) or "")
    return PartnerConfig(
        partner_base_url=endpoints.partner_base_url,
        api_key=credentials.api_key.strip(),
        oauth_base_url=endpoints.oauth_base_url,
        wallet_base_url=endpoints.wallet_base_url,
        client_id=settings.oauth_client_id,
        client_secret=credentials.client_secret,
        redirect_uri=settings.redirect_uri,
        **common,
    )
