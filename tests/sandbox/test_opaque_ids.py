"""Ids a client must not interpret are opaque, as upstream: shipping ids are long strings made per
event (the same seed gives the same ones), saved billing method ids are not a guessable count, and
cart ids are base64 that must be URL-encoded."""

from __future__ import annotations

import re

import httpx

from app.sandbox import EmbeddedSandbox, SandboxConfig
from tests.browserkit import member_access_token
from tests.conftest import daytime_everywhere
from tests.sandbox.sandboxkit import STADIUM, TEST_CARD_EVENT, TEST_PURCHASE, PartnerApi


def offered(api, event_id: str) -> list[dict]:
    cart_id = api.reserved(event_id, 1)["cart_id"]
    return api.get(f"/events/{event_id}/cart/shipping", params={"cart_id": cart_id}).json()["shipping_options"]


def methods(options: list[dict]) -> dict[tuple[str, str], str]:
    return {(o["carrier"], o["service_level"]): o["id"] for o in options}


def test_shipping_ids_are_long_opaque_strings_made_per_event(api):
    purchase, stadium = methods(offered(api, TEST_PURCHASE)), methods(offered(api, STADIUM))
    assert set(purchase) == set(stadium)  # the same three delivery methods…
    for options in (purchase, stadium):
        for option_id in options.values():
            assert isinstance(option_id, str) and len(option_id) >= 24 and not option_id.isdigit()
    assert not set(purchase.values()) & set(stadium.values())  # …under ids of their own


def test_shipping_ids_are_the_same_for_the_same_seed_and_differ_with_another(api, sandbox_control, fresh_sandbox):
    before = methods(offered(api, TEST_CARD_EVENT))
    sandbox_control.reset()
    assert methods(offered(api, TEST_CARD_EVENT)) == before
    other = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0, seed=2))
    other.start()
    try:
        # Its own clock, not the session sandbox's: the test card event's Los Angeles venue is in its
        # nightly maintenance from 08:00 to 10:00 UTC (a CI run at 08:45 UTC failed on 20001).
        httpx.post(other.base_url + "/_sandbox/scenario", json={"now": daytime_everywhere()}).raise_for_status()
        elsewhere = PartnerApi(other)
        try:
            again = methods(offered(elsewhere, TEST_CARD_EVENT))
        finally:
            elsewhere.close()
    finally:
        other.stop()
    assert set(again) == set(before) and not set(again.values()) & set(before.values())


def test_saved_billing_method_ids_are_digits_but_no_count(api, fresh_sandbox):
    bearer = {"Authorization": f"Bearer {member_access_token(fresh_sandbox.base_url)}"}
    cart_id = api.reserved(TEST_PURCHASE, 1)["cart_id"]
    first = api.get("/member/billing", params={"cart_id": cart_id}, headers=bearer).json()["data"][0]["id"]
    card = {"issuer": "VISA", "number": api.encrypt("4111111111111111"), "encryption_key": api.certificate()["id"],
            "expire_month": 12, "expire_year": 2099}
    added = api.call("POST", "/member/billing", headers=bearer,
                     json={"cart_id": cart_id, "billing_method": {"type": "CC", "card": card}}).json()
    second = added["billing_method"]["id"]
    assert isinstance(first, str) and first.isdigit() and first != "70561111"
    assert isinstance(second, int) and abs(second - int(first)) > 1


def test_cart_ids_are_base64_that_needs_url_encoding(api):
    ids = [api.reserved(STADIUM, 1)["cart_id"] for _ in range(8)]
    assert len(set(ids)) == 8
    assert all(re.fullmatch(r"[A-Za-z0-9+/]+=*", cart_id) and len(cart_id) >= 40 for cart_id in ids)
    assert any(set(cart_id) & set("+/=") for cart_id in ids)
