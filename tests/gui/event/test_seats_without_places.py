"""Seats availability lists without place ids (the documented example has them; the sandbox's
"Spring Recital" mezzanine, sections 201–203): drawn on the map and pickable as consecutive seats of
one row, reserved by section, row, begin_seat and end_seat — the cart holds exactly those seats."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from app.checkout.seatpicks import seat_key
from tests.gui.windowkit import click, find, mouse_click_at, open_event_by_search

NO_PLACES_EVENT = "3B00NOPLACES0008"


def _row(page, section: str, run: int):
    """A row of ``section`` whose first ``run`` free seats follow each other (sequential numbering)."""
    return next(r for t in page.availability.tickets for r in t.inventory
                if r.section == section and not r.places and len(r.seats) >= run + 1
                and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(run)))


async def _pick(seat_map, until, keys) -> None:
    for key in keys:
        seat_map.zoom_to_place(key)
        await until(lambda k=key: seat_map.place_viewport_pos(k) is not None, what="the seat on screen")
        mouse_click_at(seat_map.viewport(), seat_map.place_viewport_pos(key))


def test_consecutive_seats_without_place_ids_are_picked_and_reserved_by_row(window, run, until, qtbot,
                                                                            sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "spring recital", NO_PLACES_EVENT)
        page = window.event_page
        row = _row(page, "202", 3)
        wanted = [seat_key(row.section, row.row, seat) for seat in row.seats[1:3]]
        await _pick(page.seat_map, until, wanted)
        await until(lambda: page.seat_map.selected_places() == wanted, what="both seats picked")
        label = find(window, "pickedSeatsLabel", QLabel).text()
        assert label.startswith("2 seats picked") and f"row {row.row}" in label and row.seats[1] in label
        click(qtbot, find(window, "reserveButton", QPushButton))
        flow = await until(lambda: window.sale_flow, 30, what="seats held")
        item = flow.session.cart.items[0]
        assert (item.section, item.row, item.start_seat, item.end_seat) == (row.section, row.row, *row.seats[1:3])
        assert flow.session.seat_difference is None

    run(steps())
    (held,) = sandbox_control.state()["held_carts"]
    assert held["event_id"] == NO_PLACES_EVENT


def test_seats_with_a_gap_or_in_two_rows_say_why_and_are_not_reserved(window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "spring recital", NO_PLACES_EVENT)
        page = window.event_page
        row = _row(page, "202", 3)
        hint = find(window, "saleHint", QLabel)
        reserve = find(window, "reserveButton", QPushButton)
        gap = [seat_key(row.section, row.row, row.seats[0]), seat_key(row.section, row.row, row.seats[2])]
        await _pick(page.seat_map, until, gap)
        await until(lambda: len(page.seat_map.selected_places()) == 2, what="two seats picked")
        assert "side by side" in hint.text() and hint.isVisible() and not reserve.isEnabled()
        page.seat_map.clear_selection()
        other = next(r for t in page.availability.tickets for r in t.inventory
                     if r.section == "202" and r.row != row.row)
        await _pick(page.seat_map, until, [seat_key(row.section, row.row, row.seats[0]),
                                           seat_key(other.section, other.row, other.seats[0])])
        await until(lambda: len(page.seat_map.selected_places()) == 2, what="seats of two rows picked")
        assert "within one row" in hint.text() and not reserve.isEnabled()
        page.seat_map.clear_selection()
        with_id = next(r for t in page.availability.tickets for r in t.inventory if r.places)
        await _pick(page.seat_map, until, [seat_key(row.section, row.row, row.seats[0]), with_id.places[0]])
        await until(lambda: len(page.seat_map.selected_places()) == 2, what="mixed seats picked")
        assert "on their own" in hint.text() and not reserve.isEnabled()

    run(steps())
    assert sandbox_control.state()["held_carts"] == []
