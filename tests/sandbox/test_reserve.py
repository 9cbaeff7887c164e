"""Reserve: seat picking, restrictSingle, limits, sold-out and the documented errors."""

from __future__ import annotations

import json

import pytest

from tests.sandbox.sandboxkit import GENERAL_ADMISSION, LONDON, STADIUM, TEST_PURCHASE, assert_error


def free_rows(api, event_id: str) -> list[dict]:
    tickets = api.get(f"/events/{event_id}/availability").json()["event"]["tickets"]
    return [row for t in tickets for row in t["inventory"]]


def test_reserve_answers_the_documented_cart(api, vectors_dir):
    body = api.reserved(TEST_PURCHASE, 2)
    documented = json.loads((vectors_dir / "reserve.response.json").read_text())
    assert isinstance(body["cart_id"], str) and body["cart_id"]
    cart = body["cart"]
    assert cart["hold_time"] == 299
    assert set(documented["cart"]["totals"]) <= set(cart["totals"])
    item = cart["items"][0]
    assert set(documented["cart"]["items"][0]) <= set(item)
    assert item["num_seats"] == 2 and int(item["end_seat_number"]) > int(item["start_seat_number"])
    charges = {c["type"]: c for c in item["tickets"][0]["charges"]}
    assert {"face_value", "facility", "service", "distance"} <= set(charges)
    total = sum(c["price"] * c["quantity"] for c in charges.values())
    assert round(total, 2) == cart["totals"]["grand"] == cart["totals"]["unpaid"]


def test_reserved_seats_leave_availability_and_come_back_on_delete(api, sandbox_control):
    before = sum(t["available"] for t in api.get(f"/events/{LONDON}/availability").json()["event"]["tickets"])
    cart_id = api.reserved(LONDON, 3)["cart_id"]
    during = sum(t["available"] for t in api.get(f"/events/{LONDON}/availability").json()["event"]["tickets"])
    assert during == before - 3
    assert sandbox_control.state()["seats_held"][LONDON] == 3
    assert api.call("DELETE", f"/events/{LONDON}/cart", params={"cart_id": cart_id}).status_code == 204
    after = sum(t["available"] for t in api.get(f"/events/{LONDON}/availability").json()["event"]["tickets"])
    assert after == before
    assert_error(api.call("DELETE", f"/events/{LONDON}/cart", params={"cart_id": cart_id}), 90003, 400)


def test_exact_places_are_the_seats_reserved(api):
    row = next(r for r in free_rows(api, STADIUM) if len(r["seats"]) >= 4)
    cart = api.reserved(STADIUM, 2, places=row["places"][:2])["cart"]
    item = cart["items"][0]
    assert (item["section"], item["row"]) == (row["section"], row["row"])
    assert {int(item["start_seat_number"]), int(item["end_seat_number"])} == set(row["seats"][:2])
    taken = [r for r in free_rows(api, STADIUM) if (r["section"], r["row"]) == (row["section"], row["row"])]
    assert not taken or not set(row["places"][:2]) & set(taken[0]["places"])


def test_taken_places_fall_back_to_best_available_unless_refused(api):
    row = next(r for r in free_rows(api, STADIUM) if len(r["seats"]) >= 4)
    api.reserved(STADIUM, 2, places=row["places"][:2])
    assert_error(api.reserve(STADIUM, 2, places=row["places"][:2], accept_best_available=False), 20052, 400)
    other = api.reserved(STADIUM, 2, places=row["places"][:2])["cart"]["items"][0]
    assert other["num_seats"] == 2


def test_section_row_and_seat_range(api):
    row = next(r for r in free_rows(api, STADIUM) if r["seats"][:3] == list(range(r["seats"][0], r["seats"][0] + 3)))
    first = row["seats"][0]
    item = api.reserved(STADIUM, 3, section=row["section"], row=row["row"], begin_seat=first,
                        end_seat=first + 2)["cart"]["items"][0]
    assert (item["section"], item["row"], item["start_seat_number"], item["end_seat_number"]) == (
        row["section"], row["row"], str(first), str(first + 2))


