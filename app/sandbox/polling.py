"""Polling: an operation answered with 202, a ``polling_url`` and ``wait`` instead of its result.

The operation itself runs at once (a reserve that went into polling holds its seats whether or
not anyone comes back); its answer is parked under a polling id. Each GET of the polling URL
answers 202 again until the planned rounds are used up, then the parked answer. Rounds come from
``X-TM-FORCE-POLLING: true`` (at least one), the ``force_polling_rounds`` scenario, or, with
``auto_polling``, from chance that grows with the carts this API key has left to expire.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import NOT_FOUND, SandboxError

MAX_PARKED = 5000


@dataclass
class Parked:
    operation: str
    api_key: str
    rounds_left: int
    answer: Callable[[], Response]
    cart_id: str | None


class PollingDesk:
    def __init__(self, context) -> None:
        self.context = context
        self._lock = threading.Lock()
        self._parked: dict[str, Parked] = {}

    def rounds_for(self, request: Request, api_key: str) -> int:
        scenario = self.context.scenario
        forced = request.headers.get("x-tm-force-polling", "").strip().lower() == "true"
        rounds = int(scenario.get("force_polling_rounds"))
        if rounds == 0 and scenario.get("auto_polling"):
            abandoned = self.context.carts.abandoned.get(api_key, 0)
            chance = min(0.9, 0.2 + 0.15 * abandoned)
            if self.context.rng.random() < chance:
                rounds = 1 + min(4, abandoned // 2)
        return max(rounds, 1) if forced else rounds

    def respond(self, request: Request, operation: str, api_key: str, answer: Callable[[], Response],
                cart_id: str | None = None) -> Response:
        """``answer()`` now, or a 202 with the answer parked when this request is to be polled."""
        rounds = self.rounds_for(request, api_key)
        if rounds:
            return self.park(request, operation, api_key, rounds, answer, cart_id)
        return answer()

    def park(self, request: Request, operation: str, api_key: str, rounds: int,
             answer: Callable[[], Response], cart_id: str | None = None) -> Response:
        """Answer 202 now; the parked ``answer`` is what the last poll returns."""
        poll_id = secrets.token_hex(16).upper()
        with self._lock:
            if len(self._parked) >= MAX_PARKED:
                self._parked.pop(next(iter(self._parked)))
            self._parked[poll_id] = Parked(operation, api_key, rounds - 1, answer, cart_id)
        return self._pending(request, operation, poll_id, api_key, cart_id)

    def _pending(self, request: Request, operation: str, poll_id: str, api_key: str, cart_id: str | None) -> Response:
        query = {"apikey": api_key}
        if cart_id:
            query["cart_id"] = cart_id
        base = str(request.base_url).rstrip("/")
        url = f"{base}/partners/v1/polling/{operation}/{poll_id}?{urlencode(query)}"
        wait = int(self.context.scenario.get("polling_wait"))
        return JSONResponse({"polling_url": url, "wait": wait}, status_code=202)

    def poll(self, request: Request, operation: str, poll_id: str, api_key: str) -> Response:
        with self._lock:
            parked = self._parked.get(poll_id)
            if parked is None or parked.operation != operation or parked.api_key != api_key:
                raise SandboxError(NOT_FOUND, "Polling request not found or already answered")
            if parked.rounds_left > 0:
                parked.rounds_left -= 1
                again = True
            else:
                del self._parked[poll_id]
                again = False
        if again:
            return self._pending(request, operation, poll_id, api_key, parked.cart_id)
        return parked.answer()

    def reset(self) -> None:
        with self._lock:
            self._parked.clear()
