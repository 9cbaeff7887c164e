"""A whole sale through CheckoutSession against the live sandbox: states, journal, calls made."""

from __future__ import annotations

import asyncio

import pytest

from app.checkout.errors import IllegalTransition
from app.checkout.notices import CartUpdated, PollingUpdate, StateChanged
from app.checkout.states import CheckoutState
from app.partner import errors as perr
from tests.checkout.checkoutkit import BUYER, GOOD_CARD, TEST_EVENT

S = CheckoutState


def test_full_purchase_walks_every_state_and_lands_in_the_journal(kit, sandbox_control):
    seen = []

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT, event_name="Test event")
            sale.subscribe(seen.append)
            result = await kit.sell(sale)
            return sale, result, station.books.journal_orders()

    sale, result, orders = asyncio.run(scenario())
    states = [e.new for e in seen if isinstance(e, StateChanged)]
    assert states == [S.RESERVING, S.RESERVED, S.SHIPPING_CHOSEN, S.PAID, S.COMMITTING, S.COMPLETED]
    assert any(isinstance(e, CartUpdated) and e.seconds_left and e.seconds_left > 0 for e in seen)
    assert result.order_number and result.order_token
    (stored,) = orders
    assert (stored.order_number, stored.order_token, stored.event_name) == (
        result.order_number,
        result.order_token,
        "Test event",
    )
    assert stored.grand_total == result.grand_total and stored.confirmed
    assert stored.seats and stored.cart_id == sale.cart_id
    state = sandbox_control.state()
    assert [o["order_token"] for o in state["orders"]] == [result.order_token]
    assert state["held_carts"] == []
    assert kit.storage().journal.open_carts() == []


def test_purchase_with_warm_certificate_makes_exactly_the_five_calls(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            ticket_type = await kit.ticket_type_for(TEST_EVENT)
            await kit.sell(station.new_sale(TEST_EVENT), ticket_type=ticket_type)  # warms the certificate
            before = len(sandbox_control.log(limit=1000))
            await kit.sell(station.new_sale(TEST_EVENT), ticket_type=ticket_type)
            return sandbox_control.log(limit=1000)[before:]

    calls = kit.partner_calls(asyncio.run(scenario()))
    cart = f"/partners/v1/events/{TEST_EVENT}/cart"
    assert calls == [
        ("POST", cart),
        ("GET", cart + "/shipping"),
        ("PUT", cart + "/shipping"),
        ("PUT", cart + "/payment"),
        ("PUT", cart),
    ]


def test_forced_polling_is_reported_and_the_sale_completes(kit, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=1)
    updates = []

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            sale.subscribe(lambda e: updates.append(e) if isinstance(e, PollingUpdate) else None)
            return await kit.sell(sale)

    result = asyncio.run(scenario())
    assert result.order_number
    assert {u.progress.round for u in updates} >= {1, 2}
    assert any("/polling/" in r["path"] for r in sandbox_control.log(limit=1000))
    assert len(sandbox_control.state()["orders"]) == 1


def test_polling_forced_by_the_request_header(kit, sandbox_control):
    async def scenario():
        async with kit.station(force_polling=True) as station:
            return await kit.sell(station.new_sale(TEST_EVENT))

    assert asyncio.run(scenario()).order_number
    calls = kit.partner_calls(sandbox_control.log(limit=1000))
    polls = [path for method, path in calls if "/polling/" in path]
    assert len(polls) >= 3  # reserve, shipping PUT and commit each answered 202 once first
    assert len(sandbox_control.state()["orders"]) == 1


def test_abandon_deletes_the_cart_and_the_journal_forgets_it(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            held = sandbox_control.state()["held_carts"]
            await sale.abandon()
            with pytest.raises(IllegalTransition):
                await sale.choose_shipping("never-sent")
            return sale, held

    sale, held = asyncio.run(scenario())
    assert [c["cart_id"] for c in held] == [sale.cart_id]
    assert sale.state is S.ABANDONED
    assert sandbox_control.state()["held_carts"] == []
    assert kit.storage().journal.open_carts() == []


def test_abandon_while_the_reserve_is_still_polling_leaves_nothing_held(kit, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=3, polling_wait=1)

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            polling = asyncio.Event()
            sale.subscribe(lambda e: polling.set() if isinstance(e, PollingUpdate) else None)
            reserve = asyncio.ensure_future(kit.reserve(sale))
            await asyncio.wait_for(polling.wait(), 30)
            await sale.abandon()
            with pytest.raises(perr.PollingCancelled):
                await reserve
            # The reserve finishes on the service in the background; the client then deletes the cart.
            assert await kit.wait_for(
                lambda: (
                    not sandbox_control.state()["held_carts"]
                    and not sandbox_control.state()["seats_held"].get(TEST_EVENT)
                ),
                rounds=200,
                step=0.1,
            )
            return sale

    sale = asyncio.run(scenario())
    assert sale.state is S.ABANDONED
    assert kit.storage().journal.open_carts() == []
    assert sandbox_control.state()["orders"] == []


@pytest.mark.parametrize(
    "code, error", [(20122, perr.PaymentDeclined), (20129, perr.InsufficientFunds), (20152, perr.InvalidSecurityCode)]
)
def test_declined_payment_leaves_the_sale_payable(kit, sandbox_control, code, error):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            options = await sale.shipping_options()
            await sale.choose_shipping(options[0].id)
            sandbox_control.scenario(next_payment_decline=code)
            with pytest.raises(error) as refused:
                await sale.pay_card(GOOD_CARD, BUYER)
            assert sale.state is S.SHIPPING_CHOSEN
            await sale.pay_card(GOOD_CARD, BUYER)
            return refused.value, await sale.commit()

    refused, result = asyncio.run(scenario())
    assert refused.user_message and "Traceback" not in refused.user_message
    assert result.order_number
    assert len(sandbox_control.state()["orders"]) == 1


def test_illegal_moves_raise_and_change_nothing(kit):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            with pytest.raises(IllegalTransition):
                await sale.commit()
            with pytest.raises(IllegalTransition):
                await sale.pay_card(GOOD_CARD, BUYER)
            assert sale.state is S.IDLE
            await kit.reserve(sale)
            with pytest.raises(IllegalTransition):
                await sale.commit()  # not paid yet
            assert sale.state is S.RESERVED
            with pytest.raises(IllegalTransition):
                await kit.reserve(sale)
            await sale.abandon()

    asyncio.run(scenario())


def test_invoice_sale_straight_from_reserved_without_choosing_shipping(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale, quantity=1)
            cart = await sale.pay_invoice("4711", BUYER)
            assert sale.state is S.PAID and cart.unpaid == 0
            return await sale.commit()

    result = asyncio.run(scenario())
    assert [o["order_token"] for o in sandbox_control.state()["orders"]] == [result.order_token]


def test_a_listener_that_raises_does_not_break_the_sale(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            sale.subscribe(lambda event: 1 / 0)
            seen = []
            unsubscribe = sale.subscribe(seen.append)
            await kit.reserve(sale)
            unsubscribe()
            count = len(seen)
            await sale.abandon()
            return count, len(seen)

    before, after = asyncio.run(scenario())
    assert before > 0 and after == before
    assert sandbox_control.state()["held_carts"] == []
