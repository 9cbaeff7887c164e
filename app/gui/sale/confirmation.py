"""The confirmation page: the order number, the redemption link and its QR code, totals, receipts.

When the commit answered a ``tm_app_url`` (events that emit barcodes), a second link and QR code,
"Open in the Ticketmaster app", stand beside the first; without one, nothing of it is shown. Only
``ticketmaster:`` and ``https:`` addresses become links (``app_link_allowed``): what the service
sends is never opened as a file or a script.

"Print…" opens the print dialog, "Save as PDF…" asks for a file name (both through
``app.gui.sale.receiptoutput``, shared with reprints from the orders window); both draw the same
receipt (``app.gui.sale.receipt``), start in the user's documents folder (else home) and suggest a
file name safe on any file system. Both dialogs are window-modal without a nested loop; when one
closes, the keyboard goes back to "New sale" (``newSaleButton``), the page's main action: Enter ends
the sale, it never reopens a dialog. When the station's journal could not take the order yet,
``recordNote`` says its record will catch up (the sale itself is done).
"""

from __future__ import annotations

import logging
import re
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.focuscue import lead_to
from app.gui.sale.pagebase import ScrollsDown, page_title
from app.gui.sale.receipt import Receipt, qr_image
from app.gui.sale.receiptoutput import ReceiptOutput

log = logging.getLogger(__name__)
# Until the window has an orders view, say what the cashier can do right now.
UNCONFIRMED_NOTE = ("The order went through: the seats are sold and paid for, but the service's answer with the "
                    "order number was lost. Give the buyer this receipt (print it or save it as PDF): it lists "
                    "the seats and the total. Do not sell these seats or take the payment again; this station's "
                    "journal keeps the sale as \u201cconfirmation lost\u201d.")


