"""Which way a request goes and whom it trusts: the proxy rule and the trust store.

Partner API URLs carry the API key in the query, so where a request travels is decided here, and
only by what the station's settings say — never by environment variables a cashier cannot see
(httpx's ``trust_env`` is off):

- **Loopback is never proxied**, and neither is plain ``http://`` (allowed for loopback only).
- ``https://`` to any other host goes through the HTTPS proxy the settings name:
  ``"system"`` (the default) takes the operating system's proxy for https — on Linux the
  ``HTTPS_PROXY``/``https_proxy`` and ``NO_PROXY`` variables, elsewhere the system's own
  settings — and nothing else (``HTTP_PROXY`` and ``ALL_PROXY`` are ignored); ``"none"`` goes
  direct; a URL (``http://proxy.example:3128``) uses that proxy.
- **TLS is verified against one trust store**: the CA bundle the settings name, or else the
  bundle Box Office ships (certifi's copy of Mozilla's list). ``SSL_CERT_FILE`` and
  ``SSL_CERT_DIR`` are not consulted.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Callable

import httpx

from app.partner.config import is_loopback_host
from app.partner.errors import ServiceUnreachable

SYSTEM, NONE = "system", "none"


def trust_store(ca_bundle: str | None) -> ssl.SSLContext:
    """The SSL context that verifies every TLS connection (see the module docstring)."""
    import certifi

    cafile = ca_bundle or certifi.where()
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ServiceUnreachable(f"The CA bundle {cafile} could not be read ({exc.__class__.__name__}). "
                                 "Check the CA bundle in the settings.") from exc


def https_proxy_for(host: str | None, setting: str, *,
                    system: Callable[[], dict[str, str]] = urllib.request.getproxies,
                    bypass: Callable[[str], bool] = urllib.request.proxy_bypass) -> str | None:
    """The proxy URL an ``https://`` request to ``host`` goes through, or None (direct)."""
    if not host or is_loopback_host(host) or setting == NONE:
        return None
    if setting != SYSTEM:
        return setting
    proxy = (system() or {}).get("https")
    if not proxy:
        return None
    try:
        if bypass(host):
            return None
    except Exception:  # a broken system setting must not send the request the wrong way
        return None
    return proxy


def _trusting_nothing() -> ssl.SSLContext:
    """For the plain-http pool: it never makes a TLS connection, and were it asked to, no certificate
    would pass (verification on, no CA loaded)."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class RoutingTransport(httpx.AsyncBaseTransport):
    """Sends each request direct or through its HTTPS proxy (one pooled transport per proxy).

    ``verify`` is the trust store, or what makes it on first use: loading the CA bundle (about 20 ms)
    then waits for the first ``https://`` request — a station on the loopback sandbox never pays it.
    Plain ``http://`` (loopback only) has a pool of its own.
    """

    def __init__(self, *, verify: ssl.SSLContext | Callable[[], ssl.SSLContext], https_proxy: str = SYSTEM,
                 limits: httpx.Limits | None = None) -> None:
        self._verify = verify
        self._setting = https_proxy or SYSTEM
        self._limits = limits or httpx.Limits()
        self._plain = httpx.AsyncHTTPTransport(verify=_trusting_nothing(), trust_env=False, limits=self._limits)
        self._direct: httpx.AsyncHTTPTransport | None = None
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}

    def _trust(self) -> ssl.SSLContext:
        if not isinstance(self._verify, ssl.SSLContext):
            self._verify = self._verify()
        return self._verify

    def _transport_for(self, url: httpx.URL) -> httpx.AsyncHTTPTransport:
        if url.scheme != "https":
            return self._plain
        proxy = https_proxy_for(url.host, self._setting)
        if proxy is None:
            if self._direct is None:
                self._direct = httpx.AsyncHTTPTransport(verify=self._trust(), trust_env=False, limits=self._limits)
            return self._direct
        transport = self._proxied.get(proxy)
        if transport is None:
            transport = httpx.AsyncHTTPTransport(verify=self._trust(), proxy=httpx.Proxy(proxy), trust_env=False,
                                                 limits=self._limits)
            self._proxied[proxy] = transport
        return transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transport_for(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        await self._plain.aclose()
        for transport in ([self._direct] if self._direct is not None else []) + list(self._proxied.values()):
            await transport.aclose()
