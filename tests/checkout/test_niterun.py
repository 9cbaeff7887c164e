"""The nightly maintenance ("niterun") by the event's own time zone (``app.checkout.niterun``):
the one answer the events list, the event page and the CLI give. No QApplication."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.checkout.niterun import NiterunPhase, niterun_status

NEW_YORK = "America/New_York"


@pytest.mark.parametrize("utc_hour, utc_minute, phase", [
    (5, 0, NiterunPhase.NOW),     # 00:00 in New York (EST, UTC-5): the night begins
    (6, 59, NiterunPhase.NOW),    # 01:59
    (7, 0, NiterunPhase.CLEAR),   # 02:00: sales resume
    (4, 29, NiterunPhase.CLEAR),  # 23:29: more than 30 minutes to go
    (4, 30, NiterunPhase.SOON),   # 23:30
    (4, 45, NiterunPhase.SOON),   # 23:45
    (17, 0, NiterunPhase.CLEAR),  # noon
])
def test_the_night_is_the_venues_own(utc_hour, utc_minute, phase):
    now = datetime(2026, 11, 26, utc_hour, utc_minute, tzinfo=UTC)
    assert niterun_status(NEW_YORK, now).phase is phase


def test_what_is_said_and_marked():
    inside = niterun_status(NEW_YORK, datetime(2026, 11, 26, 6, 30, tzinfo=UTC))
    assert inside.in_niterun and inside.mark == "⚠ Until 02:00"
    assert inside.sentence == ("The venue's ticketing system is in its nightly maintenance until 02:00 venue time "
                               "(it is 01:30 there). Sales resume then.")
    soon = niterun_status(NEW_YORK, datetime(2026, 11, 26, 4, 45, tzinfo=UTC))
    assert not soon.in_niterun and soon.mark == "⚠ From 00:00"
    assert "in 15 min; a sale started now may not finish" in soon.sentence
    clear = niterun_status(NEW_YORK, datetime(2026, 11, 26, 17, 0, tzinfo=UTC))
    assert clear.sentence is None and clear.mark == ""


def test_the_same_instant_is_night_in_one_venue_and_evening_in_another():
    now = datetime(2026, 11, 26, 8, 30, tzinfo=UTC)  # 00:30 in Los Angeles, 08:30 in London
    assert niterun_status("America/Los_Angeles", now).in_niterun
    assert not niterun_status("Europe/London", now).in_niterun


def test_an_event_without_a_known_zone_is_never_marked():
    night = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)
    assert niterun_status(None, night).phase is NiterunPhase.CLEAR
    assert niterun_status("", night).phase is NiterunPhase.CLEAR
    assert niterun_status("Not/AZone", night).in_niterun  # an unknown name reads as UTC, as dates are shown
