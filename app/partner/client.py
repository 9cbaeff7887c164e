"""``PartnerClient``: one async method per Partner API endpoint (partner-api.md 3.1–3.13), returning
models from ``app.partner.models``; its parts are objects of their own, each owning its state:

- ``client.payments`` (``payments.Payments``): certificate, card / invoice / wallet / member
  payments, member billing methods, the accountless wallet token;
- ``client.resume`` (``resume.Resumption``): carrying on from a polling URL, and commits whose
  caller stopped waiting;
- ``client.oauth`` (``oauth.OAuthClient``): member sign-in;
- ``client.picture(url)`` (``media``): a picture the event details name (the venue's seating chart),
  fetched without the key, size-limited, and only of kinds the window can draw;
- underneath, the ``RequestPath`` (``requestpath``) every call takes: the API key, quota, 202
  polling, 429 back-off, bounded retries of reads answered 502/504 (writes are never repeated),
  errors as types from ``app.partner.errors``, one call at a time per cart.

What every call gets for free besides: the HTTPS rule and TLS verification and secrets masked in
logs (``transport``). ``on_exchange`` is the one way to watch the traffic: it receives every
exchange as a masked ``masking.Exchange`` record (the request inspector's feed; the station hands
its observer in).

Use it as ``async with PartnerClient(config) as client:`` (or ``await client.aclose()``); closing
waits for background clean-up (carts of abandoned reserves being deleted).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from urllib.parse import quote

import httpx

from app.partner import bodies
from app.partner.config import PartnerConfig
from app.partner.errors import CaptchaRequired, InvalidApiKey, InvalidCart, PartnerError
from app.partner.masking import Exchange
from app.partner.media import MAX_IMAGE_BYTES, FetchedImage, fetch_image
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
from app.partner.payments import Payments
from app.partner.polling import ProgressCallback
from app.partner.quota import AVAILABILITY, EVENTS, TimedCache
from app.partner.requestpath import BIG_ANSWER_BYTES, RequestPath, Sleep, event_path
from app.partner.resume import Resumption
from app.partner.transport import HttpLayer, json_body

log = logging.getLogger(__name__)


class PartnerClient:
    """The Partner API for one configuration (``PartnerConfig``): endpoints as async methods, the
    payment calls as ``payments``, resumed polls as ``resume``, member sign-in as ``oauth``.

    ``transport`` swaps the network edge (tests: a real server or an ASGI app, never a mock of the
    client); ``on_exchange`` receives every exchange, masked (while ``record_exchanges()``
    says so, when given: recording costs body parsing and masking on every call); ``sleep`` is injectable for back-off
    tests. One client belongs to one asyncio loop."""

    def __init__(
        self,
        config: PartnerConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        record_exchanges: Callable[[], bool] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        config.check_security()
        self.config = config
        http = HttpLayer(timeout=config.timeout, ca_bundle=config.ca_bundle, https_proxy=config.https_proxy,
                         transport=transport, on_exchange=on_exchange, record_exchanges=record_exchanges)
        self._path = RequestPath(config, http, sleep=sleep)
        self._availability = TimedCache[Availability](config.availability_cache_seconds)
        self.payments = Payments(self._path)
        self.resume = Resumption(self._path)
        self.oauth = OAuthClient(config, http)

    # ----- lifecycle and observation -----------------------------------------------------------
    async def __aenter__(self) -> PartnerClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self, cleanup_timeout: float | None = 30.0) -> None:
        """Finish background clean-up (at most ``cleanup_timeout`` seconds), then close connections."""
        await self.wait_for_cleanup(cleanup_timeout)
        await self._path.http.aclose()

    async def wait_for_cleanup(self, timeout: float | None = None) -> bool:
        """Wait until carts of abandoned reserves are deleted. False when ``timeout`` ran out first:
        the rest is cancelled (the checkout's journal still lists such carts for start-up recovery)."""
        return await self._path.wait_for_cleanup(timeout)

    def when_sent(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the loop once this client's next request has left, while its answer is
        awaited (work that must not delay that request; see ``HttpLayer.when_sent``)."""
        self._path.http.when_sent(work)

    @property
    def quota(self) -> QuotaStatus:
        return self._path.quota.status

    # ----- events (3.1–3.4) --------------------------------------------------------------------
    async def events(self) -> tuple[EventSummary, ...]:
        response = await self._path.request("events", "GET", "/events", family=EVENTS, idempotent=True)
        return await self._path.parse(response, EventSummary.list_from_json)

    async def event_details(self, event_id: str) -> EventDetails:
        response = await self._path.request("event details", "GET", event_path(event_id), family=EVENTS,
                                            idempotent=True, event_id=event_id)
        return await self._path.parse(response, EventDetails.from_json)

    async def event_id_for(self, event_code: str, event_host: str) -> str:
        path = f"/events/{quote(event_code, safe='')}/{quote(event_host, safe='')}/id"
        response = await self._path.request("event id", "GET", path, family=EVENTS, idempotent=True)
        return event_id_from_json(json_body(response))

    async def availability(self, event_id: str, *, fresh: bool = False) -> Availability:
        """Seats and offers; reuses an answer younger than ``availability_cache_seconds`` unless ``fresh``."""
        if not fresh:
            cached = self._availability.get(event_id)
            if cached is not None:
                return cached
        response = await self._path.request("availability", "GET", event_path(event_id) + "/availability",
                                            family=AVAILABILITY, idempotent=True, event_id=event_id)
        if len(response.content) > BIG_ANSWER_BYTES:
            # A stadium answer (1.5 MB) decoded in one json.loads holds the GIL for tens of ms and
            # freezes the window even from a worker thread; from_body decodes it row by row.
            try:
                availability = await asyncio.to_thread(Availability.from_body, response.content)
            except ValueError:  # JSONDecodeError / UnicodeDecodeError: say so the usual way
                json_body(response)
                raise
        else:
            availability = await self._path.parse(response, Availability.from_json)
        self._availability.put(event_id, availability)
        return availability

    async def picture(self, url: str, *, max_bytes: int = MAX_IMAGE_BYTES) -> FetchedImage:
        """A picture the event details point at (a venue's seating chart), bounded and checked (``media``)."""
        return await fetch_image(self._path.http, url, max_bytes=max_bytes)

    # ----- captcha (3.5) ---------------------------------------------------------------------------
    async def captcha(self, event_id: str) -> CaptchaInfo:
        response = await self._path.request("captcha", "GET", "/captcha", params={"event_id": event_id},
                                            headers={"Accept": "application/json"}, idempotent=True, event_id=event_id)
        return CaptchaInfo.from_json(json_body(response), response.headers)

    async def captcha_page(self, event_id: str) -> CaptchaPage:
        response = await self._path.request("captcha page", "GET", "/captcha", params={"event_id": event_id},
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
            response = await self._path.polled(
                "reserve",
                "POST",
                event_path(event_id) + "/cart",
                json_payload=request.to_json(captcha_token),
                event_id=event_id,
                progress=progress,
                cancel=cancel,
                on_abandoned=lambda task: self._delete_when_done(event_id, task),
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
        return self._path.cart_answer(response)

    def _delete_when_done(self, event_id: str, task: asyncio.Task[httpx.Response]) -> None:
        """A reserve whose caller stopped waiting: delete the cart it produces, in the background."""
        self._path.in_background(self._delete_when_reserved(event_id, task))

    async def _delete_when_reserved(self, event_id: str, task: asyncio.Task[httpx.Response]) -> None:
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
        response = await self._path.cart_call(
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
        response = await self._path.polled(
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
        return self._path.cart_answer(response, cart_id)

    async def delete_cart(self, event_id: str, cart_id: str, *, progress: ProgressCallback | None = None) -> bool:
        """Release a cart. True when deleted now, False when it was already gone (90003)."""
        self._availability.invalidate(event_id)
        self._path.forget_cart(cart_id)
        try:
            await self._path.polled(
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
        ``outcome_unknown`` is True; ``resume.abandoned_commit(cart_id)`` then gives the still-running poll."""
        self._availability.invalidate(event_id)

        response = await self._path.polled(
            "commit",
            "PUT",
            event_path(event_id) + "/cart",
            cart_id=cart_id,
            json_payload=bodies.commit(cart_id, source_account_id=source_account_id, tracking=tracking, images=images),
            event_id=event_id,
            progress=progress,
            cancel=cancel,
            on_abandoned=lambda task: self.resume.keep_abandoned_commit(cart_id, task),
            outcome_unknown=True,
        )
        self._path.forget_cart(cart_id)
        return CommitResult.from_json(json_body(response))

    async def order(
        self, order_token: str, *, progress: ProgressCallback | None = None, cancel: asyncio.Event | None = None
    ) -> Order:
        response = await self._path.polled(
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
        response = await self._path.request("unredeemed orders", "GET", "/orders/unredeemed", params=params,
                                            idempotent=True)
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
        response = await self._path.request(
            "tracking", "GET", "/tracking", params=params, idempotent=True, headers={"Accept": "image/gif, */*"}
        )
        return response.content
