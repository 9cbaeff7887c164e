"""``PartnerClient``: one async method per Partner API endpoint (partner-api.md 3.1–3.13), plus
the wallet service and OAuth (``client.oauth``), returning models from ``app.partner.models``.

What every call gets for free: the HTTPS rule and TLS verification, the API key, secrets masked in
logs and in ``on_exchange`` records, 202 polling with progress and cancellation, one call at a
time per cart, quota tracking with bounded back-off on 429, bounded retries of read-only calls
answered 502/504 (writes are never repeated), and errors as types from ``app.partner.errors``.

Use it as ``async with PartnerClient(config) as client:`` (or ``await client.aclose()``); closing
waits for background clean-up (carts of abandoned reserves being deleted).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from app.partner import bodies
from app.partner.cardcrypto import CertificateCache
from app.partner.cartlock import CartLocks
from app.partner.client_payments import PaymentCalls, event_path
from app.partner.client_resume import ResumeCalls
from app.partner.config import PartnerConfig
from app.partner.errors import (
    CaptchaRequired,
    InvalidApiKey,
    InvalidCart,
    PartnerError,
    PollingCancelled,
    PollingTimedOut,
    UpstreamError,
    error_from_response,
)
from app.partner.masking import Exchange
from app.partner.models import (
    Availability,
    CaptchaInfo,
    CaptchaPage,
    Cart,
    CommitResult,
    EventDetails,
    EventSummary,
    Order,
    QuotaStatus,
    ReserveRequest,
    ShippingOption,
    UnredeemedOrder,
    event_id_from_json,
)
from app.partner.oauth import OAuthClient
from app.partner.polling import PollingTrail, ProgressCallback, follow_polling, run_polled
from app.partner.quota import AVAILABILITY, EVENTS, QuotaTracker, TimedCache
from app.partner.transport import HttpLayer, json_body

log = logging.getLogger("app.partner.client")

# Answers bigger than this are decoded and parsed on a worker thread (a stadium's availability).
_BIG_ANSWER_BYTES = 256 * 1024
_MAX_429_RETRIES = 3


class PartnerClient(PaymentCalls, ResumeCalls):
    def __init__(
        self,
        config: PartnerConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        config.check_security()
        self.config = config
        self._http = HttpLayer(timeout=config.timeout, ca_bundle=config.ca_bundle, https_proxy=config.https_proxy,
                               transport=transport, on_exchange=on_exchange)
        self._sleep = sleep
        self._quota = QuotaTracker(config.max_quota_wait_seconds)
        self._availability = TimedCache[Availability](config.availability_cache_seconds)
        self._locks = CartLocks()
        self._certificates = CertificateCache(self._fetch_certificate)
        self._background: set[asyncio.Task] = set()
        self._abandoned_commits: dict[str, asyncio.Task] = {}
        self.oauth = OAuthClient(config, self._http)

    # ----- lifecycle and observation -----------------------------------------------------------
    async def __aenter__(self) -> PartnerClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self, cleanup_timeout: float | None = 30.0) -> None:
        """Finish background clean-up (at most ``cleanup_timeout`` seconds), then close connections."""
        await self.wait_for_cleanup(cleanup_timeout)
        await self._http.aclose()

    async def wait_for_cleanup(self, timeout: float | None = None) -> bool:
        """Wait until carts of abandoned reserves are deleted. False when ``timeout`` ran out first:
        the rest is cancelled (the checkout's journal still lists such carts for start-up recovery)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._background:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            _done, pending = await asyncio.wait(list(self._background), timeout=remaining)
            if pending and deadline is not None and time.monotonic() >= deadline:
                log.warning("gave up waiting for %d background clean-up task(s)", len(pending))
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                return False
        return True

    def add_exchange_observer(self, observer: Callable[[Exchange], None]) -> None:
        self._http.add_observer(observer)

    def remove_exchange_observer(self, observer: Callable[[Exchange], None]) -> None:
        self._http.remove_observer(observer)

    @property
    def quota(self) -> QuotaStatus:
        return self._quota.status

    def abandoned_commit(self, cart_id: str) -> asyncio.Task | None:
        """The background task still following a commit whose caller stopped waiting (its result
        is the commit's final answer), or None. Lets the checkout settle a commit in doubt."""
        return self._abandoned_commits.get(cart_id)

    # ----- the one request path --------------------------------------------------------------
    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_payload: Any = None,
        headers: Mapping[str, str] | None = None,
        base: str | None = None,
        key_param: str = "apikey",
        **handling: Any,
    ) -> httpx.Response:
        url = (base or self.config.partner_base_url) + path
        query = {key_param: self.config.api_key, **(params or {})}
        return await self._exchange(
            operation, lambda: self._http.send(operation, method, url, params=query, json_payload=json_payload,
                                               headers=headers), **handling)

    async def _exchange(
        self,
        operation: str,
        send_first: Callable[[], Awaitable[httpx.Response]],
        *,
        family: str | None = None,
        idempotent: bool = False,
        progress: ProgressCallback | None = None,
        deadline: float | None = None,
        event_id: str | None = None,
        trail: PollingTrail | None = None,
    ) -> httpx.Response:
        """Send, follow 202s, honour quotas, retry transient failures of reads, map errors."""
        deadline = deadline if deadline is not None else time.monotonic() + self.config.max_polling_seconds
        trail = trail if trail is not None else PollingTrail()
        quota_retries = transient_retries = 0
        try:
            while True:
                if family:
                    wait = self._quota.seconds_until_allowed(family)
                    if wait:
                        await self._sleep(self._quota.wait_or_raise(wait, self._quota.retry_at(family)))
                        self._quota.waited(family)
                response = await send_first()
                if family:
                    self._quota.update(family, response.headers)
                if response.status_code == 202:
                    response = await follow_polling(
                        lambda op, m, u: self._http.send(op, m, u), response, operation=operation,
                        deadline=deadline, progress=progress, sleep=self._sleep, trail=trail)
                if response.status_code == 429 and quota_retries < _MAX_429_RETRIES:
                    delay, retry_at = self._quota.delay_after_429(response, family)
                    await self._sleep(self._quota.wait_or_raise(delay, retry_at))
                    self._quota.waited(family)
                    quota_retries += 1
                    continue
                if (response.status_code in (502, 504) and idempotent
                        and transient_retries < self.config.transient_retries):
                    transient_retries += 1
                    await self._sleep(0.5 * 2 ** (transient_retries - 1))
                    continue
                if response.status_code >= 400:
                    raise self._error(response, event_id=event_id, idempotent=idempotent)
                return response
        except PartnerError as exc:
            if trail.url and exc.polling_url is None:
                exc.polling_url = trail.url
            raise

    def _error(self, response: httpx.Response, *, event_id: str | None, idempotent: bool) -> PartnerError:
        try:
            body = response.json()
        except ValueError:
            body = None
        retry_at = None
        if response.status_code == 429:
            retry_at = self._quota.delay_after_429(response, None)[1]
        error = error_from_response(response.status_code, body, event_id=event_id, retry_at=retry_at)
        if isinstance(error, UpstreamError) and not idempotent:
            error.outcome_unknown = True  # a write answered 502/504 may have been carried out
        return error

    async def _polled(self, operation: str, method: str, path: str, *, cart_id: str | None = None,
                      progress: ProgressCallback | None = None, cancel: asyncio.Event | None = None,
                      on_abandoned: Callable[[asyncio.Task], None] | None = None, outcome_unknown: bool = False,
                      **kwargs: Any) -> httpx.Response:
        """A polling endpoint: the work (holding the cart's lock) runs in its own task; the caller may
        stop waiting (cancel, limit) while the work finishes against the service."""
        limit = self.config.max_polling_seconds
        if self.config.force_polling:
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-TM-FORCE-POLLING": "true"}

        trail = PollingTrail()

        async def work(gated: ProgressCallback) -> httpx.Response:
            hard_deadline = time.monotonic() + 2 * limit  # background follow-up is bounded too
            if cart_id is None:
                return await self._request(operation, method, path, progress=gated, deadline=hard_deadline,
                                           trail=trail, **kwargs)
            async with self._locks.hold(cart_id):
                return await self._request(operation, method, path, progress=gated, deadline=hard_deadline,
                                           trail=trail, **kwargs)

        try:
            return await run_polled(work, operation=operation, limit_seconds=limit, progress=progress, cancel=cancel,
                                    on_abandoned=on_abandoned, outcome_unknown_when_abandoned=outcome_unknown)
        except (PollingCancelled, PollingTimedOut) as exc:
            exc.polling_url = trail.url
            raise

    async def _cart_call(self, operation: str, method: str, path: str, cart_id: str, **kwargs: Any) -> httpx.Response:
        async with self._locks.hold(cart_id):
            return await self._request(operation, method, path, **kwargs)

    def _in_background(self, coro) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    @staticmethod
    async def _parse(response: httpx.Response, parse: Callable[[Any], Any]) -> Any:
        if len(response.content) > _BIG_ANSWER_BYTES:
            return await asyncio.to_thread(lambda: parse(json_body(response)))
        return parse(json_body(response))

    # ----- events (3.1–3.4) --------------------------------------------------------------------
    async def events(self) -> tuple[EventSummary, ...]:
        response = await self._request("events", "GET", "/events", family=EVENTS, idempotent=True)
        return await self._parse(response, EventSummary.list_from_json)

    async def event_details(self, event_id: str) -> EventDetails:
        response = await self._request("event details", "GET", event_path(event_id), family=EVENTS,
                                       idempotent=True, event_id=event_id)
        return await self._parse(response, EventDetails.from_json)

    async def event_id_for(self, event_code: str, event_host: str) -> str:
        path = f"/events/{quote(event_code, safe='')}/{quote(event_host, safe='')}/id"
        response = await self._request("event id", "GET", path, family=EVENTS, idempotent=True)
        return event_id_from_json(json_body(response))

    async def availability(self, event_id: str, *, fresh: bool = False) -> Availability:
        """Seats and offers; reuses an answer younger than ``availability_cache_seconds`` unless ``fresh``."""
        if not fresh:
            cached = self._availability.get(event_id)
            if cached is not None:
                return cached
        response = await self._request("availability", "GET", event_path(event_id) + "/availability",
                                       family=AVAILABILITY, idempotent=True, event_id=event_id)
        if len(response.content) > _BIG_ANSWER_BYTES:
            # A stadium answer (1.5 MB) decoded in one json.loads holds the GIL for tens of ms and
            # freezes the window even from a worker thread; from_body decodes it row by row.
            try:
                availability = await asyncio.to_thread(Availability.from_body, response.content)
            except ValueError:  # JSONDecodeError / UnicodeDecodeError: say so the usual way
                json_body(response)
                raise
        else:
            availability = await self._parse(response, Availability.from_json)
        self._availability.put(event_id, availability)
        return availability

    # ----- captcha (3.5) ---------------------------------------------------------------------------
    async def captcha(self, event_id: str) -> CaptchaInfo:
        response = await self._request("captcha", "GET", "/captcha", params={"event_id": event_id},
                                       headers={"Accept": "application/json"}, idempotent=True, event_id=event_id)
        return CaptchaInfo.from_json(json_body(response), response.headers)

    async def captcha_page(self, event_id: str) -> CaptchaPage:
        response = await self._request("captcha page", "GET", "/captcha", params={"event_id": event_id},
                                       headers={"Accept": "text/html"}, idempotent=True, event_id=event_id)
        return CaptchaPage.from_response(response.text, response.headers)

    def captcha_page_url(self, event_id: str) -> str:
        """The captcha page's address, for a web view that loads it itself (never logged unmasked)."""
        query = httpx.QueryParams({'apikey': self.config.api_key, 'event_id': event_id})
        return f"{self.config.partner_base_url}/captcha?{query}"

    # ----- reserve, shipping, delete (3.6, 3.7, 3.10) ------------------------------------------
    async def reserve(
        self,
        event_id: str,
        request: ReserveRequest,
        *,
        captcha_token: str | None = None,
        progress: ProgressCallback | None = None,
        cancel: asyncio.Event | None = None,
    ) -> Cart:
        """Hold seats. If the caller stops waiting (cancel event, asyncio cancellation, the polling
        limit), the reserve is followed in the background and the cart it produces is deleted."""
        self._availability.invalidate(event_id)
        try:
            response = await self._polled(
                "reserve",
                "POST",
                event_path(event_id) + "/cart",
                json_payload=request.to_json(captcha_token),
                event_id=event_id,
                progress=progress,
                cancel=cancel,
                on_abandoned=lambda task: self._in_background(self._delete_when_reserved(event_id, task)),
            )
        except InvalidApiKey as exc:
            # 10004/401 means "captcha needed" or "wrong API key"; the captcha endpoint tells which.
            if captcha_token is None:
                try:
                    required = (await self.captcha(event_id)).required
                except PartnerError:
                    raise exc from None
                if required:
                    raise CaptchaRequired(
                        code=exc.code, http_status=exc.http_status, server_message=exc.server_message
                    ) from None
            raise
        return Cart.from_json(json_body(response))

    async def _delete_when_reserved(self, event_id: str, task: asyncio.Task) -> None:
        try:
            response = await task
            cart_id = str(json_body(response).get("cart_id") or "")
        except asyncio.CancelledError:
            return
        except PartnerError as exc:
            log.info("abandoned reserve for %s ended without a cart (%s)", event_id, exc.__class__.__name__)
            return
        if not cart_id:
            return
        try:
            await self.delete_cart(event_id, cart_id)
            log.info("deleted the cart of an abandoned reserve for %s", event_id)
        except PartnerError as exc:
            log.warning("could not delete the cart of an abandoned reserve for %s: %s", event_id, exc)

    async def shipping_options(self, event_id: str, cart_id: str) -> tuple[ShippingOption, ...]:
        response = await self._cart_call(
            "shipping options",
            "GET",
            event_path(event_id) + "/cart/shipping",
            cart_id,
            params={"cart_id": cart_id},
            idempotent=True,
            event_id=event_id,
        )
        return ShippingOption.list_from_json(json_body(response))

    async def select_shipping(
        self,
        event_id: str,
        cart_id: str,
        shipping_id: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: asyncio.Event | None = None,
    ) -> Cart:
        response = await self._polled(
            "select shipping",
            "PUT",
            event_path(event_id) + "/cart/shipping",
            cart_id=cart_id,
            params={"cart_id": cart_id},
            json_payload={"shipping_id": str(shipping_id)},
            event_id=event_id,
            idempotent=True,
            progress=progress,
            cancel=cancel,
        )
        return Cart.from_json(json_body(response), cart_id=cart_id)

    async def delete_cart(self, event_id: str, cart_id: str, *, progress: ProgressCallback | None = None) -> bool:
        """Release a cart. True when deleted now, False when it was already gone (90003)."""
        self._availability.invalidate(event_id)
        try:
            await self._polled(
                "delete cart",
                "DELETE",
                event_path(event_id) + "/cart",
                cart_id=cart_id,
                params={"cart_id": cart_id},
                event_id=event_id,
                idempotent=True,
                progress=progress,
            )
        except InvalidCart:
            return False
        return True

    # ----- commit and orders (3.9, 3.12, 3.13) -------------------------------------------------
    async def commit(
        self,
        event_id: str,
        cart_id: str,
        *,
        source_account_id: str | None = None,
        tracking: Mapping[str, str] | None = None,
        images: Mapping[str, str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: asyncio.Event | None = None,
    ) -> CommitResult:
        """Buy the cart. Never repeated automatically: a lost answer raises an error whose
        ``outcome_unknown`` is True; ``abandoned_commit(cart_id)`` then gives the still-running poll."""
        self._availability.invalidate(event_id)

        def keep(task: asyncio.Task) -> None:
            self._abandoned_commits[cart_id] = task
            self._background.add(task)  # closing the client waits for it too (bounded)
            task.add_done_callback(self._background.discard)
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

        response = await self._polled(
            "commit",
            "PUT",
            event_path(event_id) + "/cart",
            cart_id=cart_id,
            json_payload=bodies.commit(cart_id, source_account_id=source_account_id, tracking=tracking, images=images),
            event_id=event_id,
            progress=progress,
            cancel=cancel,
            on_abandoned=keep,
            outcome_unknown=True,
        )
        return CommitResult.from_json(json_body(response))

    async def order(
        self, order_token: str, *, progress: ProgressCallback | None = None, cancel: asyncio.Event | None = None
    ) -> Order:
        response = await self._polled(
            "order",
            "GET",
            "/orders",
            params={"order_token": order_token},
            idempotent=True,
            progress=progress,
            cancel=cancel,
        )
        return Order.from_json(json_body(response))

    async def unredeemed_orders(
        self, *, days_from_purchase: int | None = None, days_before_event: int | None = None
    ) -> tuple[UnredeemedOrder, ...]:
        params = {"days_from_purchase": days_from_purchase, "days_before_event": days_before_event}
        response = await self._request("unredeemed orders", "GET", "/orders/unredeemed", params=params, idempotent=True)
        return UnredeemedOrder.list_from_json(json_body(response))

    async def tracking(
        self,
        event_id: str,
        *,
        shared_id: str | None = None,
        sub_id1: str | None = None,
        sub_id2: str | None = None,
        sub_id3: str | None = None,
    ) -> bytes:
        """Record a click-through; answers the 1×1 GIF's bytes."""
        params = {
            "event_id": event_id,
            "shared_id": shared_id,
            "sub_id1": sub_id1,
            "sub_id2": sub_id2,
            "sub_id3": sub_id3,
        }
        response = await self._request(
            "tracking", "GET", "/tracking", params=params, idempotent=True, headers={"Accept": "image/gif, */*"}
        )
        return response.content
