"""A journal that cannot be written never turns a sale the service accepted into a failure.

The order is shown and the sale completes; the journal write is kept (spool beside the journal, or
memory when even that fails) and written when the journal can take it again. Before a request
leaves, a journal that cannot be written stops it: no seats held, no order placed.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from app.checkout.notices import StateChanged
from app.checkout.salerecord import JournalUnwritable
from app.checkout.states import CheckoutState
from app.partner.models import ReserveRequest
from tests.checkout.checkoutkit import BUYER, GOOD_CARD, TEST_EVENT, Kit
from tests.diskkit import (
    Locker,
    exclusive_lock,
    fill,
    make_immutable,
    release_immutable,
    require_immutable_files,
    small_disk,
)


def lock_when_committing(sale, locker) -> None:
    """Take the journal's lock the moment the commit is marked (after the mark, before the answer)."""
    def listener(event) -> None:
        if isinstance(event, StateChanged) and event.new is CheckoutState.COMMITTING:
            locker()
    sale.subscribe(listener)


async def reserve_and_pay(kit, sale) -> None:
    await kit.reserve(sale)
    await sale.choose_shipping((await sale.shipping_options())[0].id)
    await sale.pay_card(GOOD_CARD, BUYER)


def test_a_locked_journal_after_the_commit_completes_the_sale_and_the_record_catches_up(kit, sandbox_control):
    journal_file = kit.home / "data" / "journal.sqlite3"
    locker = Locker(journal_file)

    async def scenario():
        station = kit.station()
        await station.start()
        sale = station.new_sale(TEST_EVENT, event_name="Test event")
        await reserve_and_pay(kit, sale)
        lock_when_committing(sale, locker.lock)
        result = await sale.commit()
        shown = (sale.state, sale.record_note, [o.order_number for o in station.books.journal_orders()])
        spool = (kit.home / "data" / "journal-spool.jsonl").read_text()
        locker.release()
        caught_up = await kit.wait_for(lambda: station.orders_waiting_for_journal == 0, rounds=200)
        await station.close()
        return result, shown, spool, caught_up

    result, (state, note, listed), spool, caught_up = asyncio.run(scenario())
    assert result.order_number and state is CheckoutState.COMPLETED
    assert "record of this sale will catch up" in note and "in use by another program" in note
    assert listed == [result.order_number]  # the station's orders show it while it waits
    assert json.loads(spool.splitlines()[0])["order"]["order_number"] == result.order_number
    assert "6011993200001006" not in spool
    assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [result.order_number]
    assert caught_up
    journal = kit.storage().journal
    (order,) = journal.orders()
    assert (order.order_number, order.order_token, order.confirmed) == (result.order_number, result.order_token, True)
    assert journal.open_carts() == []
    assert not (kit.home / "data" / "journal-spool.jsonl").exists()


def test_an_order_left_in_the_spool_is_written_at_the_next_start(kit, sandbox_control):
    journal_file = kit.home / "data" / "journal.sqlite3"
    locker = Locker(journal_file)

    async def first_run():
        station = kit.station()
        await station.start()
        sale = station.new_sale(TEST_EVENT)
        await reserve_and_pay(kit, sale)
        lock_when_committing(sale, locker.lock)
        result = await sale.commit()
        await station.close()  # its last try fails too: the lock is still held
        return result

    result = asyncio.run(first_run())
    spooled = (kit.home / "data" / "journal-spool.jsonl").read_text()
    locker.release()

    async def next_start():
        station = kit.station()
        summary = await station.start()
        notices = station.books.notices
        orders = station.books.journal_orders()
        await station.close()
        return summary, notices, orders

    summary, notices, orders = asyncio.run(next_start())
    assert result.order_number in spooled
    assert [o.order_number for o in orders] == [result.order_number] and orders[0].confirmed
    assert any("now in it" in n for n in notices), notices
    assert not summary  # the sale's cart row was closed with its order: nothing to recover
    assert kit.storage().journal.open_carts() == []
    assert len(sandbox_control.state()["orders"]) == 1


