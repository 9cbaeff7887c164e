"""Fixtures for the client's tests: a client configuration pointing at the freshly reset sandbox,
whose clock is pinned to 18:00 UTC so that no fixture event is in its nightly maintenance
(00:00–02:00 local in New York, London, Los Angeles, Chicago, Denver, Berlin and Sydney alike)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.partner import PartnerConfig

DAYTIME_UTC_HOUR = 18


@pytest.fixture
def clock_base(fresh_sandbox, sandbox_control) -> float:
    """The sandbox clock offset (seconds) in force for the test; tests moving the clock add to it."""
    now = datetime.now(timezone.utc)
    target = now.replace(hour=DAYTIME_UTC_HOUR, minute=0, second=0, microsecond=0)
    offset = (target - now).total_seconds()
    sandbox_control.scenario(clock_offset_seconds=offset)
    return offset


@pytest.fixture
def config(fresh_sandbox, clock_base) -> PartnerConfig:
    return PartnerConfig.for_sandbox(fresh_sandbox.base_url)
