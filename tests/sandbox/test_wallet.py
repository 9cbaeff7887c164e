"""The sandbox's accountless wallet: card → wallet token, its checks, and paying a cart with the token."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

KEY = {"apiKey": "sandbox-api-key"}
NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.fixture
def wallet(fresh_sandbox):
    with httpx.Client(base_url=fresh_sandbox.wallet_base, timeout=30) as http:
        yield http


@pytest.fixture
def documented_request(vectors_dir) -> dict:
    body = json.loads((vectors_dir / "wallet-token.request.json").read_text())
    body["funding_source_details"]["expiration_year"] = NEXT_YEAR  # the documented card has expired
    return body


def with_card(body: dict, **details) -> dict:
    changed = copy.deepcopy(body)
    changed["funding_source_details"].update(details)
    return changed


def test_documented_request_gets_a_documented_token(wallet, documented_request, vectors_dir):
    answer = wallet.post("/token", params=KEY, json=documented_request)
    assert answer.status_code == 200
    body = answer.json()
    documented = json.loads((vectors_dir / "wallet-token.response.json").read_text())
    assert set(body) == set(documented)
    assert re.fullmatch(r"wallet-wallet-[0-9a-f]{32}", body["token"])
    assert body["funding_method"] == "VISA" and body["funding_source"] == "creditcard"
    assert (body["expiration_month"], body["expiration_year"]) == (12, NEXT_YEAR)
    assert body["billing_address"] == documented_request["funding_source_details"]["billing_address"]
    assert "4588883206000011" not in answer.text  # the card number is never echoed


@pytest.mark.parametrize("number, brand", [
    ("4111111111111111", "VISA"),
    ("5555555555554444", "MASTERCARD"),
    ("2223003122003222", "MASTERCARD"),
    ("378282246310005", "AMEX"),
    ("6011993200001006", "DISCOVER"),
])
def test_funding_method_follows_the_card_number(wallet, documented_request, number, brand):
    answer = wallet.post("/token", params=KEY, json=with_card(documented_request, account_number=number))
    assert answer.status_code == 200 and answer.json()["funding_method"] == brand


@pytest.mark.parametrize("change, words", [
    ({"account_number": "4111111111111112"}, "not a valid card number"),
    ({"account_number": "1234567812345670"}, "not accepted"),
    ({"account_number": "4111 1111 1111 1111"}, "12 to 19 digits"),
    ({"account_number": 4111111111111111}, "12 to 19 digits"),
    ({"account_number": None}, "12 to 19 digits"),
    ({"expiration_month": 13}, "expiration_month"),
    ({"expiration_month": "twelve"}, "expiration_month"),
    ({"expiration_month": True}, "expiration_month"),
    ({"expiration_year": 2020}, "expired"),
    ({"expiration_year": None}, "expiration_year"),
    ({"billing_address": "7060 Hollywood Blvd"}, "billing_address"),
    ({"billing_address": {"city": 5}}, "billing_address"),
])
def test_bad_card_details_are_refused_with_a_reason(wallet, documented_request, change, words):
    answer = wallet.post("/token", params=KEY, json=with_card(documented_request, **change))
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 10002 and error["http_code"] == 400 and error["severity"] == "ERROR"
    assert words in error["message"]


@pytest.mark.parametrize("body", [
    b"{", b"[1, 2]", b"null", b'"text"', b"{\"funding_source\": \"creditcard\"}",
    b'{"funding_source": "bank", "funding_source_details": {}}', b"\xff\xfe", b"{" * 5000, b"[" * 16_000,
])
def test_malformed_bodies_get_the_documented_error(wallet, body):
    answer = wallet.post("/token", params=KEY, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 10002


def test_huge_body_is_refused_as_too_large(wallet):
    for size in (17 * 1024, 100_000):
        answer = wallet.post("/token", params=KEY, content=b" " * size, headers={"Content-Type": "application/json"})
        assert answer.status_code == 413
        assert answer.json()["error"] == {"message": "Request body too large", "code": 10002, "http_code": 413,
                                          "severity": "ERROR"}


@pytest.mark.parametrize("params", [{}, {"apiKey": "wrong"}])
def test_wallet_needs_the_api_key(wallet, documented_request, params):
    answer = wallet.post("/token", params=params, json=documented_request)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == 10004


def test_wallet_token_pays_a_cart(fresh_sandbox, sandbox_control, wallet, documented_request, vectors_dir):
    local = datetime.now(ZoneInfo("America/New_York"))
    if local.hour < 2:  # keep the event out of its nightly maintenance window
        sandbox_control.scenario(clock_offset_seconds=(2 - local.hour) * 3600 - local.minute * 60 + 300)
    card = with_card(documented_request, account_number="6011993200001006")
    token = wallet.post("/token", params=KEY, json=card).json()["token"]
    event = "000051048D991EE7"
    with httpx.Client(base_url=fresh_sandbox.partner_base, params={"apikey": "sandbox-api-key"}, timeout=30) as api:
        offer = api.get(f"/events/{event}/availability").json()["event"]["tickets"][0]["offers"][0]
        reserved = api.post(f"/events/{event}/cart",
                            json={"reserve": {"tickets": [{"id": offer["ticketTypeId"], "quantity": 2}]}})
        assert reserved.status_code == 200
        cart_id, totals = reserved.json()["cart_id"], reserved.json()["cart"]["totals"]
        payment = json.loads((vectors_dir / "payment-wallet.request.json").read_text())
        payment["cart_id"] = cart_id
        payment["payment"]["amount"] = f"{totals['unpaid']:.2f}"
        payment["payment"]["card"] = {"number": token, "cin": "123"}
        paid = api.put(f"/events/{event}/cart/payment", json=payment)
        assert paid.status_code == 200, paid.text
        assert float(paid.json()["cart"]["totals"]["unpaid"]) == 0
        payment["payment"]["card"]["number"] = "wallet-wallet-" + "0" * 32
        unknown = api.put(f"/events/{event}/cart/payment", json=payment)
        assert unknown.status_code == 400 and unknown.json()["error"]["severity"] == "ERROR"
