"""The event page's side of the sale rules: the index that describes and checks the map's picks."""

from __future__ import annotations

from app.gui.event.salerules import PlaceIndex
from app.partner.models import InventoryRow


def row(section: str, name: str, seats: list[int]) -> InventoryRow:
    return InventoryRow(section=section, row=name, seats=tuple(str(s) for s in seats),
                        places=tuple(f"{section}-{name}-{s}" for s in seats), has_even_odd_mix=False, areas=())


def test_a_pick_is_described_without_names_when_the_venue_hides_them():
    index = PlaceIndex([row("101", "A", [1, 2, 3, 4, 5]), row("102", "C", [7, 8])])
    # Written as the cart pane, the review and the receipt write seats (``app.checkout.seatlabels``).
    assert index.describe(["101-A-2", "101-A-3"], hide_names=False) == "Section 101, row A, seats 2–3"
    assert index.describe(["101-A-5", "101-A-1", "101-A-2", "101-A-3"], hide_names=False) == (
        "Section 101, row A, seats 1–3, 5")
    assert index.describe(["101-A-2", "102-C-7", "102-C-8"], hide_names=True) == (
        "Section 101, 1 seat; Section 102, 2 seats")
    assert index.single_seat_warning(["101-A-2", "101-A-3"], hide_names=False).startswith(
        "These seats would leave row A seat 1 alone")
    hidden = index.single_seat_warning(["101-A-2"], hide_names=True)
    assert hidden.startswith("These seats would leave a single empty seat alone") and "seat 1" not in hidden
    assert index.single_seat_warning(["101-A-1", "101-A-2"], hide_names=False) is None
