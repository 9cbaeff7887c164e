"""One sale as an explicit state machine: reserve → shipping → payment → commit (see ``states``).

``CheckoutSession`` is what the window and the command line hold for one sale. It is made of parts
that each own their state (composition, no mixins):

- ``SaleCore`` (``salecore``): the client, the journal record, the state and its listeners, the
  held cart and its hold clock — what every step shares;
- the reserving, delivery and payment steps, here, with what only they need (the reserve request,
  the way to stop a reserve that is still polling);
- ``commit_steps`` (``commit.CommitSteps``): the commit and settling one in doubt, with the outcome.

It keeps four promises:

- **The hold clock.** Every cart answer restarts the clock; when the hold runs out the sale turns
  ``expired``, listeners hear ``HoldExpired`` and the cart is deleted quietly (``salecore``).
- **Clean up.** ``abandon()`` at any point before the commit deletes the cart — also a reserve that
  is still polling (the client's cancel deletes the cart once it exists). Whether a sale may be
  abandoned is decided once, by ``CheckoutState.abandonable`` (``can_abandon``): the window's
  "Cancel sale", the command line and the station's close all ask it. A delete that fails leaves
  the cart in the journal; start-up recovery deletes it later.
- **The seats asked for.** Exact seats go without the fall-back to best available unless asked;
  other seats held instead wait for ``accept_seats()`` (``seats``).
- **Never commit twice.** The cart is marked ``committing`` in the journal before the commit is
  sent. A commit whose outcome is unknown puts the sale in ``commit_in_doubt``;
  ``settle_in_doubt()`` resolves it by the one settle policy (``settle``) before anything else may
  happen. An order the journal cannot take completes anyway (``record_note``).

Card data lives only as long as the payment call. One operation runs at a time (an asyncio lock);
operations asked for in the wrong state raise ``IllegalTransition``. Listeners are plain callables
registered with ``subscribe`` and get the notices of ``notices``.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Mapping
from decimal import Decimal

from app.partner import errors as perr
from app.partner.client import PartnerClient
from app.partner.models import (
    BillingContact,
    BillingMethod,
    CardDetails,
    Cart,
    CommitResult,
    PollingProgress,
    ReserveRequest,
    ShippingOption,
)
from app.partner.polling import StopSignal
from app.storage.backlog import JournalBacklog
from app.storage.journal import Journal

from .commit import CommitSteps
from .errors import CommitNotSettled, IllegalTransition
from .holdclock import HoldClock
from .notices import PollingUpdate
from .paying import CardSaved, Member, PaymentSteps
from .salecore import Listener, SaleCore
from .seatlabels import SeatHints
from .seats import SeatDifference, asked_text, seat_difference
from .settle import SettlePolicy, SettleReport
from .states import CheckoutState

S = CheckoutState
__all__ = ["CardSaved", "CheckoutSession", "Member"]


def _hopeless(exc: BaseException | None) -> bool:
    """A reserve error that trying again cannot cure (not sellable here, or the set-up is wrong)."""
    return isinstance(exc, perr.ApiError) and exc.action in (
        perr.Action.OPEN_TICKETMASTER, perr.Action.CHECK_SETTINGS, perr.Action.START_OVER)


class CheckoutSession:
    """One sale from the first reserve to an order (or its release); see the module docstring.

    Read its state (``state``, ``cart``, ``seconds_left()``, ``seat_difference``, ``result``…), drive
    it with the async steps (``reserve``, ``choose_shipping``, ``pay_card``…, ``commit``), and hear
    of everything that happens with ``subscribe``."""

    def __init__(self, client: PartnerClient, journal: Journal, event_id: str, *, event_name: str = "",
                 station_user: str = "", run_id: str = "", backend: str = "",
                 hold_clock: HoldClock | None = None, backlog: JournalBacklog | None = None,
                 on_order_kept: Callable[[], None] | None = None, settle_policy: SettlePolicy | None = None,
                 tracking: Mapping[str, str] | None = None) -> None:
        self._sale = SaleCore(client, journal, event_id, event_name=event_name, station_user=station_user,
                              run_id=run_id, backend=backend, hold_clock=hold_clock, backlog=backlog,
                              on_order_kept=on_order_kept, tracking=tracking)
        self.commit_steps = CommitSteps(self._sale, settle_policy)
        self.payment_steps = PaymentSteps(self._sale)
        self.reserve_request: ReserveRequest | None = None  # what the held cart was reserved with
        self._cancel_reserve: asyncio.Event | None = None

    # ----- observation -------------------------------------------------------------------------
    @property
    def client(self) -> PartnerClient:
        return self._sale.client

    @property
    def journal(self) -> Journal:
        return self._sale.journal

    @property
    def event_id(self) -> str:
        return self._sale.event_id

    @property
    def event_name(self) -> str:
        return self._sale.event_name

    @property
    def station_user(self) -> str:
        return self._sale.station_user

    @property
    def source_account_id(self) -> str:
        return self._sale.source_account_id

    @property
    def state(self) -> CheckoutState:
        return self._sale.state

    @property
    def cart_id(self) -> str:
        return self._sale.cart_id

    @property
    def cart(self) -> Cart | None:
        return self._sale.cart

    @property
    def hide_row_seat(self) -> bool:
        """The event's ``locRowSeatRestrict``: its rows and seats are never named (nor journaled)."""
        return self._sale.hide_row_seat

    @property
    def seat_difference(self) -> SeatDifference | None:
        """Other seats than the exact ones asked for are held (see ``accept_seats``), or None."""
        return self._sale.seat_difference

    @property
    def last_error(self) -> BaseException | None:
        """The last error an operation raised, kept without its traceback (see ``kept_error``)."""
        return self._sale.last_error

    @property
    def result(self) -> CommitResult | None:
        return self.commit_steps.result

    @property
    def confirmed(self) -> bool:
        """The order's number is known (False when it was in a lost answer)."""
        return self.commit_steps.confirmed

    @property
    def record_note(self) -> str | None:
        """Set when the completed order could not be written to the journal: what to tell the cashier."""
        return self.commit_steps.record_note

    def seconds_left(self) -> float | None:
        return self._sale.clock.seconds_left() if self.state.holds_cart else None

    @property
    def hold_length(self) -> int | None:
        return self._sale.clock.hold_length

    @property
    def can_abandon(self) -> bool:
        """May the sale be given up now (see ``CheckoutState.abandonable``)? Both front ends ask this."""
        return self.state.abandonable

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(notice)`` for every notice; returns a function that unsubscribes."""
        return self._sale.subscribe(listener)

    @property
    def cleaning_up(self) -> bool:
        """A cart delete sent on expiry is still under way."""
        return self._sale.cleaning_up

    @property
    def releasing(self) -> bool:
        """The sale was given up and its cart's delete is on its way (the seats are still held)."""
        return self._sale.deleting

    async def wait_for_cleanup(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) for the cart delete sent when the hold ran out."""
        await self._sale.wait_for_cleanup(timeout)

    def flush_journal(self) -> None:
        """Make the journal updates still waiting for the sale's next request (``SaleRecord.update``)."""
        self._sale.record.flush()

    # ----- reserve -----------------------------------------------------------------------------
    async def reserve(self, request: ReserveRequest, *, captcha_token: str | None = None) -> Cart:
        """Hold seats. On failure nothing is held and the sale is back to ``idle`` (try again).
        Exact ``places`` go without the fall-back to best available unless the request asks for it;
        other seats held than ``request.asked_seats`` are in ``seat_difference`` until
        ``accept_seats()`` (or ``abandon()``)."""
        sale = self._sale
        async with sale.lock:
            sale.require(S.IDLE, wanted="reserving")
            if (request.places or request.begin_seat is not None) and request.accept_best_available is None:
                request = dataclasses.replace(request, accept_best_available=False)
            sale.record.started(sale.event_id, asked=asked_text(request, hide_row_seat=sale.hide_row_seat),
                                event_name=sale.event_name,
                                source_account_id=sale.source_account_id, station_user=sale.station_user,
                                run_id=sale.run_id, backend=sale.backend)  # JournalUnwritable: nothing sent
            sale.details["receipt_number"] = str(sale.record.row or "")
            sale.move(S.RESERVING)
            self._cancel_reserve = StopSignal()  # heard by the client without a task of its own
            try:
                cart = await sale.client.reserve(sale.event_id, request, captcha_token=captcha_token,
                                                 progress=self._reserve_progress, cancel=self._cancel_reserve)
            except perr.PollingCancelled:
                sale.close_row()  # the client deleted the cart if the server had made one
                if sale.state is S.RESERVING:
                    sale.move(S.ABANDONED)
                raise
            except BaseException as exc:
                sale.last_error = exc
                await self._after_failed_reserve()
                raise
            finally:
                self._cancel_reserve = None
            sale.cart_id = cart.cart_id
            if sale.state is S.ABANDONED:  # abandoned while the answer was on its way
                sale.record.update("the cart id", cart_id=cart.cart_id)
                await sale.delete_quietly()
                return cart
            self.reserve_request = request
            sale.seat_hints = SeatHints.of(request)  # which seats a gapped item holds
            sale.move(S.RESERVED)
            sale.cart_answer(cart)
            sale.seat_difference = seat_difference(request.asked_seats, cart)
            return cart

    def accept_seats(self) -> None:
        """The cashier (and buyer) agreed to the other seats the cart holds: the sale may go on."""
        self._sale.seat_difference = None

    def _reserve_progress(self, progress: PollingProgress) -> None:
        sale = self._sale
        if progress.cart_id and progress.cart_id != sale.cart_id:
            sale.cart_id = progress.cart_id
            sale.record.update("the cart id", cart_id=progress.cart_id)
        sale.emit(PollingUpdate(progress))

    async def _after_failed_reserve(self) -> None:
        sale = self._sale
        if sale.cart_id:  # the server named a cart while polling: it may hold seats
            await sale.delete_quietly()
        else:
            sale.close_row()
        if sale.state is S.RESERVING:  # try again (new captcha, other seats...) unless hopeless
            sale.move(S.FAILED if _hopeless(sale.last_error) else S.IDLE)

    def describe_event(self, *, when: str = "", venue: str = "", hide_row_seat: bool | None = None,
                       station_name: str = "") -> None:
        """What the receipt names besides the event (its date and venue, as shown; the station) and
        whether the event hides rows and seats (``locRowSeatRestrict``): the journal keeps them with
        the order, so a receipt reprinted later reads the same."""
        sale = self._sale
        sale.details.update({k: v for k, v in (("event_when", when), ("venue", venue),
                                               ("station_name", station_name)) if v})
        if hide_row_seat is not None:
            sale.hide_row_seat = hide_row_seat
            sale.details["hide_row_seat"] = "yes" if hide_row_seat else ""

    # ----- shipping ----------------------------------------------------------------------------
    async def shipping_options(self) -> tuple[ShippingOption, ...]:
        sale = self._sale
        async with sale.lock:
            sale.require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="shipping options")
            options = tuple(await sale.cart_call(sale.client.shipping_options(sale.event_id, sale.cart_id)))
            sale.shipping_options = options
            return options

    async def choose_shipping(self, shipping_id: str) -> Cart:
        sale = self._sale
        async with sale.lock:
            sale.require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="shipping_chosen")
            sale.require_seats_agreed()
            cart = await sale.cart_call(sale.client.select_shipping(
                sale.event_id, sale.cart_id, shipping_id, progress=sale.progress))
            sale.move(S.SHIPPING_CHOSEN)
            sale.cart_answer(cart)
            chosen = next((o for o in sale.shipping_options if o.id == shipping_id), None)
            sale.details["delivery"] = chosen.label if chosen else ""
            return cart

    # ----- payment (``payment_steps``) ---------------------------------------------------------
    async def pay_card(self, card: CardDetails, contact: BillingContact, *, amount: Decimal | None = None) -> Cart:
        """Card payment (encrypted by the client). A decline leaves the sale where it was."""
        return await self.payment_steps.card(card, contact, amount=amount)

    async def pay_invoice(self, reference: str, contact: BillingContact | None = None, *,
                          amount: Decimal | None = None) -> Cart:
        return await self.payment_steps.invoice(reference, contact, amount=amount)

    async def pay_cash(self, tendered: Decimal, contact: BillingContact | None = None) -> Cart:
        """Cash at the counter (``PaymentSteps.cash``): an invoice whose reference is the receipt number."""
        return await self.payment_steps.cash(tendered, contact)

    async def pay_member(self, member: Member, billing_method_id: str, cvv: str, *,
                         amount: Decimal | None = None) -> Cart:
        """Pay with a signed-in member's saved method; ``member`` is a MemberSession (or a bearer token)."""
        return await self.payment_steps.member(member, billing_method_id, cvv, amount=amount)

    async def pay_card_and_save(self, card: CardDetails, contact: BillingContact, member: Member, *,
                                amount: Decimal | None = None) -> CardSaved:
        """Pay with a new card, then keep it among the member's saved cards (``PaymentSteps.card_and_save``)."""
        return await self.payment_steps.card_and_save(card, contact, member, amount=amount)

    async def member_billing_methods(self, member: Member) -> tuple[BillingMethod, ...]:
        return await self.payment_steps.member_billing_methods(member)

    @property
    def receipt_number(self) -> str:
        """This sale's receipt number (its journal row here): printed on the receipt, and the
        reference of a cash payment's invoice. Empty before the first reserve."""
        return self._sale.details.get("receipt_number", "")

    # ----- commit ------------------------------------------------------------------------------
    async def commit(self, progress: Callable[[PollingProgress], None] | None = None) -> CommitResult:
        """Complete the sale (``CommitSteps.commit``); ``CommitNotSettled`` when the outcome is unknown."""
        return await self.commit_steps.commit(progress)

    async def settle(self) -> CommitResult | None:
        """Resolve ``commit_in_doubt`` once (``CommitSteps.settle``); front ends use ``settle_in_doubt``."""
        return await self.commit_steps.settle()

    async def settle_in_doubt(self, on_retry: Callable[[int, BaseException], None] | None = None) -> SettleReport:
        """Settle a commit in doubt by the one settle policy (``settle``): bounded, never commits."""
        return await self.commit_steps.settle_in_doubt(on_retry)

    # ----- abandon -----------------------------------------------------------------------------
    async def abandon(self) -> None:
        """Give up the sale and release the seats (delete the cart). Safe to call twice; refused
        (``IllegalTransition`` / ``CommitNotSettled``) while the sale is being committed or in doubt."""
        sale = self._sale
        if sale.state.terminal:
            return
        if sale.state is S.COMMIT_IN_DOUBT:
            raise CommitNotSettled(sale.last_error)
        if not sale.state.abandonable:
            raise IllegalTransition(sale.state, S.ABANDONED)
        if sale.state is S.RESERVING and self._cancel_reserve is not None:
            self._cancel_reserve.set()  # the client stops polling and deletes the cart once it exists
            sale.move(S.ABANDONED)
            return
        async with sale.lock:
            if self.state.terminal:  # it may have ended while this waited for the lock
                return
            sale.move(S.ABANDONED)
            if sale.cart_id:
                await sale.delete_quietly()
            else:
                sale.close_row()

