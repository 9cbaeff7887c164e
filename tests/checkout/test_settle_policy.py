"""The settle policy, decided once in the core (``app.checkout.settle``): settling a commit in doubt
is bounded, ends in one of four outcomes with the sentence both front ends show, and never sends a
second commit. No window here: the window and CLI tests check that both front ends follow it."""

from __future__ import annotations

import asyncio

import pytest

from app.checkout.errors import CommitNotSettled
from app.checkout.settle import DoubtOutcome, SettlePolicy
from app.checkout.states import CheckoutState
from tests.checkout.checkoutkit import BUYER, GOOD_CARD, TEST_EVENT

S = CheckoutState
QUICK = SettlePolicy(tries=3, pause_seconds=0.05)


def commits(kit, sandbox_control) -> int:
    """Commit requests the sandbox received (answered or not)."""
    return kit.partner_calls(sandbox_control.log(limit=1000)).count(("PUT", f"/partners/v1/events/{TEST_EVENT}/cart"))


async def paid_sale(kit, station):
    sale = station.new_sale(TEST_EVENT)
    await kit.reserve(sale)
    await sale.pay_card(GOOD_CARD, BUYER)
    return sale


def test_the_default_policy_is_bounded():
    policy = SettlePolicy()
    assert policy.tries == 4 and policy.pause_seconds == 3.0


def test_a_service_that_stays_silent_leaves_the_sale_in_doubt_after_the_bounded_tries(kit, sandbox_control):
    retries = []

    async def scenario():
        async with kit.station(settle_policy=QUICK) as station:
            sale = await paid_sale(kit, station)
            sandbox_control.scenario(commit_fault="504")  # sold, but the answer is lost
            with pytest.raises(CommitNotSettled):
                await sale.commit()
            sandbox_control.scenario(transient_error_rate=1.0)  # and the service stays unreachable
            report = await sale.settle_in_doubt(on_retry=lambda tries, error: retries.append(tries))
            in_doubt = (sale.state, sale.can_abandon, kit.storage().journal.open_carts()[0].state)
            with pytest.raises(CommitNotSettled):
                await sale.abandon()  # the seats may be sold: they are not released
            sandbox_control.scenario(transient_error_rate=0.0)
            later = await sale.settle_in_doubt()
            return report, in_doubt, later, sale

    report, in_doubt, later, sale = asyncio.run(scenario())
    assert report.outcome is DoubtOutcome.STILL_UNKNOWN and report.tries == 3 and report.result is None
    assert retries == [1, 2]  # told of each failed try that another follows
    assert report.sentence.startswith("It is still not known whether the order went through")
    assert "Do not sell these seats again" in report.sentence
    assert in_doubt == (S.COMMIT_IN_DOUBT, False, "commit_in_doubt")  # the next start settles it, never deletes
    assert later.outcome is DoubtOutcome.SOLD and not later.confirmed and later.result is not None
    assert later.sentence == "" and sale.state is S.COMPLETED
    assert len(sandbox_control.state()["orders"]) == 1
    assert commits(kit, sandbox_control) == 1  # settling never commits


def test_a_commit_proven_not_sent_through_goes_back_to_paid_without_a_second_commit(kit, sandbox_control):
    async def scenario():
        async with kit.station(settle_policy=QUICK) as station:
            sale = await paid_sale(kit, station)
            sandbox_control.scenario(transient_error_rate=1.0)  # the commit is answered 502, not carried out
            with pytest.raises(CommitNotSettled):
                await sale.commit()
            sandbox_control.scenario(transient_error_rate=0.0)
            report = await sale.settle_in_doubt()
            return report, sale.state, sale.can_abandon, commits(kit, sandbox_control), sandbox_control.state()

    report, state, can_abandon, sent, sandbox = asyncio.run(scenario())
    assert report.outcome is DoubtOutcome.NOT_SOLD_SEATS_HELD and report.tries == 1
    assert report.sentence == "The order did not go through: nothing was sold."
    assert state is S.PAID and can_abandon  # placing it again, or releasing it, is the cashier's call
    assert sent == 1 and sandbox["orders"] == [] and len(sandbox["held_carts"]) == 1


def test_a_commit_not_carried_out_whose_hold_ran_out_sold_nothing(kit, sandbox_control):
    async def scenario():
        async with kit.station(settle_policy=QUICK) as station:
            sandbox_control.scenario(hold_time=3)
            sale = await paid_sale(kit, station)
            sandbox_control.scenario(transient_error_rate=1.0)
            with pytest.raises(CommitNotSettled):
                await sale.commit()
            await asyncio.sleep(4)  # the hold runs out while the sale is in doubt
            sandbox_control.scenario(transient_error_rate=0.0)
            return await sale.settle_in_doubt(), sale.state

    report, state = asyncio.run(scenario())
    assert report.outcome is DoubtOutcome.NOT_SOLD_HOLD_OVER and state is S.EXPIRED
    assert "the hold ran out" in report.sentence and "nothing was sold" in report.sentence
    assert sandbox_control.state()["orders"] == [] and sandbox_control.state()["held_carts"] == []
    assert commits(kit, sandbox_control) == 1
    assert kit.storage().journal.open_carts() == []
