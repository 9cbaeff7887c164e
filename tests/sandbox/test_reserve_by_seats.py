"""The reserve's second way to name exact seats: section, row, begin_seat and end_seat (consecutive
seats of one row), with the same fall-back rules as place ids; and the fixture event whose
availability lists some seats without place ids, which only that way can name."""

from __future__ import annotations

import json

import pytest

from tests.sandbox.sandboxkit import GENERAL_ADMISSION, NO_PLACES, STADIUM, TEST_PURCHASE, assert_error

MEZZANINE = {"201", "202", "203"}


def rows_of(api, event_id: str) -> list[dict]:
    tickets = api.get(f"/events/{event_id}/availability").json()["event"]["tickets"]
    return [row for t in tickets for row in t["inventory"]]


def step_of(row: dict) -> int:
    """2 in a row numbered odd-only or even-only, else 1."""
    seats = row.get("seats", [])
    return 2 if len(seats) > 1 and len({n % 2 for n in seats}) == 1 and seats[1] - seats[0] == 2 else 1


def runs_of(row: dict) -> list[list[int]]:
    """The row's free seats cut into runs of seats side by side (numbers one step apart)."""
    seats, step, runs = row.get("seats", []), step_of(row), []
    for number in seats:
        if runs and number - runs[-1][-1] == step:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


def run_of(row: dict, length: int) -> list[int] | None:
    """The first ``length`` free seats of ``row`` that sit side by side."""
    return next((run[:length] for run in runs_of(row) if len(run) >= length), None)


def free_run(api, event_id: str, length: int, sections=None) -> tuple[dict, list[int]]:
    for row in rows_of(api, event_id):
        if sections is None or row["section"] in sections:
            seats = run_of(row, length)
            if seats:
                return row, seats
    pytest.fail(f"no run of {length} free seats in {event_id}")


def by_seats(row: dict, seats: list[int], **extra) -> dict:
    return dict(section=row["section"], row=row["row"], begin_seat=seats[0], end_seat=seats[-1], **extra)


def test_the_placeless_event_lists_mezzanine_seats_without_place_ids(api, vectors_dir):
    documented = json.loads((vectors_dir / "availability.response.json").read_text())
    placeless = documented["event"]["tickets"][1]["inventory"][0]
    assert "places" not in placeless and placeless["seats"]  # what the documented example does
    rows = rows_of(api, NO_PLACES)
    mezzanine = [r for r in rows if r["section"] in MEZZANINE]
    orchestra = [r for r in rows if r["section"] not in MEZZANINE]
    assert mezzanine and orchestra
    for row in mezzanine:
        assert "places" not in row and row["seats"] and set(placeless) <= set(row)
    for row in orchestra:
        assert len(row["places"]) == len(row["seats"])
    assert any(e["eventId"] == NO_PLACES for e in api.get("/events").json()["events"])


def test_seats_without_place_ids_are_reserved_by_section_row_and_seats(api):
    row, seats = free_run(api, NO_PLACES, 3, MEZZANINE)
    item = api.reserved(NO_PLACES, 3, **by_seats(row, seats))["cart"]["items"][0]
    assert (item["section"], item["row"]) == (row["section"], row["row"])
    assert (item["start_seat_number"], item["end_seat_number"], item["num_seats"]) == (
        str(seats[0]), str(seats[-1]), 3)
    after = next(r for r in rows_of(api, NO_PLACES) if (r["section"], r["row"]) == (row["section"], row["row"]))
    assert not set(seats) & set(after["seats"])


def test_an_order_for_seats_named_by_number_lists_those_seats(api):
    row, seats = free_run(api, NO_PLACES, 2, MEZZANINE)
    order = api.buy(NO_PLACES, 2, **by_seats(row, seats))
    tickets = api.get("/orders", params={"order_token": order["order_token"]}).json()["tickets"]
    assert sorted((t["section"], t["row"], int(t["seat_name"])) for t in tickets) == [
        (row["section"], row["row"], n) for n in seats]


def test_taken_seats_fall_back_to_best_available_unless_refused(api):
    row, seats = free_run(api, STADIUM, 2)
    api.reserved(STADIUM, 2, **by_seats(row, seats))
    assert_error(api.reserve(STADIUM, 2, **by_seats(row, seats, accept_best_available=False)), 20052, 400)
    other = api.reserved(STADIUM, 2, **by_seats(row, seats))["cart"]["items"][0]
    assert other["num_seats"] == 2
    assert (other["section"], other["row"], other["start_seat_number"]) != (row["section"], row["row"], str(seats[0]))


def test_a_range_that_would_strand_one_seat_is_refused_under_restrict_single(api):
    found = [(row, run) for row in rows_of(api, TEST_PURCHASE) for run in runs_of(row) if len(run) == 3]
    assert found, "the restrictSingle fixture has a run of exactly three free seats"
    row, three = found[0]
    assert_error(api.reserve(TEST_PURCHASE, 2, **by_seats(row, three[:2], accept_best_available=False)), 20052)
    assert_error(api.reserve(TEST_PURCHASE, 2, **by_seats(row, three[1:], accept_best_available=False)), 20052)
    assert api.reserve(TEST_PURCHASE, 3, **by_seats(row, three, accept_best_available=False)).status_code == 200


def test_odd_numbered_rows_take_every_other_number(api):
    row, seats = free_run(api, NO_PLACES, 3, {"101"})
    assert seats[1] - seats[0] == 2
    item = api.reserved(NO_PLACES, 3, **by_seats(row, seats))["cart"]["items"][0]
    assert (item["start_seat_number"], item["end_seat_number"], item["num_seats"]) == (
        str(seats[0]), str(seats[-1]), 3)


def test_two_ticket_types_share_one_range(api):
    row, seats = free_run(api, NO_PLACES, 3, MEZZANINE)
    adult, child = api.ticket_types(NO_PLACES)
    answer = api.call("POST", f"/events/{NO_PLACES}/cart", json={"reserve": {
        "tickets": [{"id": adult, "quantity": 2}, {"id": child, "quantity": 1}], **by_seats(row, seats)}})
    assert answer.status_code == 200, answer.text
    tickets = answer.json()["cart"]["items"][0]["tickets"]
    assert sorted((t["id"], t["quantity"]) for t in tickets) == sorted([(adult, 2), (child, 1)])


@pytest.mark.parametrize("change, code", [
    (lambda first: {"end_seat": first + 1}, 10002),  # two seats for three tickets
    (lambda first: {"begin_seat": first + 2, "end_seat": first}, 10002),  # backwards
    (lambda first: {"end_seat": 999}, 20052),  # no such seat in the row
    (lambda first: {"row": "ZZZ"}, 20052),
    (lambda first: {"section": "NOPE"}, 20052),
])
def test_a_range_that_names_no_such_seats(api, change, code):
    row, seats = free_run(api, NO_PLACES, 3, MEZZANINE)
    reserve = {**by_seats(row, seats), **change(seats[0])}
    assert_error(api.reserve(NO_PLACES, 3, **reserve), code, 400)


def test_general_admission_has_no_seats_to_name(api):
    answer = api.reserve(GENERAL_ADMISSION, 2, section="FLOOR", row="", begin_seat=1, end_seat=2)
    assert_error(answer, 20052, 400)
