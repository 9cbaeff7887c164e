"""The seat map, driven like a cashier does: zoom, click a seat, drag over a row, pan, and what it tells.

Availability comes from the documented example and from the live sandbox (a plain HTTP GET here, in
the test only); the map itself never talks HTTP.
"""

from __future__ import annotations

import json

import httpx
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.checkout.seatpicks import seat_key
from app.gui.seatmap.view import SeatMapView
from app.partner.models import Availability

THEATRE = "000051048D991EE7"
STADIUM = "3B00STADIUM00007"


def fetch_raw(sandbox, event_id: str) -> dict:
    response = httpx.get(f"{sandbox.partner_base}/events/{event_id}/availability",
                         params={"apikey": "sandbox-api-key"}, timeout=60)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def theatre_raw(awake_sandbox) -> dict:
    return fetch_raw(awake_sandbox, THEATRE)


def free_run(raw: dict, section: str, length: int) -> list[str]:
    """Place ids of ``length`` consecutive free seats in one row of ``section``."""
    for ticket in raw["event"]["tickets"]:
        for row in ticket["inventory"]:
            if row.get("section") != section:
                continue
            seats, places = row["seats"], row["places"]
            for start in range(len(seats) - length + 1):
                if seats[start + length - 1] - seats[start] == length - 1:
                    return places[start:start + length]
    raise AssertionError(f"no run of {length} free seats in section {section}")


