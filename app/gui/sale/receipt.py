"""The sale's receipt: what it says, its QR codes, and drawing it on paper or into a PDF.

``Receipt`` gathers what a buyer keeps (event, date, venue, seats, delivery, payment, totals, order
number, redemption link, the Ticketmaster-app link when the order has one, and who bought, when —
at the venue and at this station — at which station and from which cashier); ``qr_image`` turns a
link into a crisp QImage with segno (``prepare_qr`` encodes it once, off the GUI thread);
``paint_receipt`` lays the receipt out on any QPaintDevice page (a QPdfWriter or a QPrinter), so
printing and "Save as PDF" share one layout. ``SaleEvent`` is what the window tells the sale about
the event (name, when, venue, whether row/seat names must stay hidden).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import segno
from PySide6.QtCore import QMarginsF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from app.checkout.seatlabels import SeatHints, held_seats, seats_text
from app.gui.event.offers import TicketTypeName
from app.gui.formatting import format_clock_time, format_event_datetime, format_money, venue_zone
from app.partner.models import BillingContact, Cart, CartItem, CommitResult, Totals


@dataclass(frozen=True)
class SaleEvent:
    """The event as the sale pages and the receipt name it."""

    event_id: str
    name: str = ""
    when: str = ""  # already formatted in the venue's time zone
    venue: str = ""
    hide_row_seat: bool = False  # the event's locRowSeatRestrict
    time_zone: str | None = None  # the venue's (IANA name), for the time of sale on the receipt
    country: str | None = None  # the venue's (ISO 3166 code): where the billing address starts
    # The availability the seats were picked from (tells which seats a cart item with a gap holds).
    availability: Any = field(default=None, compare=False, repr=False)
    # ticket type id → its name and codes (app.gui.event.offers.ticket_type_names): "Adult", not "GPAS1"
    ticket_names: Mapping[str, TicketTypeName] = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        return self.name or f"Event {self.event_id}"


@dataclass(frozen=True)
class Seller:
    """Who sold: the station's name and the cashier, from the station's settings, and the partner's
    logo (the window's header's, printed at the receipt's top right; None: none)."""

    station: str = ""
    cashier: str = ""
    logo: QImage | None = field(default=None, compare=False, repr=False)

    @property
    def line(self) -> str:
        return " · ".join(part for part in (self.station and f"Station: {self.station}",
                                            self.cashier and f"Cashier: {self.cashier}") if part)


def sold_text(instant: datetime, venue_time_zone: str | None) -> str:
    """``Thu 26 Nov 2026, 10:00 AM EST at the venue (4:00 PM CET at this station)``; once when the
    venue and the station keep the same time."""
    venue = instant.astimezone(venue_zone(venue_time_zone))
    here = instant.astimezone()
    if venue.utcoffset() == here.utcoffset() and venue.tzname() == here.tzname():
        return format_event_datetime(venue)
    local = format_clock_time(here) if here.date() == venue.date() else format_event_datetime(here)
    return f"{format_event_datetime(venue)} at the venue ({local} at this station)"


def seat_lines(cart: Cart | None, hide_row_seat: bool, hints: SeatHints | None = None,
               ticket_names: Mapping[str, TicketTypeName] | None = None) -> list[str]:
    """One line per cart item: section, row and seats (row/seat left out when restricted); ``hints``
    tell which seats an item holds when its first and last seat have others' seats between them;
    the ticket type is named by ``ticket_names`` ("Adult": the cart itself carries only the code)."""
    if cart is None:
        return []
    return [_seat_line(item, hide_row_seat, hints, ticket_names or {}) for item in cart.items]


def ticket_codes(cart: Cart | None, ticket_names: Mapping[str, TicketTypeName]) -> str:
    """"Adult: GPAS1 · ticket type 000001040006", one line per ticket type in the cart (for tooltips)."""
    tickets = dict.fromkeys(t.id for item in (cart.items if cart else ()) for t in item.tickets)
    return "\n".join(f"{ticket_names[tid].name}: {ticket_names[tid].code}" for tid in tickets if tid in ticket_names)


def _seat_line(item: CartItem, hide_row_seat: bool, hints: SeatHints | None = None,
               ticket_names: Mapping[str, TicketTypeName] | None = None) -> str:
    count = f"{item.num_seats} seat{'s' if item.num_seats != 1 else ''}"
    names = ticket_names or {}
    kind = next((n for n in (names[t.id].name if t.id in names else t.description for t in item.tickets) if n), "")
    suffix = f" · {kind}" if kind else ""
    if item.is_ga or not item.section:
        return f"General admission · {count}{suffix}"
    if hide_row_seat:
        return f"Section {item.section} · {count}{suffix}"
    seats = seats_text(item, hints)
    if held_seats(item, hints) is not None:
        seats += f" ({count})"
    return f"Section {item.section} · row {item.row or '?'} · {seats}{suffix}"


def buyer_name(buyer: BillingContact | None) -> str:
    return " ".join(part for part in (buyer.first_name.strip(), buyer.last_name.strip()) if part) if buyer else ""


def buyer_lines(buyer: BillingContact | None) -> list[str]:
    """``["Jo Doe", "jo.doe@example.com · 212-867-5309"]``: what the cashier checks with the buyer."""
    if buyer is None:
        return []
    contact = " · ".join(part for part in (buyer.email.strip(), buyer.phone.strip()) if part)
    return [line for line in (buyer_name(buyer), contact) if line]


def total_lines(totals: Totals, currency: str | None) -> list[tuple[str, str]]:
    """(label, amount) rows in the order a buyer reads them; zero tax/delivery rows are kept."""
    rows = [
        ("Tickets", totals.merchandise),
        ("Fees", totals.fee),
        ("Tax", totals.tax),
        ("Delivery", totals.delivery),
    ]
    if totals.upsell:
        rows.append(("Extras", totals.upsell))
    rows.append(("Total", totals.grand))
    return [(label, format_money(amount, currency)) for label, amount in rows]


@dataclass(frozen=True)
class Receipt:
    event: SaleEvent
    order_number: str
    seats: tuple[str, ...]
    totals: tuple[tuple[str, str], ...]
    grand_total: str
    delivery: str = ""
    payment: str = ""  # masked: "Discover ••••1006" or "Invoice 1234"
    redemption_url: str | None = None
    tm_app_url: str | None = None  # opens the order in the Ticketmaster app (events with barcodes)
    extra: tuple[str, ...] = field(default_factory=tuple)
    buyer: str = ""  # the buyer's name
    sold: str = ""  # when, as ``sold_text`` writes it
    seller: Seller = field(default_factory=Seller)
    receipt_number: str = ""  # this station's number of the sale (a cash payment's invoice reference)
    change: str = ""  # cash: the change given back, as shown ("$12.34"); empty for none

    @property
    def sale_lines(self) -> tuple[str, ...]:
        """Which receipt, who bought, when, where and from whom: ``Receipt no. 42``, ``Buyer: …``,
        ``Sold …``, ``Station: … · Cashier: …``."""
        lines = (self.receipt_number and f"Receipt no. {self.receipt_number}", self.buyer and f"Buyer: {self.buyer}",
                 self.sold and f"Sold {self.sold}", self.seller.line)
        return tuple(line for line in lines if line)

    @property
    def number_known(self) -> bool:
        """False when the order went through but its number was lost with the service's answer."""
        return bool(self.order_number)

    @property
    def order_number_text(self) -> str:
        return self.order_number or "not received — the order is placed; show this receipt at the box office"

    @property
    def title(self) -> str:
        return f"Receipt — order {self.order_number}" if self.order_number else "Receipt"

    @property
    def file_name(self) -> str:
        """A name any file system takes: ``receipt-27-84606-NY1.pdf`` (order numbers contain "/")."""
        return safe_file_name("receipt", self.order_number or "unconfirmed-order") + ".pdf"


def safe_file_name(*parts: str) -> str:
    """Letters, digits, "-" and "_" only, joined by "-": nothing a file system or a shell reads as a
    folder, a drive or a wildcard, and no leading dot."""
    words = (re.sub(r"[^A-Za-z0-9_]+", "-", part).strip("-") for part in parts)
    return "-".join(word for word in words if word) or "receipt"


def build_receipt(event: SaleEvent, cart: Cart | None, result: CommitResult, delivery: str = "",
                  payment: str = "", hints: SeatHints | None = None, *, buyer: BillingContact | None = None,
                  seller: Seller | None = None, sold_at: datetime | None = None, receipt_number: str = "",
                  change: str = "") -> Receipt:
    """The receipt of a placed order: the cart as sold plus what the commit answered, the buyer,
    the time of sale (an aware instant), who sold it, the receipt's number and (cash) the change."""
    currency = result.currency or (cart.currency if cart else None)
    totals = tuple(total_lines(cart.totals, currency)) if cart else ()
    grand = (format_money(result.grand_total, currency) if result.grand_total is not None
             else dict(totals).get("Total", ""))
    return Receipt(
        event=event,
        order_number=result.order_number or "",
        seats=tuple(seat_lines(cart, event.hide_row_seat, hints, event.ticket_names)),
        totals=totals,
        grand_total=grand,
        delivery=delivery,
        payment=payment,
        redemption_url=result.redemption_url,
        tm_app_url=result.tm_app_url,
        buyer=buyer_name(buyer),
        sold=sold_text(sold_at, event.time_zone) if sold_at is not None else "",
        seller=seller or Seller(),
        receipt_number=receipt_number,
        change=change,
    )


@lru_cache(maxsize=8)
def qr_code(text: str) -> segno.QRCode:
    """The QR code of ``text`` (cached: the confirmation page and the receipt draw the same one).

    Encoding takes segno 7-11 ms of pure Python; ``prepare_qr`` runs it on a worker thread."""
    return segno.make(text, error="m")


async def prepare_qr(*texts: str | None) -> None:
    """Encode each given text off the GUI thread so drawing them later only reads the cache."""
    for text in texts:
        if text:
            await asyncio.to_thread(qr_code, text)


def _dark_runs(text: str, border: int) -> tuple[int, list[tuple[int, int, int]]]:
    """The symbol's side in modules and its dark modules as (row, first column, length) runs."""
    rows = list(qr_code(text).matrix_iter(scale=1, border=border))
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(rows), runs


def qr_image(text: str, module_px: int = 6, border: int = 4) -> QImage:
    """A black-on-white QR code of ``text``; each module is ``module_px`` pixels square."""
    side, runs = _dark_runs(text, border)
    size = side * module_px
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    painter.drawRects([QRect(x * module_px, y * module_px, length * module_px, module_px) for y, x, length in runs])
    painter.end()
    return image


def _draw_qr(painter: QPainter, text: str, target: QRectF) -> None:
    """Draw the QR as vector rectangles (one per run of dark modules) so it stays sharp in print."""
    side, runs = _dark_runs(text, 2)
    module = target.width() / side
    painter.save()
    painter.fillRect(target, QColor("white"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    painter.drawRects(
        [
            QRectF(target.x() + x * module, target.y() + y * module, length * module + 0.3, module + 0.3)
            for y, x, length in runs
        ]
    )
    painter.restore()


def paint_receipt(painter: QPainter, page: QRectF, receipt: Receipt) -> None:
    """Lay the receipt out inside ``page`` (device units of the painter's device)."""
    unit = page.width() / 100.0  # 1% of the page width: keeps the layout resolution-independent
    y = page.top()
    left, right = page.left(), page.right()

    def font(size: float, bold: bool = False) -> QFont:
        f = QFont("Sans Serif")
        f.setPixelSize(max(1, int(size * unit)))
        f.setBold(bold)
        return f

    def line(text: str, size: float = 2.6, bold: bool = False, gap: float = 1.2, color: str = "black") -> None:
        nonlocal y
        painter.setFont(font(size, bold))
        painter.setPen(QColor(color))
        rect = QRectF(left, y, page.width(), size * unit * 3)
        bounds = painter.boundingRect(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text)
        y += bounds.height() + gap * unit

    def rule() -> None:
        nonlocal y
        painter.setPen(QColor("#999999"))
        painter.drawLine(int(left), int(y), int(right), int(y))
        y += 2 * unit

    logo = receipt.seller.logo
    if logo is not None and not logo.isNull():
        height = 6 * unit
        width = min(30 * unit, height * logo.width() / max(1, logo.height()))
        painter.drawImage(QRectF(right - width, y, width, height), logo)
    line("Box Office — receipt", 2.2, color="#555555")
    line(receipt.event.title, 4.2, bold=True)
    if receipt.event.when:
        line(receipt.event.when, 2.8)
    if receipt.event.venue:
        line(receipt.event.venue, 2.8)
    y += unit
    rule()
    line(f"Order number  {receipt.order_number_text}", 3.4, bold=True, gap=2)
    for seat in receipt.seats:
        line(seat, 2.8)
    for sale_line in receipt.sale_lines:
        line(sale_line, 2.6)
    if receipt.delivery:
        line(f"Delivery: {receipt.delivery}", 2.6)
    if receipt.payment:
        line(f"Paid with: {receipt.payment}", 2.6)
    for extra in receipt.extra:
        line(extra, 2.6)
    y += unit
    rule()
    amount_width = 30 * unit
    for label, amount in receipt.totals:
        bold = label == "Total"
        painter.setFont(font(2.8, bold))
        painter.setPen(QColor("black"))
        row = QRectF(left, y, page.width() - amount_width, 4 * unit)
        painter.drawText(row, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
        painter.drawText(
            QRectF(right - amount_width, y, amount_width, 4 * unit),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            amount,
        )
        y += 4.4 * unit
    y += unit
    rule()
    codes = [(receipt.redemption_url, "Scan to get the tickets, or open:"),
             (receipt.tm_app_url, "Scan to open the order in the Ticketmaster app:")]
    for url, words in codes:
        if not url:
            continue
        side = 32 * unit
        _draw_qr(painter, url, QRectF(left, y, side, side))
        painter.setFont(font(2.4))
        painter.setPen(QColor("black"))
        text_rect = QRectF(left + side + 4 * unit, y, page.width() - side - 4 * unit, side)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWrapAnywhere),
            f"{words}\n{url}",
        )
        y += side + 2 * unit


def save_receipt_pdf(receipt: Receipt, path: str) -> None:
    """Write the receipt as a one-page A4 PDF to ``path`` (raises OSError when it cannot)."""
    writer = QPdfWriter(path)
    writer.setTitle(receipt.title)
    writer.setCreator("Box Office")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Could not write a PDF to {path}")
    try:
        paint_receipt(painter, QRectF(0, 0, writer.width(), writer.height()), receipt)
    finally:
        painter.end()


def paint_on_printer(receipt: Receipt, printer) -> bool:
    """Print the receipt on a configured QPrinter; False when the printer could not start."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        paint_receipt(painter, QRectF(0, 0, page.width(), page.height()), receipt)
    finally:
        painter.end()
    return True
