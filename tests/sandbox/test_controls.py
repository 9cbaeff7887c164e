"""Tester controls, the request log's masking, transient faults, latency and bad input of any kind."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.sandboxkit import API_KEY, STADIUM, TEST_PURCHASE, assert_error


def test_state_shows_carts_orders_and_seat_counts(api, sandbox_control):
    cart_id = api.reserved(STADIUM, 3)["cart_id"]
    order = api.buy(TEST_PURCHASE, 2)
    state = sandbox_control.state()
    assert [(c["cart_id"], c["event_id"], c["seats"]) for c in state["held_carts"]] == [(cart_id, STADIUM, 3)]
    assert 0 < state["held_carts"][0]["expires_in"] <= 299
    assert state["orders"][0]["order_number"] == order["order_number"]
    assert state["orders"][0]["grand_total"] == order["grand_total"]
    assert state["seats_sold"][TEST_PURCHASE] == 2 and state["seats_held"][STADIUM] == 3


def test_log_lists_requests_with_secrets_masked(api, fresh_sandbox, sandbox_control):
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    api.get("/orders", params={"order_token": "secret-order-token-1234"})
    httpx.get(fresh_sandbox.oauth_base + "/info/very-secret-access-token-9876")
    entries = sandbox_control.log(limit=5)
    text = repr(entries)
    assert API_KEY not in text and "secret-order-token" not in text and "very-secret-access" not in text
    assert "••••1234" in text and "••••9876" in text
    reserve = next(e for e in entries if e["method"] == "POST" and e["path"].endswith("/cart"))
    assert reserve["path"] == f"/partners/v1/events/{STADIUM}/cart" and reserve["status"] == 200
    assert set(reserve) == {"time", "method", "path", "query", "status", "duration_ms"}
    shipping = api.get(f"/events/{STADIUM}/cart/shipping", params={"cart_id": cart_id})
    assert shipping.status_code == 200
    assert f"cart_id={cart_id}" in sandbox_control.log(limit=1)[-1]["query"]
    assert len(sandbox_control.log(limit=1)) == 1


def test_scenario_merges_validates_and_resets(fresh_sandbox, sandbox_control):
    view = sandbox_control.scenario(latency_ms=5, hold_time=45)
    assert view["latency_ms"] == 5 and view["hold_time"] == 45 and view["force_polling_rounds"] == 0
    with httpx.Client(base_url=fresh_sandbox.base_url) as http:
        for bad in ({"hold_time": "long"}, {"no_such_key": 1}, {"transient_error_rate": 2},
                    {"commit_fault": "fire"}, {"next_payment_decline": 12345}, {"now": "yesterday"}, [1, 2]):
            assert_error(http.post("/_sandbox/scenario", json=bad), 10002, 400)
        assert http.get("/_sandbox/scenario").json()["hold_time"] == 45
        assert http.post("/_sandbox/reset").status_code == 200
        assert http.get("/_sandbox/scenario").json()["hold_time"] == 299


def test_reset_puts_fixtures_back(api, sandbox_control):
    before = api.get(f"/events/{TEST_PURCHASE}/availability").json()
    api.buy(TEST_PURCHASE, 4)
    sandbox_control.reset()
    assert sandbox_control.state()["orders"] == []
    assert api.get(f"/events/{TEST_PURCHASE}/availability").json() == before


def test_transient_errors_are_documented_502_or_504(api, sandbox_control):
    sandbox_control.scenario(transient_error_rate=1.0)
    for _ in range(6):
        answer = api.get("/events")
        assert answer.status_code in (502, 504)
        assert_error(answer, answer.status_code)
    sandbox_control.scenario(transient_error_rate=0.0)
    assert api.get("/events").status_code == 200


@pytest.mark.parametrize("method, path", [
    ("POST", f"/events/{TEST_PURCHASE}/cart"),
    ("PUT", f"/events/{TEST_PURCHASE}/cart"),
    ("PUT", f"/events/{TEST_PURCHASE}/cart/payment"),
    ("PUT", f"/events/{TEST_PURCHASE}/cart/shipping?cart_id=x"),
    ("POST", "/member/billing"),
])
@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b"", b'"text"', b"[" * 5000 + b"]" * 5000])
def test_malformed_bodies_get_documented_errors(api, method, path, content):
    answer = api.call(method, path, content=content, headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["severity"] == "ERROR"


def test_huge_bodies_are_refused_before_reading(api):
    huge = b'{"reserve": "' + b"x" * 100_000 + b'"}'
    assert_error(api.call("POST", f"/events/{TEST_PURCHASE}/cart", content=huge), 10002, 413)

    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    assert_error(api.call("POST", f"/events/{TEST_PURCHASE}/cart", content=chunks()), 10002, 413)


def test_unknown_paths_and_methods_are_json_errors(api, fresh_sandbox):
    assert_error(httpx.get(fresh_sandbox.base_url + "/nowhere"), 404, 404)
    assert_error(api.call("DELETE", "/events"), 405, 405)


def test_trailing_slash_is_not_redirected(api):
    answer = api.get("/events/")
    assert_error(answer, 404, 404)
