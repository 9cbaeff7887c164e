"""``SaleFlow``: one reserved cart driven to a confirmed order (or released), beside the cart pane.

Pages, in order: delivery (skipped when the event offers no choice) → payment → review → placing
the order → confirmation (the later pages built lazily: ``pages.SalePages``). Enter goes on; Esc
(``escape()``, for a window that owns the Esc shortcut) asks whether to cancel, then deletes the
cart (``flowkeys.FlowKeys``). The flow listens to the ``CheckoutSession``'s events
(``watch.SessionWatch``): every cart answer updates the pane and the amount due; an expired hold
shows "Your seats were released — the hold ran out" with the way back to the event; polling shows
"Waiting in line — next try in N s"; a commit whose answer was lost shows "Checking whether the
order went through…" while the engine settles it by the core's settle policy
(``app.checkout.settle``; the same answers the command line gives), and "Check again" when the
service still did not tell. Whether the sale may be cancelled is the core's abandon policy
(``CheckoutSession.can_abandon``).

Signals: ``orderCompleted(result)`` as soon as the order exists, ``finished(result)`` when the
cashier leaves the confirmation ("New sale"), ``cancelled()`` when the sale ended without an order
(cancelled, or the hold ran out and the cashier went back to the event).
Errors become a plain sentence and one action (``app.gui.errors``, ``flowerrors``); a declined card
keeps the cart, empties the card fields (expiry too) and puts the cursor back in the card number
with the reason beside it; a refused security code keeps the card and asks for the code again at its
field.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.checkout.delivery import default_delivery
from app.checkout.salerecord import JournalUnwritable
from app.checkout.seatlabels import SeatHints
from app.checkout.states import CheckoutState
from app.gui.asyncutil import spawn
from app.gui.errors import describe
from app.gui.eventlist import utc_now
from app.gui.sale.cartpane import CartPane
from app.gui.sale.confirmation import ConfirmationPage
from app.gui.sale.endings import ReleasedPage
from app.gui.sale.flowerrors import SaleErrors
from app.gui.sale.flowkeys import FlowKeys
from app.gui.sale.membercards import MemberCards
from app.gui.sale.pages import SalePages
from app.gui.sale.payment import PaymentPage
from app.gui.sale.receipt import SaleEvent, Seller, build_receipt, prepare_qr
from app.gui.sale.review import ReviewPage
from app.gui.sale.shipping import ShippingPage, option_text
from app.gui.sale.steps import TakenPayment, place_order, send_payment, settle_in_doubt, take_payment
from app.gui.sale.watch import SessionWatch
from app.partner import errors as perr

log = logging.getLogger(__name__)
S = CheckoutState


class SaleFlow(QWidget):
    """The pages of one sale after its seats are held, beside the cart pane (see the module docstring).

    Holds one ``CheckoutSession`` and listens to it; every decision about the sale (may it be
    cancelled, how a lost commit is settled) is the session's, the flow only shows it."""

    orderCompleted = Signal(object)
    finished = Signal(object)
    cancelled = Signal()
    signInRequested = Signal()

    def __init__(self, session, event: SaleEvent, *, member=None, seller: Seller | None = None,
                 clock: Callable[[], datetime] = utc_now, parent: QWidget | None = None) -> None:
        """``member``: the signed-in member (a MemberSession or a bearer token), or a function
        answering the current one (None when nobody is signed in); saved cards are offered then.
        ``seller`` (station and cashier) and ``clock`` (the time of sale) go on the receipt."""
        super().__init__(parent)
        self.setObjectName("saleFlow")
        self.session = session
        self.sale_event = event
        self.cards = MemberCards(member, session, lambda: self.payment, lambda exc: self._show_error(exc))
        self._seller = seller or Seller(cashier=getattr(session, "station_user", ""))
        self._clock = clock
        self._delivery = ""
        self._payment_summary = ""
        self._buyer = None  # the BillingContact that went with the payment
        self._change = ""  # cash: the change to give back, as shown
        self._result = None
        self._ended = False
        self._options: dict = {}
        # The receipt's event lines and the row/seat restriction go to the journal with the order.
        session.describe_event(when=event.when, venue=event.venue, hide_row_seat=event.hide_row_seat)

        request = session.reserve_request
        self.seat_hints = SeatHints.of(request, event.availability)
        self.pane = CartPane(self)
        self.pane.set_hide_row_seat(event.hide_row_seat)
        self.pane.set_seat_hints(self.seat_hints)
        self.pane.set_ticket_names(event.ticket_names)
        self.errors = SaleErrors(self)  # the banner: a plain sentence and one action
        self.banner = self.errors.banner
        self.shipping = ShippingPage(self)
        self.released = ReleasedPage(self)  # tiny, and a hold may run out on any page
        self.released.back.connect(self.end_cancelled)
        self.keys = FlowKeys(self)  # Enter, Esc and the question before cancelling
        self.cancel_question = self.keys.question
        self.cancel_question.confirmed.connect(self._on_cancel_confirmed)
        self.pages = SalePages(self, lambda: session.cart, self._wire)  # payment, review, confirmation: later
        self.stack = self.pages.stack
        self.stack.addWidget(self.shipping)
        self.stack.addWidget(self.released)

        heading = QLabel(f"<b>{escape(event.title)}</b>" + (f" — {escape(event.when)}" if event.when else ""), self)
        heading.setObjectName("saleEventHeading")
        heading.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(heading)
        left.addWidget(self.banner)
        left.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.pane, 1)

        self.shipping.optionChosen.connect(self._on_choose_shipping)
        self.shipping.nextRequested.connect(self.to_payment)
        self.pane.cancelRequested.connect(self.request_cancel)

        self.watch = SessionWatch(self)  # the session's events and the hold clock
        if session.cart is not None:
            self.pane.set_cart(session.cart)
        self.watch.tick()

    # --- the pages after delivery (built lazily: ``pages.SalePages``) ----------------------------

    @property
    def payment(self) -> PaymentPage:
        return self.pages.payment

    @property
    def review(self) -> ReviewPage:
        return self.pages.review

    @property
    def confirmation(self) -> ConfirmationPage:
        return self.pages.confirmation

    def _wire(self, page: QWidget) -> None:
        if isinstance(page, PaymentPage):
            if self.sale_event.country:  # buyers at a venue's counter mostly live in its country
                page.address.set_country(self.sale_event.country.upper())
            page.backRequested.connect(self._to_shipping)
            page.payRequested.connect(self._on_pay)
        elif isinstance(page, ReviewPage):
            page.commitRequested.connect(self._on_commit)
            page.checkAgainRequested.connect(self._on_check_again)
            page.backRequested.connect(self.to_payment)
        elif isinstance(page, ConfirmationPage):
            page.newSaleRequested.connect(self._new_sale)

    def clear_card(self) -> None:
        self.pages.clear_card()

    # --- starting and moving between pages --------------------------------------------------

    def member(self):
        """The signed-in member now (None when nobody is)."""
        return self.cards.member()

    def member_changed(self) -> asyncio.Task | None:
        """A member signed in or out during the sale: list the new member's saved cards, or hide them."""
        return self.cards.changed()

    def start(self) -> asyncio.Task:
        """Load the delivery options (and a member's saved cards) and show the first page."""
        return spawn(self._load(), context="sale: loading delivery options",
                     on_error=lambda exc: self._show_error(exc, retry=self.start))

    async def _load(self) -> None:
        self.shipping.set_busy(True, "Loading delivery options…")
        self.stack.setCurrentWidget(self.shipping)
        QTimer.singleShot(30, self, self.pages.build_ahead)
        options = await self.session.shipping_options()
        currency = self.session.cart.currency if self.session.cart else None
        self.shipping.set_options(options, currency)
        self.shipping.set_busy(False)
        # The payment form, a part per turn of the loop once the options are up: Next then only shows
        # it. (A quick Next used to build it in the click's slice when the options came within 30 ms.)
        QTimer.singleShot(0, self, self.pages.build_ahead)
        self._options = {o.id: o for o in options}
        await self.cards.load(hide_when_nobody=False)
        if not options:
            self.to_payment()
            return
        default = default_delivery(options)  # the core's rule, as the CLI's: lone, else cheapest
        if default is not None:
            self.shipping.set_busy(True, "Updating the totals…")
            await self._choose_shipping(default.id)
        self.shipping.focus_first()

    def _to_shipping(self) -> None:
        if self.shipping.option_ids():
            self.clear_card()
            self.stack.setCurrentWidget(self.shipping)
            self.shipping.focus_first()

    def to_payment(self) -> None:
        if self.session.state not in (S.RESERVED, S.SHIPPING_CHOSEN):
            return
        cart = self.session.cart
        if cart is not None:
            self.payment.set_amount(cart.unpaid, cart.currency)
        self.payment.back_button.setVisible(bool(self.shipping.option_ids()))
        self.stack.setCurrentWidget(self.payment)
        self.payment.refresh()
        self.payment.focus_first()
        # Review and confirmation (~2 ms) exist as the payment page shows: testers' scripts look their
        # widgets up by name from here on (and before Pay is pressed).
        self.pages.build_ahead(all_left=True)

    def _to_review(self) -> None:
        self.review.show_order(self.sale_event, self.session.cart, self._delivery, self._payment_summary,
                               self.seat_hints, self._buyer)
        self.review.back_button.hide()  # a payment is on the cart now; it cannot be replaced
        self.stack.setCurrentWidget(self.review)
        self.review.focus_first()

    def go_on(self) -> None:
        """Enter: press the focused button, else the current page's main action (``FlowKeys``)."""
        self.keys.go_on()

    # --- cancelling -------------------------------------------------------------------------

    def can_cancel(self) -> bool:
        """"Cancel sale" is offered while the core's abandon policy allows it (never mid-commit)."""
        return not self._ended and self.session.can_abandon

    def request_cancel(self) -> None:
        """Esc / "Cancel sale": ask first; the cart is deleted only once the cashier confirms."""
        self.keys.request_cancel()

    def escape(self) -> None:
        """Esc: ask whether to cancel the sale; Esc again (while asking) keeps selling."""
        self.keys.escape()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape()
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_cancel_confirmed(self) -> None:
        # Everything that must not happen twice is locked before the first await.
        self.clear_card()
        self.pane.cancel_button.setEnabled(False)
        self._start(self._cancel(), "cancelling the sale")

    async def _cancel(self) -> None:
        await self.session.abandon()
        self.end_cancelled()

    def end_cancelled(self) -> None:
        if self._ended:
            return
        self._end()
        self.cancelled.emit()

    def _new_sale(self) -> None:
        if self._ended:
            return
        self._end()
        self.finished.emit(self._result)

    def _end(self) -> None:
        self._ended = True
        self.watch.stop()
        self.clear_card()

    # --- the engine's events (``watch.SessionWatch``) ------------------------------------------

    def show_released(self) -> None:
        self.watch.stop_clock()  # nothing is held any more: the pane keeps saying so
        self.clear_card()
        self.cancel_question.dismiss()
        self.banner.clear()
        self.pane.show_released()
        self.stack.setCurrentWidget(self.released)
        self.released.focus_first()

    # --- errors (``flowerrors.SaleErrors``) ---------------------------------------------------

    def _start(self, coro, what: str) -> asyncio.Task:
        return spawn(coro, context=f"sale: {what}", on_error=self._show_error)

    def _show_error(self, exc: BaseException, retry: Callable[[], object] | None = None) -> None:
        self.errors.show(exc, retry)

    # --- the steps --------------------------------------------------------------------------

    def _on_choose_shipping(self, shipping_id: str) -> None:
        self.banner.clear()
        self.shipping.set_busy(True, "Updating the totals…")
        self._start(self._choose_shipping(shipping_id), "choosing delivery")

    async def _choose_shipping(self, shipping_id: str) -> None:
        try:
            cart = await self.session.choose_shipping(shipping_id)
        except perr.PartnerError as exc:
            self.shipping.set_busy(False)
            self.shipping.reject(describe(exc).sentence)
            self._show_error(exc, retry=lambda: self._on_choose_shipping(shipping_id))
            return
        option = self._options.get(shipping_id)
        self._delivery = option_text(option, cart.currency) if option else ""
        self.shipping.set_busy(False)
        self.shipping.accept(shipping_id, self._delivery)
        if self.stack.currentWidget() is self.shipping and not self.cancel_question.is_open():
            self.shipping.focus_first()  # disabling the choices while busy took the focus away

    def _on_pay(self) -> None:
        """Take the payment off the page right now (card fields empty before anything is sent)."""
        if self.payment.busy:
            return
        self.banner.clear()
        try:
            taken = take_payment(self.payment, self.session, self.member())
        except perr.SignInRequired as exc:
            self._show_error(exc)
            return
        self.payment.set_busy(True, "Sending the payment…")
        self._start(self._pay(taken), "paying")

    async def _pay(self, taken: TakenPayment) -> None:
        try:
            paid = await send_payment(self.payment, taken)
        except perr.PartnerError as exc:
            self._show_error(exc)
            return
        if paid:
            self._payment_summary, self._buyer, self._change = taken.summary, taken.buyer, taken.change
            self._to_review()
            if taken.note:
                self.review.status.setText(taken.note)

    def _on_commit(self) -> None:
        self.banner.clear()
        self.review.set_working(True, "Placing the order…")  # no second click can commit twice
        self.pane.cancel_button.setEnabled(False)
        self._start(self._commit(), "placing the order")

    async def _commit(self) -> None:
        try:
            result = await place_order(self.session, self.review)
        except (perr.PartnerError, JournalUnwritable) as exc:  # refused, or not sent (journal): seats still held
            self.review.set_working(False)
            self.pane.cancel_button.setEnabled(self.can_cancel())
            self._show_error(exc, retry=self._on_commit)
            return
        await self._after_commit(result)

    def _on_check_again(self) -> None:
        """"Check again" after settling gave no answer: the same bounded policy once more."""
        self.banner.clear()
        self._start(self._check_again(), "checking whether the order went through")

    async def _check_again(self) -> None:
        await self._after_commit(await settle_in_doubt(self.session, self.review))

    async def _after_commit(self, result) -> None:
        self.pane.cancel_button.setEnabled(self.can_cancel())
        if result is None:
            return
        await prepare_qr(result.redemption_url, result.tm_app_url)  # segno's 7-11 ms each, off the GUI thread
        await self._show_confirmation(result)

    async def _show_confirmation(self, result) -> None:
        self._result = result
        self.pane.set_finished()
        receipt = build_receipt(self.sale_event, self.session.cart, result, self._delivery, self._payment_summary,
                                self.seat_hints, buyer=self._buyer, seller=self._seller, sold_at=self._clock(),
                                receipt_number=self.session.receipt_number, change=self._change)
        self.confirmation.show_receipt(receipt)
        self.confirmation.show_record_note(self.session.record_note)  # the journal could not take it yet
        await asyncio.sleep(0)  # filling the page and first showing it (~8 ms) in two slices of the loop
        self.stack.setCurrentWidget(self.confirmation)
        self.confirmation.focus_first()
        self.orderCompleted.emit(result)
