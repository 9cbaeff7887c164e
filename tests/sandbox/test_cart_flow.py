"""Shipping, payment (card, invoice, wallet, member), commit and delete on one cart."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from tests.browserkit import member_access_token
from tests.sandbox.sandboxkit import (
    NEXT_YEAR,
    NO_BARCODE,
    STADIUM,
    TEST_CARD_EVENT,
    TEST_PURCHASE,
    advance,
    assert_error,
)

DECLINED, NO_FUNDS = "4000000000000002", "4000000000009995"


def test_shipping_options_differ_per_event_and_selection_adds_delivery(api, vectors_dir):
    documented = json.loads((vectors_dir / "shipping-options.response.json").read_text())["shipping_options"][0]
    offered = {}
    for event_id in (TEST_PURCHASE, TEST_CARD_EVENT, NO_BARCODE):
        cart_id = api.reserved(event_id, 1)["cart_id"]
        answer = api.get(f"/events/{event_id}/cart/shipping", params={"cart_id": cart_id})
        options = answer.json()["shipping_options"]
        assert set(documented) <= set(options[0]) and set(documented["totals"]) <= set(options[0]["totals"])
        offered[event_id] = {o["id"] for o in options}
    assert len({frozenset(ids) for ids in offered.values()}) == 3
    cart = api.reserved(TEST_CARD_EVENT, 1)
    option = api.shipping_id(TEST_CARD_EVENT, cart["cart_id"], "TICKETMASTER", "WILLCALL")
    willcall = api.call("PUT", f"/events/{TEST_CARD_EVENT}/cart/shipping", params={"cart_id": cart["cart_id"]},
                        json={"shipping_id": option}).json()["cart"]
    assert willcall["totals"]["delivery"] == 2.5
    assert round(willcall["totals"]["grand"] - cart["cart"]["totals"]["grand"], 2) == 2.5


def test_unknown_shipping_id_is_10104(api):
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    airmail_elsewhere = api.shipping_id(TEST_CARD_EVENT, api.reserved(TEST_CARD_EVENT, 1)["cart_id"], "USPS", "AIRMAIL")
    for wrong in (airmail_elsewhere, "3", 3, None):  # another event's option, or no opaque id at all
        answer = api.call("PUT", f"/events/{TEST_PURCHASE}/cart/shipping", params={"cart_id": cart_id},
                          json={"shipping_id": wrong})
        assert_error(answer, 10104, 400)


def test_card_payment_and_commit_with_the_test_card(api, vectors_dir, sandbox_control):
    cart = api.reserved(TEST_CARD_EVENT, 2)
    paid = api.pay(TEST_CARD_EVENT, api.card_payment(cart["cart_id"], amount=f"{cart['cart']['totals']['grand']:.2f}"))
    assert paid.status_code == 200, paid.text
    assert paid.json()["cart"]["totals"]["unpaid"] == 0
    committed = api.commit(TEST_CARD_EVENT, cart["cart_id"])
    assert committed.status_code == 200
    body = committed.json()
    assert set(json.loads((vectors_dir / "commit.response.json").read_text())) <= set(body)
    assert body["grand_total"] == cart["cart"]["totals"]["grand"] and body["currency_code"] == "USD"
    assert body["order_number"].endswith("/LA1")
    state = sandbox_control.state()
    assert state["seats_sold"][TEST_CARD_EVENT] == 2 and state["seats_held"][TEST_CARD_EVENT] == 0
    assert [o["order_token"] for o in state["orders"]] == [body["order_token"]]


@pytest.mark.parametrize("number, cvv, code", [
    ("6011993200001006", "124", 20152),
    ("6011993200001006", "12", 20152),
    (DECLINED, "123", 20122),
    (NO_FUNDS, "123", 20129),
    ("6011993200001007", "123", 20122),  # fails the Luhn check
])
def test_card_declines(api, number, cvv, code):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    assert_error(api.pay(TEST_CARD_EVENT, api.card_payment(cart_id, number, cvv)), code, 400)
    # a decline leaves the cart payable
    assert api.pay(TEST_CARD_EVENT, api.card_payment(cart_id)).status_code == 200


def test_expired_card_is_refused(api):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    assert_error(api.pay(TEST_CARD_EVENT, api.card_payment(cart_id, expire_year=2001)), 20122, 400)


def test_scenario_declines_the_next_payment_once(api, sandbox_control):
    sandbox_control.scenario(next_payment_decline=20129)
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    assert_error(api.pay(TEST_CARD_EVENT, api.card_payment(cart_id, cvv="999")), 20152, 400)  # not yet at the bank
    assert_error(api.pay(TEST_CARD_EVENT, api.card_payment(cart_id)), 20129, 400)
    assert api.pay(TEST_CARD_EVENT, api.card_payment(cart_id)).status_code == 200


def test_unencrypted_or_undecryptable_card_data_is_refused(api):
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    plain = api.card_payment(cart_id)
    plain["payment"]["card"]["number"] = "6011993200001006"
    error = assert_error(api.pay(TEST_CARD_EVENT, plain), 10002, 400)
    assert "encrypted" in error["message"]
    garbage = api.card_payment(cart_id)
    garbage["payment"]["card"]["cin"] = "bm90IGVuY3J5cHRlZA=="
    assert_error(api.pay(TEST_CARD_EVENT, garbage), 10002, 400)
    unsalted = api.card_payment(cart_id)
    unsalted["payment"]["card"]["number"] = api.encrypt("6011993200001006", salt="")
    assert "salt" in assert_error(api.pay(TEST_CARD_EVENT, unsalted), 10002, 400)["message"]
    wrong_key = api.card_payment(cart_id, encryption_key="paysys-dev.0.us.999")
    assert_error(api.pay(TEST_CARD_EVENT, wrong_key), 10002, 400)


def test_required_payment_fields_are_configurable_and_named(api, sandbox_control):
    sandbox_control.scenario(required_payment_fields=["first_name", "address.postal_code", "home_phone"])
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    body = api.card_payment(cart_id)
    del body["payment"]["address"]["postal_code"]
    body["payment"]["home_phone"] = ""
    error = assert_error(api.pay(TEST_CARD_EVENT, body), 10002, 400)
    assert "address.postal_code" in error["message"] and "home_phone" in error["message"]
    assert "first_name" not in error["message"]


def test_invoice_needs_a_numeric_reference(api):
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    invoice = {"cart_id": cart_id, "payment": {"type": "INVOICE", "reference": "PO-17", "first_name": "A",
                                               "last_name": "B", "email_address": "a@example.com"}}
    assert_error(api.pay(TEST_PURCHASE, invoice), 10002, 400)
    invoice["payment"]["reference"] = "4711"
    assert api.pay(TEST_PURCHASE, invoice).json()["cart"]["totals"]["unpaid"] == 0


def test_split_payment_and_the_unpaid_balance_blocks_commit(api):
    cart = api.reserved(TEST_CARD_EVENT, 2)
    grand = cart["cart"]["totals"]["grand"]
    half = api.pay(TEST_CARD_EVENT, api.card_payment(cart["cart_id"], amount="10.00")).json()["cart"]["totals"]
    assert half["unpaid"] == round(grand - 10, 2)
    error = assert_error(api.commit(TEST_CARD_EVENT, cart["cart_id"]), 10010, 400)
    assert "unpaid" in error["message"]
    too_much = api.card_payment(cart["cart_id"], amount=f"{grand:.2f}")
    assert_error(api.pay(TEST_CARD_EVENT, too_much), 10002, 400)
    assert api.pay(TEST_CARD_EVENT, api.card_payment(cart["cart_id"])).json()["cart"]["totals"]["unpaid"] == 0
    assert api.commit(TEST_CARD_EVENT, cart["cart_id"]).status_code == 200


def test_wallet_token_payment(api, fresh_sandbox, vectors_dir):
    request = json.loads((vectors_dir / "wallet-token.request.json").read_text())
    request["funding_source_details"].update(account_number="4111111111111111", expiration_year=NEXT_YEAR)
    token = httpx.post(fresh_sandbox.wallet_base + "/token", params={"apiKey": "sandbox-api-key"},
                       json=request).json()["token"]
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    body = json.loads((vectors_dir / "payment-wallet.request.json").read_text())
    body["cart_id"] = cart_id
    body["payment"]["card"]["number"] = token
    del body["payment"]["amount"]
    assert api.pay(TEST_PURCHASE, body).json()["cart"]["totals"]["unpaid"] == 0
    body["payment"]["card"]["number"] = "wallet-wallet-unknown"
    assert_error(api.pay(TEST_PURCHASE, body), 10002, 400)


def test_member_pays_with_a_saved_billing_method(api, fresh_sandbox, vectors_dir):
    token = member_access_token(fresh_sandbox.base_url)
    bearer = {"Authorization": f"Bearer {token}"}
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    listed = api.get("/member/billing", params={"cart_id": cart_id}, headers=bearer)
    assert listed.status_code == 200
    documented = json.loads((vectors_dir / "member-billing-list.response.json").read_text())["data"][0]
    method = listed.json()["data"][0]
    assert set(documented) <= set(method) and method["card"]["number"] == "1006"
    assert_error(api.get("/member/billing", params={"cart_id": cart_id}), 10004, 401)
    body = json.loads((vectors_dir / "payment-member.request.json").read_text())
    body.update(cart_id=cart_id, billing_method={"id": method["id"]})
    body["payment"].pop("amount")
    body["payment"]["card"] = {"cin": api.encrypt("999"), "encryption_key": api.certificate()["id"]}
    assert_error(api.pay(TEST_PURCHASE, body, headers=bearer), 20152, 400)
    assert_error(api.pay(TEST_PURCHASE, body), 10004, 401)
    body["payment"]["card"]["cin"] = api.encrypt("123")
    assert api.pay(TEST_PURCHASE, body, headers=bearer).json()["cart"]["totals"]["unpaid"] == 0
    assert api.commit(TEST_PURCHASE, cart_id).status_code == 200


def test_member_adds_a_billing_method(api, fresh_sandbox, vectors_dir):
    bearer = {"Authorization": f"Bearer {member_access_token(fresh_sandbox.base_url)}"}
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    body = json.loads((vectors_dir / "member-billing-add.request.json").read_text())
    body["cart_id"] = cart_id
    body["billing_method"]["card"].update(issuer="MC", number=api.encrypt("5555555555554444"), expire_year=NEXT_YEAR,
                                          encryption_key=api.certificate()["id"])
    added = api.call("POST", "/member/billing", json=body, headers=bearer)
    assert added.status_code == 200, added.text
    new_id = added.json()["billing_method"]["id"]
    assert isinstance(new_id, int)
    listed = api.get("/member/billing", params={"cart_id": cart_id}, headers=bearer).json()["data"]
    assert {"id": str(new_id), "last4": "4444"} in [{"id": m["id"], "last4": m["card"]["number"]} for m in listed]


def test_commit_needs_put_and_a_cart_id_and_happens_once(api):
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    assert_error(api.call("PUT", f"/events/{STADIUM}/cart", json={}), 10001, 400)
    assert_error(api.call("POST", f"/events/{STADIUM}/cart", json={"cart_id": cart_id}), 10001, 400)
    assert_error(api.call("PATCH", f"/events/{STADIUM}/cart", json={"cart_id": cart_id}), 10001, 400)
    api.pay(STADIUM, api.card_payment(cart_id))
    assert api.commit(STADIUM, cart_id).status_code == 200
    assert_error(api.commit(STADIUM, cart_id), 90003, 400)
    assert_error(api.call("DELETE", f"/events/{STADIUM}/cart", params={"cart_id": cart_id}), 90003, 400)


def test_cart_of_another_event_or_unknown_cart_is_invalid(api):
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    assert_error(api.get(f"/events/{TEST_PURCHASE}/cart/shipping", params={"cart_id": cart_id}), 90003, 400)
    assert_error(api.get(f"/events/{STADIUM}/cart/shipping", params={"cart_id": "bm9wZQ=="}), 90003, 400)


def test_hold_expires_frees_seats_and_invalidates_the_cart(api, sandbox_control):
    sandbox_control.scenario(hold_time=60)
    cart = api.reserved(STADIUM, 4)
    assert cart["cart"]["hold_time"] == 60
    assert sandbox_control.state()["seats_held"][STADIUM] == 4
    advance(sandbox_control, 61)
    state = sandbox_control.state()
    assert state["seats_held"][STADIUM] == 0 and state["held_carts"] == []
    assert_error(api.pay(STADIUM, api.card_payment(cart["cart_id"])), 90003, 400)


def test_shipping_and_payment_extend_the_hold(api, sandbox_control):
    sandbox_control.scenario(hold_time=60)
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    advance(sandbox_control, 50)
    eticket = api.shipping_id(STADIUM, cart_id, "TICKETMASTER", "ETICKET")
    api.call("PUT", f"/events/{STADIUM}/cart/shipping", params={"cart_id": cart_id}, json={"shipping_id": eticket})
    advance(sandbox_control, 55)  # 105 s after the reserve (hold 60), 55 s after shipping
    paid = api.pay(STADIUM, api.card_payment(cart_id))
    assert paid.status_code == 200 and paid.json()["cart"]["hold_time"] == 60


def test_overlapping_calls_on_one_cart_get_409(api, fresh_sandbox, sandbox_control):
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    sandbox_control.scenario(latency_ms=3000)
    first: list[httpx.Response] = []

    def shipping():
        with httpx.Client(timeout=30) as http:
            first.append(http.get(fresh_sandbox.partner_base + f"/events/{STADIUM}/cart/shipping",
                                  params={"apikey": "sandbox-api-key", "cart_id": cart_id}))

    thread = threading.Thread(target=shipping)
    thread.start()
    while not any(c["busy"] for c in sandbox_control.state()["held_carts"]):
        time.sleep(0.01)  # until the sandbox is working on the first call
    overlapping = api.get(f"/events/{STADIUM}/cart/shipping", params={"cart_id": cart_id})
    thread.join()
    assert_error(overlapping, 10009, 409)
    assert first[0].status_code == 200
    sandbox_control.scenario(latency_ms=0)
    assert api.get(f"/events/{STADIUM}/cart/shipping", params={"cart_id": cart_id}).status_code == 200

def test_device_wallet_payment_carries_an_encrypted_card_bundle(api):
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    body = api.card_payment(cart_id)
    body["payment"]["type"] = "APPLE_PAY"
    body["payment"]["card"] = {"bundle": api.encrypt("4111111111111111"), "encryption_key": api.certificate()["id"]}
    assert api.pay(TEST_PURCHASE, body).json()["cart"]["totals"]["unpaid"] == 0
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    body["cart_id"] = cart_id
    body["payment"]["type"] = "GOOGLE_WALLET"
    body["payment"]["card"]["bundle"] = api.encrypt(DECLINED)
    assert_error(api.pay(TEST_PURCHASE, body), 20122, 400)


def test_scenario_can_require_a_captcha_on_every_event(api, sandbox_control):
    sandbox_control.scenario(captcha_required=True)
    assert_error(api.reserve(STADIUM, 1), 10004, 401)
    answer = api.call("POST", f"/events/{STADIUM}/cart", json={"token": "03AnotAToken", "reserve": {"tickets": [
        {"id": api.ticket_types(STADIUM)[0], "quantity": 1}]}})
    assert_error(answer, 10031, 400)
    sandbox_control.scenario(captcha_required=False)
    assert api.reserve(STADIUM, 1).status_code == 200
