"""Where requests go and whom they trust: never a proxy from the environment for loopback (the API
key is in the query), an HTTPS proxy only as the settings say, and never SSL_CERT_FILE's CA."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from socketserver import StreamRequestHandler, ThreadingTCPServer

import httpx
import pytest

from app.partner import PartnerClient, PartnerConfig
from app.partner.errors import PartnerError, ServiceUnreachable
from app.partner.routing import RoutingTransport, https_proxy_for, trust_store
from tests.partner.partnerkit import run

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


class RecordingProxy:
    """A TCP server posing as a proxy: records the first line of every request, answers 403."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        seen = self.seen

        class Handler(StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(65536).decode("latin-1").strip()
                seen.append(line)
                while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                    pass
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

        ThreadingTCPServer.allow_reuse_address = True
        self.server = ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy():
    server = RecordingProxy()
    yield server
    server.close()


def test_proxy_variables_never_see_loopback_traffic(config, proxy, monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    async def scenario():
        async with PartnerClient(config) as client:
            return await client.events()

    assert run(scenario())  # the sandbox answered directly
    assert proxy.seen == []


def test_ssl_cert_file_does_not_replace_the_trust_store(tls_server, monkeypatch):
    base, ca_file = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)  # a CA the cashier cannot see in the settings
    monkeypatch.setenv("SSL_CERT_DIR", str(Path(ca_file).parent))

    async def scenario():
        async with PartnerClient(PartnerConfig(partner_base_url=base + "/partners/v1", api_key="k")) as client:
            with pytest.raises(ServiceUnreachable) as refused:
                await client.events()
        async with PartnerClient(PartnerConfig(partner_base_url=base + "/partners/v1", api_key="k",
                                               ca_bundle=ca_file)) as trusting:
            return refused.value, await trusting.events()

    refused, events = run(scenario())
    assert "could not be verified" in refused.user_message
    assert events  # trusted only when the settings name that CA bundle


def test_the_trust_store_is_read_at_the_first_https_request_and_only_once(config, tls_server):
    """Loading the CA bundle costs start-up time; a station on the loopback sandbox never needs it."""
    base, ca_file = tls_server
    made: list[str] = []

    def trust():
        made.append(ca_file)
        return trust_store(ca_file)

    async def scenario():
        async with httpx.AsyncClient(transport=RoutingTransport(verify=trust)) as client:
            plain = await client.get(config.partner_base_url + "/events", params={"apikey": config.api_key})
            before_https = len(made)
            answers = [await client.get(base + "/partners/v1/events") for _ in range(2)]
        return plain.status_code, before_https, [a.status_code for a in answers], len(made)

    assert run(scenario()) == (200, 0, [200, 200], 1)


def test_the_https_proxy_from_the_settings_carries_https_traffic_but_not_the_key(proxy):
    config = PartnerConfig(partner_base_url="https://partner.example.test/partners/v1", api_key="secret-api-key",
                           https_proxy=proxy.url, timeout=5)

    async def scenario():
        async with PartnerClient(config) as client:
            with pytest.raises(PartnerError):
                await client.events()

    run(scenario())
    assert proxy.seen == ["CONNECT partner.example.test:443 HTTP/1.1"]  # a tunnel: the query stays inside TLS
    assert "secret-api-key" not in " ".join(proxy.seen)


def test_the_system_https_proxy_is_used_for_https_only_and_never_for_loopback(tls_server, proxy, monkeypatch):
    base, ca_file = tls_server
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("https_proxy", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    async def scenario():
        async with PartnerClient(PartnerConfig(partner_base_url=base + "/partners/v1", api_key="k",
                                               ca_bundle=ca_file)) as local:
            events = await local.events()  # https://127.0.0.1: direct
        async with PartnerClient(PartnerConfig(partner_base_url="https://partner.example.test/partners/v1",
                                               api_key="k", timeout=5)) as remote:
            with pytest.raises(PartnerError):
                await remote.events()
        return events

    assert run(scenario())
    assert proxy.seen == ["CONNECT partner.example.test:443 HTTP/1.1"]


@pytest.mark.parametrize("host, setting, system, expected", [
    ("app.ticketmaster.com", "system", {"https": "http://p:3128"}, "http://p:3128"),
    ("app.ticketmaster.com", "system", {"http": "http://p:3128", "all": "http://p:3128"}, None),
    ("app.ticketmaster.com", "none", {"https": "http://p:3128"}, None),
    ("app.ticketmaster.com", "http://mine:8080", {}, "http://mine:8080"),
    ("127.0.0.1", "http://mine:8080", {"https": "http://p:3128"}, None),
    ("localhost", "system", {"https": "http://p:3128"}, None),
    ("::1", "system", {"https": "http://p:3128"}, None),
])
def test_which_proxy_a_request_takes(host, setting, system, expected):
    assert https_proxy_for(host, setting, system=lambda: system, bypass=lambda h: False) == expected


def test_no_proxy_of_the_system_is_honoured():
    assert https_proxy_for("intranet.example", "system", system=lambda: {"https": "http://p:1"},
                           bypass=lambda h: h.endswith(".example")) is None


def test_the_station_passes_the_proxy_setting_to_the_client(tmp_path):
    import dataclasses

    from app.checkout.station import Station
    from app.storage import StationPaths, StationStorage

    storage = StationStorage(StationPaths.under(tmp_path))
    storage.save_settings(dataclasses.replace(storage.settings, backend="custom", https_proxy="none",
                                              custom_partner_url="https://partner.example.test/partners/v1"))
    config = Station(StationStorage(StationPaths.under(tmp_path))).partner_config()
    assert config.https_proxy == "none"
    assert replace(config, https_proxy="system").https_proxy == "system"
