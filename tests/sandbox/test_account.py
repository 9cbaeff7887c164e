"""The account's whitelists as tester controls: captcha domains and logo hosts, changed live."""

from __future__ import annotations

import httpx
import pytest

from app.sandbox import EmbeddedSandbox, SandboxConfig


@pytest.fixture
def own_sandbox():
    """A sandbox of this test's own: changing its account leaves the session's sandbox alone."""
    server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0))
    server.start()
    client = httpx.Client(base_url=server.base_url, timeout=30)
    yield server, client
    client.close()
    server.stop()


def _authorize(client: httpx.Client, logo_url: str) -> str:
    return client.get("/oauth/authorize", params={
        "client_id": "sandbox-client", "redirect_uri": "http://localhost/oauth/callback",
        "response_type": "code", "scope": "all", "state": "s", "logo_url": logo_url}).text


def _anchor(client: httpx.Client, hostname: str) -> dict:
    key = client.get("/partners/v1/captcha", params={"apikey": "sandbox-api-key", "event_id": "3B00C4A7C0DE0001"})
    site_key = key.json()["captcha_details"]["site_key"]
    return client.get("/partners/v1/captcha/anchor", params={"k": site_key, "co": hostname}).json()


def test_the_account_shows_and_changes_its_whitelists(own_sandbox):
    server, client = own_sandbox
    assert client.get("/_sandbox/account").json() == {
        "captcha_domains": ["boxoffice.example"], "logo_hosts": ["boxoffice.example"],
        "redirect_uris": ["http://localhost/oauth/callback"]}
    logo = server.base_url + "/_sandbox/logo.png"
    assert "partner-logo" not in _authorize(client, logo)
    assert _anchor(client, "tickets.example.org")["ok"] is False

    changed = client.post("/_sandbox/account", json={"captcha_domains": ["Tickets.Example.org"],
                                                     "logo_hosts": ["127.0.0.1"]})
    assert changed.status_code == 200
    assert changed.json()["captcha_domains"] == ["tickets.example.org"]
    assert f'id="partner-logo" class="logo" src="{logo}"' in _authorize(client, logo)
    assert _anchor(client, "tickets.example.org") == {"ok": True}
    assert _anchor(client, "boxoffice.example")["ok"] is False

    client.post("/_sandbox/reset").raise_for_status()  # an account is not fixture data
    assert client.get("/_sandbox/account").json()["logo_hosts"] == ["127.0.0.1"]

    server.whitelist(logo_hosts=[])  # the in-process form of the same control
    assert "partner-logo" not in _authorize(client, logo)


@pytest.mark.parametrize("body, words", [
    ({"captcha_domains": "boxoffice.example"}, "list of host names"),
    ({"captcha_domains": ["https://boxoffice.example"]}, "list of host names"),
    ({"logo_hosts": ["a b"]}, "list of host names"),
    ({"redirect_uris": []}, "Unknown account key"),
    ([], "JSON object"),
])
def test_a_bad_account_change_is_refused_whole(own_sandbox, body, words):
    _, client = own_sandbox
    before = client.get("/_sandbox/account").json()
    answer = client.post("/_sandbox/account", json=body)
    assert answer.status_code == 400 and words in answer.json()["error"]["message"]
    assert client.get("/_sandbox/account").json() == before


def test_the_sample_logo_is_a_png(sandbox):
    answer = httpx.get(sandbox.base_url + "/_sandbox/logo.png")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    assert answer.content.startswith(b"\x89PNG\r\n\x1a\n") and len(answer.content) < 4096
