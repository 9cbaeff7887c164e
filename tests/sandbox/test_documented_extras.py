"""What the documentation promises beyond the bare purchase, answered faithfully so a client can be
built on it: the commit's ``tm_app_url``, every documented order ticket field with its kind
(``distance_charge``, ``is_national_vip`` …), and the event's ``venue.images``, ``notes`` and ``url``."""

from __future__ import annotations

import json

import httpx

from tests.sandbox.sandboxkit import NO_BARCODE, STADIUM, TEST_PURCHASE, assert_same_keys


def vector(vectors_dir, name: str) -> dict:
    return json.loads((vectors_dir / name).read_text())


def test_the_commit_carries_an_app_link_for_the_order(api, vectors_dir):
    body = api.buy(TEST_PURCHASE, 1)
    assert_same_keys(vector(vectors_dir, "commit.response.json"), body)
    link = body["tm_app_url"]
    assert link.startswith("ticketmaster://") and body["order_token"] in link
    assert not link.startswith(("http://", "https://"))  # a custom scheme the app opens, not a web page


def test_an_event_without_barcodes_commits_without_an_app_link(api, vectors_dir):
    body = api.buy(NO_BARCODE, 1)
    assert_same_keys(vector(vectors_dir, "commit.response.json"), body)
    assert "tm_app_url" not in body


def test_order_tickets_carry_every_documented_field_of_its_kind(api, vectors_dir):
    documented = vector(vectors_dir, "order.response.json")
    order = api.buy(STADIUM, 2)
    body = api.get("/orders", params={"order_token": order["order_token"]}).json()
    assert_same_keys(documented, body)
    for ticket in body["tickets"]:
        assert_same_keys(documented["tickets"][0], ticket)
        assert ticket["is_national_vip"] is False and ticket["distance_charge"] == 0
        charges = documented["tickets"][0]["charges"]
        assert {c["sub_type"] for c in ticket["charges"]} == {c["sub_type"] for c in charges}
        assert ticket["display_id"] == ticket["order_number"] == order["order_number"]


def test_event_details_carry_a_seating_chart_notes_and_the_event_page(api, vectors_dir, fresh_sandbox):
    documented = vector(vectors_dir, "event-details.response.json")["event"]
    event = api.get(f"/events/{STADIUM}").json()["event"]
    for key in ("venue", "notes", "url"):
        assert_same_keys(documented[key], event[key], key)
    chart = event["venue"]["images"][0]
    assert chart["type"] == "seatingchart" and chart["width"] > 0 and chart["height"] > 0
    image = httpx.get(chart["location"])  # served by the sandbox itself, never a real host
    assert chart["location"].startswith(fresh_sandbox.base_url)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert all(note["text"] and note["type"] for note in event["notes"])
    assert event["url"].endswith("/event/" + STADIUM)
