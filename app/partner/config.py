"""Where the client talks to, with which credentials, and the rule that guards it: HTTPS only,
except for loopback addresses (127.0.0.0/8, ::1, localhost) where plain HTTP is allowed."""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from app.partner.errors import InsecureConnection

PRODUCTION_PARTNER_BASE = "https://app.ticketmaster.com/partners/v1"
PRODUCTION_OAUTH_BASE = "https://oauth.ticketmaster.com/oauth"
PRODUCTION_WALLET_BASE = "https://payment.ticketmaster.com/wallet/v1"


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure_url(url: str) -> None:
    """Raise ``InsecureConnection`` unless ``url`` is https, or http to a loopback address."""
    scheme, sep, rest = url.partition("://")
    problem = _origin_problem(scheme.lower(), rest.split("/", 1)[0].split("?", 1)[0] if sep else "")
    if problem:
        raise InsecureConnection(problem.replace("{url}", repr(url)))


@functools.lru_cache(maxsize=64)
def _origin_problem(scheme: str, netloc: str) -> str | None:
    """None when scheme + host may carry secrets; otherwise the sentence to show (cached per origin)."""
    try:
        host = urlsplit(f"{scheme}://{netloc}").hostname
    except ValueError:
        return "The server address {url} is not a valid URL."
    if scheme == "https" and host:
        return None
    if scheme == "http" and is_loopback_host(host):
        return None
    if scheme not in ("http", "https") or not host:
        return "The server address {url} is not a valid http(s) URL."
    return f"The server address for {host} must use https:// (plain http is only allowed for this computer)."


@dataclass(frozen=True)
class PartnerConfig:
    """Everything the client needs to reach one backend. Secrets are hidden from ``repr``."""

    partner_base_url: str = PRODUCTION_PARTNER_BASE
    api_key: str = field(default="", repr=False)
    oauth_base_url: str = PRODUCTION_OAUTH_BASE
    wallet_base_url: str = PRODUCTION_WALLET_BASE
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    redirect_uri: str = ""
    ca_bundle: str | None = None
    # How https:// requests reach the service: "system", "none" or a proxy URL (see ``routing``).
    https_proxy: str = "system"
    timeout: float = 20.0
    max_polling_seconds: float = 300.0
    # How long an availability answer is reused (seconds); 0 disables the cache.
    availability_cache_seconds: float = 5.0
    # The longest the client waits on its own for a quota window to reset before raising
    # (a little over the one-minute window of /events; the hourly availability window never qualifies).
    max_quota_wait_seconds: float = 65.0
    # Retries (with back-off) of read-only calls answered 502/504; writes are never repeated.
    transient_retries: int = 2
    # Testers: send ``X-TM-FORCE-POLLING: true`` on polling endpoints (at least one 202 each).
    force_polling: bool = False

    def __post_init__(self) -> None:
        for name in ("partner_base_url", "oauth_base_url", "wallet_base_url"):
            object.__setattr__(self, name, getattr(self, name).rstrip("/"))

    def check_security(self) -> None:
        """Raise ``InsecureConnection`` when any configured base URL would send secrets in clear."""
        for url in (self.partner_base_url, self.oauth_base_url, self.wallet_base_url):
            if url:
                require_secure_url(url)

    @classmethod
    def for_sandbox(cls, base_url: str, **overrides: Any) -> PartnerConfig:
        """The embedded sandbox's documented credentials under one ``http://127.0.0.1:PORT`` (tests,
        benchmarks); ``overrides`` replace any field."""
        base = base_url.rstrip("/")
        config = cls(
            partner_base_url=base + "/partners/v1", oauth_base_url=base + "/oauth",
            wallet_base_url=base + "/wallet/v1", api_key="sandbox-api-key", client_id="sandbox-client",
            client_secret="sandbox-secret", redirect_uri="http://localhost/oauth/callback",
        )
        return dataclasses.replace(config, **overrides)
