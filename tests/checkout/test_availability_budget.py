"""The station spends the key's hourly availability quota deliberately (the documentation's
availability page): never between a reserve and its commit or delete, within its share of the key
when stations share it, and when the budget or the service's 429 stops a refresh the last seats are
kept with why and until when — as the sandbox's request log shows."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import httpx
import pytest

from app.checkout.availbudget import AvailabilityHeldBack
from app.checkout.station import BackendOverrides, Station
from tests.checkout.checkoutkit import API_KEY, TEST_EVENT


def availability_calls(sandbox_control) -> int:
    return sum(1 for r in sandbox_control.log(limit=1000) if r["path"].endswith(f"/events/{TEST_EVENT}/availability"))


def station_with(kit, **settings) -> Station:
    storage = kit.storage()
    storage.save_settings(dataclasses.replace(storage.settings, **settings))
    return Station(storage, overrides=BackendOverrides(base_url=kit.sandbox.base_url, api_key=API_KEY))


def test_no_availability_is_asked_between_a_reserve_and_its_delete_or_commit(kit, sandbox_control):
    station = kit.station()

    async def scenario():
        async with station:
            first = await station.seats(TEST_EVENT)
            asked = availability_calls(sandbox_control)
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale, 2, ticket_type=first.availability.offers[0].ticket_type_id)
            during = await station.seats(TEST_EVENT, refresh=True)
            assert availability_calls(sandbox_control) == asked  # nothing asked while seats are held
            assert during.availability is first.availability and during.fetched_at == first.fetched_at
            assert "not asked for while a sale holds seats" in during.held_back
            await sale.abandon()
            after = await station.seats(TEST_EVENT, refresh=True)
            assert availability_calls(sandbox_control) == asked + 1 and after.held_back is None
            sold = station.new_sale(TEST_EVENT)
            await kit.sell(sold, ticket_type=first.availability.offers[0].ticket_type_id)
            assert (await station.seats(TEST_EVENT, refresh=True)).held_back is None  # committed: asked again
            assert availability_calls(sandbox_control) == asked + 2

    asyncio.run(scenario())


def test_a_young_answer_is_reused_and_a_refresh_asks_again(kit, sandbox_control):
    station = station_with(kit, availability_cache_seconds=60.0)

    async def scenario():
        async with station:
            first = await station.seats(TEST_EVENT)
            again = await station.seats(TEST_EVENT)
            assert again.fetched_at == first.fetched_at and availability_calls(sandbox_control) == 1
            fresh = await station.seats(TEST_EVENT, refresh=True)
            assert fresh.fetched_at >= first.fetched_at and availability_calls(sandbox_control) == 2
            assert first.fetched_at.tzinfo is UTC or first.fetched_at.utcoffset().total_seconds() == 0
            return station.availability_budget()

    budget = asyncio.run(scenario())
    assert (budget.share, budget.left, budget.key_left) == (3600, 3598, 3598)
    assert budget.words() == "3,598 of 3,600 availability requests left this hour"


def test_stations_sharing_the_key_each_stay_within_their_share(kit, sandbox_control):
    sandbox_control.scenario(quota_availability_per_hour=4)
    station = station_with(kit, availability_stations_per_key=2)

    async def scenario():
        async with station:
            await station.seats(TEST_EVENT)
            second = await station.seats(TEST_EVENT, refresh=True)
            assert second.held_back is None
            third = await station.seats(TEST_EVENT, refresh=True)  # the station's 2 of the key's 4 are spent
            return second, third, station.availability_budget()

    second, third, budget = asyncio.run(scenario())
    assert availability_calls(sandbox_control) == 2
    assert third.availability is second.availability
    assert third.held_back.startswith("This station has used its share of availability requests (2 an hour) "
                                      "until ")
    assert third.retry_at is not None and third.retry_at > datetime.now(UTC)
    assert (budget.share, budget.left, budget.key_left) == (2, 0, 2)
    assert budget.words() == "0 of 2 availability requests left this hour"
    assert budget.details() == ("This station's share: 2 stations share the key's 4 an hour; "
                                "2 are left for the whole key.")


def test_a_429_keeps_the_last_seats_and_says_until_when(kit, sandbox_control):
    sandbox_control.scenario(quota_availability_per_hour=2)
    station = kit.station()

    async def scenario():
        async with station:
            first = await station.seats(TEST_EVENT)
            # Another station on the same key spends the rest of the hour.
            async with httpx.AsyncClient() as other:
                spent = await other.get(f"{kit.sandbox.partner_base}/events/{TEST_EVENT}/availability",
                                        params={"apikey": API_KEY})
                assert spent.status_code == 200
            return first, await station.seats(TEST_EVENT, refresh=True)

    first, refused = asyncio.run(scenario())
    assert refused.availability is first.availability
    assert refused.held_back.startswith("The ticketing service takes no more availability requests until ")
    assert "Seats shown as of" in refused.held_back
    assert refused.retry_at is not None and refused.retry_at > datetime.now(UTC)
    statuses = [r["status"] for r in sandbox_control.log(limit=1000) if r["path"].endswith("/availability")]
    assert statuses[-1] == 429


def test_without_seats_yet_a_spent_budget_is_one_plain_sentence(kit, sandbox_control):
    sandbox_control.scenario(quota_availability_per_hour=0)
    station = kit.station()

    async def scenario():
        async with station:
            await station.seats(TEST_EVENT)

    with pytest.raises(AvailabilityHeldBack, match=r"takes no more availability requests .*No seats were fetched"):
        asyncio.run(scenario())


def test_nor_while_a_given_up_sale_s_cart_is_still_being_deleted(kit, sandbox_control):
    station = kit.station()

    async def scenario():
        async with station:
            first = await station.seats(TEST_EVENT)
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale, 2, ticket_type=first.availability.offers[0].ticket_type_id)
            sandbox_control.scenario(latency_ms=400)  # the DELETE takes a while
            giving_up = asyncio.ensure_future(sale.abandon())
            assert await kit.wait_for(lambda: sale.releasing)
            assert sale.state.terminal  # given up, yet its seats are still held
            during = await station.seats(TEST_EVENT, refresh=True)
            await giving_up
            sandbox_control.scenario(latency_ms=0)
            return during, await station.seats(TEST_EVENT, refresh=True)

    during, after = asyncio.run(scenario())
    assert during.held_back and "while a sale holds seats" in during.held_back
    assert after.held_back is None and availability_calls(sandbox_control) == 2