def test_best_available_within_a_price_level_and_an_area(api):
    details = api.get(f"/events/{STADIUM}").json()["event"]
    upper = next(a for g in details["area_groups"] for a in g["areas"] if a["description"] == "Upper Level")
    item = api.reserved(STADIUM, 2, areas=[{"id": upper["id"]}])["cart"]["items"][0]
    assert item["section"].startswith("3")
    ticket = details["tickets"][0]["id"]
    answer = api.call("POST", f"/events/{STADIUM}/cart", json={"reserve": {"tickets": [
        {"id": ticket, "quantity": 2, "price": {"id": 3}}]}})
    assert answer.json()["cart"]["items"][0]["section"].startswith("2")


def test_restrict_single_never_strands_one_seat(api):
    rows = free_rows(api, TEST_PURCHASE)
    # a run of exactly three consecutive free seats: taking two would strand the third
    for row in rows:
        seats, places = row["seats"], row["places"]
        step = seats[1] - seats[0] if len(seats) > 1 else 1
        runs, start = [], 0
        for i in range(1, len(seats) + 1):
            if i == len(seats) or seats[i] != seats[i - 1] + step:
                runs.append((start, i))
                start = i
        run = next(((a, b) for a, b in runs if b - a == 3), None)
        if run:
            break
    else:
        pytest.fail("fixture has no run of three free seats")
    a, _ = run
    assert_error(api.reserve(TEST_PURCHASE, 2, places=places[a:a + 2], accept_best_available=False), 20052)
    assert api.reserve(TEST_PURCHASE, 3, places=places[a:a + 3], accept_best_available=False).status_code == 200


def test_ticket_limits(api):
    assert_error(api.reserve(TEST_PURCHASE, 11), 10161, 400)
    child = api.ticket_types(TEST_PURCHASE)[1]
    assert_error(api.reserve(TEST_PURCHASE, 5, ticket=child), 10161, 400)
    assert api.reserve(TEST_PURCHASE, 4, ticket=child).status_code == 200


def test_unknown_ticket_type_is_20046(api):
    assert_error(api.reserve(TEST_PURCHASE, 1, ticket="000000000000"), 20046, 400)


def test_general_admission_sells_out_with_20052(api, sandbox_control):
    ticket = api.ticket_types(GENERAL_ADMISSION)[0]
    balcony = next(t for t in api.get(f"/events/{GENERAL_ADMISSION}/availability").json()["event"]["tickets"]
                   if t["offers"][0]["priceLevelId"] == "2")
    available, held = balcony["available"], 0
    while True:
        answer = api.call("POST", f"/events/{GENERAL_ADMISSION}/cart", json={"reserve": {"tickets": [
            {"id": ticket, "quantity": min(6, available - held) or 1, "price": {"id": 2}}]}})
        if answer.status_code != 200:
            break
        item = answer.json()["cart"]["items"][0]
        assert item["is_ga"] is True and "row" not in item
        held += item["num_seats"]
    assert_error(answer, 20052, 400)
    assert held == available
    assert sandbox_control.state()["seats_held"][GENERAL_ADMISSION] == available


@pytest.mark.parametrize("reserve", [
    {},
    {"tickets": []},
    {"tickets": "two"},
    {"tickets": [{"id": 6, "quantity": 1}]},
    {"tickets": [{"id": "000001040006", "quantity": 0}]},
    {"tickets": [{"id": "000001040006", "quantity": "many"}]},
    {"tickets": [{"id": "000001040006", "quantity": 1}], "places": "ABC"},
    {"tickets": [{"id": "000001040006", "quantity": 1}], "accept_best_available": "no"},
    {"tickets": [{"id": "000001040006", "quantity": 1}], "areas": [5]},
    {"tickets": [{"id": "000001040006", "quantity": 2}], "section": "102", "row": "A", "begin_seat": 1},
])
def test_malformed_reserve_is_10002(api, reserve):
    assert_error(api.call("POST", f"/events/{TEST_PURCHASE}/cart", json={"reserve": reserve}), 10002, 400)


def test_unknown_place_id_is_no_inventory(api):
    assert_error(api.reserve(TEST_PURCHASE, 1, places=["AAAAAAAAAAAAAAAA"], accept_best_available=False), 20052)
