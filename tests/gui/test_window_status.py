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


def test_the_longest_sandbox_sentence_fits_the_status_bar_whole(window, run, until, qtbot, qapp):
    """The Sandbox menu says in the status bar what each choice does, and again once the sandbox
    took it: the longest of those sentences is read whole at 1280 × 800, a member signed in or not."""
    from app.checkout.sandboxcontrols import CONTROLS, RESET_EFFECT, ROTATE_EFFECT

    sentences = [choice.effect for control in CONTROLS for choice in control.choices] + [RESET_EFFECT, ROTATE_EFFECT]
    longest = "Sandbox: " + max(sentences, key=len)
    bar = window.statusBar()
    window.status.member.setText("Member: someone.with.a.long.name@example.com")
    bar.showMessage(longest, 10000)
    qapp.processEvents()
    shown = [w for w in (window.status.member, window.status.quota) if w.isVisible()]
    room = min(w.geometry().left() for w in shown) if shown else bar.width()
    assert bar.fontMetrics().horizontalAdvance(longest) <= room - 8
    bar.clearMessage()
    qapp.processEvents()
    assert window.status.quota.isVisible()  # back once the message is gone
