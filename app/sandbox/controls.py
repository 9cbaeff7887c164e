"""Tester controls under ``/_sandbox/``: state, request log, scenario, reset (JSON).

``GET /_sandbox/state`` shows held carts, orders, seat counts per event and the quota windows in
use (availability per API key, masked; events per client IP); ``GET /_sandbox/log``
the most recent requests (secrets masked); ``GET``/``POST /_sandbox/scenario`` reads or merges the
scenario; ``POST /_sandbox/reset`` restores fixtures and the start-up scenario (the account's
whitelists, ``/_sandbox/account``, are not fixtures: see ``account``). Loopback tools,
no api key: the sandbox only ever listens where the tester put it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .common import ok, query_int, read_json
from .requestlog import mask


def routes(context) -> list[Route]:
    async def state(request: Request) -> Response:
        now = context.clock.timestamp()
        held = [{"cart_id": c.id, "event_id": c.event.id, "seats": len(c.seats),
                 "expires_in": max(0, round(c.expires_at - now, 1)),
                 "grand_total": float(c.grand_total()), "unpaid": float(c.unpaid()),
                 "busy": c.busy}
                for c in context.carts.held()]
        inventory = context.inventory
        with inventory.lock:
            sold = dict(inventory.sold)
            held_seats = dict(inventory.held)
        scenario = context.scenario
        quotas = {"availability_per_api_key": context.quotas.snapshot(
                      "availability", int(scenario.get("quota_availability_per_hour")), now, mask),
                  "events_per_client_ip": context.quotas.snapshot(
                      "events", int(scenario.get("quota_events_per_minute")), now, str)}
        return ok({"held_carts": held, "orders": context.orders.snapshot(), "seats_sold": sold,
                   "seats_held": held_seats, "scenario": context.scenario_view(),
                   "abandoned_carts": {mask(k): v for k, v in context.carts.abandoned.items()},
                   "quotas": quotas})

    async def log(request: Request) -> Response:
        limit = query_int(request, "limit", 0, 2000)
        return ok({"requests": context.log.recent(200 if limit is None else limit)})

    async def scenario(request: Request) -> Response:
        if request.method == "GET":
            return ok(context.scenario_view())
        return ok(context.apply_scenario(await read_json(request)))

    async def reset(request: Request) -> Response:
        context.reset()
        return ok({"reset": True, "scenario": context.scenario_view()})

    return [
        Route("/_sandbox/state", state, methods=["GET"]),
        Route("/_sandbox/log", log, methods=["GET"]),
        Route("/_sandbox/scenario", scenario, methods=["GET", "POST"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
    ]
