"""What the service throws at a sale: commit in doubt, expiry, captcha, niterun, quota."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from app.checkout.errors import CommitNotSettled, IllegalTransition
from app.checkout.notices import CommitInDoubt, CommitSettled, HoldExpired, SettleOutcome
from app.checkout.states import CheckoutState
from app.partner import errors as perr
from tests.checkout.checkoutkit import BUYER, CAPTCHA_EVENT, GOOD_CARD, TEST_EVENT

S = CheckoutState


@pytest.mark.parametrize("fault", ["drop", "502", "504"])
def test_commit_in_doubt_settles_to_exactly_one_order(kit, sandbox_control, fault):
    events = []

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            sale.subscribe(events.append)
            await kit.reserve(sale)
            await sale.choose_shipping((await sale.shipping_options())[0].id)
            await sale.pay_card(GOOD_CARD, BUYER)
            sandbox_control.scenario(commit_fault=fault)
            with pytest.raises(CommitNotSettled):
                await sale.commit()
            assert sale.state is S.COMMIT_IN_DOUBT
            assert kit.storage().journal.open_carts()[0].state == "commit_in_doubt"
            # Nothing else may happen before it is settled.
            for attempt in (sale.commit(), sale.choose_shipping("never-sent"), sale.abandon(),
                            sale.pay_card(GOOD_CARD, BUYER)):
                with pytest.raises(CommitNotSettled):
                    await attempt
            result = await sale.settle()
            return sale, result, station.books.journal_orders()

    sale, result, orders = asyncio.run(scenario())
    assert sale.state is S.COMPLETED and result is not None
    assert any(isinstance(e, CommitInDoubt) for e in events)
    settled = [e for e in events if isinstance(e, CommitSettled)]
    assert [e.outcome for e in settled] == [SettleOutcome.COMMITTED_UNCONFIRMED]
    state = sandbox_control.state()
    assert len(state["orders"]) == 1 and state["held_carts"] == []
    commits = [
        c
        for c in kit.partner_calls(sandbox_control.log(limit=1000))
        if c == ("PUT", f"/partners/v1/events/{TEST_EVENT}/cart")
    ]
    assert len(commits) == 1  # never sent twice
    (stored,) = orders
    assert stored.cart_id == sale.cart_id and not stored.confirmed
    assert stored.grand_total == sale.cart.totals.grand
    assert kit.storage().journal.open_carts() == []
    assert [e.kind for e in kit.storage().journal.recovery_log()] == ["commit_settled"]


def test_a_lost_answer_to_a_polled_commit_still_settles_to_one_order(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            await sale.pay_card(GOOD_CARD, BUYER)
            sandbox_control.scenario(force_polling_rounds=1, polling_wait=1, commit_fault="drop")
            with pytest.raises(CommitNotSettled):
                await sale.commit()
            return sale, await sale.settle()

    sale, result = asyncio.run(scenario())
    assert sale.state is S.COMPLETED and result is not None
    assert len(sandbox_control.state()["orders"]) == 1


def test_a_commit_that_outlasts_the_polling_limit_settles_with_its_order_number(kit, sandbox_control):
    storage = kit.storage()
    storage.save_settings(dataclasses.replace(storage.settings, max_polling_seconds=3.0))
    storage.close()

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            await sale.pay_card(GOOD_CARD, BUYER)
            sandbox_control.scenario(force_polling_rounds=4, polling_wait=1)
            with pytest.raises(CommitNotSettled) as doubt:
                await sale.commit()  # the station stops waiting after 3 s; the poll goes on
            assert isinstance(doubt.value.cause, perr.PollingTimedOut)
            return sale, await sale.settle()

    sale, result = asyncio.run(scenario())
    assert sale.state is S.COMPLETED and sale.confirmed
    orders = sandbox_control.state()["orders"]
    assert [o["order_number"] for o in orders] == [result.order_number]
    (stored,) = kit.storage().journal.orders()
    assert stored.order_token == result.order_token and stored.confirmed


def test_settle_finds_an_uncommitted_cart_and_allows_the_commit(kit, sandbox_control):
    """A commit refused before it reached the cart (here: a 502 on a cart that was not committed
    is simulated by settling straight after payment) must come back as 'not committed'."""

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            await sale.pay_card(GOOD_CARD, BUYER)
            with pytest.raises(IllegalTransition):
                await sale.settle()  # only a commit in doubt can be settled
            from app.checkout.settle import settle_commit

            settlement = await settle_commit(
                station.client,
                station.journal,
                event_id=TEST_EVENT,
                cart_id=sale.cart_id,
                source_account_id=sale.source_account_id,
                hold_seconds_left=sale.seconds_left(),
            )
            result = await sale.commit()
            return settlement, result

    settlement, result = asyncio.run(scenario())
    assert settlement.outcome is SettleOutcome.NOT_COMMITTED
    assert result.order_number and len(sandbox_control.state()["orders"]) == 1


def test_hold_runs_out_and_the_sale_expires(kit, sandbox_control):
    sandbox_control.scenario(hold_time=2)
    expired = []

    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            gone = asyncio.Event()
            sale.subscribe(lambda e: (expired.append(e), gone.set()) if isinstance(e, HoldExpired) else None)
            await kit.reserve(sale)
            assert 0 < sale.seconds_left() <= 2
            await asyncio.wait_for(gone.wait(), 30)
            with pytest.raises(IllegalTransition):
                await sale.choose_shipping("never-sent")
            return sale

    sale = asyncio.run(scenario())
    assert sale.state is S.EXPIRED and sale.seconds_left() is None
    assert [e.cart_id for e in expired] == [sale.cart_id]
    assert kit.storage().journal.open_carts() == []
    assert sandbox_control.state()["held_carts"] == []


def test_a_call_answered_invalid_cart_expires_the_sale(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            await station.client.delete_cart(TEST_EVENT, sale.cart_id)  # gone behind the sale's back
            with pytest.raises(perr.InvalidCart):
                await sale.shipping_options()
            return sale

    assert asyncio.run(scenario()).state is S.EXPIRED


def test_captcha_event_needs_a_token_then_sells(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(CAPTCHA_EVENT)
            with pytest.raises(perr.CaptchaRequired) as missing:
                await kit.reserve(sale)
            assert sale.state is S.IDLE and sandbox_control.state()["held_carts"] == []
            with pytest.raises(perr.InvalidCaptcha):
                await kit.reserve(sale, captcha_token="03AHJ_notAValidToken")
            assert sale.state is S.IDLE
            token = kit.solve_captcha(CAPTCHA_EVENT)
            cart = await kit.reserve(sale, captcha_token=token)
            await sale.abandon()
            return missing.value, cart

    missing, cart = asyncio.run(scenario())
    assert missing.action is perr.Action.NEW_CAPTCHA
    assert cart.cart_id
    assert kit.storage().journal.open_carts() == []


def test_niterun_refuses_the_reserve_and_nothing_is_held(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            ticket_type = await kit.ticket_type_for(TEST_EVENT)
            sandbox_control.scenario(niterun=True)
            sale = station.new_sale(TEST_EVENT)
            with pytest.raises(perr.ServiceUnavailable) as down:
                await kit.reserve(sale, ticket_type=ticket_type)
            assert sale.state is S.IDLE  # nothing held: the sale may be tried again later
            return sale, down.value

    _sale, down = asyncio.run(scenario())
    assert isinstance(down, perr.Niterun) and "maintenance" in down.user_message
    assert kit.storage().journal.open_carts() == []
    assert sandbox_control.state()["held_carts"] == []


def test_quota_exceeded_is_not_hammered_and_says_when_to_retry(kit, sandbox_control):
    sandbox_control.scenario(quota_events_per_minute=2)

    async def scenario():
        async with kit.station() as station:
            await station.counter.events()
            await station.counter.events()
            assert station.quota.events.remaining == 0
            with pytest.raises(perr.QuotaExceeded) as refused:
                await station.counter.events()  # the window reopens in about a minute: longer than the station waits
            return refused.value

    refused = asyncio.run(scenario())
    assert refused.retry_at is not None and "Too many requests" in refused.user_message
    statuses = [r["status"] for r in sandbox_control.log(limit=1000) if r["path"] == "/partners/v1/events"]
    assert statuses == [200, 200]  # the third call never reached the service


def test_settling_while_the_service_still_fails_keeps_the_sale_in_doubt(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            await sale.pay_card(GOOD_CARD, BUYER)
            sandbox_control.scenario(commit_fault="504")
            with pytest.raises(CommitNotSettled):
                await sale.commit()
            sandbox_control.scenario(transient_error_rate=1.0)
            with pytest.raises(perr.UpstreamError):
                await sale.settle()
            assert sale.state is S.COMMIT_IN_DOUBT
            sandbox_control.scenario(transient_error_rate=0.0)
            result = await sale.settle()
            return sale, result

    sale, result = asyncio.run(scenario())
    assert sale.state is S.COMPLETED and result is not None
    assert len(sandbox_control.state()["orders"]) == 1


def test_a_refused_commit_returns_to_paid_and_the_hold_clock_still_runs(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            ticket_type = await kit.ticket_type_for(TEST_EVENT)
            sandbox_control.scenario(hold_time=4)
            await kit.reserve(sale, ticket_type=ticket_type)
            await sale.pay_card(GOOD_CARD, BUYER)
            expired = asyncio.Event()
            sale.subscribe(lambda e: expired.set() if isinstance(e, HoldExpired) else None)
            sandbox_control.scenario(niterun=True)
            with pytest.raises(perr.ServiceUnavailable):
                await sale.commit()  # refused outright: nothing sold, the cart is still held
            assert sale.state is S.PAID
            await asyncio.wait_for(expired.wait(), 30)
            return sale

    assert asyncio.run(scenario()).state is S.EXPIRED
    assert sandbox_control.state()["orders"] == []


def test_an_event_not_sellable_here_fails_the_sale_for_good(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale("3B00NOAPI0000002")
            with pytest.raises(perr.NotApiTransactable) as refused:
                await kit.reserve(sale, quantity=1)
            assert sale.state is S.FAILED
            with pytest.raises(IllegalTransition):
                await kit.reserve(sale, quantity=1)
            return refused.value

    refused = asyncio.run(scenario())
    assert refused.ticketmaster_url.endswith("/event/3B00NOAPI0000002")
    assert sandbox_control.state()["held_carts"] == []
    assert kit.storage().journal.open_carts() == []
