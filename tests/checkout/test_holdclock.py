"""The hold clock counts on a monotonic clock from each cart answer's hold_time; when it runs out
before the service's, the cart is deleted so no seats stay held."""

import asyncio

from app.checkout.holdclock import HoldClock
from app.checkout.notices import HoldExpired
from app.checkout.states import CheckoutState
from tests.checkout.checkoutkit import TEST_EVENT


def test_hold_clock_restarts_from_each_answer_and_lapses():
    now = [100.0]
    clock = HoldClock(monotonic=lambda: now[0])
    assert clock.seconds_left() is None and not clock.lapsed
    clock.refresh(299)
    now[0] += 99
    assert clock.seconds_left() == 200
    clock.refresh(None)  # an answer without hold_time keeps the deadline
    assert clock.seconds_left() == 200
    clock.refresh(299)
    assert clock.seconds_left() == 299 and clock.hold_length == 299
    now[0] += 300
    assert clock.seconds_left() == 0 and clock.lapsed
    clock.stop()
    assert not clock.running and clock.seconds_left() is None


class EarlyClock(HoldClock):
    """Runs out after one second whatever the service says: the service still holds the cart then."""

    def refresh(self, hold_time):
        super().refresh(None if hold_time is None else min(hold_time, 1))


def test_when_our_clock_runs_out_first_the_cart_is_deleted_and_closed(kit, sandbox_control):
    expired = []

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT, hold_clock=EarlyClock())
            gone = asyncio.Event()
            sale.subscribe(lambda e: (expired.append(e), gone.set()) if isinstance(e, HoldExpired) else None)
            await kit.reserve(sale)
            assert len(sandbox_control.state()["held_carts"]) == 1  # the service's hold is far longer
            await asyncio.wait_for(gone.wait(), 30)
            await sale.wait_for_cleanup()
            return sale

    sale = asyncio.run(scenario())
    assert sale.state is CheckoutState.EXPIRED and [e.cart_id for e in expired] == [sale.cart_id]
    assert sandbox_control.state()["held_carts"] == []
    assert ("DELETE", f"/partners/v1/events/{TEST_EVENT}/cart") in kit.partner_calls(sandbox_control.log(limit=50))
    assert kit.storage().journal.open_carts() == []


class ExtendedClock(HoldClock):
    """The reserve's answer holds the cart for a moment, the next answer for long (the service
    moved the hold on)."""

    def __init__(self):
        super().__init__()
        self.answers = 0

    def refresh(self, hold_time):
        self.answers += 1
        super().refresh(None if hold_time is None else (0.3 if self.answers == 1 else hold_time))


def test_a_hold_moved_on_by_a_later_answer_does_not_run_out_at_the_earlier_deadline(kit):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT, hold_clock=ExtendedClock())
            expired = []
            sale.subscribe(lambda e: expired.append(e) if isinstance(e, HoldExpired) else None)
            await kit.reserve(sale)
            options = await sale.shipping_options()
            await sale.choose_shipping(options[0].id)
            await asyncio.sleep(0.6)  # past the reserve answer's deadline
            state, left = sale.state, sale.seconds_left()
            await sale.abandon()
            return state, left, expired

    state, left, expired = asyncio.run(scenario())
    assert state is CheckoutState.SHIPPING_CHOSEN and expired == []
    assert left is not None and left > 60
