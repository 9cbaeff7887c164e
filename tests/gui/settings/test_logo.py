"""The partner logo set in the panel: previewed there, shown in the window's header and printed on
the receipt; a logo that cannot be had is a plain note in the panel, never a crash or a sale lost."""

from __future__ import annotations

import http.server
import threading

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel

from app.checkout.logo import MAX_LOGO_BYTES
from app.gui.sale.receipt import paint_receipt
from tests.gui.settings.settingskit import open_dialog, open_with_keys, said, save, type_field
from tests.gui.windowkit import (
    TEST_EVENT,
    choose_delivery,
    fill_payment,
    find,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
    shown,
)
from tests.settingskit import closed_port

LOGO_BLUE = QColor(2, 72, 148)  # the sandbox's sample logo's tile


def blue_pixels(image: QImage, x0: int = 0, y0: int = 0, x1: int | None = None, y1: int | None = None) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    x1, y1 = x1 or image.width(), y1 or image.height()
    found = 0
    for y in range(y0, y1, 2):
        for x in range(x0, x1, 2):
            c = image.pixelColor(x, y)
            found += abs(c.red() - 2) < 24 and abs(c.green() - 72) < 24 and abs(c.blue() - 148) < 24
    return found


def problem_red_pixels(label: QLabel) -> int:
    """How much of ``label`` is painted in the panel's problem red (#b3261e): a note said as a fault."""
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if (lambda c: abs(c.red() - 0xB3) < 30 and c.green() < 80 and c.blue() < 80)(image.pixelColor(x, y)))


def header_logo(window) -> QImage | None:
    label = window.findChild(QLabel, "partnerLogo")
    if label is None or not label.isVisible() or label.pixmap().isNull():
        return None
    return label.pixmap().toImage()


@pytest.fixture
def odd_server():
    """A loopback server for what the sandbox never serves: a logo larger than allowed."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_LOGO_BYTES + 10)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_logo_and_station_name_are_shown_in_the_header_and_printed_on_the_receipt(panel_station, panel_window,
                                                                             fresh_sandbox, sandbox_control, home,
                                                                             qtbot, run, until):
    window = panel_window(panel_station)
    assert header_logo(window) is None  # no logo URL yet: no logo

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "logo_url", fresh_sandbox.base_url + "/_sandbox/logo.png")
        await until(lambda: shown(dialog, "logoPreview"), 30, what="the logo's preview")
        assert said(dialog, "logoNote") == "The logo as the window's header and the receipts show it."
        assert problem_red_pixels(find(dialog, "logoNote", QLabel)) == 0  # said as a note, not as a fault
        preview = find(dialog, "logoPreview", QLabel).pixmap().toImage()
        assert blue_pixels(preview) > 100
        type_field(qtbot, dialog, "station_name", "Box 7")  # printed on the receipt too
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved")
        logo = await until(lambda: header_logo(window), 30, what="the logo in the header")
        assert logo.height() == 28 and blue_pixels(logo) > 50

        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, flow)
        await pay_and_commit(window, qtbot, until)
        assert "Station: Box 7" in find(flow, "confirmationDetails", QLabel).text()
        return flow.confirmation.receipt

    receipt = run(steps(), timeout=150)
    assert len(list(home.rglob("logo/*.png"))) == 1  # kept in the station's folder
    fetched = [r for r in sandbox_control.log(500) if r["path"] == "/_sandbox/logo.png"]
    assert len(fetched) == 1, "fetched once: the preview's file serves the header and the receipt"
    page = QImage(1000, 1414, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    painter = QPainter(page)
    paint_receipt(painter, QRectF(0, 0, 1000, 1414), receipt)
    painter.end()
    assert blue_pixels(page, x0=700, y1=80) > 200, "the logo at the receipt's top right"
    assert blue_pixels(page, x1=700) == 0  # nowhere else


@pytest.mark.parametrize("path, words", [
    ("/no-such-logo.png", "answered HTTP 404"),
    ("/_sandbox/account", "is not an image Box Office can show (it shows"),
])
def test_a_logo_url_that_gives_no_image_is_a_plain_note(panel_station, panel_window, fresh_sandbox, home, qtbot,
                                                         run, until, path, words):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "logo_url", fresh_sandbox.base_url + path)
        note = await until(lambda: said(dialog, "logoNote"), 30, what="the logo's note")
        assert words in note and not shown(dialog, "logoPreview")
        assert problem_red_pixels(find(dialog, "logoNote", QLabel)) > 20  # said as what is wrong
        save(qtbot, dialog)  # a logo is no reason to refuse the settings
        await until(lambda: open_dialog(window) is None, 30, what="saved")
        await until(lambda: window.events.model.rowCount() > 0, what="events listed again")
        assert header_logo(window) is None

    run(steps())
    assert not list(home.rglob("logo/*"))  # nothing kept


def test_an_unreachable_or_oversized_logo_is_refused_in_plain_words(panel_station, panel_window, odd_server, qtbot,
                                                                     run, until):
    window = panel_window(panel_station)
    port = closed_port()

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "logo_url", f"http://127.0.0.1:{port}/logo.png")
        await until(lambda: "could not be fetched" in said(dialog, "logoNote"), 30, what="the unreachable note")
        assert said(dialog, "logoNote") == ("The logo could not be fetched. Could not connect to 127.0.0.1. "
                                            "Check the network connection and the server address.")
        type_field(qtbot, dialog, "logo_url", odd_server + "/huge.png")
        await until(lambda: "larger than" in said(dialog, "logoNote"), 30, what="the too-large note")
        assert said(dialog, "logoNote") == "The logo is larger than 512 KB; use a smaller image."
        assert not shown(dialog, "logoPreview")
        dialog.close()

    run(steps())


def test_a_new_logo_url_replaces_a_logo_still_being_fetched(panel_station, panel_window, fresh_sandbox, qtbot, run,
                                                            until):
    """The first logo's host never answers; the tester puts the right URL in: the header shows it
    without waiting for the first fetch to give up."""
    import socket

    window = panel_window(panel_station)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)

        async def steps():
            for url in (f"http://127.0.0.1:{silent.getsockname()[1]}/logo.png",
                        fresh_sandbox.base_url + "/_sandbox/logo.png"):
                dialog = await open_with_keys(window, qtbot, until)
                type_field(qtbot, dialog, "logo_url", url)
                save(qtbot, dialog)
                await until(lambda: open_dialog(window) is None, 30, what="saved")
            logo = await until(lambda: header_logo(window), 10, what="the second logo in the header")
            assert blue_pixels(logo) > 50

        run(steps())


def test_typing_a_logo_url_fetches_only_what_was_typed_in_the_end(panel_station, panel_window, fresh_sandbox,
                                                                  sandbox_control, qtbot, run, until):
    """A tester types the URL at a person's pace: no half-typed address is fetched on the way."""
    import asyncio

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    window = panel_window(panel_station)
    url = fresh_sandbox.base_url + "/_sandbox/logo.png"

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        type_field(qtbot, dialog, "logo_url", url[:-12], leave=False)  # up to …/_sandbox/
        edit = find(dialog, "field_logo_url", QLineEdit)
        for char in url[-12:]:
            qtbot.keyClick(edit, char)
            await asyncio.sleep(0.08)  # a quick typist
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        await until(lambda: shown(dialog, "logoPreview"), 30, what="the logo's preview")
        dialog.close()

    run(steps())
    asked = [r["path"] for r in sandbox_control.log(500) if r["path"].startswith("/_sandbox/")
             and r["path"] not in ("/_sandbox/reset", "/_sandbox/scenario")]
    assert asked == ["/_sandbox/logo.png"], asked
