"""The 202 → wait ``wait`` seconds → GET ``polling_url`` loop (partner-api.md 3.11), cancellable.

``follow_polling`` follows one answer to its end. ``run_polled`` runs a whole polled operation in
its own task so the caller can stop *waiting* (asyncio cancellation, a cancel event or the overall
limit) while the operation itself still runs to its end on the service; an ``on_abandoned``
continuation then receives its final answer (a reserve uses that to delete the cart it produced).

Progress: before and during each wait, ``progress(PollingProgress(operation, round,
seconds_until_next_try))`` is called about once a second (``round`` = 202 answers so far).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx

from app.partner._models_base import PollingAnswer, PollingProgress
from app.partner.errors import PollingCancelled, PollingTimedOut, UnexpectedResponse
from app.partner.transport import json_body

log = logging.getLogger(__name__)

ProgressCallback = Callable[[PollingProgress], None]
Send = Callable[[str, str, str], Awaitable[httpx.Response]]
Sleep = Callable[[float], Awaitable[None]]
# Longest single wait honoured, whatever the service says (a broken "wait" must not hang a sale).
MAX_SINGLE_WAIT = 60.0


@dataclass
class PollingTrail:
    """Where a polled operation stands: the last polling URL (it carries the API key, so it is
    kept out of ``repr``) and the cart id it names, if any."""

    url: str | None = field(default=None, repr=False)
    cart_id: str | None = None

    def follow(self, url: str) -> None:
        self.url = url
        with contextlib.suppress(ValueError):
            named = parse_qs(urlsplit(url).query).get("cart_id")
            if named:
                self.cart_id = named[0]


class StopSignal(asyncio.Event):
    """An ``asyncio.Event`` that ``run_polled`` hears without a task of its own: ``set()`` wakes the
    waiting caller at once (a plain Event is watched by a task waiting on it, which costs that
    task, its cancelling and two more turns of the loop on every call). The checkout's reserve
    uses one for "stop waiting"."""

    def __init__(self) -> None:
        super().__init__()
        self._listeners: list[Callable[[], None]] = []

    def set(self) -> None:
        if self.is_set():
            return
        super().set()
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener()

    def listen(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` once when the signal is set (at once if it is)."""
        if self.is_set():
            listener()
        else:
            self._listeners.append(listener)

    def forget(self, listener: Callable[[], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)


def _report(progress: ProgressCallback | None, update: PollingProgress) -> None:
    if progress is None:
        return
    try:
        progress(update)
    except Exception:  # a display bug must never break a sale
        log.exception("polling progress callback failed")


async def follow_polling(
    send: Send,
    response: httpx.Response,
    *,
    operation: str,
    deadline: float,
    progress: ProgressCallback | None = None,
    sleep: Sleep = asyncio.sleep,
    trail: PollingTrail | None = None,
) -> httpx.Response:
    """Keep answering 202s until a final answer arrives; ``deadline`` is a ``time.monotonic()`` value.
    ``trail`` (if given) records each polling URL, so a failure can say where to resume."""
    trail = trail if trail is not None else PollingTrail()
    rounds = 0
    while response.status_code == 202:
        answer = PollingAnswer.from_json(json_body(response))
        if not answer.polling_url:
            raise UnexpectedResponse("The ticketing service asked to wait but gave no address to ask again.",
                                     http_status=202)
        rounds += 1
        trail.follow(answer.polling_url)
        wait = min(max(answer.wait, 0.0), MAX_SINGLE_WAIT)
        if time.monotonic() + wait > deadline:
            raise PollingTimedOut(http_status=202)
        remaining = wait
        while True:
            _report(progress, PollingProgress(operation, rounds, round(remaining, 1), trail.cart_id))
            if remaining <= 0:
                break
            step = min(1.0, remaining)
            await sleep(step)
            remaining -= step
        response = await send(f"{operation} (poll {rounds})", "GET", answer.polling_url)
    return response


async def run_polled(
    work: Callable[[ProgressCallback], Awaitable[httpx.Response]],
    *,
    operation: str,
    progress: ProgressCallback | None = None,
    limit_seconds: float,
    cancel: asyncio.Event | None = None,
    on_abandoned: Callable[[asyncio.Task[httpx.Response]], None] | None = None,
    outcome_unknown_when_abandoned: bool = False,
) -> httpx.Response:
    """Await ``work`` (which follows its own polling) unless the caller stops waiting first.

    Stopping (cancel event → ``PollingCancelled``; overall limit → ``PollingTimedOut``; asyncio
    cancellation → ``CancelledError``) leaves ``work`` running; ``on_abandoned(task)`` is then
    called so the caller can clean up once the work finishes. ``work`` receives a progress
    callback that falls silent once the caller has stopped waiting.
    """
    abandoned = False

    def gated(update: PollingProgress) -> None:
        if not abandoned:
            _report(progress, update)

    # One waiter woken by whichever comes first (the work, the cancel event, the limit): cheaper per
    # call than asyncio.wait, which builds sets, a waiter and a callback per future on every call.
    # The work wakes it from its own last step (its task is done by the time the caller resumes),
    # one turn of the event loop sooner than a done callback would.
    loop = asyncio.get_running_loop()
    waiter = loop.create_future()

    def wake(_: object = None) -> None:
        if not waiter.done():
            waiter.set_result(None)

    async def body() -> httpx.Response:
        try:
            return await work(gated)
        finally:
            wake()

    task = loop.create_task(body())
    timer = loop.call_later(limit_seconds, wake)
    cancel_waiter = None
    signal = cancel if isinstance(cancel, StopSignal) else None
    if signal is not None:
        signal.listen(wake)
    elif cancel is not None:
        cancel_waiter = loop.create_task(cancel.wait())
        cancel_waiter.add_done_callback(wake)
    try:
        await waiter
    except asyncio.CancelledError:
        abandoned = True
        _abandon(task, on_abandoned, operation, "cancelled")
        raise
    finally:
        timer.cancel()
        if signal is not None:
            signal.forget(wake)
        if cancel_waiter is not None:
            cancel_waiter.remove_done_callback(wake)
            if not cancel_waiter.done():
                cancel_waiter.cancel()
    cancelled = (signal is not None and signal.is_set()) or (
        cancel_waiter is not None and cancel_waiter.done() and not cancel_waiter.cancelled())
    if task.done():
        return task.result()
    abandoned = True
    _abandon(task, on_abandoned, operation, "cancelled" if cancelled else "timed out")
    if cancelled:
        raise PollingCancelled(outcome_unknown=outcome_unknown_when_abandoned)
    raise PollingTimedOut(outcome_unknown=outcome_unknown_when_abandoned)


Abandoned = Callable[[asyncio.Task[httpx.Response]], None]


def _abandon(task: asyncio.Task[httpx.Response], on_abandoned: Abandoned | None, operation: str, why: str) -> None:
    log.info("stopped waiting for %s (%s); it finishes in the background", operation, why)
    if on_abandoned is not None:
        on_abandoned(task)
    else:
        task.add_done_callback(_swallow)


def _swallow(task: asyncio.Task[httpx.Response]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("abandoned operation ended with %s", task.exception().__class__.__name__)
