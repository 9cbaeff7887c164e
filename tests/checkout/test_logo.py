"""The partner logo: fetched once, kept in the station's folder, size- and type-checked."""

from __future__ import annotations

import asyncio
import http.server
import threading

import pytest

from app.checkout.logo import MAX_LOGO_BYTES, LogoProblem, cached_logo

FORMATS = ("png", "jpeg", "gif", "bmp", "webp")


@pytest.fixture
def odd_server():
    """A loopback server for what the sandbox never serves: a huge image, a redirect loop, a
    redirect to plain http on another host."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/huge.png":
                body = b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_LOGO_BYTES + 10)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()  # no Content-Length: the limit must hold while reading
                self.wfile.write(body)
            elif self.path == "/loop.png":
                self.send_response(302)
                self.send_header("Location", "/loop.png")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/away.png":
                self.send_response(302)
                self.send_header("Location", "http://cdn.example/logo.png")
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(url, folder, formats=FORMATS):
    return asyncio.run(cached_logo(url, folder, formats=formats))


def test_the_logo_is_fetched_once_and_kept(sandbox, sandbox_control, tmp_path):
    url = sandbox.base_url + "/_sandbox/logo.png"
    path = fetch(url, tmp_path / "logo")
    assert path.parent == tmp_path / "logo" and path.suffix == ".png"
    assert path.read_bytes().startswith(b"\x89PNG")
    asked = len([r for r in sandbox_control.log(200) if r["path"] == "/_sandbox/logo.png"])
    assert fetch(url, tmp_path / "logo") == path
    assert len([r for r in sandbox_control.log(200) if r["path"] == "/_sandbox/logo.png"]) == asked


@pytest.mark.parametrize("path, words", [
    ("/_sandbox/account", "is not an image Box Office can show"),
    ("/no-such-logo.png", "answered HTTP 404"),
])
def test_what_is_no_logo_is_said_plainly(sandbox, tmp_path, path, words):
    with pytest.raises(LogoProblem, match=words):
        fetch(sandbox.base_url + path, tmp_path / "logo")
    assert not list(tmp_path.glob("logo/*"))  # nothing kept


def test_an_image_type_the_window_cannot_decode_is_refused(sandbox, tmp_path):
    with pytest.raises(LogoProblem, match=r"it shows JPEG"):
        fetch(sandbox.base_url + "/_sandbox/logo.png", tmp_path / "logo", formats=("jpeg",))


def test_too_big_too_many_redirects_and_plain_http_elsewhere_are_refused(odd_server, tmp_path):
    with pytest.raises(LogoProblem, match="larger than 512 KB"):
        fetch(odd_server + "/huge.png", tmp_path / "logo")
    with pytest.raises(LogoProblem, match="redirects more than 3 times"):
        fetch(odd_server + "/loop.png", tmp_path / "logo")
    with pytest.raises(LogoProblem, match="must use https://"):
        fetch(odd_server + "/away.png", tmp_path / "logo")


def test_an_unreachable_logo_host_is_a_sentence_not_a_crash(tmp_path):
    with pytest.raises(LogoProblem, match=r"Could not connect to 127\.0\.0\.1"):
        fetch("http://127.0.0.1:9/logo.png", tmp_path / "logo")
