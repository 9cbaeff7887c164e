"""The event page's side of the sale rules: which places the map's picks are, and whether exact
seats can be picked at all.

The rules themselves are the core's, shared with the command line: quantity bounds and the
single-seat rule in ``app.checkout.quantities``, whether the event sells now in
``app.checkout.sellability``. Here: ``PlaceIndex`` — where each place id sits, built once per
availability answer (off the GUI thread for big venues) so describing and checking a pick looks
only at the rows the pick touches — and ``seat_picking_note``, the one sentence the map and the
sale controls both show when seats cannot be picked (general admission, ``seatLocationMapRestrict``).
No Qt here.
"""

from __future__ import annotations

from app.checkout.quantities import single_seat_sentence, stranded_seats
from app.checkout.seatlabels import seats_label
from app.checkout.seatpicks import pick_keys
from app.partner.models import Availability, InventoryRow, SeatRef

GENERAL_ADMISSION_NOTE = "General admission: there are no numbered seats to pick; sell by quantity."
NO_MAP_NOTE = "The venue does not allow a seat map for this event; sell best available."


def seat_picking_note(availability: Availability | None) -> str | None:
    """None when exact seats can be picked on the map; otherwise why not, in one sentence."""
    if availability is None:
        return None
    if availability.tickets and all(t.is_general_admission for t in availability.tickets):
        return GENERAL_ADMISSION_NOTE
    if availability.seat_location_map_restrict:
        return NO_MAP_NOTE
    return None


class PlaceIndex:
    """Where each place id sits, built once per availability answer (off the GUI thread for big venues),
    so describing and checking a pick looks only at the rows the pick touches."""

    def __init__(self, rows) -> None:
        self.where: dict[str, tuple[InventoryRow, str]] = {}
        self.rows_by_key: dict[tuple[str | None, str | None], list[InventoryRow]] = {}
        for row in rows:
            self.rows_by_key.setdefault((row.section, row.row), []).append(row)
            for seat, place in zip(row.seats, pick_keys(row), strict=True):  # seats without ids by key
                self.where[place] = (row, seat)

    def describe(self, places: list[str], hide_names: bool) -> str:
        """``Section 102, row A, seats 3–4`` — or ``Section 102, 2 seats`` when names must stay
        hidden: written by the core (``seatlabels.seats_label``) as the seats held will be."""
        seats = []
        for place in places:
            row, seat = self.where.get(place, (None, None))
            seats.append(SeatRef(section=(row.section if row else None) or "?", row=(row.row if row else None) or "?",
                                 seat=seat or "?"))
        return seats_label(seats, hide_row_seat=hide_names)

    def stranded(self, places: list[str]) -> list[tuple[InventoryRow, str]]:
        keys = {(r.section, r.row) for r, _ in (self.where[p] for p in places if p in self.where)}
        rows = [row for key in keys for row in self.rows_by_key.get(key, ())]
        return stranded_seats(rows, places)

    def single_seat_warning(self, places: list[str], hide_names: bool) -> str | None:
        """The core's ``restrictSingle`` sentence for these picks (None when none is left alone)."""
        return single_seat_sentence(self.stranded(places), hide_names)
