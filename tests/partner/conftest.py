"""Fixtures for the client's tests: a client configuration pointing at the freshly reset sandbox."""

from __future__ import annotations

import pytest

from app.partner import PartnerConfig


@pytest.fixture
def config(fresh_sandbox) -> PartnerConfig:
    return PartnerConfig.for_sandbox(fresh_sandbox.base_url)
