"""Carrying on from a polling URL, as ``PartnerClient.resume``.

When a poll's answer was lost or the caller stopped waiting, ``polling(url)`` follows the same URL
to the operation's final answer and ``commit(url)`` turns that into the order. A commit whose caller
stopped waiting goes on in the background; ``Resumption`` keeps that task per cart
(``keep_abandoned_commit``, ``abandoned_commit``) so settling a commit in doubt can use its answer
instead of asking again. Used by the checkout to settle a commit in doubt (``app.checkout.settle``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import httpx

from app.partner.models import CommitResult
from app.partner.polling import PollingTrail, ProgressCallback, run_polled
from app.partner.requestpath import RequestPath
from app.partner.transport import json_body


class Resumption:
    """Resumed polls and still-running commits of one ``PartnerClient`` (``client.resume``)."""

    def __init__(self, path: RequestPath) -> None:
        self._path = path
        self._abandoned_commits: dict[str, asyncio.Task[httpx.Response]] = {}

    def keep_abandoned_commit(self, cart_id: str, task: asyncio.Task[httpx.Response]) -> None:
        """The commit of ``cart_id`` goes on without its caller: keep it (closing the client waits
        for it too, bounded) so a later ``commit`` or ``abandoned_commit`` can use its answer."""
        self._abandoned_commits[cart_id] = task
        self._path.track(task)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())  # its failure is nobody's news

    def abandoned_commit(self, cart_id: str) -> asyncio.Task[httpx.Response] | None:
        """The background task still following a commit whose caller stopped waiting (its result
        is the commit's final answer), or None."""
        return self._abandoned_commits.get(cart_id)

    async def polling(self, polling_url: str, *, operation: str = "commit", progress: ProgressCallback | None = None,
                      cancel: asyncio.Event | None = None) -> Any:
        """Carry on polling from a ``PartnerError.polling_url`` (e.g. a commit whose poll was lost)
        and return the operation's final JSON answer (None for an empty one). The service may have
        answered that poll already; it then says the polling request is unknown."""
        trail = PollingTrail()
        trail.follow(polling_url)
        path = self._path

        def send() -> Awaitable[httpx.Response]:
            return path.http.send(f"{operation} (resumed poll)", "GET", polling_url)

        async def work(gated: ProgressCallback) -> httpx.Response:
            if trail.cart_id is None:
                return await path.exchange(operation, send, progress=gated, trail=trail)
            async with path.locks.hold(trail.cart_id):
                return await path.exchange(operation, send, progress=gated, trail=trail)

        response = await run_polled(work, operation=operation, limit_seconds=path.config.max_polling_seconds,
                                    progress=progress, cancel=cancel, outcome_unknown_when_abandoned=True)
        return json_body(response) if response.content else None

    async def commit(self, polling_url: str, *, progress: ProgressCallback | None = None,
                     cancel: asyncio.Event | None = None) -> CommitResult:
        """``polling`` for a commit: the order it produced. When this client is itself still
        following that commit in the background (its caller stopped waiting), that answer is used."""
        trail = PollingTrail()
        trail.follow(polling_url)
        background = self._abandoned_commits.get(trail.cart_id or "")
        if background is not None:
            return CommitResult.from_json(json_body(await asyncio.shield(background)))
        return CommitResult.from_json(await self.polling(polling_url, operation="commit", progress=progress,
                                                         cancel=cancel))
