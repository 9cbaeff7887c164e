"""What the commit answer adds on the confirmation and the receipt: "Open in the Ticketmaster app"
(a second link and QR code) when the order has a ``tm_app_url``, and nothing of it when it has none
(an event that emits no barcodes). Sold through the whole window, as a cashier does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from tests.gui.sale.salekit import pdf_text
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

NO_BARCODE_EVENT = "3B00NOBARCODE005"


async def _sell(window, qtbot, until, search: str, event_id: str):
    await open_event_by_search(window, qtbot, until, search, event_id)
    flow = await reserve_best_available(window, qtbot, until, 1)
    await choose_delivery(window, qtbot, until)
    fill_payment(qtbot, flow)
    await pay_and_commit(window, qtbot, until)
    return flow


def test_the_ticketmaster_app_link_is_shown_and_printed_when_the_order_has_one(
        window, run, until, qtbot, sandbox_control, tmp_path):
    async def steps():
        flow = await _sell(window, qtbot, until, "test purchase", TEST_EVENT)
        (order,) = sandbox_control.state()["orders"]
        app_url = "ticketmaster://orders/redeem?token=" + order["order_token"]
        link = find(flow, "tmAppLink", QLabel)
        assert link.isVisible() and "Open in the Ticketmaster app" in link.text()
        assert f'href="{app_url}"' in link.text()
        code = find(flow, "tmAppQr", QLabel)
        assert shown(flow, "tmAppQr") and not code.pixmap().isNull()
        assert find(flow, "tmAppQrCaption", QLabel).text() == "Open in the Ticketmaster app"
        assert shown(flow, "redemptionQr")  # beside the tickets' own code, not instead of it
        path = tmp_path / "receipt.pdf"
        assert flow.confirmation.save_pdf(str(path))
        text = " ".join(pdf_text(path).split())
        assert "Scan to open the order in the Ticketmaster app:" in text
        assert "Scan to get the tickets, or open:" in text

    run(steps())


def test_an_order_without_an_app_link_shows_no_trace_of_one(window, run, until, qtbot, sandbox_control, tmp_path):
    async def steps():
        flow = await _sell(window, qtbot, until, "vintage film", NO_BARCODE_EVENT)
        assert not shown(flow, "tmAppLink") and not shown(flow, "tmAppQr")
        assert shown(flow, "redemptionQr")
        path = tmp_path / "receipt.pdf"
        assert flow.confirmation.save_pdf(str(path))
        assert "Ticketmaster app" not in pdf_text(path)
        qtbot.mouseClick(find(flow, "newSaleButton", QPushButton), Qt.MouseButton.LeftButton)

    run(steps())
