"""Property: whatever buyers do (reserve, give up, buy, let holds expire), every seat is in exactly
one place — free, held by one cart, or sold once — as the sandbox itself reports it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sandbox.sandboxkit import AWAKE_EVERYWHERE, GENERAL_ADMISSION, TEST_PURCHASE, PartnerApi, advance

EVENTS = (TEST_PURCHASE, GENERAL_ADMISSION)
steps = st.lists(st.one_of(
    st.tuples(st.just("reserve"), st.sampled_from(EVENTS), st.integers(1, 6), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("buy"), st.integers(0, 20)),
    st.tuples(st.just("expire"),),
), min_size=1, max_size=14)


def free_seats(api: PartnerApi, event_id: str) -> int:
    return sum(t["available"] for t in api.get(f"/events/{event_id}/availability").json()["event"]["tickets"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_every_seat_is_free_held_or_sold_once(sandbox, sandbox_control, plan):
    sandbox_control.reset()
    sandbox_control.scenario(now=AWAKE_EVERYWHERE, hold_time=60)
    api = PartnerApi(sandbox)
    try:
        start = {e: free_seats(api, e) for e in EVENTS}
        live: list[tuple[str, str]] = []  # (event, cart id)
        for step in plan:
            if step[0] == "reserve":
                _, event_id, quantity, by_place = step
                places = None
                if by_place and event_id == TEST_PURCHASE:
                    rows = api.get(f"/events/{event_id}/availability").json()["event"]["tickets"][0]["inventory"]
                    places = rows[0]["places"][:quantity] if rows else None
                answer = api.reserve(event_id, len(places) if places else quantity,
                                     **({"places": places} if places else {}))
                assert answer.status_code in (200, 400), answer.text
                if answer.status_code == 200:
                    live.append((event_id, answer.json()["cart_id"]))
                else:
                    assert answer.json()["error"]["code"] == 20052
            elif step[0] in ("delete", "buy") and live:
                event_id, cart_id = live.pop(step[1] % len(live))
                if step[0] == "delete":
                    assert (
                        api.call("DELETE", f"/events/{event_id}/cart", params={"cart_id": cart_id}).status_code == 204
                    )
                else:
                    assert api.pay(event_id, api.card_payment(cart_id)).status_code == 200
                    assert api.commit(event_id, cart_id).status_code == 200
            elif step[0] == "expire":
                advance(sandbox_control, 61)
                live.clear()
        state = sandbox_control.state()
        held_by_cart = {}
        for cart in state["held_carts"]:
            held_by_cart[cart["event_id"]] = held_by_cart.get(cart["event_id"], 0) + cart["seats"]
        sold_by_order = {}
        for order in state["orders"]:
            sold_by_order[order["event_id"]] = sold_by_order.get(order["event_id"], 0) + order["seats"]
        for event_id in EVENTS:
            held, sold = state["seats_held"][event_id], state["seats_sold"][event_id]
            assert held == held_by_cart.get(event_id, 0)
            assert sold == sold_by_order.get(event_id, 0)
            assert free_seats(api, event_id) + held + sold == start[event_id]
        assert {c["cart_id"] for c in state["held_carts"]} == {cart_id for _, cart_id in live}
        seats = [
            (t["event_id"], t["section"], t.get("row"), t.get("seat_name"))
            for o in state["orders"]
            for t in api.get("/orders", params={"order_token": o["order_token"]}).json()["tickets"]
            if not t["is_ga"]
        ]
        assert len(seats) == len(set(seats))
    finally:
        api.close()
