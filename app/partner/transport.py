"""One HTTP exchange, safely: the HTTPS rule, TLS verification and the proxy rule (``routing``),
network failures mapped to the client's error types, timing, masked logging and the
``on_exchange`` observer.

Everything the client sends goes through ``HttpLayer.send`` (``fetch_bounded`` for pictures the
service points at: no key, no redirects, a size limit); nothing else touches httpx.

``on_exchange`` is the one way to watch the traffic (the request inspector's feed): it is given
when the layer is built (``PartnerClient(on_exchange=…)``, ``Station(on_exchange=…)``) and receives
every exchange — answered or failed — as a masked ``masking.Exchange``, on the loop's thread, after
the answer arrived. An observer that raises is logged and ignored; it never breaks a sale. An
inspector that is opened and closed while the station runs keeps its own subscriber list behind
that one callable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx

from app.partner.config import require_secure_url
from app.partner.errors import (
    ConnectionLost,
    NetworkError,
    RequestTimeout,
    ServiceUnreachable,
    UnexpectedResponse,
)
from app.partner.masking import Exchange, answer_headers, mask_form, mask_headers, mask_json, mask_text, mask_url
from app.partner.routing import SYSTEM, RoutingTransport, trust_store

log = logging.getLogger("app.partner.http")  # every exchange, one line each (a category, not a module)

ExchangeObserver = Callable[[Exchange], None]
_TEXT_PREVIEW = 2000
# Bodies bigger than this (a stadium's availability) are described, not copied into exchange records.
_MAX_RECORDED_BODY = 256 * 1024
# Request addresses kept parsed (``HttpLayer._address``): a sale uses four or five, the station a few more.
_KEPT_ADDRESSES = 32


def network_error_for(exc: httpx.TransportError, host: str) -> NetworkError:
    """Map an httpx failure to what it means for the caller (was the request possibly carried out?)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return RequestTimeout(
            f"Could not connect to {host} in time. Check the network connection.", outcome_unknown=False
        )
    if isinstance(exc, httpx.PoolTimeout):
        return RequestTimeout(
            "Too many requests are already waiting for the ticketing service. Try again.", outcome_unknown=False
        )
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(
            f"{host} did not answer in time. The request may or may not have gone through.", outcome_unknown=True
        )
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in detail or "certificate verify failed" in detail.lower():
            return ServiceUnreachable(
                f"The secure connection to {host} could not be verified (untrusted certificate). Check the server "
                "address and CA bundle."
            )
        if _tls_failure(exc) or "SSL" in detail:
            return ServiceUnreachable(
                f"A secure (TLS) connection to {host} could not be set up. Check that the address is right and "
                "that the server speaks https there, and the CA bundle."
            )
        return ServiceUnreachable(f"Could not connect to {host}. Check the network connection and the server address.")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return ConnectionLost()
    return NetworkError(f"Network problem talking to {host} ({exc.__class__.__name__}).")


def _tls_failure(exc: BaseException) -> bool:
    """Whether an ``ssl.SSLError`` is behind ``exc`` (a handshake that failed)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def preload_http_stack() -> None:
    """Import what httpx otherwise imports on its first request (httpcore, anyio's asyncio backend,
    certifi): ~100 ms of imports. Call it on a worker thread at start-up, so the window's first
    request does not pay it on the GUI thread."""
    import importlib

    for name in ("httpcore", "anyio.lowlevel", "anyio.streams.tls", "anyio._backends._asyncio", "certifi"):
        with contextlib.suppress(ImportError):  # an optional piece of the HTTP stack; httpx copes without it
            importlib.import_module(name)


def json_body(response: httpx.Response) -> Any:
    """The answer's JSON, or ``UnexpectedResponse`` when it is not JSON."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        raise UnexpectedResponse(
            f"The ticketing service sent an answer that is not JSON (HTTP {response.status_code}).",
            http_status=response.status_code,
        ) from None


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} bytes"


