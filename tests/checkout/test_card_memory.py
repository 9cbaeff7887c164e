"""A refused card payment leaves no card number or CVV reachable from the sale (the error is kept
without its traceback, whose frames would hold the card for as long as the sale lives)."""

from __future__ import annotations

import asyncio

import pytest

from app.checkout.states import CheckoutState
from app.partner import errors as perr
from app.partner.models import CardDetails
from tests.checkout.checkoutkit import BUYER, TEST_EVENT
from tests.secretkit import holders_of

S = CheckoutState


def fresh_card(cvv: str) -> CardDetails:
    """A card whose number and CVV are new string objects, not constants any module holds."""
    return CardDetails(number="".join(["6011", "9932", "0000", "1006"]), cvv="".join(list(cvv)),
                       expire_month=12, expire_year=2031, issuer="DISCOVER")


@pytest.mark.parametrize("code, cvv", [(20122, "123"), (None, "999")])
def test_a_declined_card_is_not_kept_by_the_sale(kit, sandbox_control, code, cvv):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale)
            await sale.choose_shipping((await sale.shipping_options())[0].id)
            if code:
                sandbox_control.scenario(next_payment_decline=code)
            card = fresh_card(cvv)
            with pytest.raises(perr.PaymentError):
                await sale.pay_card(card, BUYER)
            assert sale.state is S.SHIPPING_CHOSEN and isinstance(sale.last_error, perr.PaymentError)
            assert sale.last_error.__traceback__ is None
            holders = holders_of(sale, inside=(card.number,), equal=(card.cvv,), objects=(card,))
            await sale.abandon()
            return holders

    assert asyncio.run(scenario()) == []
