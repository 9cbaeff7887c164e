"""What the event page shows of the event's details beside the sale: the venue's notes (plain text),
the Ticketmaster page as a link, and the venue's seating chart where no seat map can be shown —
fetched by the station (the sandbox's log shows who asked, and how often), never by the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.gui.event.header import EventAbout
from app.gui.event.views import EventViews
from app.partner.models import Availability, EventDetails
from tests.gui.windowkit import TEST_EVENT, find, open_event_by_search, shown

CHART = f"/media/venue/{TEST_EVENT}.svg"


def _chart_fetches(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(limit=500) if r["path"] == CHART]


def test_the_venue_notes_and_the_ticketmaster_page_are_on_the_event_page(window, run, until, qtbot):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        notes = find(window, "eventNotes", QLabel)
        assert notes.isVisible() and notes.text() == "Doors open one hour before the show at The Grand Theater."
        assert notes.textFormat() == Qt.TextFormat.PlainText
        link = find(window, "eventUrlLink", QLabel)
        url = f"https://www.ticketmaster.com/event/{TEST_EVENT}"
        assert link.isVisible() and f'href="{url}"' in link.text() and link.openExternalLinks()

    run(steps())


def test_without_a_seat_map_the_venue_seating_chart_is_shown_fetched_once(
        window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(restrict_flags={TEST_EVENT: {"seatLocationMapRestrict": True}})

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        panel = find(window, "seatingChartPanel")
        image = find(window, "seatingChartImage", QLabel)
        await until(lambda: image.isVisible() and image.pixmap() is not None and not image.pixmap().isNull(),
                    what="the seating chart drawn where the map would be")
        assert not shown(window, "seatMap")
        assert "does not allow a seat map" in find(panel, "seatMapRestrictedNote", QLabel).text()
        decoded = panel.shown_image()
        assert (decoded.width(), decoded.height()) == (670, 410)  # the picture the sandbox serves
        assert decoded.pixelColor(660, 400).name() == "#1f3a5f"  # drawn to its corners, not a 100 px corner
        assert image.pixmap().width() <= image.width() and image.pixmap().height() <= image.height()
        assert len(_chart_fetches(sandbox_control)) == 1
        window.event_page.refresh()  # a refresh shows the chart again from the station's copy
        await until(lambda: window.event_page.loaded_event_id == TEST_EVENT and image.isVisible(),
                    what="the chart after a refresh")
        assert len(_chart_fetches(sandbox_control)) == 1

    run(steps())


def test_with_a_seat_map_no_chart_is_fetched(window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert shown(window, "seatMap") and not shown(window, "seatingChartPanel")

    run(steps())
    assert _chart_fetches(sandbox_control) == []


def test_when_the_inventory_cannot_be_drawn_the_chart_takes_the_map_place(station, run, until, qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    views = EventViews(host, fetch_chart=station.counter.seating_chart)
    QVBoxLayout(host).addWidget(views.tabs)
    host.resize(800, 500)
    host.show()

    async def steps():
        details = await station.counter.event_details(TEST_EVENT)
        nothing = Availability.from_json({"event": {"id": TEST_EVENT, "tickets": []}})  # nothing left to draw
        await views.show(details, nothing)
        image = find(views.tabs, "seatingChartImage", QLabel)
        await until(lambda: image.isVisible() and not image.pixmap().isNull(), what="the chart instead of a map")
        assert "no seats to pick on a map" in find(views.tabs, "seatMapRestrictedNote", QLabel).text()

    run(steps())


def test_notes_are_shown_as_written_never_as_markup_and_only_web_pages_are_links(qtbot):
    about = EventAbout()
    qtbot.addWidget(about)
    about.show()
    details = EventDetails.from_json({"event": {
        "id": "0B004D43F86C478F", "url": "file:///etc/passwd",
        "notes": [{"type": "webinfo", "text": "<b>Doors</b> open at 7 &amp; not <a href='x'>before</a>"},
                  {"type": "webinfo", "text": "   "}]}})
    about.show_details(details)
    notes = find(about, "eventNotes", QLabel)
    assert notes.text() == "<b>Doors</b> open at 7 &amp; not <a href='x'>before</a>"
    assert notes.textFormat() == Qt.TextFormat.PlainText
    assert not find(about, "eventUrlLink", QLabel).isVisible()  # a file address is no Ticketmaster page
    about.show_details(EventDetails.from_json({"event": {"id": "0B004D43F86C478F"}}))
    assert not about.isVisible()
