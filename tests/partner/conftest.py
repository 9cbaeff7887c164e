"""Fixtures for the client's tests: a client configuration pointing at the freshly reset sandbox,
whose clock is pinned to 18:00 UTC so that no fixture event is in its nightly maintenance
(00:00–02:00 local in New York, London, Los Angeles, Chicago, Denver, Berlin and Sydney alike)."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.partner import PartnerConfig

DAYTIME_UTC_HOUR = 18


@pytest.fixture
def clock_base(fresh_sandbox, sandbox_control) -> float:
    """The sandbox clock offset (seconds) in force for the test; tests moving the clock add to it."""
    now = datetime.now(UTC)
    target = now.replace(hour=DAYTIME_UTC_HOUR, minute=0, second=0, microsecond=0)
    offset = (target - now).total_seconds()
    sandbox_control.scenario(clock_offset_seconds=offset)
    return offset


@pytest.fixture
def config(fresh_sandbox, clock_base) -> PartnerConfig:
    return PartnerConfig.for_sandbox(fresh_sandbox.base_url)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """A real HTTPS server on loopback whose certificate no system trust store knows."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command line is not installed")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"events": [{"eventId": "0B004D43F86C478F", "timeZone": "UTC"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", str(cert)
    server.shutdown()
