"""The receipt: what it lists, its QR code, and both ways out (PDF file and a printer)."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import segno
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter

from app.gui.formatting import format_money
from app.gui.sale.receipt import SaleEvent, build_receipt, paint_on_printer, qr_image, save_receipt_pdf
from app.partner.models import Cart, CommitResult

CART = Cart.from_json({
    "cart_id": "c=",
    "cart": {"hold_time": 299,
             "items": [{"id": 1, "event_id": "E", "section": "207", "row": "A", "start_seat_number": "2",
                        "end_seat_number": "4", "num_seats": 3, "tickets": [], "totals": {}}],
             "totals": {"currency_code": "USD", "merchandise": 75, "fee": 9, "tax": 0, "delivery": 2.5,
                        "grand": 86.5, "unpaid": 0}},
})
EVENT = SaleEvent("E", "Donny & Marie", "Mon 7 Dec 2015, 7:00 PM EST", "The Grand Theater")
URL = "https://myorder.ticketmaster.com/redeem?token=28a67e13-7233-45a5"


def result(number: str = "35-46145/LA1") -> CommitResult:
    return CommitResult(order_number=number, order_token="t", redemption_url=URL, grand_total=Decimal("86.5"),
                        currency="USD")


def test_receipt_lists_the_sale():
    receipt = build_receipt(EVENT, CART, result(), "Will call ($2.50)", "Discover ••••1006")
    assert receipt.order_number_text == "35-46145/LA1"
    assert receipt.seats == ("Section 207 · row A · seats 2–4 (3 seats)",)
    assert dict(receipt.totals)["Total"] == format_money(Decimal("86.50"), "USD")
    assert [label for label, _ in receipt.totals] == ["Tickets", "Fees", "Tax", "Delivery", "Total"]
    assert receipt.grand_total == format_money(Decimal("86.50"), "USD")
    assert receipt.title == "Receipt — order 35-46145/LA1"
    assert receipt.file_name == "receipt-35-46145-LA1.pdf"


def test_suggested_file_names_are_safe_on_any_file_system():
    for number, name in (("27-84606/NY1", "receipt-27-84606-NY1.pdf"), ("../../etc/passwd", "receipt-etc-passwd.pdf"),
                         ("C:\\x*?<>|", "receipt-C-x.pdf"), ("", "receipt-unconfirmed-order.pdf")):
        assert build_receipt(EVENT, CART, result(number=number)).file_name == name


def test_an_order_whose_number_was_lost_says_so_instead_of_inventing_one():
    receipt = build_receipt(EVENT, CART, result(number=""))
    assert not receipt.number_known
    assert receipt.order_number_text == "not received — the order is placed; show this receipt at the box office"


def test_qr_image_is_the_redemption_url_module_for_module():
    image = qr_image(URL, module_px=3, border=4)
    matrix = list(segno.make(URL, error="m").matrix_iter(scale=1, border=4))
    assert image.width() == image.height() == len(matrix) * 3
    for y in range(0, len(matrix), 5):
        for x in range(len(matrix)):
            dark = image.pixelColor(x * 3 + 1, y * 3 + 1) == QColor("black")
            assert dark == bool(matrix[y][x]), (x, y)


def test_pdf_and_printer_outputs(qapp, tmp_path):
    receipt = build_receipt(EVENT, CART, result(), "Will call", "Discover ••••1006")
    pdf = tmp_path / "receipt.pdf"
    save_receipt_pdf(receipt, str(pdf))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 1  # one clean page
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    assert paint_on_printer(receipt, printer)
    assert printed.read_bytes().startswith(b"%PDF") and printed.stat().st_size > 2000


def test_time_of_sale_at_the_venue_and_at_this_station(monkeypatch):
    import time
    from datetime import datetime

    from app.gui.sale.receipt import sold_text

    instant = datetime(2026, 11, 27, 3, 30, tzinfo=UTC)
    try:
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        assert " ".join(sold_text(instant, "America/New_York").split()) == "Thu 26 Nov 2026, 10:30 PM EST"
        monkeypatch.setenv("TZ", "Europe/Berlin")
        time.tzset()  # a different day here than at the venue: the date is said twice
        assert " ".join(sold_text(instant, "America/New_York").split()) == (
            "Thu 26 Nov 2026, 10:30 PM EST at the venue (Fri 27 Nov 2026, 4:30 AM CET at this station)")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_receipt_lists_buyer_and_seller():
    from datetime import datetime

    from app.gui.sale.receipt import Seller
    from app.partner.models import BillingContact

    receipt = build_receipt(EVENT, CART, result(), buyer=BillingContact("Ada", "Lovelace", "ada@example.com"),
                            seller=Seller("Box 3", "alice"), sold_at=datetime(2026, 1, 5, 12, tzinfo=UTC))
    assert receipt.sale_lines[0] == "Buyer: Ada Lovelace"
    assert receipt.sale_lines[1].startswith("Sold Mon 5 Jan 2026")
    assert receipt.sale_lines[2] == "Station: Box 3 · Cashier: alice"
    assert build_receipt(EVENT, CART, result()).sale_lines == ()