def app_link_allowed(url: str) -> bool:
    """A Ticketmaster-app address the page may show as a link: the app's own scheme, or https."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return scheme in ("ticketmaster", "https")


# Where a link's shown text may wrap: after its separators, and inside any longer run of other
# characters (tokens such as "4296-00e4Z4Q9GTOiyfNKbevqNPJgLVmH", where no line breaker breaks).
_SEPARATORS = re.compile(r"([/?=&.-])")
_LONG_RUN = re.compile(r"[^/?=&.-]{12}(?=[^/?=&.-])")
ZERO_WIDTH_SPACE = "\u200b"


def breakable(url: str) -> str:
    """``url`` as shown: zero-width spaces where it may wrap, so a long token never makes the page
    wider than the window leaves it (the link's target stays the plain URL)."""
    text = _LONG_RUN.sub(lambda m: m.group(0) + ZERO_WIDTH_SPACE, url)
    return _SEPARATORS.sub(lambda m: m.group(0) + ZERO_WIDTH_SPACE, text)


def _qr_block(parent: QWidget, name: str, accessible: str, caption: str) -> tuple[QWidget, QLabel]:
    """A QR code over its caption; returns the block and the label that holds the code."""
    block = QWidget(parent)
    block.setObjectName(name + "Block")
    column = QVBoxLayout(block)
    column.setContentsMargins(0, 0, 0, 0)
    code = QLabel(block)
    code.setObjectName(name)
    code.setAccessibleName(accessible)
    code.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    words = QLabel(caption, block)
    words.setObjectName(name + "Caption")
    words.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    words.setWordWrap(True)
    column.addWidget(code)
    column.addWidget(words)
    column.addStretch(1)
    return block, code


class ConfirmationPage(QWidget):
    newSaleRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmationPage")
        self._receipt: Receipt | None = None
        self.output = ReceiptOutput(self, lambda: self._receipt, lambda text: self.status.setText(text),
                                    closed=self._dialog_closed)
        layout = QVBoxLayout(self)
        # All but the buttons scrolls when the window is short (the inspector docked at 1280×800).
        body = QWidget(self)
        body.setObjectName("confirmationBody")
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        heading = page_title("Order confirmed", "The tickets are sold.", body)
        content.addWidget(heading)
        self.subtitle = heading.findChild(QLabel, "pageSubtitle")  # what to give the buyer (show_receipt)
        self.subtitle.setObjectName("confirmationSubtitle")

        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        info = QVBoxLayout()
        caption = QLabel("Order number", self)
        info.addWidget(caption)
        self.order_number = QLabel(self)
        self.order_number.setObjectName("orderNumberLabel")
        self.order_number.setTextFormat(Qt.TextFormat.PlainText)
        self.order_number.setAccessibleName("Order number")
        self.order_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.order_number.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.order_number.setFont(big)
        info.addWidget(self.order_number)
        self.number_note = QLabel(self)
        self.number_note.setObjectName("orderNumberNote")
        self.number_note.setWordWrap(True)
        self.number_note.hide()
        info.addWidget(self.number_note)
        self.change = QLabel(self)  # cash: the change to give back, before anything else is said
        self.change.setObjectName("changeDue")
        self.change.setAccessibleName("Change to give back")
        self.change.setTextFormat(Qt.TextFormat.PlainText)
        self.change.setWordWrap(True)  # never wider than the page leaves it (the event list keeps its room)
        larger = QFont(self.order_number.font())
        larger.setPointSizeF(big.pointSizeF() * 0.7)
        self.change.setFont(larger)
        self.change.hide()
        info.addWidget(self.change)
        self.details = QLabel(self)
        self.details.setObjectName("confirmationDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info.addWidget(self.details)
        self.link = QLabel(self)
        self.link.setObjectName("redemptionLink")
        self.link.setWordWrap(True)
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        info.addWidget(self.link)
        self.app_link = QLabel(self)
        self.app_link.setObjectName("tmAppLink")
        self.app_link.setWordWrap(True)
        self.app_link.setOpenExternalLinks(True)
        self.app_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.app_link.hide()
        info.addWidget(self.app_link)
        info.addStretch(1)
        grid.addLayout(info, 0, 0, 2, 1)
        self.qr_block, self.qr = _qr_block(self, "redemptionQr", "QR code of the redemption link",
                                           "Scan for the tickets")
        grid.addWidget(self.qr_block, 0, 1, Qt.AlignmentFlag.AlignTop)
        self.app_qr_block, self.app_qr = _qr_block(self, "tmAppQr", "QR code that opens the order in the "
                                                   "Ticketmaster app", "Open in the Ticketmaster app")
        self.app_qr_block.hide()
        # Under the tickets' code, not beside it: two codes side by side squeezed the event list to a sliver.
        grid.addWidget(self.app_qr_block, 1, 1, Qt.AlignmentFlag.AlignTop)
        content.addLayout(grid)

        self.record_note = QLabel(self)
        self.record_note.setObjectName("recordNote")
        self.record_note.setWordWrap(True)
        self.record_note.setTextFormat(Qt.TextFormat.PlainText)
        self.record_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.record_note.setMargin(6)
        self.record_note.hide()
        content.addWidget(self.record_note)

        self.status = QLabel(self)
        self.status.setObjectName("receiptStatus")
        self.status.setWordWrap(True)
        content.addWidget(self.status)
        content.addStretch(1)
        layout.addWidget(ScrollsDown(body, self), 1)

        buttons = QHBoxLayout()
        self.print_button = QPushButton("Print receipt…", self)
        self.print_button.setObjectName("printReceiptButton")
        self.print_button.clicked.connect(self.print_receipt)
        self.pdf_button = QPushButton("Save receipt as PDF…", self)
        self.pdf_button.setObjectName("saveReceiptButton")
        self.pdf_button.clicked.connect(self.ask_and_save_pdf)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        self.new_sale_button = QPushButton("New sale  ›", self)
        self.new_sale_button.setObjectName("newSaleButton")
        self.new_sale_button.setDefault(True)
        self.new_sale_button.clicked.connect(self.newSaleRequested)
        buttons.addWidget(self.new_sale_button)
        layout.addLayout(buttons)

    @property
    def receipt(self) -> Receipt | None:
        return self._receipt

    def show_receipt(self, receipt: Receipt) -> None:
        self._receipt = receipt
        if receipt.number_known:
            self.order_number.setText(receipt.order_number)
            self.number_note.hide()
            self.subtitle.setText("The tickets are sold. Give the buyer the order number.")
        else:
            self.order_number.setText("Number not received")
            self.number_note.setText(UNCONFIRMED_NOTE)
            self.number_note.show()
            self.subtitle.setText("The tickets are sold. Give the buyer this receipt.")
        self.change.setText(f"Give back {receipt.change} in change" if receipt.change else "")
        self.change.setVisible(bool(receipt.change))
        if receipt.change:
            self.subtitle.setText(f"{self.subtitle.text()} Give back the change first.")
        rows = "".join(
            f"<tr><td>{label}</td><td align='right' style='padding-left:24px'>"
            f"{'<b>' + amount + '</b>' if label == 'Total' else amount}</td></tr>"
            for label, amount in receipt.totals)
        parts = [f"<b>{escape(receipt.event.title)}</b>"]
        if receipt.event.when:
            parts.append(escape(receipt.event.when))
        parts.extend(escape(seat) for seat in receipt.seats)
        parts.extend(escape(line) for line in receipt.sale_lines)
        if receipt.delivery:
            parts.append(escape(f"Delivery: {receipt.delivery}"))
        if receipt.payment:
            parts.append(escape(f"Paid with: {receipt.payment}"))
        self.details.setText("<br>".join(parts) + f"<br><table cellspacing='0'>{rows}</table>")
        if receipt.redemption_url:
            url = receipt.redemption_url
            self.link.setText(f"Tickets: <a href=\"{escape(url, quote=True)}\">{escape(breakable(url))}</a>")
            self.qr.setPixmap(QPixmap.fromImage(qr_image(url, module_px=5)))
            self.qr_block.show()
        else:
            self.link.setText("No redemption link came with this order.")
            self.qr.clear()
            self.qr_block.hide()
        self._show_app_link(receipt.tm_app_url)
        self.status.setText("")

    def _show_app_link(self, url: str | None) -> None:
        """The second link and QR code, "Open in the Ticketmaster app", only when the order has one."""
        if not url:
            self.app_link.clear()
            self.app_link.hide()
            self.app_qr.clear()
            self.app_qr_block.hide()
            return
        if app_link_allowed(url):
            self.app_link.setText(f"<a href=\"{escape(url, quote=True)}\">Open in the Ticketmaster app</a>")
        else:
            self.app_link.setText(escape(f"Ticketmaster app: {breakable(url)}"))
        self.app_link.setToolTip(url)
        self.app_link.show()
        self.app_qr.setPixmap(QPixmap.fromImage(qr_image(url, module_px=4)))
        self.app_qr_block.show()

    def show_record_note(self, note: str | None) -> None:
        """The journal could not take the order yet: say so (None hides the note)."""
        self.record_note.setText(note or "")
        self.record_note.setAccessibleName(note or "")
        self.record_note.setVisible(bool(note))

    def save_pdf(self, path: str) -> bool:
        return self.output.save_pdf(path)

    def ask_and_save_pdf(self) -> None:
        self.output.ask_and_save_pdf()

    def print_receipt(self) -> None:
        self.output.print_receipt()

    def _dialog_closed(self) -> None:
        """Back from a dialog: Enter is "New sale" again, not the button that opened the dialog."""
        if self.isVisible():
            self.window().activateWindow()
            self.focus_first()

    def go_on(self) -> None:
        self.newSaleRequested.emit()

    def focus_first(self) -> None:
        lead_to(self.new_sale_button)
