"""The two card values production checks character by character: the salt (only the 62 letters and
digits the support FAQ lists) and the issuer code (``MC`` for Mastercard, not ``MASTERCARD``). The
live tests pay the sandbox, which refuses anything else exactly as production would."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest

from app.partner.cardcrypto import SALT_LENGTH, new_salt
from app.partner.models import CardDetails
from tests.partner.partnerkit import CONTACT, TEST_EVENT, client_for, reserve_two, run

FAQ_SALT_CHARACTERS = frozenset(string.ascii_letters + string.digits)


def test_salts_hold_only_the_faq_letters_and_digits_and_all_of_them():
    salts = [new_salt() for _ in range(2000)]
    assert all(len(salt) == SALT_LENGTH for salt in salts)
    seen = set("".join(salts))
    assert seen <= FAQ_SALT_CHARACTERS, sorted(seen - FAQ_SALT_CHARACTERS)
    assert seen == FAQ_SALT_CHARACTERS  # 32,000 draws: every one of the 62 comes up


@pytest.mark.parametrize("network, code", [
    ("MASTERCARD", "MC"), ("MC", "MC"), ("VISA", "VISA"), ("AMEX", "AMEX"), ("DISCOVER", "DISCOVER"),
    ("DINERS", None), ("JCB", None), (None, None),
])
def test_the_card_carries_the_documented_issuer_code(network, code):
    assert CardDetails("5555555555554444", "123", 12, 2030, issuer=network).issuer_code == code


@pytest.mark.parametrize("number, network, cvv", [("5555555555554444", "MASTERCARD", "321"),
                                                  ("6011993200001006", "DISCOVER", "123")])
def test_the_sandbox_takes_the_clients_card_payment(config, sandbox_control, number, network, cvv):
    """Would fail with a punctuation salt (10002) or with issuer MASTERCARD (10002)."""
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client, TEST_EVENT)
            card = CardDetails(number, cvv, 12, 2030, issuer=network)
            for _ in range(3):  # three payments, six salts: a stray character would show
                paid = await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, card, CONTACT,
                                                              (cart.unpaid / 3).quantize(Decimal("0.01")))
                assert paid.unpaid < cart.unpaid
                cart = paid

    run(scenario())
    payments = [r for r in sandbox_control.log(limit=100) if r["path"].endswith("/cart/payment")]
    assert [r["status"] for r in payments] == [200, 200, 200]