def test_a_locked_journal_before_the_commit_sends_no_commit_and_keeps_the_seats(kit, sandbox_control):
    journal_file = kit.home / "data" / "journal.sqlite3"

    async def scenario():
        station = kit.station()
        await station.start()
        sale = station.new_sale(TEST_EVENT)
        await reserve_and_pay(kit, sale)
        with exclusive_lock(journal_file):
            with pytest.raises(JournalUnwritable) as refused:
                await sale.commit()
            state = sale.state
        result = await sale.commit()  # the lock is gone: placing it again works
        await station.close()
        return refused.value, state, result

    refused, state, result = asyncio.run(scenario())
    assert state is CheckoutState.PAID
    assert "not placed" in refused.user_message and "seats are still held" in refused.user_message
    assert "in use by another program" in refused.user_message
    commits = [c for c in Kit.partner_calls(sandbox_control.log(limit=1000))
               if c == ("PUT", f"/partners/v1/events/{TEST_EVENT}/cart")]
    assert len(commits) == 1 and len(sandbox_control.state()["orders"]) == 1 and result.order_number


def test_a_journal_that_cannot_be_written_holds_no_seats(kit, sandbox_control):
    journal_file = kit.home / "data" / "journal.sqlite3"

    async def scenario():
        station = kit.station()
        await station.start()
        sale = station.new_sale(TEST_EVENT)
        ticket = await kit.ticket_type_for(TEST_EVENT)
        with exclusive_lock(journal_file), pytest.raises(JournalUnwritable) as refused:
            await sale.reserve(ReserveRequest.simple(ticket, 2))
        state = sale.state
        await station.close()
        return refused.value, state

    refused, state = asyncio.run(scenario())
    assert refused.user_message.startswith("No seats were held.") and state is CheckoutState.IDLE
    assert sandbox_control.state()["held_carts"] == []
    assert not [c for c in Kit.partner_calls(sandbox_control.log(limit=1000)) if c[0] == "POST"]


def test_a_full_disk_after_the_commit_keeps_the_order_in_memory_until_space_returns(fresh_sandbox, sandbox_control,
                                                                                    tmp_path):
    with small_disk(tmp_path / "small", "2m") as disk:
        kit = Kit(fresh_sandbox, disk / "station")

        async def scenario():
            station = kit.station()
            await station.start()
            sale = station.new_sale(TEST_EVENT)
            await reserve_and_pay(kit, sale)
            filler = []
            lock_when_committing(sale, lambda: filler.append(fill(disk)))
            result = await sale.commit()
            shown = (sale.state, sale.record_note, [o.order_number for o in station.books.journal_orders()])
            spooled = (disk / "station" / "data" / "journal-spool.jsonl").exists()
            filler[0].unlink()  # space again
            caught_up = await kit.wait_for(lambda: station.orders_waiting_for_journal == 0, rounds=200)
            await station.close()
            return result, shown, spooled, caught_up

        result, (state, note, listed), spooled, caught_up = asyncio.run(scenario())
        assert state is CheckoutState.COMPLETED and result.order_number
        assert "catch up" in note and "the disk is full" in note and "Box Office keeps it" in note
        assert listed == [result.order_number] and not spooled
        assert caught_up
        assert [o.order_number for o in kit.storage().journal.orders()] == [result.order_number]


def test_a_journal_made_read_only_during_the_sale_catches_up_once_writable(kit, sandbox_control):
    data = kit.home / "data"
    require_immutable_files(kit.home)
    # The journal, its WAL and its folder (so no spool either). Not the -shm file: SQLite maps it
    # into memory, and a write to a mapped page of an immutable file is a SIGBUS, not an error.
    paths = [data / "journal.sqlite3", data / "journal.sqlite3-wal", data]

    def make_read_only() -> None:
        make_immutable(*paths)

    async def scenario():
        station = kit.station()
        await station.start()
        sale = station.new_sale(TEST_EVENT)
        await reserve_and_pay(kit, sale)
        lock_when_committing(sale, make_read_only)
        try:
            result = await sale.commit()
            shown = (sale.state, sale.record_note)
        finally:
            release_immutable(*paths)
        caught_up = await kit.wait_for(lambda: station.orders_waiting_for_journal == 0, rounds=200)
        await station.close()
        return result, shown, caught_up

    result, (state, note), caught_up = asyncio.run(scenario())
    assert state is CheckoutState.COMPLETED and "catch up" in note and "it is read-only" in note
    assert caught_up
    assert [o.order_number for o in kit.storage().journal.orders()] == [result.order_number]
