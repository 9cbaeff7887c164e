"""Station set-up: which backend it builds, and the plain sentences it gives when it cannot."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from app.checkout.station import BackendOverrides, Station, StationSetupError
from app.embedded import embedded_sandbox
from app.storage import API_KEY, StationPaths, StationStorage
from tests.checkout.checkoutkit import TEST_EVENT


def storage_with(tmp_path, **changes) -> StationStorage:
    storage = StationStorage(StationPaths.under(tmp_path / "station"))
    storage.save_settings(dataclasses.replace(storage.settings, **changes))
    return storage


def test_production_without_an_api_key_says_what_to_fix(tmp_path):
    station = Station(storage_with(tmp_path, backend="production"))
    with pytest.raises(StationSetupError, match="No API key"):
        asyncio.run(station.start())


def test_custom_backend_over_plain_http_to_another_host_is_refused(tmp_path):
    storage = storage_with(tmp_path, backend="custom", custom_partner_url="http://partner.example.com/partners/v1")
    storage.secrets.set(API_KEY, "some-key")
    with pytest.raises(StationSetupError, match="https://"):
        asyncio.run(Station(storage).start())


def test_custom_backend_uses_the_stored_key(fresh_sandbox, tmp_path):
    storage = storage_with(tmp_path, backend="custom", custom_partner_url=fresh_sandbox.partner_base)
    storage.secrets.set(API_KEY, "sandbox-api-key")

    async def scenario():
        station = Station(storage)
        await station.start()
        try:
            return station.backend_label, {e.event_id for e in await station.counter.events()}
        finally:
            await station.close()

    label, events = asyncio.run(scenario())
    assert label == f"Custom: {fresh_sandbox.partner_base}" and TEST_EVENT in events


def test_default_station_starts_and_stops_its_own_embedded_sandbox(tmp_path):
    async def scenario():
        station = Station(StationStorage(StationPaths.under(tmp_path / "station")), sandbox=embedded_sandbox)
        await station.start()
        label = station.backend_label
        sandbox = station.sandbox
        events = await station.counter.events()
        await station.close()
        return label, sandbox, events, station.sandbox

    label, sandbox, events, after = asyncio.run(scenario())
    assert label.startswith("Embedded sandbox at http://127.0.0.1:")
    assert TEST_EVENT in {e.event_id for e in events}
    assert sandbox is not None and after is None


def test_for_sandbox_leaves_a_running_sandbox_running(fresh_sandbox, sandbox_control, tmp_path):
    async def scenario():
        station = Station.for_sandbox(fresh_sandbox, StationStorage(StationPaths.under(tmp_path / "s")))
        await station.start()
        await station.close()

    asyncio.run(scenario())
    assert sandbox_control.state()["held_carts"] == []  # still answering


def test_base_url_may_be_the_root_or_the_partner_base():
    root = BackendOverrides(base_url="http://127.0.0.1:9", api_key="k").endpoints()
    full = BackendOverrides(base_url="http://127.0.0.1:9/partners/v1/", api_key="k").endpoints()
    assert root == full == ("http://127.0.0.1:9/partners/v1", "http://127.0.0.1:9/oauth", "http://127.0.0.1:9/wallet/v1")


def test_without_the_sandbox_seam_a_sandbox_station_says_what_to_do(tmp_path):
    station = Station(StationStorage(StationPaths.under(tmp_path / "station")))  # backend "sandbox", no factory
    with pytest.raises(StationSetupError, match="embedded sandbox is not available"):
        asyncio.run(station.start())
    assert station.sandbox is None
