"""Event inventory, event details, event id lookup, availability and the certificate."""

from __future__ import annotations

import json

import httpx
import pytest
from cryptography import x509

from tests.sandbox.sandboxkit import (
    GENERAL_ADMISSION,
    HIDDEN,
    NO_ONSALE,
    NOT_TRANSACTABLE,
    STADIUM,
    TEST_PURCHASE,
    assert_error,
    assert_same_keys,
)


def vector(vectors_dir, name: str) -> dict:
    return json.loads((vectors_dir / name).read_text())


def test_event_inventory_lists_internet_enabled_events_only(api, vectors_dir):
    answer = api.get("/events")
    assert answer.status_code == 200
    events = answer.json()["events"]
    ids = {e["eventId"] for e in events}
    assert TEST_PURCHASE in ids and STADIUM in ids and HIDDEN not in ids
    assert_same_keys(vector(vectors_dir, "events-inventory.response.json")["events"][0], events[0])
    assert len({e["timeZone"] for e in events}) >= 3
    offers = events[0]["offers"][0]
    assert isinstance(offers["ticketType"], str) and offers["ticketType"].startswith("0000")


def test_hidden_event_is_still_reachable_by_id_but_not_sellable(api):
    details = api.get(f"/events/{HIDDEN}")
    assert details.status_code == 200 and details.json()["api_transactable"] is False
    assert_error(api.reserve(HIDDEN), 90001, 403)


def test_event_details_carry_the_documented_keys(api, vectors_dir):
    answer = api.get(f"/events/{TEST_PURCHASE}")
    assert answer.status_code == 200
    body = answer.json()
    assert_same_keys(vector(vectors_dir, "event-details.response.json"), body)
    event = body["event"]
    assert body["api_transactable"] is True
    assert event["venue"]["location"]["time_zone"] == "America/New_York"
    detail_types = {d["type"] for d in event["tickets"][0]["prices"][0]["price_details"]}
    assert {"face_value", "facility", "service"} <= detail_types


def test_event_without_onsale_and_not_transactable_event(api):
    assert "onsale" not in api.get(f"/events/{NO_ONSALE}").json()["event"]
    assert "onsale" not in api.get(f"/events/{NO_ONSALE}/availability").json()["event"]
    assert api.get(f"/events/{NOT_TRANSACTABLE}").json()["api_transactable"] is False
    assert_error(api.reserve(NOT_TRANSACTABLE), 90001, 403)


def test_shipping_time_zones_and_currencies_differ_between_events(api):
    zones = {api.get(f"/events/{e}").json()["event"]["venue"]["location"]["time_zone"]
             for e in (TEST_PURCHASE, STADIUM, GENERAL_ADMISSION)}
    assert zones == {"America/New_York", "America/Chicago", "Europe/Berlin"}


def test_event_id_from_code_and_host(api):
    summary = next(e for e in api.get("/events").json()["events"] if e["eventId"] == STADIUM)
    answer = api.get(f"/events/{summary['eventCode']}/{summary['eventHost']}/id")
    assert answer.json() == {"event": {"id": STADIUM}}
    assert_error(api.get("/events/NOPE/XX/id"), 404, 404)


def test_availability_matches_the_documented_shape(api, vectors_dir):
    answer = api.get(f"/events/{TEST_PURCHASE}/availability")
    assert answer.status_code == 200
    body = answer.json()
    documented = vector(vectors_dir, "availability.response.json")
    assert_same_keys(documented["event"]["tickets"][0]["offers"][0], body["event"]["tickets"][0]["offers"][0])
    assert_same_keys(documented["event"]["tickets"][1]["inventory"][0], body["event"]["tickets"][0]["inventory"][0])
    event = body["event"]
    assert event["restrictSingle"] is True
    row = event["tickets"][0]["inventory"][0]
    assert len(row["seats"]) == len(row["places"])
    total = sum(t["total"] for t in event["tickets"])
    assert 1000 <= total <= 1500


def test_general_admission_inventory_has_no_rows_or_seats(api):
    tickets = api.get(f"/events/{GENERAL_ADMISSION}/availability").json()["event"]["tickets"]
    assert all(t["seating"] == "general" for t in tickets)
    for entry in (row for t in tickets for row in t["inventory"]):
        assert "row" not in entry and "seats" not in entry and "places" not in entry


def test_stadium_has_sixty_thousand_seats_in_a_hundred_sections(api):
    tickets = api.get(f"/events/{STADIUM}/availability").json()["event"]["tickets"]
    assert sum(t["total"] for t in tickets) >= 60_000
    assert len({row["section"] for t in tickets for row in t["inventory"]}) >= 100


def test_unknown_event_is_a_documented_404(api):
    assert_error(api.get("/events/0000000000000000"), 404, 404)
    assert_error(api.get("/events/0000000000000000/availability"), 404, 404)


@pytest.mark.parametrize("path", ["/events", f"/events/{TEST_PURCHASE}", f"/events/{TEST_PURCHASE}/availability",
                                  "/certificate", "/orders/unredeemed?days_from_purchase=1"])
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_unknown_api_key_is_401(fresh_sandbox, path, key):
    params = {} if key is None else {"apikey": key}
    answer = httpx.get(fresh_sandbox.partner_base + path, params=params)
    assert_error(answer, 10004, 401)


def test_certificate_is_a_real_x509_certificate(api, vectors_dir):
    body = api.get("/certificate").json()
    assert set(body) == set(vector(vectors_dir, "certificate.response.json"))
    assert "\r\n" in body["value"]
    cert = x509.load_pem_x509_certificate(body["value"].encode())
    assert cert.public_key().key_size >= 2048
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).total_seconds() <= 24 * 3600 + 600


def test_scenario_sets_display_restrictions_per_event(api, sandbox_control):
    sandbox_control.scenario(restrict_flags={TEST_PURCHASE: {"locRowSeatRestrict": True,
                                                             "seatLocationMapRestrict": True}})
    summary = next(e for e in api.get("/events").json()["events"] if e["eventId"] == TEST_PURCHASE)
    assert summary["locRowSeatRestrict"] is True and summary["seatLocationMapRestrict"] is True
    event = api.get(f"/events/{TEST_PURCHASE}/availability").json()["event"]
    assert event["locRowSeatRestrict"] is True and event["locXnumAddescRestrict"] is False
    assert api.get(f"/events/{STADIUM}/availability").json()["event"]["locRowSeatRestrict"] is False
    with pytest.raises(httpx.HTTPStatusError):
        sandbox_control.scenario(restrict_flags={TEST_PURCHASE: {"locRowSeatRestrict": "yes"}})
    sandbox_control.reset()
    assert api.get(f"/events/{TEST_PURCHASE}/availability").json()["event"]["locRowSeatRestrict"] is False
