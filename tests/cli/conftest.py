"""CLI tests: every test on a fresh sandbox gets a sandbox clock outside the fixtures' nightly
maintenance, so the suite passes at any hour of the real day."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))
from salekit import daytime_offset_seconds  # noqa: E402


@pytest.fixture(autouse=True)
def _daytime_sandbox(request):
    if "fresh_sandbox" in request.fixturenames:
        request.getfixturevalue("fresh_sandbox")
        request.getfixturevalue("sandbox_control").scenario(clock_offset_seconds=daytime_offset_seconds())
