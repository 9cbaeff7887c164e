"""Polling: 202 with a working polling_url and wait, forced by header or scenario, or on its own."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from tests.sandbox.sandboxkit import API_KEY, STADIUM, TEST_PURCHASE, advance, assert_error


def forced(api, method, path, **kwargs):
    return api.call(method, path, headers={"X-TM-FORCE-POLLING": "true"}, **kwargs)


def test_forced_polling_on_reserve_then_the_cart(api, vectors_dir, sandbox_control):
    sandbox_control.scenario(polling_wait=0)
    ticket = api.ticket_types(STADIUM)[0]
    first = forced(api, "POST", f"/events/{STADIUM}/cart",
                   json={"reserve": {"tickets": [{"id": ticket, "quantity": 2}]}})
    assert first.status_code == 202
    body = first.json()
    assert set(body) == set(json.loads((vectors_dir / "polling.response.json").read_text()))
    assert body["wait"] == 0
    query = parse_qs(urlsplit(body["polling_url"]).query)
    assert query["apikey"] == [API_KEY] and query["cart_id"]
    # the seats are held already, whether or not anyone polls
    assert sandbox_control.state()["seats_held"][STADIUM] == 2
    final = api.http.get(body["polling_url"])
    assert final.status_code == 200
    assert final.json()["cart_id"] == query["cart_id"][0]
    assert_error(api.http.get(body["polling_url"]), 404, 404)


def test_scenario_polling_rounds_and_wait(api, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=3, polling_wait=2)
    cart = api.reserve(STADIUM, 1)
    statuses = [cart.status_code]
    while cart.status_code == 202:
        assert cart.json()["wait"] == 2
        cart = api.http.get(cart.json()["polling_url"])
        statuses.append(cart.status_code)
    assert statuses == [202, 202, 202, 200]


def test_commit_delete_shipping_and_orders_can_poll(api, sandbox_control):
    sandbox_control.scenario(polling_wait=0)
    cart_id = api.reserved(STADIUM, 1)["cart_id"]
    shipping = forced(api, "PUT", f"/events/{STADIUM}/cart/shipping", params={"cart_id": cart_id},
                      json={"shipping_id": api.shipping_id(STADIUM, cart_id, "USPS", "MAIL")})
    assert shipping.status_code == 202
    assert api.http.get(shipping.json()["polling_url"]).json()["cart"]["totals"]["delivery"] == 0.5
    api.pay(STADIUM, api.card_payment(cart_id))
    commit = forced(api, "PUT", f"/events/{STADIUM}/cart", json={"cart_id": cart_id})
    assert commit.status_code == 202
    order = api.http.get(commit.json()["polling_url"]).json()
    lookup = forced(api, "GET", "/orders", params={"order_token": order["order_token"]})
    assert lookup.status_code == 202
    assert api.http.get(lookup.json()["polling_url"]).json()["tickets"][0]["event_id"] == STADIUM
    other = api.reserved(STADIUM, 1)["cart_id"]
    deleting = forced(api, "DELETE", f"/events/{STADIUM}/cart", params={"cart_id": other})
    assert deleting.status_code == 202
    assert api.http.get(deleting.json()["polling_url"]).status_code == 204


def test_polling_url_needs_the_api_key(api, sandbox_control):
    sandbox_control.scenario(polling_wait=0)
    body = forced(api, "POST", f"/events/{STADIUM}/cart",
                  json={"reserve": {"tickets": [{"id": api.ticket_types(STADIUM)[0], "quantity": 1}]}}).json()
    bare = body["polling_url"].split("?")[0]
    assert_error(api.http.get(bare), 10004, 401)


def polled_share(api, count: int) -> int:
    polled = 0
    for _ in range(count):
        answer = api.reserve(TEST_PURCHASE, 1)
        if answer.status_code == 202:
            polled += 1
            answer = api.http.get(answer.json()["polling_url"])
            while answer.status_code == 202:
                answer = api.http.get(answer.json()["polling_url"])
        api.call("DELETE", f"/events/{TEST_PURCHASE}/cart", params={"cart_id": answer.json()["cart_id"]})
    return polled


def test_auto_polling_happens_more_for_a_key_that_abandons_carts(api, sandbox_control):
    sandbox_control.scenario(auto_polling=True, polling_wait=0, hold_time=30)
    tidy = polled_share(api, 20)
    for _ in range(10):  # leave carts to expire instead of deleting them
        answer = api.reserve(TEST_PURCHASE, 1)
        while answer.status_code == 202:
            answer = api.http.get(answer.json()["polling_url"])
    advance(sandbox_control, 31)
    assert sandbox_control.state()["abandoned_carts"] == {"••••-key": 10}  # the key masked, as in the log
    careless = polled_share(api, 20)
    assert careless > tidy
