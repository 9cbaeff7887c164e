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
    # what the shift's totals go by: how it was paid, as the sale knew it before the commit left
    assert order.details.get("payment_kind") == "card" and order.details.get("buyer")
    assert "1006" in order.details.get("payment", "") and "6011" not in order.details["payment"]
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
    # A sale the embedded sandbox was placing: only that sandbox's memory can say whether it sold.
    placing = journal.cart_started(TEST_EVENT, run_id="dead-run", backend="embedded", source_account_id="acc-1")
    journal.cart_update(placing, cart_id="cart-being-placed-on-the-sandbox", state="commit_in_doubt")
    journal.close()

    async def scenario():
        station = kit.station()
        summary = await station.start()
        await station.close()
        return summary

    summary = asyncio.run(scenario())
    assert sorted(a.kind for a in summary.actions) == ["cart_gone", "reserve_interrupted"]
    left = kit.storage().journal.open_carts()
    assert [c.backend for c in left] == ["https://partner.elsewhere.example/partners/v1", "embedded"]
    assert left[1].cart_id == "cart-being-placed-on-the-sandbox"  # left for a run on the embedded sandbox


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


def test_a_sale_caught_in_commit_on_the_embedded_sandbox_is_found_in_its_memory(tmp_path):
    """The window's sandbox remembers its orders across starts: a run killed while its commit was on
    the way must find the order the sandbox placed (not say "nothing is held" and lose the sale), and
    a cart whose commit never arrived is not taken for a sale (the sandbox forgets carts, so a gone
    cart proves nothing)."""
    from functools import partial

    from app.checkout.station import Station
    from app.embedded import embedded_sandbox
    from app.storage import StationPaths, StationStorage
    from tests.conftest import SandboxControl, daytime_everywhere

    home, memory = tmp_path / "station", tmp_path / "sandbox-state.json"

    def station() -> Station:
        return Station(StationStorage(StationPaths.under(home)), sandbox=partial(embedded_sandbox, memory))

    def control_of(station: Station) -> SandboxControl:
        control = SandboxControl(station.sandbox.base_url)
        control.scenario(now=daytime_everywhere())
        return control

    async def scenario():
        first = station()
        await first.start()
        control = control_of(first)
        sold = first.new_sale(TEST_EVENT, event_name="Test event")
        ticket = (await first.availability(TEST_EVENT)).offers[0].ticket_type_id
        await sold.reserve(ReserveRequest.simple(ticket, 2))
        await sold.choose_shipping((await sold.shipping_options())[0].id)
        await sold.pay_card(GOOD_CARD, BUYER)
        control.scenario(commit_fault="drop")  # the order is placed, its answer lost
        with pytest.raises(CommitNotSettled):
            await sold.commit()
        control.close()
        sandbox = first.sandbox
        await die(first)
        sandbox.stop()
        # a second sale of the dead run, marked committing, whose commit never left the station
        journal = StationStorage(StationPaths.under(home)).journal
        unsent = journal.cart_started(TEST_EVENT, run_id="dead-run", backend="embedded", event_name="Test event",
                                      source_account_id="never-sold-0001")
        journal.cart_update(unsent, cart_id="cart-whose-commit-never-left", state="committing")
        journal.close()

        second = station()
        summary = await second.start()
        orders = second.books.journal_orders()
        await second.close()
        return sold, summary, orders

    sold, summary, orders = asyncio.run(scenario())
    kinds = {a.cart_id: a.kind for a in summary.actions}
    assert kinds == {sold.cart_id: "order_found", "cart-whose-commit-never-left": "cart_gone"}
    (order,) = orders
    assert order.cart_id == sold.cart_id and not order.confirmed and order.grand_total == sold.cart.totals.grand
    assert order.details.get("payment_kind") == "card" and "1006" in order.details.get("payment", "")
