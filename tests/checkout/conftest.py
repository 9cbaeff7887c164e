"""Checkout tests: a real PartnerClient, a real journal and a live sandbox (see salekit)."""

from __future__ import annotations

import pytest

from salekit import Kit, daytime_offset_seconds


@pytest.fixture
def kit(fresh_sandbox, sandbox_control, tmp_path):
    sandbox_control.scenario(clock_offset_seconds=daytime_offset_seconds())
    return Kit(fresh_sandbox, tmp_path / "station")
