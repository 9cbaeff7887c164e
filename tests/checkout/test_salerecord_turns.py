"""The reserve's answer is written to the journal once the sale's next request has left (while its
answer is awaited), within a few milliseconds when no request follows, and never after a write that
was asked for later (``SaleRecord``)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from app.checkout import salerecord
from app.checkout.salerecord import HELD_WRITE_WAIT_SECONDS, SaleRecord
from app.storage.journal import Journal
from tests.checkout.checkoutkit import TEST_EVENT
from tests.diskkit import exclusive_lock

PAST_THE_WAIT = HELD_WRITE_WAIT_SECONDS + 0.05


def only_row(journal: Journal):
    (row,) = journal.open_carts()
    return row


def held(journal: Journal, when_sent=None) -> SaleRecord:
    """A sale's record whose reserve answered: the held cart's write waits (for the next request to
    leave when ``when_sent`` is given, at most ``HELD_WRITE_WAIT_SECONDS``)."""
    record = SaleRecord(journal, None, when_sent=when_sent)
    record.started(TEST_EVENT, asked="2 tickets")
    record.update("the held cart", soon=True, state="reserved", cart_id="C-1", seats="Section 1, row A, seats 1-2")
    return record


def reserving_then_held(before, after) -> None:
    """The row said "reserving" (what was asked for) before the write, and the held cart after it."""
    assert (before.state, before.cart_id, before.seats) == ("reserving", "", "2 tickets")
    assert (after.state, after.cart_id, after.seats) == ("reserved", "C-1", "Section 1, row A, seats 1-2")


def test_the_held_cart_is_written_once_the_next_request_has_left(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")
    sent: list = []  # what the HTTP layer runs once its next request has left

    async def scenario():
        held(journal, when_sent=sent.append)
        await asyncio.sleep(0)
        before = only_row(journal)
        for work in sent:
            work()
        return before, only_row(journal)

    reserving_then_held(*asyncio.run(scenario()))


def test_the_held_cart_is_written_soon_when_no_request_follows(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal, when_sent=lambda work: None)  # no request ever leaves
        await asyncio.sleep(PAST_THE_WAIT)
        return only_row(journal)

    row = asyncio.run(scenario())
    assert (row.state, row.cart_id) == ("reserved", "C-1")


def test_the_committing_mark_is_not_undone_by_a_waiting_update(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal).committing(seats="Section 1, row A, seats 1-2", grand_total=Decimal("40.00"), currency_code="USD")
        await asyncio.sleep(PAST_THE_WAIT)  # the held cart's deadline has come and gone
        return only_row(journal)

    row = asyncio.run(scenario())
    assert (row.state, row.cart_id, row.grand_total) == ("committing", "C-1", "40.00")


def test_a_cart_handed_to_recovery_keeps_its_id_and_stays_abandoned(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal).hand_to_recovery()
        await asyncio.sleep(PAST_THE_WAIT)  # the held cart's deadline has come and gone
        return only_row(journal)

    row = asyncio.run(scenario())
    assert (row.state, row.cart_id) == ("abandoned", "C-1")


def test_a_closed_row_is_not_written_again(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")

    async def scenario():
        held(journal).closed()
        await asyncio.sleep(PAST_THE_WAIT)  # the held cart's deadline has come and gone

    asyncio.run(scenario())
    assert journal.open_carts() == []


def test_a_held_cart_write_that_fails_is_logged_and_the_sale_goes_on(tmp_path, caplog):
    """Another program holds the journal when the waiting write is made: the write is lost and said in
    the log, nothing is raised into the sale's request path, and the sale's next mark is written."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path, busy_timeout=0.2)
    sent: list = []

    async def scenario():
        record = held(journal, when_sent=sent.append)
        await asyncio.sleep(0)
        with exclusive_lock(path):
            for work in sent:
                work()  # what the HTTP layer runs once the next request has left: must not raise
        record.committing(seats="Section 1, row A, seats 1-2", grand_total=Decimal("40.00"), currency_code="USD")
        return only_row(journal)

    with caplog.at_level("WARNING", logger="app.checkout.salerecord"):
        row = asyncio.run(scenario())
    assert [r.getMessage() for r in caplog.records] == [
        "the journal could not record the held cart (locked); the sale goes on"
    ]
    assert (row.state, row.grand_total) == ("committing", "40.00")


def test_without_a_running_loop_the_update_is_made_at_once(tmp_path):
    journal = Journal(tmp_path / "journal.sqlite3")
    held(journal)
    assert only_row(journal).cart_id == "C-1"


def test_the_cart_is_in_the_journal_while_the_next_request_awaits_its_answer(kit, sandbox_control, monkeypatch):
    """What recovery needs after a crash: the cart id is in the journal while the sale's next request
    waits for its answer (the sandbox holds every answer back 300 ms). The fallback wait is made
    long, so only the request having left can have written it."""
    monkeypatch.setattr(salerecord, "HELD_WRITE_WAIT_SECONDS", 30.0)

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            sandbox_control.scenario(latency_ms=300)
            await asyncio.sleep(0.05)
            before = only_row(kit.storage().journal)  # no request has left since the reserve's answer
            task = asyncio.ensure_future(sale.shipping_options())
            await asyncio.sleep(0.15)
            during = only_row(kit.storage().journal)
            answered_by_then = task.done()
            await task
            return sale.cart_id, before, during, answered_by_then

    cart_id, before, during, answered_by_then = asyncio.run(scenario())
    assert (before.state, before.cart_id) == ("reserving", "")
    assert not answered_by_then
    assert cart_id and during.cart_id == cart_id and during.state == "reserved"

