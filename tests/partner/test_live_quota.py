"""Quotas against the live sandbox: Ratelimit-* figures tracked, exhaustion reported without
calling, the window waited out (bounded) after a 429 or before a call that would get one, and the
short availability cache.

The client reads ``Ratelimit-Expiry`` against its own clock, so these tests keep the sandbox clock
on real time (offset 0) and use an event that is not in its nightly maintenance right now.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.partner.errors import Action, QuotaExceeded
from tests.partner.partnerkit import TEST_EVENT, client_for, run

LONDON_EVENT = "1AeZZfEGkD0xtGV"


@pytest.fixture
def awake_event(config, sandbox_control) -> str:
    """Real time on the sandbox clock, and an event whose host is up now (LA and London never
    sleep at the same time)."""
    sandbox_control.scenario(clock_offset_seconds=0)
    los_angeles_hour = datetime.now(ZoneInfo("America/Los_Angeles")).hour
    return TEST_EVENT if los_angeles_hour >= 2 else LONDON_EVENT


def _partner_log(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(limit=1000) if r["path"].startswith("/partners/v1")]


class SandboxClock:
    """The client's sleep, in tests: instead of waiting for a quota window, move the sandbox clock."""

    def __init__(self, control, offset: float) -> None:
        self.control = control
        self.offset = offset
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.offset += seconds
        self.control.scenario(clock_offset_seconds=self.offset)
        await asyncio.sleep(0)


def test_events_quota_is_tracked_and_exhaustion_raises_without_calling(config, sandbox_control, awake_event):
    sandbox_control.scenario(quota_events_per_minute=2)
    impatient = replace(config, max_quota_wait_seconds=0)

    async def scenario():
        async with client_for(impatient) as client:
            await client.events()
            await client.event_details(awake_event)
            quota = client.quota.events
            with pytest.raises(QuotaExceeded) as caught:
                await client.events()
            return quota, caught.value

    quota, error = run(scenario())
    assert (quota.allowed, quota.used, quota.remaining) == (2, 2, 0)
    assert error.retry_at is not None and error.retry_at > datetime.now(UTC)
    assert error.action is Action.WAIT_AND_RETRY and "minute" in error.user_message
    assert [r["status"] for r in _partner_log(sandbox_control)] == [200, 200]  # never hammered


def test_client_waits_for_the_quota_window_instead_of_hammering(config, sandbox_control, awake_event):
    sandbox_control.scenario(quota_events_per_minute=2)
    clock = SandboxClock(sandbox_control, 0.0)

    async def scenario():
        async with client_for(config, sleep=clock.sleep) as client:
            return [len(await client.events()) for _ in range(3)]

    assert all(run(scenario()))
    assert len(clock.waits) == 1 and 0 < clock.waits[0] <= 61
    assert [r["status"] for r in _partner_log(sandbox_control)] == [200, 200, 200]


def test_a_429_is_honoured_by_waiting_until_ratelimit_expiry(config, sandbox_control, awake_event):
    sandbox_control.scenario(quota_events_per_minute=1)
    clock = SandboxClock(sandbox_control, 0.0)

    async def scenario():
        async with client_for(config) as other_station:  # spends the quota this station does not know about
            await other_station.events()
        async with client_for(config, sleep=clock.sleep) as client:
            return await client.events(), client.quota.events

    events, quota = run(scenario())
    assert events and quota.allowed == 1 and quota.used == 1
    assert [r["status"] for r in _partner_log(sandbox_control)] == [200, 429, 200]
    assert len(clock.waits) == 1 and 0 < clock.waits[0] <= 61


def test_a_429_with_an_hour_to_wait_is_reported_not_waited_out(config, sandbox_control, awake_event):
    sandbox_control.scenario(quota_availability_per_hour=1)
    waits = []

    async def record(seconds):
        waits.append(seconds)

    async def scenario():
        async with client_for(config) as other_station:
            await other_station.availability(awake_event)
        async with client_for(config, sleep=record) as client:
            with pytest.raises(QuotaExceeded) as caught:
                await client.availability(awake_event)
            return caught.value

    error = run(scenario())
    assert waits == [] and error.http_status == 429 and error.retryable
    assert 3000 < (error.retry_at - datetime.now(UTC)).total_seconds() <= 3600
    assert [r["status"] for r in _partner_log(sandbox_control)] == [200, 429]


def test_availability_answers_are_cached_briefly(config, sandbox_control, awake_event):
    async def scenario():
        async with client_for(config) as client:
            first = await client.availability(awake_event)
            second = await client.availability(awake_event)
            third = await client.availability(awake_event, fresh=True)
            return first, second, third

    first, second, third = run(scenario())
    assert first is second and third is not first
    assert len([r for r in _partner_log(sandbox_control) if r["path"].endswith("/availability")]) == 2
