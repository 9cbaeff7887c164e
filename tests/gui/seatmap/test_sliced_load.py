"""A stadium's map is built over a few turns of the event loop (``SeatMapView.load``): what a cashier
sees before, during and after — the whole venue once it is in, the map shown meanwhile still usable,
and an answer the cashier has moved on from dropped.
"""

from __future__ import annotations

import asyncio
import copy
import time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QFrame, QLabel

from app.gui.seatmap.items import SectionItem
from app.gui.seatmap.view import SeatMapView
from app.partner.models import Availability
from tests.gui.seatmap.test_view import STADIUM, fetch_raw, free_run


@pytest.fixture
def stadium_raw(awake_sandbox) -> dict:
    return fetch_raw(awake_sandbox, STADIUM)


@pytest.fixture
def theatre_raw(awake_sandbox) -> dict:
    return fetch_raw(awake_sandbox, "000051048D991EE7")


async def until_building(view: SeatMapView, task: asyncio.Future, timeout: float = 30.0) -> None:
    """Every turn of the loop until ``view`` has a layout in hand and is making its items (a turn
    between each two of the build's own: the loop runs its callbacks in the order they came)."""
    deadline = time.monotonic() + timeout
    while view.building is None and not task.done() and time.monotonic() < deadline:
        await asyncio.sleep(0)
    assert view.building is not None and not task.done(), "the load never reached its build"


def shown_sections(view: SeatMapView) -> list[str]:
    items = [i for i in view.scene().items() if isinstance(i, SectionItem)]
    return [i.section.name for i in sorted(items, key=lambda i: i.index)]


def section_tip(view: SeatMapView, index: int) -> str:
    section = view.layout_data.sections[index]
    return view.describe_at(view.mapFromScene(QPointF(section.centre_x, section.centre_y)))


def click(qtbot, view: SeatMapView, pos: QPoint) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_after_a_stadium_load_every_section_and_seat_is_on_the_map(seat_map, stadium_raw, run):
    availability = Availability.from_json(copy.deepcopy(stadium_raw))
    assert run(seat_map.load(availability)) is True
    layout = seat_map.layout_data
    assert seat_map.building is None
    assert shown_sections(seat_map) == [s.name for s in layout.sections]
    assert len(layout.sections) >= 100
    for index, section in enumerate(layout.sections):  # each block where its section is, saying so
        assert section_tip(seat_map, index).startswith(f"Section {section.name}")
    items = [i for i in seat_map.scene().items() if isinstance(i, SectionItem)]
    assert sum(len(i.section.seat_kind) for i in items) == layout.seat_count >= 60_000
    listed = {p for t in availability.tickets for r in t.inventory for p in r.places}
    assert set(layout.place_index) == listed
    for place in sorted(listed)[::997]:  # a seat anywhere in the venue can be zoomed to and picked
        seat_map.zoom_to_place(place)
        assert seat_map.viewport().rect().contains(seat_map.place_viewport_pos(place))
    legend = [label.text() for label in seat_map.findChild(QFrame, "seatMapLegend").findChildren(QLabel)]
    assert "Taken" in legend and any(text.startswith("<b>") for text in legend)


def test_the_map_shown_stays_usable_while_the_next_one_is_built(seat_map, theatre_raw, stadium_raw, run, qtbot):
    seat_map.set_availability(Availability.from_json(theatre_raw))
    place = free_run(theatre_raw, "102", 1)[0]
    seat_map.zoom_to_place(place, 20)
    qtbot.wait(50)
    picked: list[list[str]] = []
    seat_map.selectionChanged.connect(picked.append)

    async def steps():
        task = asyncio.ensure_future(seat_map.load(Availability.from_json(copy.deepcopy(stadium_raw))))
        await until_building(seat_map, task)
        # Mid-build: still the theatre, whole, and a click picks its seat.
        assert seat_map.layout_data.seat_count < 2_000
        assert shown_sections(seat_map)[:3] == ["101", "102", "103"]
        click(qtbot, seat_map, seat_map.place_viewport_pos(place))
        assert seat_map.selected_places() == [place]
        return await task

    assert run(steps()) is True
    assert seat_map.layout_data.seat_count >= 60_000  # the stadium took the map over whole …
    assert shown_sections(seat_map) == [s.name for s in seat_map.layout_data.sections]
    assert seat_map.selected_places() == []  # … and the theatre's pick, unknown there, went with it
    assert picked == [[place], []]


def test_a_pick_from_the_table_during_a_refresh_build_is_kept(seat_map, stadium_raw, run):
    assert run(seat_map.load(Availability.from_json(copy.deepcopy(stadium_raw)))) is True
    seats = free_run(stadium_raw, "101", 2)

    async def steps():
        task = asyncio.ensure_future(seat_map.load(Availability.from_json(copy.deepcopy(stadium_raw))))
        await until_building(seat_map, task)
        assert seat_map.select_places(seats) == seats  # as the inventory table does
        return await task

    assert run(steps()) is True
    assert seat_map.selected_places() == seats
    seat_map.zoom_to_place(seats[0])
    assert ": picked, " in seat_map.describe_at(seat_map.place_viewport_pos(seats[0]))


def test_a_newer_load_drops_an_unfinished_build(seat_map, stadium_raw, theatre_raw, run):
    async def steps():
        stadium = asyncio.ensure_future(seat_map.load(Availability.from_json(copy.deepcopy(stadium_raw))))
        await until_building(seat_map, stadium)
        theatre = await seat_map.load(Availability.from_json(theatre_raw))
        first = await stadium
        for _ in range(20):  # nothing of the stadium turns up later
            await asyncio.sleep(0)
        return first, theatre

    assert run(steps()) == (False, True)
    assert seat_map.layout_data.seat_count < 2_000
    assert shown_sections(seat_map) == [s.name for s in seat_map.layout_data.sections]
    assert seat_map.building is None


def test_a_message_shown_mid_build_stays_and_the_build_is_dropped(seat_map, stadium_raw, run):
    async def steps():
        task = asyncio.ensure_future(seat_map.load(Availability.from_json(copy.deepcopy(stadium_raw))))
        await until_building(seat_map, task)
        seat_map.show_message("Loading the event…")  # the cashier opened another event
        result = await task
        for _ in range(20):
            await asyncio.sleep(0)
        return result

    assert run(steps()) is False
    assert seat_map.message() == "Loading the event…"
    assert seat_map.layout_data is None
    assert shown_sections(seat_map) == []


def test_a_refresh_of_the_same_stadium_shows_the_seats_sold_meanwhile(seat_map, stadium_raw, run, qtbot):
    raw = copy.deepcopy(stadium_raw)
    run_of_three = free_run(raw, "101", 3)
    assert run(seat_map.load(Availability.from_json(raw))) is True
    seat_map.zoom_to_place(run_of_three[1], 20)
    qtbot.wait(50)
    spot = seat_map.place_viewport_pos(run_of_three[1])
    assert ": free, " in seat_map.describe_at(spot)
    for ticket in raw["event"]["tickets"]:  # the middle seat was sold meanwhile
        for row in ticket["inventory"]:
            if run_of_three[1] in row["places"]:
                i = row["places"].index(run_of_three[1])
                del row["places"][i], row["seats"][i]
    assert run(seat_map.load(Availability.from_json(raw))) is True
    assert seat_map.place_viewport_pos(run_of_three[0]) is not None  # same view, same place on screen
    assert seat_map.describe_at(spot).endswith(": taken")
    assert shown_sections(seat_map) == [s.name for s in seat_map.layout_data.sections]
