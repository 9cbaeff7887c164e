"""Carrying on from a polling URL (part of ``PartnerClient``): when a poll's answer was lost or the
caller stopped waiting, ``resume_polling`` follows the same URL to the operation's final answer, and
``resume_commit`` turns that into the order. Used by the checkout to settle a commit in doubt."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.partner.models import CommitResult
from app.partner.polling import PollingTrail, ProgressCallback, run_polled
from app.partner.transport import json_body


class ResumeCalls:
    """Mixed into ``PartnerClient``; relies on its ``_http``, ``_exchange``, ``_locks`` and
    ``_abandoned_commits``."""

    async def resume_polling(self, polling_url: str, *, operation: str = "commit",
                             progress: ProgressCallback | None = None, cancel: asyncio.Event | None = None) -> Any:
        """Carry on polling from a ``PartnerError.polling_url`` (e.g. a commit whose poll was lost)
        and return the operation's final JSON answer (None for an empty one). The service may have
        answered that poll already; it then says the polling request is unknown."""
        trail = PollingTrail()
        trail.follow(polling_url)
        limit = self.config.max_polling_seconds

        async def work(gated: ProgressCallback) -> httpx.Response:
            send = lambda: self._http.send(f"{operation} (resumed poll)", "GET", polling_url)  # noqa: E731
            if trail.cart_id is None:
                return await self._exchange(operation, send, progress=gated, trail=trail)
            async with self._locks.hold(trail.cart_id):
                return await self._exchange(operation, send, progress=gated, trail=trail)

        response = await run_polled(work, operation=operation, limit_seconds=limit, progress=progress, cancel=cancel,
                                    outcome_unknown_when_abandoned=True)
        return json_body(response) if response.content else None

    async def resume_commit(self, polling_url: str, *, progress: ProgressCallback | None = None,
                            cancel: asyncio.Event | None = None) -> CommitResult:
        """``resume_polling`` for a commit: the order it produced. When this client is itself still
        following that commit in the background (its caller stopped waiting), that answer is used."""
        trail = PollingTrail()
        trail.follow(polling_url)
        background = self._abandoned_commits.get(trail.cart_id or "")
        if background is not None:
            return CommitResult.from_json(json_body(await asyncio.shield(background)))
        return CommitResult.from_json(await self.resume_polling(polling_url, operation="commit", progress=progress,
                                                                cancel=cancel))
