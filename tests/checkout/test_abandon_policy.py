"""The abandon policy, decided once in the core (``CheckoutState.abandonable``, asked through
``CheckoutSession.can_abandon`` by the window, the CLI and the station's close)."""

from __future__ import annotations

import asyncio

import pytest

from app.checkout.errors import IllegalTransition
from app.checkout.states import CheckoutState
from tests.checkout.checkoutkit import BUYER, GOOD_CARD, TEST_EVENT

S = CheckoutState


@pytest.mark.parametrize("state", list(CheckoutState))
def test_a_sale_may_be_abandoned_before_the_commit_only(state):
    before_the_commit = {S.IDLE, S.RESERVING, S.RESERVED, S.SHIPPING_CHOSEN, S.PAID}
    assert state.abandonable is (state in before_the_commit)


def test_the_session_answers_by_the_policy_at_every_step(kit, sandbox_control):
    async def scenario():
        seen = []
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            sale.subscribe(lambda notice: seen.append((sale.state, sale.can_abandon)))
            await kit.reserve(sale)
            await sale.choose_shipping((await sale.shipping_options())[0].id)
            await sale.pay_card(GOOD_CARD, BUYER)
            await sale.commit()
            with pytest.raises(IllegalTransition):
                await station.new_sale(TEST_EVENT).commit()  # nothing to commit: the policy is not a bypass
            await sale.abandon()  # a completed sale has nothing to abandon: a no-op, not an error
        return seen, sale.state

    seen, final = asyncio.run(scenario())
    assert all(can is state.abandonable for state, can in seen)
    assert (S.COMMITTING, False) in seen and (S.PAID, True) in seen
    assert final is S.COMPLETED and len(sandbox_control.state()["orders"]) == 1
