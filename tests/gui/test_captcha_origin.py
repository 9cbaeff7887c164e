"""The captcha view keeps to its page: a form submission or a meta refresh to another origin is
refused (nothing is even requested there), so a page of another origin never gets to hand over a
token; frames of other origins never reach the bridge, while the page the dialog opened still hands
over its own. Real QtWebEngine pages, a real HTTP server for the other origin."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtWidgets import QLabel

from app.gui.captcha import KEPT_SENTENCE, solve_captcha
from app.partner.models import CaptchaPage
from tests.gui.windowkit import captcha_dialog, find, run_js

PAGE_URL = "https://boxoffice.example/captcha"
# What a page on another origin does once it is shown: bring its own copy of Qt's QWebChannel client
# (it is open source) and hand over a token any way it can.
GRAB_THE_BRIDGE = """<html><head><script>%s</script></head><body><p id="p">elsewhere</p><script>
function tryAll() {
  try { if (window.callback) { window.callback("EVIL-TOKEN-FROM-ELSEWHERE-0123456789"); } } catch (e) {}
  try { parent.callback("EVIL-TOKEN-FROM-A-FRAME-0123456789"); } catch (e) {}
  try {
    new QWebChannel(qt.webChannelTransport, function (channel) {
      channel.objects.boxofficeCaptcha.deliver("", "EVIL-TOKEN-VIA-CHANNEL-0123456789");
      channel.objects.boxofficeCaptcha.deliver("EVIL-TOKEN-VIA-CHANNEL-0123456789");
    });
  } catch (e) {}
  document.getElementById("p").textContent = "tried";
}
setTimeout(tryAll, 200);
</script></body></html>"""


def web_channel_client() -> str:
    from PySide6.QtCore import QFile, QIODevice
    from PySide6.QtWebChannel import QWebChannel  # noqa: F401 (registers the resource)

    source = QFile(":/qtwebchannel/qwebchannel.js")
    assert source.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        return bytes(source.readAll()).decode("utf-8")
    finally:
        source.close()


class Elsewhere:
    """Another origin (a real HTTP server on loopback) that records what it was asked for."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        requests = self.requests
        page = (GRAB_THE_BRIDGE % web_channel_client()).encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer()

            def do_POST(self):
                self._answer()

            def _answer(self):
                requests.append((self.command, self.path))
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def elsewhere():
    server = Elsewhere()
    yield server
    server.close()


def hostile(html: str):
    async def load() -> CaptchaPage:
        return CaptchaPage(html=html, required=True, site_key="k", stoken="s")
    return load


@pytest.mark.parametrize("how", ["form", "refresh", "script"])
def test_the_captcha_page_cannot_take_the_view_to_another_origin(qloop, run, until, elsewhere, how):
    target = f"{elsewhere.url}/take-over"
    html = {
        "form": f'<html><body><form id="f" method="post" action="{target}"><input name="a" value="1"></form>'
                '<script>document.getElementById("f").submit();</script></body></html>',
        "refresh": f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head><body>wait</body></html>',
        "script": f'<html><body><script>location.href = "{target}";</script></body></html>',
    }[how]

    async def steps():
        solving = asyncio.ensure_future(solve_captcha(PAGE_URL, hostile(html)))
        dialog = await until(captcha_dialog, 30, "the captcha dialog")
        status = find(dialog, "captchaStatus", QLabel)
        await until(lambda: solving.done() or status.text() == KEPT_SENTENCE, 30, "the page kept in the view")
        assert not solving.done(), f"a token was accepted: {solving.result()!r}"
        assert dialog.page.url().toString() == PAGE_URL
        assert dialog.token is None
        dialog.cancel_button.click()
        assert await asyncio.wait_for(solving, 10) is None

    run(steps())
    assert elsewhere.requests == []  # refused before anything was sent there


def test_a_frame_of_another_origin_never_reaches_the_bridge(qloop, run, until, elsewhere):
    html = (f'<html><body><div data-callback="callback"></div><iframe id="f" src="{elsewhere.url}/frame"></iframe>'
            '</body></html>')

    async def steps():
        solving = asyncio.ensure_future(solve_captcha(PAGE_URL, hostile(html)))
        dialog = await until(captcha_dialog, 30, "the captcha dialog")
        await until(lambda: elsewhere.requests, 30, "the frame loaded")
        frame_tried = "document.getElementById('f').contentWindow !== null"
        assert await run_js(dialog.page, frame_tried)
        for _ in range(40):  # the frame's script runs 200 ms after it loads; give it ample time
            await asyncio.sleep(0.05)
        assert not solving.done(), f"a token was accepted: {solving.result()!r}"
        # The page the dialog opened still hands over its own token.
        await run_js(dialog.page, "window.callback('Real-Token-From-The-Captcha-Page-0123'); true")
        token = await asyncio.wait_for(solving, 10)
        assert token == "Real-Token-From-The-Captcha-Page-0123"

    run(steps())
    assert elsewhere.requests == [("GET", "/frame")]
