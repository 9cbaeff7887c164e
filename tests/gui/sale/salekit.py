"""Shared steps of the sale-page tests: hold seats through the engine, open a SaleFlow. Typing into
the pages (card, buyer, address) uses the window tests' own steps in ``tests.gui.windowkit``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QRadioButton

from app.gui.sale.flow import SaleFlow
from app.gui.sale.receipt import SaleEvent
from app.partner.models import ReserveRequest
from tests.gui.windowkit import TEST_EVENT as EVENT
from tests.gui.windowkit import find


async def reserve(station, quantity: int = 2):
    """A CheckoutSession holding ``quantity`` best-available seats on the test-purchase event."""
    availability = await station.availability(EVENT)
    offer = next(o for t in availability.tickets for o in t.offers)
    session = station.new_sale(EVENT, event_name="Test purchase event")
    await session.reserve(ReserveRequest.simple(offer.ticket_type_id, quantity))
    return session


def open_flow(qtbot, session, *, hide_row_seat: bool = False, member=None) -> SaleFlow:
    flow = SaleFlow(session, SaleEvent(EVENT, "Test purchase event", "Sat 5 Dec 2026, 19:30 EST",
                                       "Test Hall", hide_row_seat=hide_row_seat), member=member)
    qtbot.addWidget(flow)
    flow.resize(1200, 720)
    flow.show()
    flow.start()
    return flow


def payment_calls(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(limit=500) if r["path"].endswith("/cart/payment")]


def pdf_text(path) -> str:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))
    document.close()
    return text


# The delivery options of the test purchase event, by the words a cashier reads on them; their ids
# are opaque and made by the sandbox per event.
WILL_CALL, MOBILE_ENTRY, POSTAL_MAIL = "Will Call", "Mobile Entry", "US Postal Mail"


async def delivery_option(flow, until, label: str) -> tuple[QRadioButton, str]:
    """The delivery option whose text starts with ``label``, and the opaque id it stands for."""
    await until(lambda: flow.shipping.option_ids(), what="delivery options listed")
    button = next(b for b in flow.shipping.findChildren(QRadioButton) if b.text().startswith(label))
    return button, button.property("shippingId")


async def to_payment(flow, until, qtbot, delivery: str = WILL_CALL):
    button, shipping_id = await delivery_option(flow, until, delivery)
    await until(lambda: button.isVisible() and flow.shipping.group_box.isEnabled(), what="delivery choice shown")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: flow.shipping.accepted_id == shipping_id, what="delivery accepted by the server")
    qtbot.mouseClick(find(flow, "shippingNextButton", QPushButton), Qt.MouseButton.LeftButton)
    await until(lambda: flow.stack.currentWidget() is flow.payment, what="payment page")


async def payment_page(station, qtbot, until, delivery: str = WILL_CALL, quantity: int = 1) -> SaleFlow:
    """``quantity`` seats reserved and their sale's pages open on the payment page (``flow.session``
    is the sale)."""
    session = await reserve(station, quantity=quantity)
    flow = open_flow(qtbot, session)
    await to_payment(flow, until, qtbot, delivery)
    return flow
