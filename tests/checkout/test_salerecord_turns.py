"""The reserve's answer is written to the journal at the loop's next turn (while the sale's next request
is on its way), and never after a write that was asked for later (``SaleRecord``)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from app.checkout.salerecord import SaleRecord
from app.storage.journal import Journal
from tests.checkout.checkoutkit import TEST_EVENT


def only_row(journal: Journal):
    (row,) = journal.open_carts()
    return row


def held(journal: Journal) -> SaleRecord:
    """A sale's record whose reserve answered: the held cart's write waits for the loop's next turn."""
    record = SaleRecord(journal, None)
    record.started(TEST_EVENT, asked="2 tickets")
    record.update("the held cart", soon=True, state="reserved", cart_id="C-1", seats="Section 1, row A, seats 1-2")
    return record


def test_the_held_cart_is_written_at_the_next_turn_of_the_loop(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal)
        before = only_row(journal)
        await asyncio.sleep(0)
        return before, only_row(journal)

    before, after = asyncio.run(scenario())
    assert (before.state, before.cart_id, before.seats) == ("reserving", "", "2 tickets")
    assert (after.state, after.cart_id, after.seats) == ("reserved", "C-1", "Section 1, row A, seats 1-2")


def test_the_committing_mark_is_not_undone_by_a_waiting_update(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal).committing(seats="Section 1, row A, seats 1-2", grand_total=Decimal("40.00"), currency_code="USD")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return only_row(journal)

    row = asyncio.run(scenario())
    assert (row.state, row.cart_id, row.grand_total) == ("committing", "C-1", "40.00")


def test_a_cart_handed_to_recovery_keeps_its_id_and_stays_abandoned(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal).hand_to_recovery()
        await asyncio.sleep(0)
        return only_row(journal)

    row = asyncio.run(scenario())
    assert (row.state, row.cart_id) == ("abandoned", "C-1")


def test_a_closed_row_is_not_written_again(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal).closed()
        await asyncio.sleep(0)

    asyncio.run(scenario())
    assert journal.open_carts() == []


def test_without_a_running_loop_the_update_is_made_at_once(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")
    held(journal)
    assert only_row(journal).cart_id == "C-1"


def test_the_next_request_of_a_sale_finds_the_cart_in_the_journal(kit):
    """What recovery needs after a crash: the cart id is in the journal once the next request went out."""

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            options = sale.shipping_options()  # the request goes out on the loop's next turns
            task = asyncio.ensure_future(options)
            await asyncio.sleep(0)
            during = only_row(kit.storage().journal)
            await task
            return sale.cart_id, during

    cart_id, during = asyncio.run(scenario())
    assert cart_id and during.cart_id == cart_id and during.state == "reserved"

