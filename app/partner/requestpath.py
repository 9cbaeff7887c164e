"""The one path every Partner API call takes, in named steps (as httpx layers its send path).

``RequestPath.request`` adds the API key to the URL and hands the call to ``exchange``, which runs
the steps of one exchange until a final answer::

    wait for the quota ──► send ──► follow 202s ──► back off after a 429 ──► retry a read's 502/504
       (_wait_for_quota)   (_send_and_follow)       (_backed_off_after_429)  (_retried_upstream_failure)
                                                                   ──► map a refusal to its error type
                                                                       (_raise_for_status)

- **Quota**: a family whose last figures say "none left" waits for its reset first (bounded by
  ``max_quota_wait_seconds``; longer is ``QuotaExceeded`` at once, see ``quota``).
- **202**: followed to the final answer (``polling.follow_polling``) within the call's deadline.
- **429**: waited out (``Ratelimit-*`` / ``Retry-After``) and sent again, at most three times.
- **502/504**: a read (``idempotent``) is sent again ``transient_retries`` times with a growing
  pause; a write never is, and its error says the outcome is unknown (it may have been carried
  out).
- **Errors**: any other status ≥ 400 becomes a ``PartnerError`` subclass (``errors``); one raised
  while polling keeps the last polling URL (``PartnerError.polling_url``) so the caller can resume.

``polled`` runs a polling endpoint in its own task so the caller may stop waiting while the work
ends against the service (``polling.run_polled``); ``cart_call`` holds the cart's lock
(``cartlock``) for a call. Background work (carts of abandoned reserves being deleted, commits whose
caller stopped waiting) is tracked here so closing waits for it (``wait_for_cleanup``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from app.partner.cartlock import CartLocks
from app.partner.config import PartnerConfig
from app.partner.errormap import error_from_response
from app.partner.errors import PartnerError, PollingCancelled, PollingTimedOut, UpstreamError
from app.partner.models import Cart
from app.partner.polling import PollingTrail, ProgressCallback, follow_polling, run_polled
from app.partner.quota import QuotaTracker
from app.partner.transport import HttpLayer, json_body

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]
SendFirst = Callable[[], Awaitable[httpx.Response]]
# Answers bigger than this are decoded and parsed on a worker thread (a stadium's availability).
BIG_ANSWER_BYTES = 256 * 1024
MAX_429_RETRIES = 3
# Carts whose last answer is kept, for reusing their parsed items (a station sells one at a time).
KEPT_CART_ANSWERS = 8


def event_path(event_id: str) -> str:
    """``/events/{id}`` with the id percent-encoded (ids come from outside; never trust them in a path)."""
    return "/events/" + quote(str(event_id), safe="")


@dataclass
class _Retries:
    """What one exchange has used up of its retries."""

    after_429: int = 0
    upstream: int = 0


class RequestPath:
    """Owns what every call shares: the HTTP layer, the quota tracker, the cart locks and the
    background tasks. ``sleep`` is injectable so tests of the back-off need not wait."""

    def __init__(self, config: PartnerConfig, http: HttpLayer, *, sleep: Sleep = asyncio.sleep) -> None:
        self.config = config
        self.http = http
        self.quota = QuotaTracker(config.max_quota_wait_seconds)
        self.locks = CartLocks()
        self._sleep = sleep
        self._background: set[asyncio.Task[Any]] = set()
        self._carts: dict[str, Cart] = {}  # the last answer about each recent cart (``cart_answer``)

    # ----- one call ------------------------------------------------------------------------------
    async def request(
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
        family: str | None = None,
        idempotent: bool = False,
        progress: ProgressCallback | None = None,
        deadline: float | None = None,
        event_id: str | None = None,
        trail: PollingTrail | None = None,
    ) -> httpx.Response:
        """Send ``method path`` (under ``base``, the Partner API by default) with the API key."""
        url = (base or self.config.partner_base_url) + path
        query = {key_param: self.config.api_key, **(params or {})}

        def send_first() -> Awaitable[httpx.Response]:
            return self.http.send(operation, method, url, params=query, json_payload=json_payload, headers=headers)

        return await self.exchange(operation, send_first, family=family, idempotent=idempotent, progress=progress,
                                   deadline=deadline, event_id=event_id, trail=trail)

    async def exchange(
        self,
        operation: str,
        send_first: SendFirst,
        *,
        family: str | None = None,
        idempotent: bool = False,
        progress: ProgressCallback | None = None,
        deadline: float | None = None,
        event_id: str | None = None,
        trail: PollingTrail | None = None,
    ) -> httpx.Response:
        """The steps of one exchange (see the module docstring) until a final answer or an error."""
        deadline = deadline if deadline is not None else time.monotonic() + self.config.max_polling_seconds
        trail = trail if trail is not None else PollingTrail()
        retries = _Retries()
        try:
            while True:
                # Each step is awaited only when it may have something to do (most answers are a
                # plain 200 of a call without a quota family: no coroutine made for nothing).
                if family:
                    await self._wait_for_quota(family)
                response = await self._send_and_follow(operation, send_first, family=family, deadline=deadline,
                                                       progress=progress, trail=trail)
                status = response.status_code
                if status == 429 and await self._backed_off_after_429(response, family, retries):
                    continue
                if status in (502, 504) and await self._retried_upstream_failure(response, idempotent, retries):
                    continue
                if status >= 400:
                    self._raise_for_status(response, event_id=event_id, idempotent=idempotent)
                return response
        except PartnerError as exc:
            if trail.url and exc.polling_url is None:
                exc.polling_url = trail.url  # where the caller can resume (it carries the key: memory only)
            raise

    async def _wait_for_quota(self, family: str | None) -> None:
        """Before sending: wait for the family's reset when its last figures say none are left."""
        if not family:
            return
        wait = self.quota.seconds_until_allowed(family)
        if wait:
            await self._sleep(self.quota.wait_or_raise(wait, self.quota.retry_at(family)))
            self.quota.waited(family)

    async def _send_and_follow(self, operation: str, send_first: SendFirst, *, family: str | None, deadline: float,
                               progress: ProgressCallback | None, trail: PollingTrail) -> httpx.Response:
        """Send once, note the quota figures, and follow a 202 to its final answer."""
        response = await send_first()
        if family:
            self.quota.update(family, response.headers)
        if response.status_code == 202:
            response = await follow_polling(
                lambda op, m, u: self.http.send(op, m, u), response, operation=operation,
                deadline=deadline, progress=progress, sleep=self._sleep, trail=trail)
        return response

    async def _backed_off_after_429(self, response: httpx.Response, family: str | None, retries: _Retries) -> bool:
        """A 429 with retries left: wait as the service says and answer True (send again)."""
        if response.status_code != 429 or retries.after_429 >= MAX_429_RETRIES:
            return False
        delay, retry_at = self.quota.delay_after_429(response, family)
        await self._sleep(self.quota.wait_or_raise(delay, retry_at))
        self.quota.waited(family)
        retries.after_429 += 1
        return True

    async def _retried_upstream_failure(self, response: httpx.Response, idempotent: bool, retries: _Retries) -> bool:
        """A read answered 502/504 with retries left: pause (0.5 s, 1 s, 2 s …) and answer True."""
        if (response.status_code not in (502, 504) or not idempotent
                or retries.upstream >= self.config.transient_retries):
            return False
        retries.upstream += 1
        await self._sleep(0.5 * 2 ** (retries.upstream - 1))
        return True

    def _raise_for_status(self, response: httpx.Response, *, event_id: str | None, idempotent: bool) -> None:
        """Any status ≥ 400 left at this point is the service's refusal: raise it as its type."""
        if response.status_code < 400:
            return
        try:
            body = response.json()
        except ValueError:
            body = None
        retry_at = self.quota.delay_after_429(response, None)[1] if response.status_code == 429 else None
        error = error_from_response(response.status_code, body, event_id=event_id, retry_at=retry_at)
        if isinstance(error, UpstreamError) and not idempotent:
            error.outcome_unknown = True  # a write answered 502/504 may have been carried out
        raise error

    # ----- calls with a cart or a waiting line -----------------------------------------------------
    async def cart_call(self, operation: str, method: str, path: str, cart_id: str, **kwargs: Any) -> httpx.Response:
        """``request`` while holding the cart's lock (the service refuses overlapping cart calls)."""
        async with self.locks.hold(cart_id):
            return await self.request(operation, method, path, **kwargs)

    async def polled(self, operation: str, method: str, path: str, *, cart_id: str | None = None,
                     progress: ProgressCallback | None = None, cancel: asyncio.Event | None = None,
                     on_abandoned: Callable[[asyncio.Task[httpx.Response]], None] | None = None,
                     outcome_unknown: bool = False, **kwargs: Any) -> httpx.Response:
        """A polling endpoint: the work (holding the cart's lock) runs in its own task; the caller may
        stop waiting (cancel, limit) while the work finishes against the service."""
        limit = self.config.max_polling_seconds
        if self.config.force_polling:
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-TM-FORCE-POLLING": "true"}
        trail = PollingTrail()

        async def work(gated: ProgressCallback) -> httpx.Response:
            hard_deadline = time.monotonic() + 2 * limit  # background follow-up is bounded too
            if cart_id is None:
                return await self.request(operation, method, path, progress=gated, deadline=hard_deadline,
                                          trail=trail, **kwargs)
            async with self.locks.hold(cart_id):
                return await self.request(operation, method, path, progress=gated, deadline=hard_deadline,
                                          trail=trail, **kwargs)

        try:
            return await run_polled(work, operation=operation, limit_seconds=limit, progress=progress, cancel=cancel,
                                    on_abandoned=on_abandoned, outcome_unknown_when_abandoned=outcome_unknown)
        except (PollingCancelled, PollingTimedOut) as exc:
            exc.polling_url = trail.url
            raise

    # ----- cart answers ---------------------------------------------------------------------------
    def cart_answer(self, response: httpx.Response, cart_id: str | None = None) -> Cart:
        """The cart in a reserve, shipping or payment answer. The last answer about each cart is
        kept (a few carts at most) so an answer that repeats its items reuses them parsed."""
        earlier = self._carts.get(cart_id) if cart_id else None
        cart = Cart.from_json(json_body(response), cart_id=cart_id, earlier=earlier)
        if cart.cart_id:
            self._carts.pop(cart.cart_id, None)
            self._carts[cart.cart_id] = cart
            if len(self._carts) > KEPT_CART_ANSWERS:
                del self._carts[next(iter(self._carts))]  # the one answered longest ago
        return cart

    def forget_cart(self, cart_id: str) -> None:
        """The cart is over (committed or deleted): its last answer is not kept any more."""
        self._carts.pop(cart_id, None)

    @staticmethod
    async def parse(response: httpx.Response, parse: Callable[[Any], T]) -> T:
        """``parse(json)`` of the answer; on a worker thread when the answer is big."""
        if len(response.content) > BIG_ANSWER_BYTES:
            return await asyncio.to_thread(lambda: parse(json_body(response)))
        return parse(json_body(response))

    # ----- background work -------------------------------------------------------------------------
    def in_background(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run ``coro`` as a task that closing the client waits for (bounded)."""
        task = asyncio.ensure_future(coro)
        self.track(task)
        return task

    def track(self, task: asyncio.Task[Any]) -> None:
        """Count an already running task as background work."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def wait_for_cleanup(self, timeout: float | None = None) -> bool:
        """Wait until background work is done. False when ``timeout`` ran out first: the rest is
        cancelled (the checkout's journal still lists such carts for start-up recovery)."""
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
