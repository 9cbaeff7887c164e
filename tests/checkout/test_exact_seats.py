"""Exact seats are never silently swapped: no fall-back to best available unless asked for, and a
cart holding other seats than the ones asked for waits for the cashier to agree or release it."""

from __future__ import annotations

import asyncio

import pytest

from app.checkout.errors import SeatsNotAgreed
from app.checkout.seats import UnknownPlaces, seats_for_places
from app.checkout.states import CheckoutState
from app.partner import errors as perr
from app.partner.models import ReserveRequest
from tests.checkout.checkoutkit import TEST_EVENT


async def two_free_places(station):
    availability = await station.availability(TEST_EVENT)
    tickets = availability.tickets[0]
    for line in tickets.inventory:
        if len(line.places) >= 2:
            places = list(line.places[:2])
            return tickets.offers[0].ticket_type_id, places, seats_for_places(availability, places)
    raise AssertionError("no row with two free seats")


def exact(ticket, places, asked, **options) -> ReserveRequest:
    return ReserveRequest.simple(ticket, len(places), places=places, asked_seats=asked, **options)


def test_exact_seats_already_held_are_refused_not_swapped(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            ticket, places, asked = await two_free_places(station)
            first = station.new_sale(TEST_EVENT)
            await first.reserve(exact(ticket, places, asked))
            second = station.new_sale(TEST_EVENT)
            with pytest.raises(perr.NoInventory):
                await second.reserve(exact(ticket, places, asked))
            after = second.state
            held = sandbox_control.state()["held_carts"]
            await first.abandon()
            return first, after, held

    first, after, held = asyncio.run(scenario())
    assert first.seat_difference is None and first.state is CheckoutState.ABANDONED
    assert after is CheckoutState.IDLE and len(held) == 1
    assert sandbox_control.state()["held_carts"] == []


def test_the_fall_back_when_asked_for_holds_other_seats_that_must_be_agreed_to(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            ticket, places, asked = await two_free_places(station)
            first = station.new_sale(TEST_EVENT)
            await first.reserve(exact(ticket, places, asked))
            second = station.new_sale(TEST_EVENT)
            await second.reserve(exact(ticket, places, asked, accept_best_available=True))
            difference = second.seat_difference
            with pytest.raises(SeatsNotAgreed) as refused:
                await second.choose_shipping((await second.shipping_options())[0].id)
            second.accept_seats()
            await second.choose_shipping((await second.shipping_options())[0].id)
            state = second.state
            await first.abandon()
            await second.abandon()
            return asked, difference, refused.value, state

    asked, difference, refused, state = asyncio.run(scenario())
    assert difference is not None
    asked_words, held_words = difference.describe()
    assert f"row {asked[0].row}" in asked_words and held_words != asked_words
    assert "row" not in " ".join(difference.describe(hide_names=True))  # locRowSeatRestrict: sections only
    assert "other seats than the ones asked for" in refused.user_message
    assert state is CheckoutState.SHIPPING_CHOSEN
    assert sandbox_control.state()["held_carts"] == []


def test_place_ids_that_are_not_free_seats_are_named(kit):
    async def scenario():
        async with kit.station() as station:
            availability = await station.availability(TEST_EVENT)
            with pytest.raises(UnknownPlaces) as unknown:
                seats_for_places(availability, ["NOTAPLACE0000000"])
            return unknown.value

    assert "NOTAPLACE0000000" in asyncio.run(scenario()).user_message
