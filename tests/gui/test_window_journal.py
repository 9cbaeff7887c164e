"""The window when the station's journal cannot be written: a sold order is shown as sold, with a
note that the station's record will catch up; an order not placed says so and keeps the seats."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QLabel, QPushButton

from app.checkout.notices import StateChanged
from app.checkout.states import CheckoutState
from tests.gui.windowkit import (
    TEST_EVENT,
    choose_delivery,
    click,
    fill_payment,
    find,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
    shown,
)


class JournalLock:
    def __init__(self, path) -> None:
        self.path = path
        self.db = None

    def take(self) -> None:
        if self.db is None:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self.db.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self.db is not None:
            self.db.execute("ROLLBACK")
            self.db.close()
            self.db = None


def test_an_order_the_journal_cannot_take_is_shown_with_a_catch_up_note(window, run, until, qtbot, sandbox_control):
    lock = JournalLock(window.station.storage.paths.journal_file)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 2)
        flow.session.subscribe(lambda e: lock.take() if isinstance(e, StateChanged)
                               and e.new is CheckoutState.COMMITTING else None)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, flow)
        number = await pay_and_commit(window, qtbot, until)
        assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [number]
        assert shown(flow, "recordNote")
        assert "record of this sale will catch up" in find(flow, "recordNote", QLabel).text()
        assert "The sale itself is done" in find(flow, "recordNote", QLabel).text()
        lock.release()
        await until(lambda: window.station.orders_waiting_for_journal == 0, 30, what="the journal caught up")
        assert number in [o.order_number for o in window.station.journal.orders()]
        click(qtbot, find(flow, "newSaleButton", QPushButton))

    try:
        run(steps())
    finally:
        lock.release()


def test_a_commit_the_journal_cannot_mark_is_not_sent_and_can_be_placed_again(window, run, until, qtbot,
                                                                             sandbox_control):
    lock = JournalLock(window.station.storage.paths.journal_file)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, flow)
        pay = find(flow, "payButton", QPushButton)
        await until(pay.isEnabled, 10, what="Pay enabled")
        click(qtbot, pay)
        commit = find(flow, "commitButton", QPushButton)
        await until(lambda: shown(flow, "commitButton") and commit.isEnabled(), 30, what="review page")
        lock.take()
        click(qtbot, commit)
        await until(lambda: flow.banner.current is not None, 30, what="the refusal explained")
        sentence = flow.banner.current.sentence
        assert "not placed" in sentence and "seats are still held" in sentence
        assert sandbox_control.state()["orders"] == [] and len(sandbox_control.state()["held_carts"]) == 1
        lock.release()
        await until(commit.isEnabled, 10, what="Place order enabled again")
        click(qtbot, commit)
        await until(lambda: shown(flow, "orderNumberLabel") and find(flow, "orderNumberLabel", QLabel).text(), 60,
                    what="order confirmation")
        assert not shown(flow, "recordNote")
        assert len(sandbox_control.state()["orders"]) == 1

    try:
        run(steps())
    finally:
        lock.release()
