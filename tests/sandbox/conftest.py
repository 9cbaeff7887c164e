"""Fixtures for the sandbox's protocol tests; the helpers themselves live in sandboxkit.py."""

from __future__ import annotations

import pytest

from tests.sandbox.sandboxkit import AWAKE_EVERYWHERE, PartnerApi


@pytest.fixture
def api(fresh_sandbox, sandbox_control):
    """A Partner API client on a freshly reset sandbox whose clock is outside every niterun."""
    sandbox_control.scenario(now=AWAKE_EVERYWHERE)
    client = PartnerApi(fresh_sandbox)
    yield client
    client.close()
