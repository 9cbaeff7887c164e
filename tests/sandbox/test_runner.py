"""EmbeddedSandbox: starts on a free port in the background, answers, and stops cleanly."""

from __future__ import annotations

import socket

import httpx
import pytest

from app.sandbox import EmbeddedSandbox, SandboxConfig
from tests.conftest import daytime_everywhere


def test_embedded_sandbox_starts_on_a_free_port_and_stops():
    server = EmbeddedSandbox(SandboxConfig(port=0, api_key="runner-key"))
    base = server.start()
    try:
        assert base == server.base_url and base.startswith("http://127.0.0.1:") and server.port > 0
        assert server.partner_base == base + "/partners/v1"
        assert server.oauth_base == base + "/oauth" and server.wallet_base == base + "/wallet/v1"
        assert httpx.get(server.partner_base + "/events", params={"apikey": "runner-key"}).status_code == 200
        assert server.start() == base  # already running: same server
    finally:
        server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/", timeout=2)
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", server.port))


def test_context_manager_and_two_sandboxes_side_by_side():
    with EmbeddedSandbox(SandboxConfig(port=0)) as first, EmbeddedSandbox(SandboxConfig(port=0, seed=2)) as second:
        assert first.port != second.port
        one = httpx.get(first.partner_base + "/events/000051048D991EE7", params={"apikey": "sandbox-api-key"})
        two = httpx.get(second.partner_base + "/events/000051048D991EE7", params={"apikey": "sandbox-api-key"})
        assert one.json()["event"]["prices"] != two.json()["event"]["prices"]  # another seed, other prices


def test_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        server = EmbeddedSandbox(SandboxConfig(port=taken.getsockname()[1]))
        with pytest.raises(OSError):
            server.start()


def test_same_seed_gives_the_same_fixtures():
    with (
        EmbeddedSandbox(SandboxConfig(port=0, seed=5)) as first,
        EmbeddedSandbox(SandboxConfig(port=0, seed=5)) as second,
    ):
        for sandbox in (first, second):  # the stadium's venue (Chicago) keeps its nightly maintenance
            httpx.post(sandbox.base_url + "/_sandbox/scenario", json={"now": daytime_everywhere()}).raise_for_status()
        for path in ("/events/3B00STADIUM00007/availability", "/events/1AeZZfEGkD0xtGV"):
            one = httpx.get(first.partner_base + path, params={"apikey": "sandbox-api-key"}).json()
            two = httpx.get(second.partner_base + path, params={"apikey": "sandbox-api-key"}).json()
            for body in (one, two):  # image URLs carry each server's own port
                body["event"].pop("event_image", None)
                body["event"].get("venue", {}).pop("images", None)
            assert one == two
