"""Start-up recovery: carts left by a run that died are released; a live run's carts are not."""

from __future__ import annotations

import asyncio

import pytest

from app.checkout.errors import CommitNotSettled
from app.partner.models import ReserveRequest
from tests.checkout.checkoutkit import BUYER, GOOD_CARD, TEST_EVENT


async def die(station) -> None:
    """What a crash leaves behind: the run's lock is gone, its carts stay in the journal."""
    station.run_lock.release()
    station._sessions.clear()  # a dead process abandons nothing
    await station.client.aclose()
    station.storage.close()


def test_a_cart_held_by_a_dead_run_is_deleted_at_the_next_start(kit, sandbox_control):
    async def scenario():
        first = kit.station()
        await first.start()
        sale = first.new_sale(TEST_EVENT, event_name="Test event")
        await kit.reserve(sale)
        await sale.choose_shipping((await sale.shipping_options())[0].id)
        held = sandbox_control.state()["held_carts"]
        await die(first)

        second = kit.station()
        summary = await second.start()
        await second.close()
        return sale.cart_id, held, summary

    cart_id, held, summary = asyncio.run(scenario())
    assert [c["cart_id"] for c in held] == [cart_id]
    assert [(a.kind, a.cart_id) for a in summary.actions] == [("cart_deleted", cart_id)]
    assert "Test event" in summary.lines[0] and "released" in summary.lines[0]
    assert sandbox_control.state()["held_carts"] == []
    journal = kit.storage().journal
    assert journal.open_carts() == []
    assert [(e.kind, e.cart_id) for e in journal.recovery_log()] == [("cart_deleted", cart_id)]


def test_a_live_run_keeps_its_cart(kit, sandbox_control):
    async def scenario():
        first = kit.station()
        await first.start()
        sale = first.new_sale(TEST_EVENT)
        await kit.reserve(sale)
        second = kit.station()
        summary = await second.start()
        still_held = sandbox_control.state()["held_carts"]
        await second.close()
        await first.close()  # closing abandons the unfinished sale
        return sale, summary, still_held

    sale, summary, still_held = asyncio.run(scenario())
    assert not summary and [c["cart_id"] for c in still_held] == [sale.cart_id]
    assert sandbox_control.state()["held_carts"] == []


def test_a_dead_run_caught_in_commit_is_settled_not_recommitted(kit, sandbox_control):
    async def scenario():
        first = kit.station()
        await first.start()
        sale = first.new_sale(TEST_EVENT)
        await kit.reserve(sale)
        await sale.pay_card(GOOD_CARD, BUYER)
        sandbox_control.scenario(commit_fault="drop")
        with pytest.raises(CommitNotSettled):
            await sale.commit()
        await die(first)

        second = kit.station()
        summary = await second.start()
        orders = second.books.journal_orders()
        await second.close()
        return sale, summary, orders

    sale, summary, orders = asyncio.run(scenario())
    assert [a.kind for a in summary.actions] == ["order_found"]
    (order,) = orders
    assert order.cart_id == sale.cart_id and not order.confirmed
    assert order.seats and order.grand_total == sale.cart.totals.grand and order.currency_code == "USD"
    assert len(sandbox_control.state()["orders"]) == 1
    commits = [c for c in kit.partner_calls(sandbox_control.log(limit=1000))
               if c == ("PUT", f"/partners/v1/events/{TEST_EVENT}/cart")]
    assert len(commits) == 1


def test_interrupted_reserves_and_other_backends(kit, sandbox_control):
    journal = kit.storage().journal
    journal.cart_started(TEST_EVENT, run_id="dead-run", backend=f"{kit.sandbox.partner_base}")
    journal.cart_started(TEST_EVENT, run_id="dead-run", backend="https://partner.elsewhere.example/partners/v1")
    embedded = journal.cart_started(TEST_EVENT, run_id="dead-run", backend="embedded")
    journal.cart_identified(embedded, "cart-on-a-stopped-sandbox")
    journal.close()

    async def scenario():
        station = kit.station()
        summary = await station.start()
        await station.close()
        return summary

    summary = asyncio.run(scenario())
    assert sorted(a.kind for a in summary.actions) == ["cart_gone", "reserve_interrupted"]
    left = kit.storage().journal.open_carts()
    assert [c.backend for c in left] == ["https://partner.elsewhere.example/partners/v1"]


def test_closing_retries_the_delete_of_a_cart_it_could_not_release(kit, sandbox_control):
    async def scenario():
        station = kit.station()
        await station.start()
        # A cart this run abandoned while the service was unreachable, as the journal keeps it.
        cart = await station.client.reserve(TEST_EVENT, ReserveRequest.simple(await kit.ticket_type_for(TEST_EVENT), 1))
        row = station.journal.cart_started(TEST_EVENT, run_id=station.run_lock.run_id, backend=station.backend_id)
        station.journal.cart_update(row, state="abandoned", cart_id=cart.cart_id)
        held = sandbox_control.state()["held_carts"]
        await station.close()
        return cart, held

    cart, held = asyncio.run(scenario())
    assert [c["cart_id"] for c in held] == [cart.cart_id]
    assert sandbox_control.state()["held_carts"] == []
    assert kit.storage().journal.open_carts() == []
