"""Orders after commit: lookup by token, barcodes, unredeemed orders, tracking pixel, commit faults."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.sandbox.sandboxkit import GENERAL_ADMISSION, NO_BARCODE, STADIUM, TEST_PURCHASE, assert_error


def test_order_lookup_has_the_documented_shape(api, vectors_dir):
    order = api.buy(TEST_PURCHASE, 2)
    answer = api.get("/orders", params={"order_token": order["order_token"]})
    assert answer.status_code == 200
    body = answer.json()
    documented = json.loads((vectors_dir / "order.response.json").read_text())
    assert set(documented) <= set(body)
    assert set(documented["tickets"][0]) <= set(body["tickets"][0])
    assert len(body["tickets"]) == 2
    assert {t["order_number"] for t in body["tickets"]} == {order["order_number"]}
    assert len({t["barcode_id"] for t in body["tickets"]}) == 2
    assert body["customer_email"] == "a@example.com"


def test_event_without_barcodes_and_general_admission_tickets(api):
    order = api.buy(NO_BARCODE, 1)
    tickets = api.get("/orders", params={"order_token": order["order_token"]}).json()["tickets"]
    assert "barcode_id" not in tickets[0]
    ga = api.buy(GENERAL_ADMISSION, 2)
    tickets = api.get("/orders", params={"order_token": ga["order_token"]}).json()["tickets"]
    assert all(t["is_ga"] and "row" not in t and "barcode_id" in t for t in tickets)


def test_unknown_or_missing_order_token(api):
    assert_error(api.get("/orders", params={"order_token": "nope"}), 404, 404)
    assert_error(api.get("/orders"), 10002, 400)


def test_unredeemed_orders_by_source_account(api, vectors_dir):
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    api.pay(STADIUM, api.card_payment(cart_id))
    api.commit(STADIUM, cart_id, source_account_id="30f86cd70ac7216bc596aa2d060a7064")
    api.buy(TEST_PURCHASE, 1)  # no source account: not tracked
    answer = api.get("/orders/unredeemed", params={"days_from_purchase": 1})
    data = answer.json()["data"]
    documented = json.loads((vectors_dir / "unredeemed-orders.response.json").read_text())["data"][0]
    assert len(data) == 1 and set(documented) <= set(data[0])
    assert data[0]["order_source_account_id"] == "30f86cd70ac7216bc596aa2d060a7064"
    assert data[0]["event_id"] == STADIUM
    assert api.get("/orders/unredeemed", params={"days_before_event": 1}).json()["data"] == []
    assert_error(api.get("/orders/unredeemed"), 10002, 400)
    assert_error(api.get("/orders/unredeemed", params={"days_from_purchase": "soon"}), 10002, 400)


def test_redemption_page_redeems_once(api, fresh_sandbox):
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    api.pay(STADIUM, api.card_payment(cart_id))
    tracked = api.commit(STADIUM, cart_id, source_account_id="abc").json()
    page = httpx.get(tracked["redemption_url"])
    assert page.status_code == 200 and "Redeem" in page.text
    httpx.post(tracked["redemption_url"])
    assert api.get("/orders/unredeemed", params={"days_from_purchase": 1}).json()["data"] == []


def test_tracking_pixel(api):
    answer = api.get("/tracking", params={"event_id": STADIUM, "shared_id": "1", "sub_id1": "3"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/gif"
    assert answer.content.startswith(b"GIF89a")
    assert_error(api.get("/tracking"), 10002, 400)


@pytest.mark.parametrize("fault, code", [("502", 502), ("504", 504)])
def test_commit_fault_answers_an_error_but_the_order_exists(api, sandbox_control, fault, code):
    cart_id = api.reserved(STADIUM, 2)["cart_id"]
    api.pay(STADIUM, api.card_payment(cart_id))
    sandbox_control.scenario(commit_fault=fault)
    assert_error(api.commit(STADIUM, cart_id), code, code)
    state = sandbox_control.state()
    assert len(state["orders"]) == 1 and state["seats_sold"][STADIUM] == 2
    assert_error(api.commit(STADIUM, cart_id), 90003, 400)  # a blind retry does not buy twice
    assert sandbox_control.state()["scenario"]["commit_fault"] is None


def test_commit_fault_drop_breaks_the_connection_after_committing(api, sandbox_control):
    cart_id = api.reserved(STADIUM, 2)["cart_id"]
    api.pay(STADIUM, api.card_payment(cart_id))
    sandbox_control.scenario(commit_fault="drop")
    with pytest.raises(httpx.TransportError):
        api.commit(STADIUM, cart_id)
    state = sandbox_control.state()
    assert len(state["orders"]) == 1 and state["seats_sold"][STADIUM] == 2
    token = state["orders"][0]["order_token"]
    assert api.get("/orders", params={"order_token": token}).status_code == 200


def test_order_numbers_and_barcodes_never_repeat_after_a_reset(api, sandbox_control):
    """The station's journal outlives the sandbox: a reset (and every start of the embedded sandbox,
    which builds the same fixtures) must not hand out an order number or a barcode already issued."""
    seen_numbers, seen_barcodes = [], []
    for _ in range(3):
        order = api.buy(TEST_PURCHASE, 2)
        tickets = api.get("/orders", params={"order_token": order["order_token"]}).json()["tickets"]
        seen_numbers.append(order["order_number"])
        seen_barcodes.extend(t["barcode_id"] for t in tickets)
        sandbox_control.reset()
    assert len(set(seen_numbers)) == 3, seen_numbers
    assert len(set(seen_barcodes)) == 6, seen_barcodes


def test_a_new_sandbox_on_the_same_seed_issues_new_order_numbers():
    from app.sandbox import EmbeddedSandbox, SandboxConfig
    from tests.conftest import SandboxControl, daytime_everywhere
    from tests.sandbox.sandboxkit import PartnerApi

    numbers = []
    for _ in range(2):
        server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0))
        server.start()
        try:
            control = SandboxControl(server.base_url)
            control.scenario(now=daytime_everywhere())
            control.close()
            api = PartnerApi(server)
            numbers.append(api.buy(TEST_PURCHASE, 1)["order_number"])
            api.close()
        finally:
            server.stop()
    assert numbers[0] != numbers[1]
