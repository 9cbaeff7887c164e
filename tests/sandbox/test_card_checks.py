"""What the payment processor refuses before a card is charged: a salt with characters outside the
62 the support FAQ lists, and an issuer code other than VISA, MC, AMEX, DISCOVER or one that does
not match the card number's network."""

from __future__ import annotations

import string

import pytest

from tests.browserkit import member_access_token
from tests.sandbox.sandboxkit import NEXT_YEAR, SALT_CHARACTERS, TEST_CARD, TEST_CARD_EVENT, assert_error

MASTERCARD_NUMBER, VISA_NUMBER, AMEX_NUMBER = "5555555555554444", "4111111111111111", "378282246310005"
DINERS_NUMBER, JCB_NUMBER = "36000000000008", "3530111333300000"


def test_the_faq_salt_characters_are_exactly_letters_and_digits():
    assert set(SALT_CHARACTERS) == set(string.ascii_letters + string.digits) and len(SALT_CHARACTERS) == 62


@pytest.mark.parametrize("field", ["number", "cin"])
@pytest.mark.parametrize("odd", sorted(set(string.punctuation + " ")))
def test_a_salt_character_outside_letters_and_digits_is_refused(api, field, odd):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    body = api.card_payment(cart_id)
    digits = TEST_CARD if field == "number" else "123"
    body["payment"]["card"][field] = api.encrypt(digits, salt="Ab3dEf7h" + odd + "jKlMn0p")
    error = assert_error(api.pay(TEST_CARD_EVENT, body), 10002, 400)
    assert f"card.{field}" in error["message"] and "salt" in error["message"]
    # the same card with a letters-and-digits salt goes through
    body["payment"]["card"][field] = api.encrypt(digits, salt="Ab3dEf7hXjKlMn0p")
    assert api.pay(TEST_CARD_EVENT, body).status_code == 200


def test_the_salt_rule_holds_for_a_member_cvv_and_a_device_wallet_bundle(api, fresh_sandbox):
    bearer = {"Authorization": f"Bearer {member_access_token(fresh_sandbox.base_url)}"}
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    method_id = api.get("/member/billing", params={"cart_id": cart_id}, headers=bearer).json()["data"][0]["id"]
    member = {"cart_id": cart_id, "billing_method": {"id": method_id},
              "payment": {"type": "CC", "card": {"cin": api.encrypt("123", salt="salt-with-dash00"),
                                                 "encryption_key": api.certificate()["id"]}}}
    assert "salt" in assert_error(api.pay(TEST_CARD_EVENT, member, headers=bearer), 10002, 400)["message"]
    device = api.card_payment(cart_id)
    device["payment"].update(type="APPLE_PAY", card={"bundle": api.encrypt(VISA_NUMBER, salt="0123456789abcde="),
                                                     "encryption_key": api.certificate()["id"]})
    assert "salt" in assert_error(api.pay(TEST_CARD_EVENT, device), 10002, 400)["message"]


@pytest.mark.parametrize("issuer, number, cvv", [
    ("VISA", VISA_NUMBER, "321"),
    ("MC", MASTERCARD_NUMBER, "321"),
    ("AMEX", AMEX_NUMBER, "4321"),
    ("DISCOVER", TEST_CARD, "123"),
])
def test_the_four_documented_issuer_codes_are_accepted(api, issuer, number, cvv):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    paid = api.pay(TEST_CARD_EVENT, api.card_payment(cart_id, number=number, cvv=cvv, issuer=issuer))
    assert paid.status_code == 200, paid.text
    assert paid.json()["cart"]["totals"]["unpaid"] == 0


@pytest.mark.parametrize("issuer, number", [
    ("MASTERCARD", MASTERCARD_NUMBER),  # the network's name, not its documented code
    ("mc", MASTERCARD_NUMBER),
    ("visa", VISA_NUMBER),
    ("DINERS", DINERS_NUMBER),
    ("JCB", JCB_NUMBER),
    ("", TEST_CARD),
    (None, TEST_CARD),
    (4, TEST_CARD),
])
def test_any_other_issuer_value_is_refused_naming_the_codes(api, sandbox_control, issuer, number):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    body = api.card_payment(cart_id, number=number)
    if issuer is None:
        del body["payment"]["card"]["issuer"]
    else:
        body["payment"]["card"]["issuer"] = issuer
    error = assert_error(api.pay(TEST_CARD_EVENT, body), 10002, 400)
    assert "card.issuer" in error["message"] and "VISA, MC, AMEX or DISCOVER" in error["message"]
    assert sandbox_control.state()["held_carts"][0]["unpaid"] > 0


@pytest.mark.parametrize("issuer, number", [
    ("VISA", MASTERCARD_NUMBER),
    ("MC", VISA_NUMBER),
    ("AMEX", TEST_CARD),
    ("DISCOVER", AMEX_NUMBER),
])
def test_an_issuer_that_does_not_match_the_card_number_is_not_accepted(api, issuer, number):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    cvv = "1234" if number == AMEX_NUMBER else "123"
    error = assert_error(api.pay(TEST_CARD_EVENT, api.card_payment(cart_id, number=number, cvv=cvv, issuer=issuer)),
                         20122, 400)
    assert "issuer" in error["message"]


def test_a_number_of_a_network_the_api_does_not_take_is_not_accepted(api):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    assert_error(api.pay(TEST_CARD_EVENT, api.card_payment(cart_id, number=DINERS_NUMBER, issuer="VISA")), 20122, 400)


def test_a_saved_billing_method_is_checked_and_listed_with_the_documented_code(api, fresh_sandbox):
    bearer = {"Authorization": f"Bearer {member_access_token(fresh_sandbox.base_url)}"}
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]

    def add(issuer: str, number: str = MASTERCARD_NUMBER):
        card = {"issuer": issuer, "number": api.encrypt(number), "encryption_key": api.certificate()["id"],
                "expire_month": 12, "expire_year": NEXT_YEAR}
        return api.call("POST", "/member/billing", headers=bearer,
                        json={"cart_id": cart_id, "billing_method": {"type": "CC", "card": card}})

    assert "VISA, MC, AMEX or DISCOVER" in assert_error(add("MASTERCARD"), 10002, 400)["message"]
    assert_error(add("VISA"), 20122, 400)
    assert add("MC").status_code == 200
    listed = api.get("/member/billing", params={"cart_id": cart_id}, headers=bearer).json()["data"]
    assert {(m["card"]["issuer"], m["card"]["number"]) for m in listed} == {("DISCOVER", "1006"), ("MC", "4444")}
