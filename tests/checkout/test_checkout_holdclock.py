"""The hold clock counts on a monotonic clock from each cart answer's hold_time."""

from app.checkout.holdclock import HoldClock


def test_hold_clock_restarts_from_each_answer_and_lapses():
    now = [100.0]
    clock = HoldClock(monotonic=lambda: now[0])
    assert clock.seconds_left() is None and not clock.lapsed
    clock.refresh(299)
    now[0] += 99
    assert clock.seconds_left() == 200
    clock.refresh(None)  # an answer without hold_time keeps the deadline
    assert clock.seconds_left() == 200
    clock.refresh(299)
    assert clock.seconds_left() == 299 and clock.hold_length == 299
    now[0] += 300
    assert clock.seconds_left() == 0 and clock.lapsed
    clock.stop()
    assert not clock.running and clock.seconds_left() is None
