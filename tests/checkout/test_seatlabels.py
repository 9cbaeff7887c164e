"""How held seats are written (``app.checkout.seatlabels``), from cart answers shaped as the service sends them:
one way for the cart pane, the receipt, the CLI and the journal. No QApplication."""

from __future__ import annotations

from app.checkout.seatlabels import SeatHints, cart_seats_text, held_seats, item_label, seat_runs, seats_text
from app.checkout.seats import seat_difference
from app.partner.models import Availability, Cart, CartItem, SeatRef


def item(start, end, count, section="102", row="A") -> CartItem:
    return CartItem.from_json({"id": 1, "section": section, "row": row, "start_seat_number": start,
                               "end_seat_number": end, "num_seats": count, "tickets": [], "totals": {}})


def availability(rows) -> Availability:
    return Availability.from_json({"event": {"id": "E", "tickets": [{"available": 10, "total": 20, "inventory": [
        {"section": section, "row": row, "seats": seats, "places": [f"P{section}{row}{s}" for s in seats]}
        for section, row, seats in rows]}]}})


def test_runs_join_only_seats_that_follow_each_other():
    assert seat_runs(["1", "3", "4", "5", "6"]) == "1, 3–6"
    assert seat_runs(["8", "7"]) == "7–8"
    assert seat_runs(["2", "4", "6"]) == "2, 4, 6"
    assert seat_runs(["10", "9", "11", "20"]) == "9–11, 20"


def test_a_full_span_is_one_run_without_any_hint():
    assert held_seats(item("2", "4", 3)) == ("2", "3", "4")
    assert held_seats(item(7, 7, 1)) == ("7",)  # numbers may arrive as numbers
    assert seats_text(item("2", "4", 3)) == "seats 2–4"


def test_a_span_with_a_gap_is_never_written_as_one_run():
    gap = item("1", "6", 5)
    assert held_seats(gap) is None
    assert seats_text(gap) == "5 seats between seats 1 and 6"


def test_the_places_asked_for_tell_which_seats_a_gapped_item_holds():
    # Seat 2 was already held elsewhere when the availability was read: only 1, 3-6 were free and asked for.
    free = availability([("102", "A", [1, 3, 4, 5, 6, 7, 8]), ("103", "A", [2])])
    hints = SeatHints(frozenset({"P102A1", "P102A3", "P102A4", "P102A5", "P102A6"}), free)
    assert held_seats(item("1", "6", 5), hints) == ("1", "3", "4", "5", "6")
    assert seats_text(item("1", "6", 5), hints) == "seats 1, 3–6"


def test_the_seats_asked_for_by_name_tell_it_without_any_availability():
    # What the sale itself knows (the engine keeps the reserve's asked seats): the journal, the CLI.
    asked = tuple(SeatRef("102", "A", s) for s in ("1", "3", "4", "5", "6"))
    assert held_seats(item("1", "6", 5), SeatHints(asked=asked)) == ("1", "3", "4", "5", "6")
    assert seats_text(item("1", "6", 5), SeatHints(asked=asked)) == "seats 1, 3–6"
    # Asked in another row, or not the seats at the ends of what is held: not known.
    assert held_seats(item("1", "6", 5, row="B"), SeatHints(asked=asked)) is None
    assert held_seats(item("2", "7", 5), SeatHints(asked=asked)) is None


def test_a_stale_availability_alone_is_trusted_only_when_the_count_matches():
    stale = availability([("102", "A", [1, 2, 3, 4, 5, 6])])  # still lists seat 2 as free
    assert held_seats(item("1", "6", 5), SeatHints(frozenset(), stale)) is None
    odd_side = availability([("102", "A", [1, 3, 5, 7])])  # an odd-numbered side section, best available
    assert held_seats(item("1", "5", 3), SeatHints(frozenset(), odd_side)) == ("1", "3", "5")


def test_seat_names_that_are_not_numbers():
    assert held_seats(item("A1", "A2", 2)) == ("A1", "A2")
    assert held_seats(item("A1", "A9", 4)) is None


def cart(*items_json) -> Cart:
    return Cart.from_json({"cart": {"id": "c1", "items": list(items_json), "totals": {}}})


def test_an_item_and_a_whole_cart_are_written_the_same_true_way():
    # Row A seats 1, 3, 4, 5, 6 with seat 2 sold elsewhere: never "seats 1–6".
    gapped = {"section": "104", "row": "A", "start_seat_number": "1", "end_seat_number": "6", "num_seats": 5}
    full = {"section": "102", "row": "T", "start_seat_number": "3", "end_seat_number": "4", "num_seats": 2}
    general = {"is_ga": True, "section": "FLOOR", "num_seats": 3}
    assert item_label(CartItem.from_json(gapped)) == "Section 104, row A, 5 seats between seats 1 and 6"
    free = availability([("104", "A", [1, 3, 4, 5, 6, 9])])
    hints = SeatHints(frozenset({"P104A1", "P104A3", "P104A4", "P104A5", "P104A6"}), free)
    assert item_label(CartItem.from_json(gapped), hints) == "Section 104, row A, seats 1, 3–6"
    assert cart_seats_text(cart(full, gapped, general)) == (
        "Section 102, row T, seats 3–4; Section 104, row A, 5 seats between seats 1 and 6; General admission × 3")
    assert cart_seats_text(None) == ""


def test_other_seats_held_are_said_without_joining_a_gap():
    asked = (SeatRef("104", "A", "1"), SeatRef("104", "A", "2"))
    held = cart({"section": "104", "row": "A", "start_seat_number": "1", "end_seat_number": "6", "num_seats": 5})
    difference = seat_difference(asked, held)
    assert difference is not None
    assert difference.describe() == (
        "Section 104, row A, seats 1–2", "Section 104, row A, 5 seats between seats 1 and 6")
    # Rows and seats hidden (locRowSeatRestrict): counted per section, as a held cart is written.
    assert difference.describe(hide_names=True) == ("Section 104, 2 seats", "Section 104, 5 seats")
