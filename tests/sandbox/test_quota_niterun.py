"""Quotas with Ratelimit-* headers and 429; the nightly maintenance window (niterun)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.sandbox.sandboxkit import LONDON, STADIUM, TEST_PURCHASE, advance, assert_error


def test_event_calls_carry_quota_headers_and_stop_at_the_limit(api, sandbox_control):
    sandbox_control.scenario(quota_events_per_minute=3)
    answers = [api.get("/events"), api.get(f"/events/{STADIUM}"), api.get("/events")]
    assert [a.headers["Ratelimit-Quota-Used"] for a in answers] == ["1", "2", "3"]
    assert all(a.headers["Ratelimit-Quota-Allowed"] == "3" for a in answers)
    expiry = int(answers[0].headers["Ratelimit-Expiry"])
    assert 0 < expiry / 1000 - time.time() <= 61
    refused = api.get(f"/events/{STADIUM}")
    assert_error(refused, 429, 429)
    assert refused.headers["Ratelimit-Expiry"] == str(expiry)
    advance(sandbox_control, 61)  # next window
    assert api.get("/events").status_code == 200


def test_availability_quota_per_key(api, sandbox_control):
    sandbox_control.scenario(quota_availability_per_hour=2)
    first = api.get(f"/events/{STADIUM}/availability")
    assert first.headers["Ratelimit-Quota-Allowed"] == "2" and first.headers["Ratelimit-Quota-Available"] == "1"
    assert api.get(f"/events/{TEST_PURCHASE}/availability").headers["Ratelimit-Quota-Available"] == "0"
    refused = api.get(f"/events/{STADIUM}/availability")
    assert_error(refused, 429, 429)
    assert refused.headers["Ratelimit-Quota-Available"] == "0"
    assert api.get("/events").status_code == 200  # a different quota


def utc_for_local(zone: str, hour: int, minute: int) -> str:
    local = datetime.now(ZoneInfo(zone)).replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(days=1)
    return local.astimezone(UTC).isoformat()


def test_niterun_is_midnight_to_two_in_the_events_own_time_zone(api, sandbox_control):
    sandbox_control.scenario(now=utc_for_local("America/New_York", 0, 30))
    assert_error(api.get(f"/events/{TEST_PURCHASE}/availability"), 20001, 503)
    assert_error(api.reserve(TEST_PURCHASE, 1), 20001, 503)
    assert api.get(f"/events/{TEST_PURCHASE}").status_code == 200  # details are not the ticketing host
    # 05:30 in London, 23:30 in Chicago: both awake
    assert api.get(f"/events/{LONDON}/availability").status_code == 200
    assert api.reserve(STADIUM, 1).status_code == 200
    sandbox_control.scenario(now=utc_for_local("America/New_York", 2, 0))
    assert api.get(f"/events/{TEST_PURCHASE}/availability").status_code == 200


def test_niterun_hits_calls_on_an_existing_cart(api, sandbox_control):
    sandbox_control.scenario(hold_time=86400)
    cart_id = api.reserved(LONDON, 1)["cart_id"]
    sandbox_control.scenario(now=utc_for_local("Europe/London", 1, 0))
    assert_error(api.get(f"/events/{LONDON}/cart/shipping", params={"cart_id": cart_id}), 20001, 503)
    assert_error(api.commit(LONDON, cart_id), 20001, 503)


def test_scenario_forces_niterun_everywhere(api, sandbox_control):
    sandbox_control.scenario(niterun=True)
    for event_id in (TEST_PURCHASE, LONDON, STADIUM):
        assert_error(api.get(f"/events/{event_id}/availability"), 20001, 503)
    sandbox_control.scenario(niterun=False)
    assert api.get(f"/events/{STADIUM}/availability").status_code == 200
