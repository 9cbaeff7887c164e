"""How many tickets one sale may take, and which picks strand a single seat (``app.checkout.quantities``):
the rules the window's sale controls and the CLI both ask. No QApplication."""

from __future__ import annotations

import pytest

from app.checkout.quantities import (
    DEFAULT_MAXIMUM,
    QuantityBounds,
    quantity_bounds,
    quantity_problem,
    single_seat_problem,
    stranded_seats,
)
from app.partner.models import Availability, EventDetails, InventoryRow


def row(section: str, name: str, seats: list[int]) -> InventoryRow:
    return InventoryRow(section=section, row=name, seats=tuple(str(s) for s in seats),
                        places=tuple(f"{section}-{name}-{s}" for s in seats), has_even_odd_mix=False, areas=())


def test_a_pick_that_leaves_one_free_seat_alone_is_found():
    rows = [row("101", "A", [1, 2, 3, 4, 5]), row("101", "B", [1, 2])]
    lone = stranded_seats(rows, ["101-A-2", "101-A-3"])
    assert [(r.row, s) for r, s in lone] == [("A", "1")]
    assert stranded_seats(rows, ["101-A-1", "101-A-2"]) == []
    assert stranded_seats(rows, ["101-A-4"]) == [(rows[0], "5")]
    assert stranded_seats(rows, ["101-B-1"]) == [(rows[1], "2")]
    assert stranded_seats(rows, []) == []


def test_seats_already_sold_break_a_run():
    rows = [row("7", "C", [1, 2, 4, 5, 6])]  # seat 3 is sold
    assert stranded_seats(rows, ["7-C-4", "7-C-5"]) == [(rows[0], "6")]
    assert stranded_seats(rows, ["7-C-1"]) == [(rows[0], "2")]


def details(quantities=None, ticket_quantities=None) -> EventDetails:
    ticket = {"id": "T1", "description": "Adult", "quantities": ticket_quantities or {}}
    return EventDetails.from_json({"event": {"id": "E1", "quantities": quantities or {}, "tickets": [ticket]}})


def availability(available=20, current=None, event_limit=None, restrict_single=False, hide=False, rows=()):
    return Availability.from_json({"event": {
        "id": "E1", "restrictSingle": restrict_single, "eventTicketLimit": event_limit, "locRowSeatRestrict": hide,
        "tickets": [{"available": available, "total": 100, "currentTicketLimit": current,
                     "offers": [{"ticketTypeId": "T1", "priceLevelId": "1"}],
                     "inventory": [{"section": r.section, "row": r.row, "seats": list(r.seats),
                                    "places": list(r.places)} for r in rows]}]}})


def test_the_smallest_limit_sets_the_maximum_and_says_which():
    assert quantity_bounds(details(), None, "T1") == QuantityBounds(1, DEFAULT_MAXIMUM, 1, "")
    assert quantity_bounds(details({"limit": 8}, {"limit": 6}), availability(), "T1") == QuantityBounds(
        1, 6, 1, "at most 6 per sale for this ticket type")
    assert quantity_bounds(details({"limit": 8}), availability(current=4), "T1").reason == "the current limit of 4"
    assert quantity_bounds(details({"limit": 8}), availability(event_limit=5), "T1").reason == "the event's limit of 5"
    assert quantity_bounds(details({"limit": 8}), availability(available=3), "T1") == QuantityBounds(
        1, 3, 1, "3 available")
    sold_out = quantity_bounds(details(), availability(available=0), "T1")
    assert not sold_out.can_sell


def test_minimum_multiple_and_exact_counts():
    pairs = quantity_bounds(details(ticket_quantities={"minimum": 2, "multiple": 2, "limit": 8}), None, "T1")
    assert (pairs.minimum, pairs.maximum, pairs.step) == (2, 8, 2)
    assert [n for n in range(0, 10) if pairs.allows(n)] == [2, 4, 6, 8]
    exact = quantity_bounds(details(ticket_quantities={"exact": 4}), None, "T1")
    assert (exact.minimum, exact.maximum) == (4, 4) and exact.reason == "This ticket type is sold in exactly 4s."


@pytest.mark.parametrize("quantity, sentence", [
    (7, "7 cannot be sold here: from 1 to 6 (at most 6 per sale for this ticket type)."),
    (0, "0 cannot be sold here: from 1 to 6 (at most 6 per sale for this ticket type)."),
    (6, None),
])
def test_a_quantity_above_the_limit_is_refused_with_the_limit_named(quantity, sentence):
    bounds = quantity_bounds(details(ticket_quantities={"limit": 6}), availability(), "T1")
    assert quantity_problem(bounds, quantity) == sentence
    assert quantity_problem(QuantityBounds(2, 8, 2, ""), 3) == "3 cannot be sold here: from 2 to 8 in steps of 2."


def test_the_single_seat_rule_applies_only_where_the_event_sets_it():
    rows = [row("101", "A", [1, 2, 3, 4, 5])]
    assert single_seat_problem(availability(rows=rows), ["101-A-2", "101-A-3"]) is None
    strict = availability(restrict_single=True, rows=rows)
    assert single_seat_problem(strict, ["101-A-2", "101-A-3"]) == (
        "These seats would leave row A seat 1 alone, which this event does not allow. "
        "Pick one seat more or fewer next to them.")
    assert single_seat_problem(strict, ["101-A-1", "101-A-2"]) is None
    hidden = single_seat_problem(availability(restrict_single=True, hide=True, rows=rows), ["101-A-2"])
    assert hidden.startswith("These seats would leave a single empty seat alone") and "seat 1" not in hidden
