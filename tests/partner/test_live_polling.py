"""Polling against the live sandbox: forced 202s with progress, cancelling (event, asyncio
cancellation, overall limit) leaves no held cart, and one call at a time per cart."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from app.partner.errors import ConnectionLost, PartnerError, PollingCancelled, PollingTimedOut
from app.partner.models import ReserveRequest
from tests.partner.partnerkit import CONTACT, TEST_CARD, TEST_EVENT, client_for, first_offer, pay_and_commit, run


def _polls(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(limit=1000) if "/polling/" in r["path"]]


def test_scenario_polling_reports_progress_on_every_polled_endpoint(config, sandbox_control):
    progress = []

    async def scenario():
        async with client_for(config) as client:
            offer = await first_offer(client, TEST_EVENT)
            sandbox_control.scenario(force_polling_rounds=2, polling_wait=1)
            cart = await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 2),
                                        progress=progress.append)
            reserve_progress = list(progress)
            options = await client.shipping_options(TEST_EVENT, cart.cart_id)
            await client.select_shipping(TEST_EVENT, cart.cart_id, options[0].id, progress=progress.append)
            result = await pay_and_commit(client, TEST_EVENT, cart)
            order = await client.order(result.order_token, progress=progress.append)
            return cart, reserve_progress, result, order

    cart, reserve_progress, result, order = run(scenario())
    assert cart.cart_id and order.order_number == result.order_number
    assert {p.operation for p in reserve_progress} == {"reserve"}
    assert [p.round for p in reserve_progress if p.seconds_until_next_try == 1] == [1, 2]
    assert {p.operation for p in progress} >= {"reserve", "select shipping", "order"}
    # Reserve, select shipping, commit and order each answered 202 twice.
    assert len(_polls(sandbox_control)) >= 8


def test_forced_polling_header_is_followed(config, sandbox_control):
    forced = replace(config, force_polling=True)

    async def scenario():
        async with client_for(forced) as client:
            offer = await first_offer(client, TEST_EVENT)
            progress = []
            cart = await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 1),
                                        progress=progress.append)
            deleted = await client.delete_cart(TEST_EVENT, cart.cart_id)
            return cart, deleted, progress

    cart, deleted, progress = run(scenario())
    assert cart.cart_id and deleted and progress[0].round == 1
    assert [r["method"] for r in _polls(sandbox_control)] == ["GET", "GET"]  # one poll each
    assert sandbox_control.state()["held_carts"] == []


def _slow_polling(sandbox_control, rounds: int = 5) -> None:
    sandbox_control.scenario(force_polling_rounds=rounds, polling_wait=1)


def test_cancel_event_during_reserve_polling_leaves_no_held_cart(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            offer = await first_offer(client, TEST_EVENT)
            _slow_polling(sandbox_control)
            cancel = asyncio.Event()
            seen = []

            def on_progress(update):
                seen.append(update)
                if update.round == 2:
                    cancel.set()

            with pytest.raises(PollingCancelled) as caught:
                await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 2),
                                     progress=on_progress, cancel=cancel)
            held_while_finishing = sandbox_control.state()["held_carts"]
            await client.wait_for_cleanup()
            return caught.value, held_while_finishing, seen

    error, held_while_finishing, seen = run(scenario())
    assert error.user_message and max(p.round for p in seen) == 2  # progress fell silent after cancelling
    assert len(held_while_finishing) == 1  # the reserve had gone through on the service...
    state = sandbox_control.state()
    assert state["held_carts"] == []  # ...and its cart was deleted once known
    assert state["seats_held"].get(TEST_EVENT, 0) == 0


def test_asyncio_cancellation_of_a_reserve_deletes_its_cart(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            offer = await first_offer(client, TEST_EVENT)
            _slow_polling(sandbox_control, rounds=3)
            started = asyncio.Event()
            task = asyncio.ensure_future(client.reserve(
                TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 2), progress=lambda u: started.set()))
            await started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        # Leaving the ``async with`` waited for the background clean-up.

    run(scenario())
    assert sandbox_control.state()["held_carts"] == []
    deletes = [r for r in sandbox_control.log(limit=1000) if r["method"] == "DELETE"]
    assert len(deletes) == 1


def test_overall_polling_limit_gives_up_and_still_cleans_up(config, sandbox_control):
    limited = replace(config, max_polling_seconds=2.5)

    async def scenario():
        async with client_for(limited) as client:
            offer = await first_offer(client, TEST_EVENT)
            _slow_polling(sandbox_control, rounds=4)
            with pytest.raises(PollingTimedOut) as caught:
                await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 2))
            return caught.value

    error = run(scenario())
    assert error.retryable
    assert sandbox_control.state()["held_carts"] == []


def test_calls_on_one_cart_are_serialized(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            offer = await first_offer(client, TEST_EVENT)
            cart = await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 2))
            options = await client.shipping_options(TEST_EVENT, cart.cart_id)
            sandbox_control.scenario(force_polling_rounds=1, polling_wait=1, latency_ms=50)
            # A cashier double-clicking everything at once: none of it may overlap on the service.
            return await asyncio.gather(
                client.select_shipping(TEST_EVENT, cart.cart_id, options[0].id),
                client.shipping_options(TEST_EVENT, cart.cart_id),
                client.select_shipping(TEST_EVENT, cart.cart_id, options[-1].id),
                client.shipping_options(TEST_EVENT, cart.cart_id),
            )

    results = run(scenario())
    assert len(results) == 4
    assert not [r for r in sandbox_control.log(limit=1000) if r["status"] == 409]


def test_a_commit_left_while_polling_can_be_resumed(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            offer = await first_offer(client, TEST_EVENT)
            cart = await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 1))
            cart = await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, TEST_CARD, CONTACT, cart.unpaid)
            _slow_polling(sandbox_control, rounds=3)
            cancel = asyncio.Event()
            seen = []

            def on_progress(update):
                seen.append(update)
                cancel.set()

            with pytest.raises(PollingCancelled) as caught:
                await client.commit(TEST_EVENT, cart.cart_id, progress=on_progress, cancel=cancel)
            error = caught.value
            assert error.outcome_unknown and error.polling_url and error.polling_url not in repr(error)
            result = await client.resume.commit(error.polling_url)
            return cart, seen, result

    cart, seen, result = run(scenario())
    assert seen[0].cart_id == cart.cart_id
    assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [result.order_number]


def test_a_lost_poll_answer_carries_where_to_resume(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            offer = await first_offer(client, TEST_EVENT)
            cart = await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 1))
            cart = await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, TEST_CARD, CONTACT, cart.unpaid)
            sandbox_control.scenario(force_polling_rounds=1, polling_wait=1, commit_fault="drop")
            with pytest.raises(ConnectionLost) as caught:
                await client.commit(TEST_EVENT, cart.cart_id)
            # The service had already given its (lost) final answer: resuming cannot repeat it.
            with pytest.raises(PartnerError) as resumed:
                await client.resume.commit(caught.value.polling_url)
            return caught.value, resumed.value

    lost, resumed = run(scenario())
    assert lost.outcome_unknown and "cart_id=" in lost.polling_url
    assert not isinstance(resumed, ConnectionLost)
    assert len(sandbox_control.state()["orders"]) == 1


def test_closing_gives_up_on_clean_up_after_its_timeout(config, sandbox_control):
    async def scenario():
        client = client_for(config)
        offer = await first_offer(client, TEST_EVENT)
        _slow_polling(sandbox_control, rounds=30)
        cancel = asyncio.Event()
        cancel.set()  # the cashier gave up at once
        with pytest.raises(PollingCancelled):
            await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 2), cancel=cancel)
        finished = await client.wait_for_cleanup(timeout=3)
        await client.aclose(cleanup_timeout=0)
        return finished

    assert run(scenario()) is False
    # Still held on the service: the checkout's journal and start-up recovery take it from here.
    assert len(sandbox_control.state()["held_carts"]) == 1
