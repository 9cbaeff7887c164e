"""The events list: loaded from the live sandbox, venue-local times, instant search, filters, maintenance."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.gui.eventlist import EventsPanel


def cell(panel: EventsPanel, event_id: str, column: int) -> str:
    for r in range(panel.proxy.rowCount()):
        if panel.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) == event_id:
            return panel.proxy.index(r, column).data()
    raise AssertionError(f"{event_id} not shown")


async def fill(panel: EventsPanel, station) -> None:
    summaries = await station.counter.events()
    panel.set_summaries(summaries)
    for s in summaries:
        panel.set_details(s.event_id, await station.counter.event_details(s.event_id))
    panel.finish_loading()


def test_events_show_names_venue_times_and_sale_state(station, run, qtbot):
    # A fixed clock at noon UTC: far from every venue's night, so nothing is in maintenance.
    panel = EventsPanel(clock=lambda: datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    qtbot.addWidget(panel)
    run(fill(panel, station))
    shown = panel.visible_event_ids()
    assert "000051048D991EE7" in shown and "3B00STADIUM00007" in shown
    assert "3B00HIDDEN000003" not in shown  # not internet-enabled: the service does not list it
    assert cell(panel, "000051048D991EE7", 0) == "Sandbox Test Purchase Night"
    assert cell(panel, "000051048D991EE7", 1).endswith(("7:30\u202fPM EST", "7:30 PM EST", "19:30 EST"))
    assert cell(panel, "3B00C4A7C0DE0001", 1).endswith(("AEDT", "AEST"))
    assert cell(panel, "000051048D991EE7", 2) == "The Grand Theater, New York"
    assert cell(panel, "3B00NOAPI0000002", 4) == "Ticketmaster only"
    assert cell(panel, "000051048D991EE7", 4) == "Sell here"
    assert cell(panel, "3B00NOONSALE0004", 3) == "On sale (no date given)"
    assert panel.table.isColumnHidden(5)  # no venue near its maintenance night: no such column


def test_search_is_instant_and_filters_narrow_the_list(station, run, qtbot):
    panel = EventsPanel(clock=lambda: datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    qtbot.addWidget(panel)
    run(fill(panel, station))
    total = len(panel.visible_event_ids())
    QTest.keyClicks(panel.search, "chicago")
    assert set(panel.visible_event_ids()) == {"3B00NOAPI0000002", "3B00STADIUM00007"}
    assert panel.count_label.text() == f"2 of {total} events match"
    panel.search.clear()
    panel.filter.setCurrentText("Sellable here")
    assert "3B00NOAPI0000002" not in panel.visible_event_ids()
    assert len(panel.visible_event_ids()) == total - 1


def test_an_event_in_its_nightly_maintenance_is_marked(station, run, qtbot):
    # 06:30 UTC is 01:30 in New York (in the window) and 17:30 in Sydney (not).
    clock = lambda: datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # noqa: E731
    panel = EventsPanel(clock=clock)
    qtbot.addWidget(panel)
    run(fill(panel, station))
    assert cell(panel, "000051048D991EE7", 5) == "⚠ Until 02:00"
    assert not panel.table.isColumnHidden(5)
    assert cell(panel, "3B00C4A7C0DE0001", 5) == ""
    panel.filter.setCurrentText("Not in maintenance")
    assert "000051048D991EE7" not in panel.visible_event_ids()
    index = panel.model.index(next(r for r in range(panel.model.rowCount())
                                   if panel.model.row(r).event_id == "000051048D991EE7"), 5)
    assert "until 02:00 venue time" in index.data(Qt.ItemDataRole.ToolTipRole)  # the core's sentence


def test_enter_in_the_search_opens_the_first_match(station, run, qtbot):
    panel = EventsPanel(clock=lambda: datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    qtbot.addWidget(panel)
    run(fill(panel, station))
    chosen = []
    panel.eventChosen.connect(chosen.append)
    QTest.keyClicks(panel.search, "stadium")
    QTest.keyClick(panel.search, Qt.Key.Key_Return)
    assert chosen == ["3B00STADIUM00007"]


def test_the_list_loaded_again_keeps_the_highlighted_event_and_the_scroll(station, run, qtbot):
    """Loading the same events again (a refresh, a sale's return) reset the whole table: the cashier's
    highlighted row and the scroll position went, and the table laid itself out afresh."""
    panel = EventsPanel(clock=lambda: datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    qtbot.addWidget(panel)
    panel.resize(700, 160)  # a few rows: the list scrolls
    panel.show()
    run(fill(panel, station))
    shown = panel.visible_event_ids()
    chosen = shown[-2]
    panel.mark_open(chosen)
    scroll = panel.table.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    where = scroll.value()
    resets = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    run(fill(panel, station))
    assert resets == []
    assert [panel.proxy.index(i.row(), 0).data(Qt.ItemDataRole.UserRole)
            for i in panel.table.selectionModel().selectedRows()] == [chosen]
    assert scroll.value() == where > 0
    assert panel.visible_event_ids() == shown
