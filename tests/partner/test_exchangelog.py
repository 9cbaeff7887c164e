"""The session's exchange log and its exports (curl, HAR), without a window."""

from __future__ import annotations

import json
import shlex

from app.partner.exchangelog import ExchangeLog, curl_command, har_document, matches
from app.partner.masking import Exchange


def exchange(operation: str = "reserve", method: str = "POST", status: int | None = 200, **extra) -> Exchange:
    return Exchange(operation=operation, method=method,
                    url="https://partner.example/partners/v1/events/E1/cart?apikey=••••-key",
                    status=status, duration_ms=12.5, **extra)


def test_the_log_keeps_the_newest_up_to_its_limit_and_a_broken_observer_breaks_nothing():
    log = ExchangeLog(limit=3)
    seen = []

    def broken(_e):
        raise RuntimeError("inspector bug")

    log.subscribe(broken)
    unsubscribe = log.subscribe(seen.append)
    for n in range(5):
        log.append(exchange(operation=f"call {n}"))
    assert [e.operation for e in log] == ["call 2", "call 3", "call 4"]
    assert len(seen) == 5
    unsubscribe()
    log.append(exchange())
    assert len(seen) == 5


def test_every_word_of_the_filter_must_match():
    failed = exchange(status=None, error="NetworkUnreachable")
    assert matches(exchange(status=404), "post 404")
    assert not matches(exchange(status=200), "post 404")
    assert matches(failed, "failed reserve")
    assert matches(exchange("reserve (poll 2)", "GET"), "POLL")


def test_curl_replays_the_call_as_recorded():
    body = {"event_id": "E1", "note": "it's quoted"}
    line = curl_command(exchange(request_json=body, request_headers={"accept": "application/json"}))
    words = shlex.split(line)
    assert words[:4] == ["curl", "-X", "POST", "https://partner.example/partners/v1/events/E1/cart?apikey=••••-key"]
    assert "accept: application/json" in words and "content-type: application/json" in words
    assert json.loads(words[words.index("--data-raw") + 1]) == body


def test_har_holds_answers_and_failures():
    ok = exchange(response_json={"cart_id": "c1"}, response_headers={"Content-Type": "application/json"},
                  request_json={"quantity": 2})
    failed = exchange("commit", "PUT", status=None, error="ReadTimeout")
    document = json.loads(json.dumps(har_document([ok, failed], creator="Box Office", version="1")))
    first, second = document["log"]["entries"]
    assert document["log"]["version"] == "1.2"
    assert first["request"]["queryString"] == [{"name": "apikey", "value": "••••-key"}]
    assert json.loads(first["request"]["postData"]["text"]) == {"quantity": 2}
    assert json.loads(first["response"]["content"]["text"]) == {"cart_id": "c1"}
    assert first["response"]["content"]["mimeType"] == "application/json"
    assert second["response"]["status"] == 0 and second["_error"] == "ReadTimeout"
    assert second["response"]["statusText"] == "failed: ReadTimeout"
