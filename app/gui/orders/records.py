"""One journal order in words: its receipt rebuilt for a reprint, its lines in the orders window,
and the tickets the service lists for it (``/orders?order_token=``) — rows and seats left out when
the event hides them, a plain note when the event emits no barcodes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from app.checkout.shifts import LOST_CONFIRMATION_NOTE, REFUND_NOTE, local_time, payment_kind_name
from app.gui.formatting import format_event_datetime, format_money
from app.gui.sale.receipt import Receipt, SaleEvent, Seller
from app.partner.models import Order
from app.storage.journalrecords import OrderRecord

NO_BARCODES = ("No barcodes: this event is not set up to emit them (the Partner API FAQ). The buyer gets in "
               "with the order number or the redemption link.")


def state_text(order: OrderRecord) -> str:
    return "Sold" if order.confirmed else "Sold — number not received"


def receipt_for(order: OrderRecord, *, station_name: str, reprinted_at: datetime) -> Receipt:
    """The receipt as it was given at the sale, rebuilt from the journal, marked as a reprint."""
    currency = order.currency_code or None
    rows = [("Tickets", order.merchandise), ("Fees", order.fees), ("Tax", order.tax), ("Delivery", order.delivery)]
    totals = tuple((label, format_money(amount, currency)) for label, amount in rows if amount is not None)
    grand = format_money(order.grand_total, currency) if order.grand_total is not None else ""
    if grand:
        totals += (("Total", grand),)
    try:
        sold_at = datetime.fromisoformat(order.completed_at)
    except ValueError:
        sold_at = None
    return Receipt(
        event=SaleEvent(order.event_id, order.event_name, when=order.detail("event_when"),
                        venue=order.detail("venue")),
        order_number=order.order_number,
        seats=tuple(line for line in order.seats.split("; ") if line),
        totals=totals,
        grand_total=grand,
        delivery=order.detail("delivery"),
        payment=order.detail("payment"),
        redemption_url=order.redemption_url or None,
        extra=(f"Reprinted {reprinted_at.astimezone():%Y-%m-%d %H:%M}",),
        buyer=order.detail("buyer"),
        sold=format_event_datetime(sold_at.astimezone()) if sold_at is not None else "",
        seller=Seller(station=order.detail("station_name") or station_name, cashier=order.station_user),
        receipt_number=order.detail("receipt_number"),
        change=_change(order, currency),
    )


def _change(order: OrderRecord, currency: str | None) -> str:
    """The change a cash sale gave back, as the receipt showed it ("" for none or not cash)."""
    try:
        change = Decimal(order.detail("cash_change") or "0")
    except ArithmeticError:
        return ""
    return format_money(change, currency) if change else ""


def order_lines(order: OrderRecord) -> list[str]:
    """What the journal says of the sale, for the details pane."""
    receipt = order.detail("receipt_number")
    lines = [f"Order {order.order_number or '(number not received)'} · {state_text(order)}"
             + (f" · receipt no. {receipt}" if receipt else ""),
             f"{order.event_name or order.event_id}" + (f" · {order.detail('event_when')}"
                                                        if order.detail("event_when") else ""),
             f"Sold {local_time(order.completed_at)} by {order.station_user or 'this station'}"]
    if order.detail("buyer"):
        lines.append(f"Buyer: {order.detail('buyer')}")
    lines += [f"Seats: {seat}" for seat in order.seats.split("; ") if seat]
    if order.detail("delivery"):
        lines.append(f"Delivery: {order.detail('delivery')}")
    payment = order.detail("payment")
    kind = payment_kind_name(order.detail("payment_kind"))
    lines.append(f"Payment: {payment}" if payment.startswith(kind) else
                 f"Payment: {kind}" + (f" — {payment}" if payment else ""))
    if order.grand_total is not None:
        lines.append(f"Total: {format_money(order.grand_total, order.currency_code or None)}")
    if order.redemption_url:
        lines.append(f"Redemption link: {order.redemption_url}")
    lines.append("")
    lines.append(LOST_CONFIRMATION_NOTE if not order.confirmed else REFUND_NOTE)
    return lines


def ticket_lines(details: Order, *, hide_row_seat: bool) -> list[str]:
    """The tickets the service lists for the order (its answer to ``/orders?order_token=``)."""
    lines = ["Tickets (from the service):"]
    if details.voided:
        lines.append("This order is voided.")
    for ticket in details.tickets:
        if ticket.is_ga or not ticket.section:
            where = "General admission"
        elif hide_row_seat or not (ticket.row or ticket.seat_name):
            where = f"Section {ticket.section}"
        else:
            where = f"Section {ticket.section}, row {ticket.row or '?'}, seat {ticket.seat_name or '?'}"
        barcode = f"barcode {ticket.barcode_id}" if ticket.barcode_id else "no barcode"
        lines.append(f"  {where} · {barcode}" + (" · voided" if ticket.voided else ""))
    if not details.tickets:
        lines.append("  The service lists no tickets for this order yet.")
    elif not any(t.barcode_id for t in details.tickets):
        lines.append(NO_BARCODES)
    if details.delivery is not None:
        delivery = details.delivery.description or " ".join(
            part for part in (details.delivery.carrier, details.delivery.service_level) if part)
        if delivery:
            lines.append(f"Delivery: {delivery}")
    return lines
