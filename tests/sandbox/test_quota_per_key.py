"""The availability quota is one budget per API key: 3600 requests an hour by default, shared by every
station that uses the key, whatever event it asks about; another partner's key has its own budget
(and its own carts). The tester control lowers the limit for every key at once."""

from __future__ import annotations

import time

import httpx
import pytest

from app.sandbox import EmbeddedSandbox, SandboxConfig
from tests.sandbox.sandboxkit import (
    API_KEY,
    AWAKE_EVERYWHERE,
    LONDON,
    STADIUM,
    TEST_PURCHASE,
    assert_error,
)

SECOND_KEY = "second-partner-key-2"


@pytest.fixture(scope="module")
def two_key_sandbox():
    server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0, extra_api_keys=(SECOND_KEY,)))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def control(two_key_sandbox):
    http = httpx.Client(base_url=two_key_sandbox.base_url, timeout=30)
    http.post("/_sandbox/reset").raise_for_status()
    http.post("/_sandbox/scenario", json={"now": AWAKE_EVERYWHERE}).raise_for_status()
    yield http
    http.close()


class Station:
    """One box-office station: its own connection, the partner key it was set up with."""

    def __init__(self, sandbox, key: str) -> None:
        self.key = key
        self.http = httpx.Client(base_url=sandbox.partner_base, timeout=30)

    def availability(self, event_id: str) -> httpx.Response:
        return self.http.get(f"/events/{event_id}/availability", params={"apikey": self.key})

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def stations(two_key_sandbox, control):
    made = [Station(two_key_sandbox, key) for key in (API_KEY, API_KEY, SECOND_KEY)]
    yield made
    for station in made:
        station.close()


def budget(answer: httpx.Response) -> tuple[int, int, int]:
    headers = answer.headers
    return (int(headers["Ratelimit-Quota-Allowed"]), int(headers["Ratelimit-Quota-Available"]),
            int(headers["Ratelimit-Expiry"]))


def test_the_default_budget_is_3600_an_hour_with_the_documented_headers(stations):
    first = stations[0].availability(STADIUM)
    assert first.status_code == 200
    allowed, available, expiry = budget(first)
    assert (allowed, available) == (3600, 3599)
    assert 3590 <= expiry / 1000 - time.time() <= 3601  # UTC epoch milliseconds, an hour ahead
    assert "Ratelimit-Quota-Used" not in first.headers  # that one belongs to /events


def test_stations_sharing_a_key_share_one_budget_across_events(stations, control):
    control.post("/_sandbox/scenario", json={"quota_availability_per_hour": 4}).raise_for_status()
    front, back, _ = stations
    assert budget(front.availability(STADIUM))[:2] == (4, 3)
    assert budget(back.availability(LONDON))[:2] == (4, 2)  # another station, another event: same budget
    assert budget(front.availability(TEST_PURCHASE))[:2] == (4, 1)
    last = back.availability(STADIUM)
    assert last.status_code == 200 and budget(last)[1] == 0
    refused = front.availability(LONDON)
    assert_error(refused, 429, 429)
    assert budget(refused) == (4, 0, budget(last)[2])  # the same window, the same reset time
    assert 0 < int(refused.headers["Retry-After"]) <= 3601


def test_another_partners_key_has_its_own_budget(stations, control):
    control.post("/_sandbox/scenario", json={"quota_availability_per_hour": 2}).raise_for_status()
    front, back, other = stations
    front.availability(STADIUM)
    back.availability(STADIUM)
    assert_error(front.availability(STADIUM), 429, 429)
    answer = other.availability(STADIUM)
    assert answer.status_code == 200 and budget(answer)[:2] == (2, 1)
    windows = control.get("/_sandbox/state").json()["quotas"]["availability_per_api_key"]
    assert sorted((w["key"], w["used"], w["available"]) for w in windows) == [("••••-key", 2, 0), ("••••ey-2", 1, 1)]
    assert all(API_KEY not in str(w) and SECOND_KEY not in str(w) for w in windows)


def test_the_window_ends_after_an_hour_and_the_control_lowers_it_at_once(stations, control):
    front = stations[0]
    for _ in range(3):
        front.availability(STADIUM)
    control.post("/_sandbox/scenario", json={"quota_availability_per_hour": 3}).raise_for_status()
    assert_error(front.availability(STADIUM), 429, 429)  # three already used in this window
    control.post("/_sandbox/scenario", json={"quota_availability_per_hour": 5}).raise_for_status()
    assert budget(front.availability(STADIUM))[:2] == (5, 1)
    offset = control.get("/_sandbox/scenario").json()["clock_offset_seconds"]
    control.post("/_sandbox/scenario", json={"clock_offset_seconds": offset + 3601}).raise_for_status()
    assert budget(front.availability(STADIUM))[:2] == (5, 4)  # a new window


def test_a_cart_belongs_to_the_key_that_reserved_it(two_key_sandbox, control):
    partner = httpx.Client(base_url=two_key_sandbox.partner_base, timeout=30)
    try:
        ticket = partner.get(f"/events/{STADIUM}", params={"apikey": API_KEY}).json()["event"]["tickets"][0]["id"]
        cart_id = partner.post(f"/events/{STADIUM}/cart", params={"apikey": API_KEY},
                               json={"reserve": {"tickets": [{"id": ticket, "quantity": 1}]}}).json()["cart_id"]
        for key, status in ((SECOND_KEY, 400), (API_KEY, 200)):
            answer = partner.get(f"/events/{STADIUM}/cart/shipping", params={"apikey": key, "cart_id": cart_id})
            assert answer.status_code == status
        assert_error(partner.delete(f"/events/{STADIUM}/cart", params={"apikey": SECOND_KEY, "cart_id": cart_id}),
                     90003, 400)
        assert partner.delete(f"/events/{STADIUM}/cart",
                              params={"apikey": API_KEY, "cart_id": cart_id}).status_code == 204
    finally:
        partner.close()
