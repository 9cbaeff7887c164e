"""The event page shows one event at a time: nothing of the event before stays under a new title,
late answers for an event the cashier has left are dropped, and seats being reserved for one event
never end up under another.

The cashier types in the search box and presses Enter, as at the counter; the checks read what the
page shows (tables, bars, map, controls) and what the sandbox was asked.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from tests.gui.windowkit import TEST_EVENT, event_page_ready, find, open_event_by_search

VINTAGE = "3B00NOBARCODE005"
TEST_CARD = "2000527EE48A9334"
HARBOUR = "3B00C4A7C0DE0001"


def search_and_enter(window, qtbot, text: str) -> None:
    search = find(window, "eventSearch", QLineEdit)
    search.setFocus()
    search.selectAll()
    QTest.keyClicks(search, text)
    QTest.keyClick(search, Qt.Key.Key_Return)


def sandbox_ticket_types(sandbox, event_id: str) -> set[str]:
    response = httpx.get(f"{sandbox.partner_base}/events/{event_id}/availability",
                         params={"apikey": "sandbox-api-key"}, timeout=60)
    response.raise_for_status()
    return {o["ticketTypeId"] for t in response.json()["event"]["tickets"] for o in t["offers"]}


def shown_ticket_types(page) -> set[str]:
    """The ticket type ids behind what the page shows: offers lines and the ticket-type list."""
    combo = find(page, "ticketTypeCombo", QComboBox)
    return {line.ticket_type_id for line in page.offers.lines()} | {combo.itemData(i) for i in range(combo.count())}


def shown_places(page) -> set[str]:
    return {place for entry in page.inventory.entries() for place in entry.places}


def nothing_of_an_event(page) -> None:
    assert page.offers.rowCount() == 0
    assert page.availability_view.bars() == []
    assert page.inventory.model().rowCount() == 0
    assert page.seat_map.layout_data is None and page.seat_map.message()
    assert find(page, "ticketTypeCombo", QComboBox).count() == 0
    assert not find(page, "reserveButton", QPushButton).isEnabled()


def new_york_night() -> str:
    """05:30 UTC today: 00:30 or 01:30 in New York (its venue's nightly maintenance), evening in Los Angeles."""
    return datetime.now(UTC).replace(hour=5, minute=30, second=0, microsecond=0).isoformat()


def test_an_event_that_cannot_be_loaded_shows_nothing_of_the_event_before(window, run, until, qtbot,
                                                                          sandbox_control, fresh_sandbox):
    sandbox_control.scenario(now=new_york_night())

    async def steps():
        await open_event_by_search(window, qtbot, until, "vintage", VINTAGE)
        page = window.event_page
        assert page.offers.rowCount() > 0 and page.seat_map.layout_data is not None
        search_and_enter(window, qtbot, "test purchase")
        await until(lambda: page.banner.current is not None, 30, what="the failure explained")
        assert find(page, "eventTitle", QLabel).text() == "Sandbox Test Purchase Night"
        assert "maintenance" in find(page.banner, "errorText", QLabel).text()
        nothing_of_an_event(page)
        assert "could not be loaded" in find(page, "availabilitySummary", QLabel).text()
        assert "could not be loaded" in page.seat_map.message()

    run(steps())


def test_while_an_event_loads_nothing_of_the_event_before_is_shown(window, run, until, qtbot, sandbox_control,
                                                                   fresh_sandbox):
    async def steps():
        await open_event_by_search(window, qtbot, until, "vintage", VINTAGE)
        page = window.event_page
        sandbox_control.scenario(latency_ms=1500)
        search_and_enter(window, qtbot, "test card")
        await until(lambda: find(page, "eventTitle", QLabel).text() == "Test Card Showcase", what="the new title")
        nothing_of_an_event(page)
        await until(lambda: page.loaded_event_id == TEST_CARD, 30, what="the new event loaded")
        assert shown_ticket_types(page) == sandbox_ticket_types(fresh_sandbox, TEST_CARD)

    run(steps())


def test_events_opened_one_after_another_show_only_the_last(window, run, until, qtbot, sandbox_control,
                                                            fresh_sandbox):
    sandbox_control.scenario(latency_ms=300)

    async def steps():
        page = window.event_page
        for text in ("vintage", "test card", "harbour"):
            search_and_enter(window, qtbot, text)
            await until(lambda: page.subtitle.text() != "Loading the event…" or page.loaded_event_id, 10,
                        what="the event's first answer")  # its later answers are still on the way
        await event_page_ready(window, until, HARBOUR)
        sandbox_control.scenario(latency_ms=0)
        for _ in range(3):  # answers for the events left behind would arrive by now
            await asyncio.sleep(0.4)
            assert find(page, "eventTitle", QLabel).text() == "Harbour Lights Festival"
            assert shown_ticket_types(page) == sandbox_ticket_types(fresh_sandbox, HARBOUR)
            expected_places = {p for t in page.availability.tickets for r in t.inventory for p in r.places}
            assert shown_places(page) == expected_places and page.availability.event_id == HARBOUR
            layout = page.seat_map.layout_data
            assert layout is not None and set(layout.place_index) <= expected_places

    run(steps())


def test_another_event_cannot_be_opened_while_seats_are_being_reserved(window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=4, polling_wait=1)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        page = window.event_page
        find(window, "reserveButton", QPushButton).click()
        await until(lambda: page.is_reserving() and find(page, "pollingLabel", QLabel).isVisible(), 30,
                    what="waiting in line")
        search_and_enter(window, qtbot, "vintage")
        await until(lambda: "being reserved" in window.statusBar().currentMessage(), what="the refusal said")
        assert find(page, "eventTitle", QLabel).text() == "Sandbox Test Purchase Night"
        assert page.is_reserving()
        find(page, "cancelReserveButton", QPushButton).click()
        await until(lambda: not page.is_reserving(), 30, what="the reserve cancelled")
        await until(lambda: sandbox_control.state()["held_carts"] == [], 30, what="nothing held")
        search_and_enter(window, qtbot, "vintage")
        await until(lambda: page.loaded_event_id == VINTAGE, 30, what="now the other event opens")

    run(steps())
