"""The offers table: what each ticket type costs per price level — face value, fees, total, currency.

``offer_lines(availability, details)`` (pure Python, Decimal money) takes the availability answer's
offers when there is one (they carry the charges the cart will add) and falls back to the event
details' ticket prices; price-level names come from the details. ``OffersTable`` (objectName
``offersTable``) shows the lines; the fees cell's tooltip breaks the fees down.

``ticket_type_names(availability, details)`` is what every screen calls a ticket type: the name a
cashier reads ("Adult", the offer's description), with the codes a tester needs ("GPAS1", the
ticket type id) kept for tooltips. The sale controls, the cart, the review and the receipt use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.gui.formatting import format_money
from app.gui.seatmap.layout import natural_key

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class TicketTypeName:
    name: str  # what a cashier reads: "Adult"
    code: str  # what a tester needs: "GPAS1 · ticket type 000001040006"


def ticket_type_names(availability: Any | None = None, details: Any | None = None) -> dict[str, TicketTypeName]:
    """Ticket type id → its name and codes. The offers' descriptions name it ("Adult"); the event
    details' description ("GPAS1", a code) or the id only when no offer says more."""
    found: dict[str, tuple[str, str]] = {}  # id → (name, offer code)
    for offer in (availability.offers if availability is not None else ()):
        name, code = offer.offer_description or "", offer.offer_name or ""
        known = found.get(offer.ticket_type_id)
        if known is None or (not known[0] and name):
            found[offer.ticket_type_id] = (name, code)
    for ticket in (details.tickets if details is not None else ()):
        name, code = found.get(ticket.id, ("", ""))
        found[ticket.id] = (name, code or ticket.description or "")
    order = [t.id for t in (details.tickets if details is not None else ())] + list(found)
    names = {}
    for tid in dict.fromkeys(order):  # the event's own order first
        name, code = found[tid]
        shown = name or code or tid
        codes = " · ".join(dict.fromkeys(c for c in (code if code != shown else "", f"ticket type {tid}") if c))
        names[tid] = TicketTypeName(shown, codes)
    return names


@dataclass(frozen=True, slots=True)
class OfferLine:
    offer: str  # the ticket type's name ("Adult")
    description: str  # its codes, for the tooltip ("GPAS1 · ticket type 000001040006")
    ticket_type_id: str
    price_level_id: str | None
    price_level: str
    face_value: Decimal
    fees: Decimal
    total: Decimal
    currency: str | None
    fee_breakdown: tuple[tuple[str, Decimal], ...]


def price_level_names(details: Any | None) -> dict[str, str]:
    """Price level id → its description from EventDetails (``{"10": "Price Level 3"}``)."""
    if details is None:
        return {}
    return {p.id: p.description for p in details.prices if p.id and p.description}


def _from_availability(availability: Any, names: dict[str, str], tickets: dict[str, TicketTypeName]) -> list[OfferLine]:
    lines, seen = [], set()
    for offer in availability.offers:
        key = (offer.ticket_type_id, offer.price_level_id)
        if key in seen:
            continue
        seen.add(key)
        breakdown = tuple((c.reason or c.type or "fee", c.amount) for c in offer.charges)
        level = offer.price_level_id
        ticket = tickets[offer.ticket_type_id]
        lines.append(OfferLine(
            offer=ticket.name, description=ticket.code, ticket_type_id=offer.ticket_type_id, price_level_id=level,
            price_level=names.get(level or "", f"Price level {level}" if level else "—"),
            face_value=offer.face_value, fees=offer.fees_total, total=offer.total_per_ticket,
            currency=offer.currency, fee_breakdown=breakdown,
        ))
    return lines


def _from_details(details: Any, names: dict[str, str], tickets: dict[str, TicketTypeName]) -> list[OfferLine]:
    lines = []
    for ticket in details.tickets:
        for price in ticket.prices:
            face = price.face_value if price.face_value is not None else ZERO
            breakdown = tuple((d.type or "fee", d.amount) for d in price.details if d.type != "face_value")
            fees = sum((amount for _, amount in breakdown), ZERO)
            currency = next((d.currency for d in price.details if d.currency), None) or details.currency
            lines.append(OfferLine(
                offer=tickets[ticket.id].name, description=tickets[ticket.id].code, ticket_type_id=ticket.id,
                price_level_id=price.price_id,
                price_level=names.get(price.price_id, f"Price level {price.price_id}"),
                face_value=face, fees=fees, total=face + fees, currency=currency, fee_breakdown=breakdown,
            ))
    return lines


def offer_lines(availability: Any | None = None, details: Any | None = None) -> list[OfferLine]:
    """Lines sorted by price level, then offer; availability offers win over details prices."""
    names = price_level_names(details)
    tickets = ticket_type_names(availability, details)
    lines = _from_availability(availability, names, tickets) if availability is not None else []
    if not lines and details is not None:
        lines = _from_details(details, names, tickets)
    lines.sort(key=lambda line: (natural_key(line.price_level_id or ""), -line.total, natural_key(line.offer)))
    return lines


class OffersTable(QTableWidget):
    """Ticket type (its codes in the tooltip), price level, face value, fees, total per ticket, currency."""

    COLUMNS = ("Ticket type", "Price level", "Face value", "Fees", "Total per ticket", "Currency")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("offersTable")
        self.setAccessibleName("Offers and prices per ticket")
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        self._size_columns()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._lines: list[OfferLine] = []

    def _size_columns(self) -> None:
        """Each column as wide as its text; the ticket type's name takes the room left over."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def set_offers(self, availability: Any | None = None, details: Any | None = None) -> None:
        """Fill from an Availability and/or EventDetails (app.partner.models)."""
        self.set_lines(offer_lines(availability, details))

    def set_lines(self, lines: list[OfferLine]) -> None:
        self._lines = list(lines)
        # Columns fit their contents, but measured once after the fill: with ResizeToContents on,
        # every replaced cell re-measures its whole column (a refill cost ~25 ms on the GUI thread).
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        try:
            self._fill(lines)
        finally:
            self._size_columns()

    def _fill(self, lines: list[OfferLine]) -> None:
        self.clearContents()
        self.setRowCount(len(lines))
        for row, line in enumerate(lines):
            fees_total = format_money(line.fees, line.currency)
            fees = "\n".join([f"Fees {fees_total} per ticket:"] + [
                f"{reason.capitalize()}: {format_money(amount, line.currency)}" for reason, amount in line.fee_breakdown
            ]) if line.fee_breakdown else f"No fees ({fees_total})"
            cells = (
                (line.offer, f"{line.offer} — {line.description}", False), (line.price_level, line.price_level, False),
                (format_money(line.face_value, line.currency), None, True),
                (format_money(line.fees, line.currency), fees, True),
                (format_money(line.total, line.currency), None, True),
                (line.currency or "—", None, False),
            )
            for column, (text, tip, money_cell) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip or text)  # the whole text, also where the column cuts it
                if money_cell:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 4:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(row, column, item)

    def lines(self) -> list[OfferLine]:
        return list(self._lines)
