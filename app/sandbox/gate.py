"""What every Partner API call passes first: the api key, added latency, transient faults, niterun."""

from __future__ import annotations

import asyncio

from starlette.requests import Request

from .clock import in_niterun
from .errors import INVALID_API_KEY, NITERUN, NOT_FOUND, UPSTREAM_CONNECTION, UPSTREAM_TIMEOUT, SandboxError
from .fixtures import Event


def make_partner_gate(context):
    async def partner(request: Request, delay: bool = True) -> str:
        """Check the key, then apply the scenario's latency and transient 502/504; answers the key."""
        api_key = request.query_params.get("apikey")
        if api_key not in context.config.api_keys:
            raise SandboxError(INVALID_API_KEY)
        if delay:
            await apply_latency(context)
        rate = float(context.scenario.get("transient_error_rate"))
        if rate > 0 and context.rng.random() < rate:
            raise SandboxError(UPSTREAM_CONNECTION if context.rng.random() < 0.5 else UPSTREAM_TIMEOUT)
        return api_key

    return partner


async def apply_latency(context) -> None:
    latency = int(context.scenario.get("latency_ms"))
    if latency:
        await asyncio.sleep(latency / 1000)


def known_event(context, event_id: str) -> Event:
    event = context.event(event_id)
    if event is None:
        raise SandboxError(NOT_FOUND, "Event not found")
    return event


def check_niterun(context, event: Event) -> None:
    if context.scenario.get("niterun") or in_niterun(event.time_zone, context.clock.now()):
        raise SandboxError(NITERUN)
