"""Sale rules behind the controls: quantity bounds from the limits, seats a pick would strand."""

from __future__ import annotations

from app.gui.event.salerules import stranded_seats
from app.partner.models import InventoryRow


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


def test_a_pick_is_described_without_names_when_the_venue_hides_them():
    from app.gui.event.salerules import PlaceIndex

    index = PlaceIndex([row("101", "A", [1, 2, 3, 4, 5]), row("102", "C", [7, 8])])
    assert index.describe(["101-A-2", "101-A-3"], hide_names=False) == "section 101, row A seats 2, 3"
    assert index.describe(["101-A-2", "102-C-7"], hide_names=True) == "section 101; section 102"
    assert index.single_seat_warning(["101-A-2", "101-A-3"], hide_names=False).startswith(
        "These seats would leave row A seat 1 alone")
    hidden = index.single_seat_warning(["101-A-2"], hide_names=True)
    assert hidden.startswith("These seats would leave a single empty seat alone") and "seat 1" not in hidden
    assert index.single_seat_warning(["101-A-1", "101-A-2"], hide_names=False) is None
