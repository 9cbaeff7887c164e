"""The address each request goes to, however often the same one is asked for (the HTTP layer keeps
recent addresses parsed): the network edge records what was sent."""

from __future__ import annotations

import asyncio

import httpx

from app.partner.transport import HttpLayer

BASE = "http://127.0.0.1:9/partners/v1"


def test_every_request_goes_to_its_own_address_with_its_own_query():
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200, json={})

    async def run() -> None:
        http = HttpLayer(timeout=5, transport=httpx.MockTransport(answer))
        try:
            for cart_id in ("a", "a", "b", "a"):
                await http.send("shipping", "GET", BASE + "/events/E1/cart/shipping",
                                params={"apikey": "k", "cart_id": cart_id, "unset": None})
            await http.send("poll", "GET", BASE + "/poll?id=3&apikey=k")  # a polling URL keeps its query
            await http.send("poll", "GET", BASE + "/poll?id=3", params={"apikey": "k"})  # params replace it
            await http.send("orders", "GET", BASE + "/orders/unredeemed", params={"apikey": "k", "days": 5})
            await http.send("list", "GET", BASE + "/x", params={"apikey": "k", "ids": ["1", "2"]})
        finally:
            await http.aclose()

    asyncio.run(run())
    assert sent == [
        BASE + "/events/E1/cart/shipping?apikey=k&cart_id=a",
        BASE + "/events/E1/cart/shipping?apikey=k&cart_id=a",
        BASE + "/events/E1/cart/shipping?apikey=k&cart_id=b",
        BASE + "/events/E1/cart/shipping?apikey=k&cart_id=a",
        BASE + "/poll?id=3&apikey=k",
        BASE + "/poll?apikey=k",
        BASE + "/orders/unredeemed?apikey=k&days=5",
        BASE + "/x?apikey=k&ids=1&ids=2",
    ]
