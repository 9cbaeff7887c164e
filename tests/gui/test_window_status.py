"""The status bar's quota line, as a cashier reads it: what the sandbox counted, in whole words."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tests.gui.windowkit import find, open_event_by_search
from tests.sandbox.sandboxkit import TEST_PURCHASE


def test_the_quota_line_says_what_is_left_this_minute_and_this_hour(window, run, until, qtbot, sandbox_control):
    run(open_event_by_search(window, qtbot, until, "Sandbox Test", TEST_PURCHASE))
    window.status.refresh()
    quotas = sandbox_control.state()["quotas"]
    events = quotas["events_per_client_ip"][0]
    availability = quotas["availability_per_api_key"][0]
    assert find(window, "quotaStatus", QLabel).text() == (
        f"Quota left: events {events['available']}/{events['allowed']} a minute · "
        f"availability {availability['available']}/{availability['allowed']} an hour")
