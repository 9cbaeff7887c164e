"""The venue's display rules on the event page: no seat map, no row/seat names, no stranded single seat."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton

from app.checkout.quantities import single_seat_problem
from tests.gui.windowkit import TEST_EVENT, click, find, mouse_click_at, open_event_by_search, shown


def test_without_the_seat_map_best_available_still_sells(window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(restrict_flags={TEST_EVENT: {"seatLocationMapRestrict": True}})

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert not shown(window, "seatMap")
        assert shown(window, "seatMapRestrictedNote")
        assert not find(window, "pickedSeatsRadio", QRadioButton).isEnabled()
        click(qtbot, find(window, "reserveButton", QPushButton))
        await until(lambda: window.sale_flow, 30, what="seats held by best available")

    run(steps())
    assert len(sandbox_control.state()["held_carts"]) == 1


def test_row_and_seat_names_are_never_shown_when_the_venue_forbids_it(window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(restrict_flags={TEST_EVENT: {"locRowSeatRestrict": True}})

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert "Row and seat names are not shown" in find(window, "eventNotice", QLabel).text()
        page = window.event_page
        row = next(r for t in page.availability.tickets for r in t.inventory
                   if len(r.seats) >= 4 and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(3)))
        seat_map = page.seat_map
        for place in row.places[:2]:
            seat_map.zoom_to_place(place)
            mouse_click_at(seat_map.viewport(), seat_map.place_viewport_pos(place))
        await until(lambda: len(seat_map.selected_places()) == 2, what="two seats picked")
        picked = find(window, "pickedSeatsLabel", QLabel).text()
        assert picked == f"2 seats picked: Section {row.section}, 2 seats"
        click(qtbot, find(window, "reserveButton", QPushButton))
        flow = await until(lambda: window.sale_flow, 30, what="seats held")
        seats = find(flow, "cartSeats", QLabel).text()
        assert "Row" not in seats and "row" not in seats
        # Nor does the journal keep them while the cart is held (a crash's start-up report reads it).
        (held,) = window.station.journal.open_carts()
        assert held.seats == f"Section {row.section}, 2 seats"

    run(steps())


def test_a_pick_that_would_strand_a_single_seat_is_refused_before_reserving(window, run, until, qtbot):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert "one empty seat is left alone" in find(window, "saleHint", QLabel).text()
        page = window.event_page
        row = next(r for t in page.availability.tickets for r in t.inventory
                   if len(r.seats) >= 4 and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(3)))
        place = row.places[1]  # the second seat of a run: the first would be left alone
        page.seat_map.zoom_to_place(place)
        mouse_click_at(page.seat_map.viewport(), page.seat_map.place_viewport_pos(place))
        await until(lambda: page.seat_map.selected_places() == [place], what="seat picked")
        hint = find(window, "saleHint", QLabel).text()
        assert f"row {row.row} seat {row.seats[0]} alone" in hint
        # Refused as the CLI refuses such --places: the core's sentence, and no reserve to press.
        assert hint == single_seat_problem(page.availability, [place])
        assert not find(window, "reserveButton", QPushButton).isEnabled()

    run(steps())
