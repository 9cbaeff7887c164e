"""The seat map in the window: each event opens showing its whole venue, nothing of it under the
legend or the zoom bar, and Fit brings that view back, at the screen sizes cashiers use.

What is checked is where the drawn sections and the stage land on screen, against the viewport and
the two overlays' rectangles.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGraphicsItem, QToolButton

from tests.gui.windowkit import STADIUM_EVENT, event_page_ready, find, open_event_by_search

TEST_CARD = "2000527EE48A9334"
HARBOUR = "3B00C4A7C0DE0001"


def drawn_rects(seat_map) -> list[QRect]:
    """Each section block and the stage as drawn, in the map widget's own pixels."""
    offset = seat_map.viewport().geometry().topLeft()
    items = [i for i in seat_map.scene().items() if i.parentItem() is None and isinstance(i, QGraphicsItem)]
    return [seat_map.mapFromScene(i.sceneBoundingRect()).boundingRect().translated(offset) for i in items]


def hidden_parts(seat_map) -> list[str]:
    """What of the venue a cashier cannot see: blocks cut by the map's edge or under an overlay."""
    rects = drawn_rects(seat_map)
    assert rects, "nothing drawn"
    screen = seat_map.viewport().geometry()
    overlays = [find(seat_map, name) for name in ("seatMapLegend", "seatMapZoomBar")]
    found = []
    for rect in rects:
        if not screen.contains(rect):
            found.append(f"{rect} is cut off by the map's edge {screen}")
        found.extend(f"{o.objectName()} covers {rect}" for o in overlays
                     if o.isVisible() and rect.intersects(o.geometry()))
    return found


def assert_whole_venue_clear_of_overlays(seat_map) -> None:
    assert hidden_parts(seat_map) == []


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_the_stadium_opens_whole_and_fit_brings_it_back(size, window, run, until, qtbot):
    window.resize(*size)

    async def steps():
        await open_event_by_search(window, qtbot, until, "championship", STADIUM_EVENT)
        seat_map = window.event_page.seat_map
        await until(lambda: seat_map.layout_data is not None, what="the map drawn")
        assert find(seat_map, "seatMapLegend").isVisible() and find(seat_map, "seatMapZoomBar").isVisible()
        assert_whole_venue_clear_of_overlays(seat_map)
        # Fitted, nothing to scroll: scroll bars coming and going would resize and refit forever.
        assert not seat_map.horizontalScrollBar().isVisible() and not seat_map.verticalScrollBar().isVisible()
        seat_map.setFocus()
        for _ in range(3):
            QTest.keyClick(seat_map, Qt.Key.Key_Plus)
        assert hidden_parts(seat_map)  # zoomed in: part of the venue is off screen
        find(seat_map, "zoomFitButton", QToolButton).click()
        assert_whole_venue_clear_of_overlays(seat_map)
        find(seat_map, "legendButton", QToolButton).click()  # legend off: the venue may grow, still whole
        assert not find(seat_map, "seatMapLegend").isVisible()
        assert_whole_venue_clear_of_overlays(seat_map)

    run(steps())


def test_the_next_event_opens_fitted_not_at_the_last_events_zoom(window, run, until, qtbot):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test card", TEST_CARD)
        seat_map = window.event_page.seat_map
        seat_map.setFocus()
        for _ in range(4):
            QTest.keyClick(seat_map, Qt.Key.Key_Plus)
        assert hidden_parts(seat_map)
        await open_event_by_search(window, qtbot, until, "harbour", HARBOUR)  # a hall of the same shape
        await event_page_ready(window, until, HARBOUR)
        assert seat_map.layout_data is not None  # drawn as part of the page's load
        assert_whole_venue_clear_of_overlays(seat_map)

    run(steps())
