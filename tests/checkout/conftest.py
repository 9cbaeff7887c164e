"""Checkout tests: a real PartnerClient, a real journal and a live sandbox (see salekit)."""

from __future__ import annotations

import pytest

from tests.checkout.checkoutkit import Kit


@pytest.fixture
def kit(fresh_sandbox, tmp_path):
    return Kit(fresh_sandbox, tmp_path / "station")  # fresh_sandbox pins the clock to a daytime hour