async def _capped_body(response: httpx.Response, max_bytes: int, chunks: AsyncIterator[bytes]) -> bytes | None:
    """The body of a streamed answer, or None as soon as it (or its declared length) passes
    ``max_bytes``: the rest is never read."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > max_bytes:
            return None
    return bytes(body)


def _shipped_trust() -> ssl.SSLContext:
    return trust_store(None)


class _TooLong(Exception):
    """A bounded read met more bytes than it may take."""


class _Sent:
    """One request's ``trace`` extension (httpcore's documented hook into its steps): once the
    request's body is written, the waiting work is handed to the loop, which runs it while this
    request waits for its answer."""

    __slots__ = ("_work",)

    def __init__(self, work: list[Callable[[], None]]) -> None:
        self._work = work

    async def __call__(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith(".send_request_body.complete"):
            self.release()

    def release(self) -> None:
        work, self._work = self._work, []
        if work:
            loop = asyncio.get_running_loop()
            for one in work:
                loop.call_soon(one)


class HttpLayer:
    """Owns the httpx client. ``transport`` lets tests swap the network edge (never the logic)."""

    def __init__(
        self,
        *,
        timeout: float,
        ca_bundle: str | None = None,
        https_proxy: str = SYSTEM,
        transport: httpx.AsyncBaseTransport | None = None,
        on_exchange: ExchangeObserver | None = None,
        record_exchanges: Callable[[], bool] | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            # A bundle the settings name is read now, so a broken one is said at once ("Test
            # connection"); the shipped one only when the first https request needs it.
            transport=transport or RoutingTransport(verify=trust_store(ca_bundle) if ca_bundle else _shipped_trust,
                                                    https_proxy=https_proxy),
            trust_env=False,  # no proxy, CA file or .netrc from the environment: only the settings decide
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            headers={"User-Agent": "BoxOffice/0.1", "Accept": "application/json"},
        )
        self._on_exchange = on_exchange
        self._record_exchanges = record_exchanges
        # Addresses (with their query: the API key, a cart id) made for recent requests; memory only.
        self._addresses: dict[tuple[str, tuple[tuple[str, Any], ...]], httpx.URL] = {}
        self._when_sent: list[Callable[[], None]] = []

    def when_sent(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the loop once the next request has left, while its answer is awaited:
        work that must not delay that request (see ``_Sent``). It runs once, also when that
        request fails; nothing runs it when no request follows (the caller keeps a deadline)."""
        self._when_sent.append(work)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(
        self,
        operation: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_payload: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        require_secure_url(url)
        request = self._client.build_request(
            method, self._address(url, params), json=json_payload, data=form, headers=headers
        )
        host = request.url.host or "the server"
        sent = None
        if self._when_sent:
            sent = _Sent(self._when_sent)
            self._when_sent = []
            request.extensions["trace"] = sent
        started = time.perf_counter()
        try:
            response = await self._client.send(request)
            await response.aread()
        except httpx.TransportError as exc:
            error = network_error_for(exc, host)
            self._record(operation, method, request, None, started, json_payload, form, None, error)
            raise error from exc
        finally:
            if sent is not None:
                sent.release()  # the request failed before it left, or its transport says nothing
        self._record(operation, method, request, response.status_code, started, json_payload, form, response, None)
        return response

    def _address(self, url: str, params: Mapping[str, Any] | None) -> httpx.URL:
        """``url`` with ``params`` (None values left out) as its query, as ``build_request(url,
        params=…)`` makes it (``params`` replace a query in ``url``; none keep it). Parsing and
        checking a URL is most of what building a request costs (~50 of 60 us), and a sale asks
        the same few addresses again and again (the reserve's and the commit's, the payment's,
        its cart's shipping): the last ``_KEPT_ADDRESSES`` are kept."""
        query = tuple((k, v) for k, v in (params or {}).items() if v is not None)
        key = (url, query)
        try:
            address = self._addresses.get(key)
        except TypeError:  # a parameter whose value is a list: not kept
            return httpx.URL(url, params=dict(query)) if query else httpx.URL(url)
        if address is None:
            address = httpx.URL(url, params=dict(query)) if query else httpx.URL(url)
            self._addresses[key] = address
            if len(self._addresses) > _KEPT_ADDRESSES:
                del self._addresses[next(iter(self._addresses))]  # the one made longest ago
        return address

    async def fetch_bounded(self, operation: str, url: str, *, max_bytes: int, accept: str) -> tuple[int, bytes]:
        """GET ``url`` with no key, cookie or redirect, reading at most ``max_bytes`` of its body:
        (status, body). ``UnexpectedResponse`` when the answer is longer (the rest is never read)."""
        require_secure_url(url)
        request = self._client.build_request("GET", url, headers={"Accept": accept})
        host = request.url.host or "the server"
        started = time.perf_counter()
        try:
            response = await self._client.send(request, stream=True)
            try:
                body = await _capped_body(response, max_bytes, response.aiter_raw())
                if body is None:
                    raise _TooLong()
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            error = network_error_for(exc, host)
            self._record(operation, "GET", request, None, started, None, None, None, error)
            raise error from exc
        except _TooLong:
            self._record(operation, "GET", request, response.status_code, started, None, None, None, None)
            raise UnexpectedResponse(f"The picture at {host} is larger than {_size_words(max_bytes)}; it is not shown.",
                                     http_status=response.status_code) from None
        self._record(operation, "GET", request, response.status_code, started, None, None, None, None)
        return response.status_code, bytes(body)
    async def download(self, operation: str, url: str, *, max_bytes: int, accept: str = "*/*",
                       max_redirects: int = 3) -> tuple[int, bytes | None]:
        """GET a small file that is not a Partner API answer (the partner's logo): ``(status, body)``,
        the body None when it is not 200 or is larger than ``max_bytes`` (reading stops there).
        Follows at most ``max_redirects`` redirects, each address checked by the HTTPS rule."""
        for _hop in range(max_redirects + 1):
            require_secure_url(url)
            request = self._client.build_request("GET", url, headers={"Accept": accept})
            host = request.url.host or "the server"
            started = time.perf_counter()
            try:
                response = await self._client.send(request, stream=True)
            except httpx.TransportError as exc:
                error = network_error_for(exc, host)
                self._record(operation, "GET", request, None, started, None, None, None, error)
                raise error from exc
            try:
                self._record(operation, "GET", request, response.status_code, started, None, None, None, None)
                if response.is_redirect and "location" in response.headers:
                    url = str(request.url.join(response.headers["location"]))
                    continue
                if response.status_code != 200:
                    return response.status_code, None
                try:
                    return response.status_code, await _capped_body(response, max_bytes, response.aiter_bytes())
                except httpx.TransportError as exc:
                    raise network_error_for(exc, host) from exc
            finally:
                await response.aclose()
        raise UnexpectedResponse(f"The address {mask_url(url)} redirects more than {max_redirects} times.")

    def _record(self, operation: str, method: str, request: httpx.Request, status: int | None, started: float,
                json_payload: Any, form: Mapping[str, str] | None, response: httpx.Response | None,
                error: NetworkError | None) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        failed = error is not None or status is None or status >= 400
        observed = self._on_exchange is not None and (self._record_exchanges is None or self._record_exchanges())
        detailed = observed or log.isEnabledFor(logging.DEBUG)
        if not detailed and not failed:  # the common case: no line, no body work at all
            return
        url = mask_url(str(request.url))
        if not detailed:
            log.info(
                "%s %s → %s in %.0f ms [%s]",
                method,
                url,
                status if status is not None else f"failed ({error.__class__.__name__})",
                duration_ms,
                operation,
            )
            return
        response_json = response_text = None
        if response is not None and response.content:
            content_type = response.headers.get("content-type", "")
            if len(response.content) > _MAX_RECORDED_BODY:
                response_text = f"<{len(response.content)} bytes of {content_type or 'unknown type'}, not recorded>"
            elif "json" in content_type:
                try:
                    response_json = mask_json(response.json())
                except ValueError:
                    response_text = mask_text(response.text[:_TEXT_PREVIEW])
            elif content_type.startswith("text/"):
                response_text = mask_text(response.text[:_TEXT_PREVIEW])
            else:
                response_text = f"<{len(response.content)} bytes of {content_type or 'unknown type'}>"
        request_json = mask_json(json_payload) if json_payload is not None else (mask_form(form) if form else None)
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("accept", "authorization", "content-type", "x-tm-force-polling")
        }
        exchange = Exchange(
            operation=operation,
            method=method,
            url=url,
            status=status,
            duration_ms=duration_ms,
            request_json=request_json,
            request_headers=mask_headers(headers),
            # as the service spelled them (httpx's items() are lower-cased)
            response_headers=answer_headers({k.decode("latin-1"): v.decode("latin-1") for k, v in response.headers.raw})
            if response is not None else {},
            response_json=response_json,
            response_text=response_text,
            error=error.__class__.__name__ if error else None,
        )
        log.log(logging.INFO if failed else logging.DEBUG, "%s", exchange.summary())
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "request %s response %s",
                json.dumps(request_json, default=str, ensure_ascii=False)[:_TEXT_PREVIEW],
                json.dumps(response_json, default=str, ensure_ascii=False)[:_TEXT_PREVIEW]
                if response_json is not None
                else response_text,
            )
        if observed and self._on_exchange is not None:
            try:
                self._on_exchange(exchange)
            except Exception:  # an inspector bug must never break a sale
                log.exception("exchange observer failed")
