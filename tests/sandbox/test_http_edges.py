"""The sandbox at the edges of HTTP: OAuth endpoints answer their own errors (405, 413, 404) in the
OAuth shape, every route answers OPTIONS with what it allows, 405 says what is allowed, and a
captcha preflight from another origin is refused with a body that says why."""

from __future__ import annotations

import httpx
import pytest

FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def http(fresh_sandbox):
    with httpx.Client(base_url=fresh_sandbox.base_url, timeout=30) as client:
        yield client


def oauth_error(response: httpx.Response) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "error_description"} and body["error_description"]
    return body


@pytest.mark.parametrize("method, path, allowed", [
    ("GET", "/oauth/token", "POST"), ("DELETE", "/oauth/token", "POST"), ("PUT", "/oauth/authorize", "GET"),
    ("POST", "/oauth/info/abc", "GET"), ("GET", "/oauth/signin", "POST"),
])
def test_oauth_405_answers_in_the_oauth_shape_and_says_what_is_allowed(http, method, path, allowed):
    answer = http.request(method, path)
    assert answer.status_code == 405
    assert oauth_error(answer)["error"] == "invalid_request"
    assert allowed in answer.headers["allow"]


@pytest.mark.parametrize("path, size", [("/oauth/token", 70_000), ("/oauth/token", 17_000), ("/oauth/signin", 70_000),
                                        ("/oauth/consent", 20_000)])
def test_oauth_413_answers_in_the_oauth_shape(http, path, size):
    answer = http.post(path, content=b"a=" + b"x" * size, headers=FORM)
    assert answer.status_code == 413
    assert oauth_error(answer)["error"] == "invalid_request"


def test_an_unknown_oauth_path_answers_in_the_oauth_shape(http):
    answer = http.get("/oauth/nowhere")
    assert answer.status_code == 404 and oauth_error(answer)["error"] == "invalid_request"


def test_partner_api_errors_keep_the_documented_body_and_405_says_what_is_allowed(http):
    answer = http.delete("/partners/v1/events", params={"apikey": "sandbox-api-key"})
    assert answer.status_code == 405
    assert answer.json()["error"]["http_code"] == 405 and "GET" in answer.headers["allow"]


@pytest.mark.parametrize("path, allowed", [("/partners/v1/events", "GET"), ("/oauth/token", "POST"),
                                           ("/wallet/v1/token", "POST"), ("/", "GET")])
def test_options_answers_what_a_route_allows(http, path, allowed):
    answer = http.options(path)
    assert answer.status_code == 204 and answer.content == b""
    assert allowed in answer.headers["allow"] and "OPTIONS" in answer.headers["allow"]


def test_a_captcha_preflight_from_another_origin_is_refused_with_a_reason(http):
    refused = http.options("/partners/v1/captcha/solve", headers={"Origin": "https://elsewhere.example",
                                                                  "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 403 and refused.json()["error"]["http_code"] == 403
    assert "domain" in refused.json()["error"]["message"].lower()
    assert "access-control-allow-origin" not in refused.headers
    allowed = http.options("/partners/v1/captcha/solve", headers={"Origin": "https://boxoffice.example",
                                                                  "Access-Control-Request-Method": "POST"})
    assert allowed.status_code == 204 and allowed.headers["access-control-allow-origin"] == "https://boxoffice.example"
