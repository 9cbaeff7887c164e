"""The commit's optional extras: the partner's affiliate tracking from the settings goes with every
commit (as the service really received it, through a proxy in front of the sandbox), and nothing
when none is set; the answer's ``tm_app_url`` comes back on the result."""

from __future__ import annotations

import asyncio
import dataclasses

from app.checkout.station import BackendOverrides, Station
from tests.checkout.checkoutkit import API_KEY, TEST_EVENT


def _station(kit, proxy, **settings) -> Station:
    storage = kit.storage()
    storage.save_settings(dataclasses.replace(storage.settings, **settings))
    return Station(storage, overrides=BackendOverrides(base_url=proxy.base_url, api_key=API_KEY))


def test_tracking_from_the_settings_goes_with_the_commit(kit, fault_proxy, sandbox_control):
    station = _station(kit, fault_proxy, tracking_shared_id="02a8127b-7a52", tracking_sub_id1="box-3",
                       tracking_sub_id3="spring")

    async def sale():
        async with station:
            return await kit.sell(station.new_sale(TEST_EVENT))

    result = asyncio.run(sale())
    assert fault_proxy.commit_bodies[0]["tracking"] == {"shared_id": "02a8127b-7a52", "sub_id1": "box-3",
                                                        "sub_id3": "spring"}
    assert fault_proxy.commit_bodies[0]["cart_id"] and result.order_number
    assert result.tm_app_url == "ticketmaster://orders/redeem?token=" + result.order_token


def test_without_tracking_settings_the_commit_carries_none(kit, fault_proxy):
    station = _station(kit, fault_proxy)

    async def sale():
        async with station:
            return await kit.sell(station.new_sale(TEST_EVENT))

    asyncio.run(sale())
    assert "tracking" not in fault_proxy.commit_bodies[0]
