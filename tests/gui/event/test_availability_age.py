"""The event page says when the seats shown were fetched and how many availability requests are
left this hour; opening the event again reuses a young answer, Refresh (F5) asks anew, and when the
budget stops a refresh the page keeps the seats it has and says until when — as the sandbox's
request log shows."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel, QPushButton

from tests.gui.windowkit import TEST_EVENT, click, event_page_ready, find, open_event_by_search


def availability_calls(sandbox_control) -> int:
    return sum(1 for r in sandbox_control.log(limit=1000) if r["path"].endswith(f"/events/{TEST_EVENT}/availability"))


def test_the_page_shows_the_age_of_its_seats_and_refreshes_only_on_demand(window, run, until, qtbot,
                                                                          sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        as_of = find(window, "availabilityAsOf", QLabel)
        assert as_of.isVisible()
        first = as_of.text()
        assert re.fullmatch(r"Seats as of \d\d:\d\d:\d\d\n3,599 of 3,600 availability requests left this hour", first)
        assert availability_calls(sandbox_control) == 1
        click(qtbot, find(window, "backToEventsButton", QPushButton))
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert availability_calls(sandbox_control) == 1 and as_of.text() == first  # the young answer again
        click(qtbot, find(window, "refreshAvailabilityButton", QPushButton))
        await until(lambda: "3,598 of 3,600" in as_of.text(), what="the refreshed seats' figures")
        assert availability_calls(sandbox_control) == 2

    run(steps())


def test_when_the_budget_is_spent_the_seats_stay_and_the_page_says_until_when(window, run, until, qtbot,
                                                                              sandbox_control):
    sandbox_control.scenario(quota_availability_per_hour=2)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        as_of = find(window, "availabilityAsOf", QLabel)
        notice = find(window, "eventNotice", QLabel)
        page = window.event_page
        click(qtbot, find(window, "refreshAvailabilityButton", QPushButton))
        await until(lambda: "0 of 2 availability requests left" in as_of.text(), what="the last request spent")
        await event_page_ready(window, until, TEST_EVENT)
        shown_seats = page.availability.available
        stamp = as_of.text().splitlines()[0]
        click(qtbot, find(window, "refreshAvailabilityButton", QPushButton))
        await until(lambda: notice.isVisible() and "used up until" in notice.text(), what="the page saying why")
        assert re.search(r"limit of this API key is used up until \d\d:\d\d:\d\d\. Seats shown as of "
                         r"\d\d:\d\d:\d\d\.", notice.text())
        await event_page_ready(window, until, TEST_EVENT)  # still sells from the seats it has
        assert page.availability.available == shown_seats and as_of.text().splitlines()[0] == stamp
        assert availability_calls(sandbox_control) == 2  # no third request was sent

    run(steps())
