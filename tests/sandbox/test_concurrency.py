"""Many clients at once on one event: every seat sold once, seats sold equal seats paid for."""

from __future__ import annotations

import asyncio
import random

import httpx

from tests.sandbox.sandboxkit import API_KEY, TEST_PURCHASE

CLIENTS = 24


async def shopper(http: httpx.AsyncClient, ticket: str, seed: int, results: list[dict]) -> None:
    rng = random.Random(seed)
    key = {"apikey": API_KEY}
    while True:
        reserve = await http.post(f"/events/{TEST_PURCHASE}/cart", params=key, json={
            "reserve": {"tickets": [{"id": ticket, "quantity": rng.randint(1, 6)}]}})
        if reserve.status_code != 200:
            assert reserve.json()["error"]["code"] == 20052, reserve.text
            return
        body = reserve.json()
        cart_id = body["cart_id"]
        if rng.random() < 0.2:  # some buyers give up
            assert (
                await http.delete(f"/events/{TEST_PURCHASE}/cart", params={**key, "cart_id": cart_id})
            ).status_code == 204
            continue
        paid = await http.put(
            f"/events/{TEST_PURCHASE}/cart/payment",
            params=key,
            json={
                "cart_id": cart_id,
                "payment": {
                    "type": "INVOICE",
                    "reference": str(seed),
                    "first_name": "A",
                    "last_name": "B",
                    "email_address": "a@example.com",
                },
            },
        )
        assert paid.status_code == 200, paid.text
        committed = await http.put(f"/events/{TEST_PURCHASE}/cart", params=key, json={"cart_id": cart_id})
        assert committed.status_code == 200, committed.text
        results.append(
            {
                "order": committed.json(),
                "seats": body["cart"]["items"][0]["num_seats"],
                "grand": body["cart"]["totals"]["grand"],
            }
        )


async def sell_out(base: str, ticket: str) -> list[dict]:
    results: list[dict] = []
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        await asyncio.gather(*(shopper(http, ticket, n, results) for n in range(CLIENTS)))
    return results


def test_concurrent_buyers_never_get_the_same_seat(api, fresh_sandbox, sandbox_control):
    ticket = api.ticket_types(TEST_PURCHASE)[0]
    free_before = sum(
        t["available"] for t in api.get(f"/events/{TEST_PURCHASE}/availability").json()["event"]["tickets"]
    )
    results = asyncio.run(sell_out(fresh_sandbox.partner_base, ticket))
    state = sandbox_control.state()
    paid_seats = sum(r["seats"] for r in results)
    assert state["seats_sold"][TEST_PURCHASE] == paid_seats
    assert state["seats_held"][TEST_PURCHASE] == 0
    assert len(state["orders"]) == len(results)
    assert sum(o["seats"] for o in state["orders"]) == paid_seats
    seen = set()
    for result in results:
        tickets = api.get("/orders", params={"order_token": result["order"]["order_token"]}).json()["tickets"]
        assert len(tickets) == result["seats"]
        for ticket_line in tickets:
            seat = (ticket_line["section"], ticket_line["row"], ticket_line["seat_name"])
            assert seat not in seen, f"{seat} sold twice"
            seen.add(seat)
    left = sum(t["available"] for t in api.get(f"/events/{TEST_PURCHASE}/availability").json()["event"]["tickets"])
    assert left + paid_seats == free_before
    assert paid_seats > free_before // 2