def click(qtbot, view: SeatMapView, pos: QPoint) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def drag(qtbot, view: SeatMapView, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(viewport, middle)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_the_documented_example_draws_its_sections_and_seats_without_ids_are_picked_by_seat(seat_map, vectors_dir):
    availability = Availability.from_json(json.loads((vectors_dir / "availability.response.json").read_text()))
    seat_map.set_availability(availability)
    layout = seat_map.layout_data
    assert [s.name for s in layout.sections] == ["207", "208", "209"]
    with_ids = {"INGEEMRQHE5E2ORRG4", "INGEEMRQHE5E2ORRGA", "INGEEMRQHE5E2ORRGE",
                "INGEEMRQHE5E2ORRGI", "INGEEMRQHE5E2ORU", "INGEEMRQHE5E2ORV"}
    without = {seat_key(r.section, r.row, seat) for t in availability.tickets for r in t.inventory if not r.places
               for seat in r.seats}
    assert without and set(layout.place_index) == with_ids | without
    seat_map.zoom_to_place("INGEEMRQHE5E2ORRGE", 30)
    pos = seat_map.place_viewport_pos("INGEEMRQHE5E2ORRGE")
    assert seat_map.describe_at(pos) == "Section 207, row A, seat 6: free, price level 1"
    no_id = sorted(without)[0]
    seat_map.zoom_to_place(no_id, 30)
    assert seat_map.describe_at(seat_map.place_viewport_pos(no_id)).endswith(": free, price level 1")
    assert seat_map.message() == ""


def test_clicking_a_seat_picks_its_place_and_clicking_again_unpicks_it(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    place = free_run(theatre_raw, "102", 1)[0]
    seat_map.zoom_to_place(place, 24)
    assert seat_map.showing_seats()
    pos = seat_map.place_viewport_pos(place)
    with qtbot.waitSignal(seat_map.selectionChanged, timeout=2000) as picked:
        click(qtbot, seat_map, pos)
    assert picked.args == [[place]]
    assert seat_map.selected_places() == [place]
    assert "picked" in seat_map.describe_at(pos)
    with qtbot.waitSignal(seat_map.selectionChanged, timeout=2000) as unpicked:
        click(qtbot, seat_map, pos)
    assert unpicked.args == [[]]
    assert seat_map.selected_places() == []


def seat_viewport_pos(view: SeatMapView, section, seat: int) -> QPoint:
    """Where the map draws seat ``seat`` of a laid-out section (taken seats have no place id)."""
    import math

    x, y = section.seat_centre(seat)
    a = math.radians(section.angle)
    scene = QPointF(section.centre_x + x * math.cos(a) - y * math.sin(a),
                    section.centre_y + x * math.sin(a) + y * math.cos(a))
    return view.mapFromScene(scene)


def test_a_taken_seat_is_grey_and_cannot_be_picked(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    centre = next(s for s in seat_map.layout_data.sections if s.name == "102")
    taken = next(i for i, place in enumerate(centre.seat_place) if place is None)
    seat_map.zoom_to_place(next(p for p in centre.seat_place if p), 24)
    seat_map.centerOn(seat_map.mapToScene(seat_viewport_pos(seat_map, centre, taken)))
    pos = seat_viewport_pos(seat_map, centre, taken)
    assert seat_map.describe_at(pos).endswith(": taken")
    colour = seat_map.grab().toImage().pixelColor(pos)
    assert colour.hsvSaturation() < 40 and colour.lightness() > 150  # light grey, not a price colour
    with qtbot.assertNotEmitted(seat_map.selectionChanged):
        click(qtbot, seat_map, pos)
    assert seat_map.selected_places() == []


def test_free_seats_are_squares_in_their_price_colour_with_an_aisle_between(seat_map, theatre_raw):
    from app.gui.seatmap.items import price_colour

    seat_map.set_availability(Availability.from_json(theatre_raw))
    section = next(s for s in seat_map.layout_data.sections if s.name == "102")
    free = next(i for i in range(len(section.seat_kind) - 1)
                if section.seat_kind[i] >= 0 and section.seat_row[i + 1] == section.seat_row[i])
    seat_map.zoom_to_place(section.seat_place[free], 24)
    image = seat_map.grab().toImage()
    here, right = seat_viewport_pos(seat_map, section, free), seat_viewport_pos(seat_map, section, free + 1)
    assert image.pixelColor(here) == price_colour(section.seat_kind[free])
    aisle = QPoint((here.x() + right.x()) // 2, (here.y() + right.y()) // 2)
    assert image.pixelColor(aisle) == seat_map.backgroundBrush().color()


def test_dragging_over_a_row_picks_every_free_seat_in_the_band(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    run = free_run(theatre_raw, "102", 4)
    seat_map.zoom_to_place(run[1], 20)
    first, last = seat_map.place_viewport_pos(run[0]), seat_map.place_viewport_pos(run[-1])
    with qtbot.waitSignal(seat_map.selectionChanged, timeout=2000) as picked:
        drag(qtbot, seat_map, first - QPoint(6, 4), last + QPoint(6, 4))
    assert picked.args == [run]
    assert seat_map.selected_places() == run


def test_the_selectable_limit_stops_a_drag_and_says_so(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    seat_map.set_selectable_limit(2)
    run = free_run(theatre_raw, "102", 4)
    seat_map.zoom_to_place(run[1], 20)
    first, last = seat_map.place_viewport_pos(run[0]), seat_map.place_viewport_pos(run[-1])
    with qtbot.waitSignals([seat_map.limitReached, seat_map.selectionChanged], timeout=2000):
        drag(qtbot, seat_map, first - QPoint(6, 4), last + QPoint(6, 4))
    assert seat_map.selected_places() == run[:2]
    seat_map.clear_selection()
    assert seat_map.selected_places() == []


def test_hidden_row_and_seat_names_are_neither_drawn_nor_told(seat_map, theatre_raw, qtbot):
    availability = Availability.from_json(theatre_raw)
    place = free_run(theatre_raw, "102", 1)[0]

    def picture(show_names: bool):
        seat_map.set_availability(availability, show_names=show_names)
        seat_map.zoom_to_place(place, 30)
        pos = seat_map.place_viewport_pos(place)
        return seat_map.describe_at(pos), seat_map.grab().toImage()

    named_tip, named = picture(True)
    hidden_tip, hidden = picture(False)
    assert named_tip.startswith("Section 102, row A, seat")
    assert hidden_tip == "Section 102: free, price level 1"
    assert named != hidden  # row labels and seat numbers are gone from the picture


def test_zoomed_out_sections_are_blocks_and_a_click_on_one_zooms_into_its_seats(seat_map, awake_sandbox, qtbot):
    seat_map.set_availability(Availability.from_json(fetch_raw(awake_sandbox, STADIUM)))
    seat_map.fit()
    assert not seat_map.showing_seats()
    section = next(s for s in seat_map.layout_data.sections if s.name == "101")
    place = next(p for p in section.seat_place if p)
    block = seat_map.place_viewport_pos(place)
    assert seat_map.describe_at(block).startswith("Section 101: ")
    with qtbot.assertNotEmitted(seat_map.selectionChanged):
        click(qtbot, seat_map, block)
    assert seat_map.showing_seats()


def test_keys_wheel_and_middle_button_zoom_and_pan(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    fitted = seat_map.transform().m11()
    qtbot.keyClick(seat_map, Qt.Key.Key_Plus)
    assert seat_map.transform().m11() > fitted
    qtbot.keyClick(seat_map, Qt.Key.Key_0)
    assert seat_map.transform().m11() == pytest.approx(fitted)
    centre = QPointF(seat_map.viewport().width() / 2, seat_map.viewport().height() / 2)
    wheel = QWheelEvent(centre, seat_map.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 360),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(seat_map.viewport(), wheel)
    zoomed = seat_map.transform().m11()
    assert zoomed > fitted * 1.5
    bar = seat_map.horizontalScrollBar()
    before = bar.value()
    step = 120 if bar.maximum() - before >= 120 else -120  # drag towards the side with room
    viewport = seat_map.viewport()
    start = QPoint(400, 300)
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, pos=start)
    qtbot.mouseMove(viewport, start - QPoint(step, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, pos=start - QPoint(step, 0))
    assert bar.value() == before + step
    assert seat_map.selected_places() == []


def test_the_stadium_loads_off_the_gui_thread_with_every_seat(seat_map, awake_sandbox, run):
    availability = Availability.from_json(fetch_raw(awake_sandbox, STADIUM))
    assert run(seat_map.load(availability)) is True
    layout = seat_map.layout_data
    listed = {p for t in availability.tickets for r in t.inventory for p in r.places}
    assert len(layout.sections) >= 100
    assert layout.seat_count >= 60_000
    assert set(layout.place_index) == listed
    last = sorted(listed)[-1]
    seat_map.zoom_to_place(last)
    assert seat_map.viewport().rect().contains(seat_map.place_viewport_pos(last))


def test_a_newer_load_wins_over_an_older_one(seat_map, awake_sandbox, theatre_raw, run):
    import asyncio

    stadium = Availability.from_json(fetch_raw(awake_sandbox, STADIUM))
    theatre = Availability.from_json(theatre_raw)

    async def both():
        return await asyncio.gather(seat_map.load(stadium), seat_map.load(theatre))

    assert run(both()) == [False, True]
    assert [s.name for s in seat_map.layout_data.sections][:3] == ["101", "102", "103"]
    assert seat_map.layout_data.seat_count < 2_000


def test_general_admission_has_blocks_but_nothing_to_pick(seat_map, awake_sandbox):
    seat_map.set_availability(Availability.from_json(fetch_raw(awake_sandbox, "3B00GENADMIT0006")))
    layout = seat_map.layout_data
    assert [s.name for s in layout.sections] == ["FLOOR", "BALCONY"]
    assert layout.place_index == {}
    floor = seat_map.mapFromScene(QPointF(layout.sections[0].centre_x, layout.sections[0].centre_y))
    assert seat_map.describe_at(floor).startswith("Section FLOOR: general admission (standing), ")


def test_the_legend_names_each_price_level_with_its_prices_and_can_be_hidden(seat_map, theatre_raw, qtbot):
    from PySide6.QtWidgets import QFrame, QLabel, QToolButton

    seat_map.set_price_level_names({"1": "Price Level 1", "2": "Price Level 2", "3": "Price Level 3"})
    seat_map.set_availability(Availability.from_json(theatre_raw))
    legend = seat_map.findChild(QFrame, "seatMapLegend")
    assert legend.isVisible()
    texts = [label.text() for label in legend.findChildren(QLabel)]
    assert [t for t in texts if t.startswith("<b>")] == ["<b>Price Level 1</b>", "<b>Price Level 2</b>",
                                                         "<b>Price Level 3</b>"]
    assert "Taken" in texts and "Picked" in texts
    qtbot.mouseClick(seat_map.findChild(QToolButton, "legendButton"), Qt.MouseButton.LeftButton)
    assert not legend.isVisible()


def test_a_refresh_keeps_the_view_and_the_picks_that_are_still_free(seat_map, theatre_raw, run, qtbot):
    run_of_three = free_run(theatre_raw, "102", 3)
    seat_map.set_availability(Availability.from_json(theatre_raw))
    seat_map.select_places(run_of_three)
    seat_map.zoom_to_place(run_of_three[1], 20)
    qtbot.wait(50)  # scroll bars appear after a zoom and the viewport settles
    before = seat_map.place_viewport_pos(run_of_three[1])
    # The next answer no longer lists the first seat (sold meanwhile).
    for ticket in theatre_raw["event"]["tickets"]:
        for row in ticket["inventory"]:
            if run_of_three[0] in row["places"]:
                i = row["places"].index(run_of_three[0])
                del row["places"][i], row["seats"][i]
    with qtbot.waitSignal(seat_map.selectionChanged, timeout=5000) as changed:
        assert run(seat_map.load(Availability.from_json(theatre_raw))) is True
    assert changed.args == [run_of_three[1:]]
    assert seat_map.selected_places() == run_of_three[1:]
    assert seat_map.place_viewport_pos(run_of_three[1]) == before


def test_holding_space_turns_a_left_drag_into_panning(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    place = free_run(theatre_raw, "102", 1)[0]
    seat_map.zoom_to_place(place, 20)
    qtbot.wait(50)
    bar = seat_map.verticalScrollBar()
    before = bar.value()
    step = 100 if bar.maximum() - before >= 100 else -100
    start = seat_map.place_viewport_pos(place)
    qtbot.keyPress(seat_map, Qt.Key.Key_Space)
    drag(qtbot, seat_map, start, start - QPoint(0, step))
    qtbot.keyRelease(seat_map, Qt.Key.Key_Space)
    assert bar.value() == before + step
    assert seat_map.selected_places() == []


def test_lowering_the_limit_drops_the_newest_picks(seat_map, theatre_raw, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    run = free_run(theatre_raw, "102", 4)
    seat_map.select_places(run)
    with qtbot.waitSignal(seat_map.selectionChanged, timeout=2000) as changed:
        seat_map.set_selectable_limit(2)
    assert changed.args == [run[:2]]
    with qtbot.waitSignal(seat_map.limitReached, timeout=2000) as refused:
        seat_map.select_places(run[2:])
    assert refused.args == [2]
    assert seat_map.selected_places() == run[:2]


def test_the_map_follows_a_switch_to_a_dark_palette(seat_map, theatre_raw):
    from PySide6.QtGui import QColor, QPalette

    seat_map.set_availability(Availability.from_json(theatre_raw))
    corner = QPoint(seat_map.viewport().width() - 5, seat_map.viewport().height() - 5)
    assert seat_map.grab().toImage().pixelColor(corner).lightness() > 200
    dark = QPalette(seat_map.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    seat_map.setPalette(dark)
    assert seat_map.grab().toImage().pixelColor(corner).lightness() < 60


def test_an_answer_the_map_cannot_draw_leaves_a_sentence_not_a_traceback(seat_map, run, caplog):
    class Broken:  # an answer whose tickets cannot be read (the models never produce this)
        event_id = "X"
        tickets = None

    assert run(seat_map.load(Broken())) is False
    assert seat_map.message() == ("The seat map could not be drawn for this event; "
                                  "the seats are still listed in the table.")
    assert "seat map layout failed for event X" in caplog.text


def test_another_event_in_a_hall_of_the_same_shape_opens_fitted(seat_map, awake_sandbox, qtbot):
    test_card = Availability.from_json(fetch_raw(awake_sandbox, "2000527EE48A9334"))
    harbour = Availability.from_json(fetch_raw(awake_sandbox, "3B00C4A7C0DE0001"))
    seat_map.set_availability(test_card)
    fitted, shape = seat_map.transform().m11(), seat_map.layout_data.bounds
    seat_map.setFocus()
    for _ in range(4):
        qtbot.keyClick(seat_map, Qt.Key.Key_Plus)
    assert seat_map.transform().m11() > fitted * 2
    seat_map.set_availability(harbour)  # another event
    layout = seat_map.layout_data
    assert layout.bounds == shape  # in a hall of the same shape
    assert seat_map.transform().m11() == pytest.approx(fitted)
    stage = seat_map.mapFromScene(QPointF(layout.stage_rect[0], layout.stage_rect[1]))
    assert seat_map.viewport().rect().contains(stage)
