"""One sale as an explicit state machine: reserve → shipping → payment → commit (see ``events``).

``CheckoutSession`` drives a ``PartnerClient`` for one cart and keeps four promises:

- **The hold clock.** Every cart answer restarts ``HoldClock`` from its ``hold_time``; an asyncio
  timer turns the sale ``expired`` when the hold runs out and tells listeners (``HoldExpired``).
  The local clock runs out a moment before the service's, so expiry also sends a quiet, best-effort
  delete of the cart: no seats stay held by this station (``wait_for_cleanup`` awaits it).
- **Clean up.** ``abandon()`` at any point before the commit deletes the cart — also a reserve that
  is still polling (the client's cancel deletes the cart once it exists). A delete that fails
  leaves the cart in the journal; start-up recovery deletes it later.
- **The seats asked for.** Exact seats go without the fall-back to best available unless asked;
  other seats held instead wait for ``accept_seats()`` (``seats``).
- **Never commit twice.** The cart is marked ``committing`` in the journal before the commit is
  sent (no mark, no commit). A commit that times out, loses its connection or gets 502/504 puts the
  sale in ``commit_in_doubt``; ``settle()`` must resolve it before anything else may happen
  (``commit``, ``settle``). An order the journal cannot take completes anyway (``record_note``).

Journal writes and their faults: ``salerecord``. Card data lives only as long as the payment
call, and ``last_error`` keeps errors without their tracebacks (``kept_error``). One operation runs
at a time (an asyncio lock); operations asked for in the wrong state raise ``IllegalTransition``.
Listeners are plain callables registered with ``subscribe`` and get the events of ``events``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Callable
from typing import Any

from app.partner import errors as perr
from app.partner.models import BillingContact, Cart, CommitResult, PollingProgress, ReserveRequest, ShippingOption
from app.storage.backlog import JournalBacklog
from app.storage.journal import Journal

from .commit import CommitSteps
from .errors import CommitNotSettled, IllegalTransition, SeatsNotAgreed, kept_error
from .holdclock import HoldClock
from .notices import CartUpdated, CheckoutNotice, CleanupPending, HoldExpired, PollingUpdate, StateChanged
from .salerecord import SaleRecord
from .seatlabels import cart_seats_text as seats_text
from .seats import asked_text, seat_difference
from .states import CheckoutState, check_transition

S = CheckoutState
log = logging.getLogger(__name__)
# States written to the journal as they happen: recovery must settle these, never delete blindly.
JOURNALED = frozenset({S.COMMITTING, S.COMMIT_IN_DOUBT})
Listener = Callable[[CheckoutNotice], None]


def _hopeless(exc: BaseException | None) -> bool:
    """A reserve error that trying again cannot cure (not sellable here, or the set-up is wrong)."""
    return isinstance(exc, perr.ApiError) and exc.action in (
        perr.Action.OPEN_TICKETMASTER, perr.Action.CHECK_SETTINGS, perr.Action.START_OVER)


class CheckoutSession(CommitSteps):
    def __init__(self, client, journal: Journal, event_id: str, *, event_name: str = "",
                 station_user: str = "", run_id: str = "", backend: str = "",
                 hold_clock: HoldClock | None = None, backlog: JournalBacklog | None = None,
                 on_order_kept: Callable[[], None] | None = None) -> None:
        self.client = client
        self.journal = journal
        self.record = SaleRecord(journal, backlog, on_kept=on_order_kept)
        self.event_id = event_id
        self.event_name = event_name
        self.station_user = station_user
        self.run_id = run_id
        self.backend = backend
        self.source_account_id = uuid.uuid4().hex  # one per sale: lets settle() find a lost commit
        self.clock = hold_clock or HoldClock()
        self._state = S.IDLE
        self._listeners: list[Listener] = []
        self._lock = asyncio.Lock()
        self._cart_id: str = ""
        self.cart: Cart | None = None
        self.reserve_request: ReserveRequest | None = None  # what the held cart was reserved with
        self.shipping: ShippingOption | None = None
        self.result: CommitResult | None = None
        self.confirmed = False
        # Set when the completed order could not be written to the journal: what to tell the cashier.
        self.record_note: str | None = None
        # Set when the cart holds other seats than the exact ones asked for (see ``seats``).
        self.seat_difference = None
        self._last_error: BaseException | None = None
        self._expiry: asyncio.TimerHandle | None = None
        self._cancel_reserve: asyncio.Event | None = None
        self._hold_left_at_commit: float | None = None
        self._commit_polling_url: str | None = None
        self._cleanup: set[asyncio.Task] = set()

    # ----- observation -------------------------------------------------------------------------
    @property
    def state(self) -> CheckoutState:
        return self._state

    @property
    def cart_id(self) -> str:
        return self._cart_id

    @property
    def last_error(self) -> BaseException | None:
        """The last error an operation raised, kept without its traceback (see ``kept_error``)."""
        return self._last_error

    @last_error.setter
    def last_error(self, exc: BaseException | None) -> None:
        self._last_error = None if exc is None else kept_error(exc)

    def seconds_left(self) -> float | None:
        return self.clock.seconds_left() if self._state.holds_cart else None

    @property
    def hold_length(self) -> int | None:
        return self.clock.hold_length

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` for every event; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None


    def _emit(self, event: CheckoutNotice) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not break the sale
                log.exception("checkout listener failed on %s", type(event).__name__)

    def _move(self, new: CheckoutState) -> None:
        """Change state. The journal hears of the states recovery acts on (see ``JOURNALED``); what
        happens between reserve and commit stays in memory, which keeps a sale to four writes."""
        check_transition(self._state, new)
        old, self._state = self._state, new
        if new.terminal or not new.holds_cart:
            self._cancel_timer()
        elif self._expiry is None and self.clock.running:
            self._schedule_expiry()  # back to holding (e.g. a commit refused, or settled as not committed)
        if (new in JOURNALED or old in JOURNALED) and not new.terminal and new is not S.COMMITTING:
            self.record.update(f"the state {new.value}", state=new.value)  # "committing": see commit()
        self._emit(StateChanged(old, new))

    def _require(self, *states: CheckoutState, wanted: str) -> None:
        if self._state is S.COMMIT_IN_DOUBT:
            raise CommitNotSettled(self.last_error)
        if self._state not in states:
            raise IllegalTransition(self._state, wanted)

    # ----- hold clock --------------------------------------------------------------------------
    def _cart_answer(self, cart: Cart) -> None:
        if not cart.cart_id:
            cart = dataclasses.replace(cart, cart_id=self._cart_id)
        if not cart.items and self.cart is not None:
            cart = dataclasses.replace(cart, items=self.cart.items)
        first = self.cart is None
        self.cart = cart
        if first:  # the reserve's answer: state, cart id and contents at once
            self.record.update("the held cart", state=self._state.value, cart_id=self._cart_id,
                               seats=seats_text(cart), grand_total=cart.totals.grand,
                               currency_code=cart.currency or "")
        self.clock.refresh(cart.hold_time)
        self._schedule_expiry()
        self._emit(CartUpdated(cart, self.clock.seconds_left()))

    def _schedule_expiry(self) -> None:
        self._cancel_timer()
        left = self.clock.seconds_left()
        if left is not None:
            self._expiry = asyncio.get_running_loop().call_later(left, self._hold_ran_out)

    def _cancel_timer(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None

    def _hold_ran_out(self) -> None:
        self._expiry = None
        if self._lock.locked():  # an operation is in flight: its answer decides
            return
        self._expire(release=True)

    def _expire(self, *, release: bool = False) -> None:
        """The hold is over. ``release``: our clock said so, not the service — delete the cart too."""
        if not self._state.holds_cart:
            return
        self.clock.stop()
        self._move(S.EXPIRED)
        self._close_row()
        if release and self._cart_id:
            task = asyncio.get_running_loop().create_task(self._delete_expired(self._cart_id))
            self._cleanup.add(task)
            task.add_done_callback(self._cleanup.discard)
        self._emit(HoldExpired(self._cart_id))

    async def _delete_expired(self, cart_id: str) -> None:
        try:
            await self.client.delete_cart(self.event_id, cart_id)  # False (90003): the service was first
        except perr.PartnerError as exc:  # the service drops the cart itself within moments
            log.info("deleting expired cart %s failed: %s", cart_id, exc)

    @property
    def cleaning_up(self) -> bool:
        """A cart delete sent on expiry is still under way."""
        return bool(self._cleanup)

    async def wait_for_cleanup(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) for the cart delete sent when the hold ran out; one
        still under way then is cancelled — the service drops such a cart itself."""
        if self._cleanup:
            _, late = await asyncio.wait(list(self._cleanup), timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    def _close_row(self) -> None:
        self.record.closed()

    # ----- reserve -----------------------------------------------------------------------------
    async def reserve(self, request: ReserveRequest, *, captcha_token: str | None = None) -> Cart:
        """Hold seats. On failure nothing is held and the sale is back to ``idle`` (try again).
        Exact ``places`` go without the fall-back to best available unless the request asks for it;
        other seats held than ``request.asked_seats`` are in ``seat_difference`` until
        ``accept_seats()`` (or ``abandon()``)."""
        async with self._lock:
            self._require(S.IDLE, wanted="reserving")
            if request.places and request.accept_best_available is None:
                request = dataclasses.replace(request, accept_best_available=False)
            self.record.started(self.event_id, asked=asked_text(request), event_name=self.event_name,
                                source_account_id=self.source_account_id, station_user=self.station_user,
                                run_id=self.run_id, backend=self.backend)  # JournalUnwritable: nothing sent
            self._move(S.RESERVING)
            self._cancel_reserve = asyncio.Event()
            try:
                cart = await self.client.reserve(self.event_id, request, captcha_token=captcha_token,
                                                 progress=self._reserve_progress, cancel=self._cancel_reserve)
            except perr.PollingCancelled:
                self._close_row()  # the client deleted the cart if the server had made one
                if self._state is S.RESERVING:
                    self._move(S.ABANDONED)
                raise
            except BaseException as exc:
                self.last_error = exc
                await self._after_failed_reserve()
                raise
            finally:
                self._cancel_reserve = None
            self._cart_id = cart.cart_id
            if self._state is S.ABANDONED:  # abandoned while the answer was on its way
                self.record.update("the cart id", cart_id=cart.cart_id)
                await self._delete_quietly()
                return cart
            self.reserve_request = request
            self._move(S.RESERVED)
            self._cart_answer(cart)
            self.seat_difference = seat_difference(request.asked_seats, cart)
            return cart

    def accept_seats(self) -> None:
        """The cashier (and buyer) agreed to the other seats the cart holds: the sale may go on."""
        self.seat_difference = None

    def _require_seats_agreed(self) -> None:
        if self.seat_difference is not None:
            raise SeatsNotAgreed(self.seat_difference)

    def _reserve_progress(self, progress: PollingProgress) -> None:
        cart_id = getattr(progress, "cart_id", None)
        if cart_id and cart_id != self._cart_id:
            self._cart_id = cart_id
            self.record.update("the cart id", cart_id=cart_id)
        self._emit(PollingUpdate(progress))

    async def _after_failed_reserve(self) -> None:
        if self._cart_id:  # the server named a cart while polling: it may hold seats
            await self._delete_quietly()
        else:
            self._close_row()
        if self._state is S.RESERVING:  # try again (new captcha, other seats...) unless hopeless
            self._move(S.FAILED if _hopeless(self.last_error) else S.IDLE)

    # ----- shipping ----------------------------------------------------------------------------
    async def shipping_options(self) -> tuple[ShippingOption, ...]:
        async with self._lock:
            self._require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="shipping options")
            return tuple(await self._cart_call(self.client.shipping_options(self.event_id, self._cart_id)))

    async def choose_shipping(self, shipping_id: str) -> Cart:
        async with self._lock:
            self._require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="shipping_chosen")
            self._require_seats_agreed()
            cart = await self._cart_call(self.client.select_shipping(
                self.event_id, self._cart_id, shipping_id, progress=self._progress))
            self._move(S.SHIPPING_CHOSEN)
            self._cart_answer(cart)
            return cart

    # ----- payment -----------------------------------------------------------------------------
    async def pay_card(self, card, contact, *, amount=None) -> Cart:
        """Card payment (encrypted by the client). A decline leaves the sale where it was."""
        payment = dict(card=card, contact=contact, amount=self._amount(amount))
        del card  # from here on only ``payment`` holds the card, and _pay empties it
        return await self._pay(self.client.add_card_payment, payment)

    async def pay_invoice(self, reference: str, contact=None, *, amount=None) -> Cart:
        contact = contact if contact is not None else BillingContact(first_name="", last_name="")
        return await self._pay(self.client.add_invoice_payment,
                               dict(reference=reference, contact=contact, amount=self._amount(amount)))

    async def pay_member(self, member, billing_method_id: str, cvv: str, *, amount=None) -> Cart:
        """Pay with a signed-in member's saved method; ``member`` is a MemberSession (or a bearer token)."""
        payment = dict(member=member, billing_method_id=billing_method_id, cvv=cvv, amount=self._amount(amount))
        del cvv
        return await self._pay(self.client.add_member_payment, payment)

    async def member_billing_methods(self, member):
        async with self._lock:
            self._require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="billing methods")
            return await self._cart_call(self.client.member_billing_methods(self._cart_id, member))

    def _amount(self, amount):
        return amount if amount is not None else (self.cart.unpaid if self.cart else None)

    async def _pay(self, method, payment: dict[str, Any]) -> Cart:
        """Send a payment. ``payment`` is emptied as soon as the call is made, so no frame of the
        engine keeps the card (or CVV) once the call is over — not even one in a traceback."""
        async with self._lock:
            try:
                self._require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="paid")
                self._require_seats_agreed()
                call = method(self.event_id, self._cart_id, **payment)
            finally:
                payment.clear()
            cart = await self._cart_call(call)
            self._move(S.PAID)
            self._cart_answer(cart)
            return cart

    # ----- abandon -----------------------------------------------------------------------------
    async def abandon(self) -> None:
        """Give up the sale and release the seats (delete the cart). Safe to call twice."""
        if self._state in (S.COMMITTING,):
            raise IllegalTransition(self._state, S.ABANDONED)
        if self._state is S.COMMIT_IN_DOUBT:
            raise CommitNotSettled(self.last_error)
        if self._state.terminal:
            return
        if self._state is S.RESERVING and self._cancel_reserve is not None:
            self._cancel_reserve.set()  # the client stops polling and deletes the cart once it exists
            self._move(S.ABANDONED)
            return
        async with self._lock:
            if self._state.terminal:
                return
            self._move(S.ABANDONED)
            if self._cart_id:
                await self._delete_quietly()
            else:
                self._close_row()

    async def _delete_quietly(self) -> None:
        try:
            await self.client.delete_cart(self.event_id, self._cart_id)  # False: already gone
        except perr.PartnerError as exc:
            self.record.hand_to_recovery()  # the station deletes it later
            self._emit(CleanupPending(self._cart_id, exc))
            return
        self.clock.stop()
        self._close_row()

    async def _fail_if_hopeless(self, exc: BaseException) -> None:
        """The service cannot go on with this cart (it did not understand the sale): release it."""
        if isinstance(exc, perr.InvalidRequestStructure) and self._state.holds_cart:
            self._move(S.FAILED)
            await self._delete_quietly()

    # ----- shared ------------------------------------------------------------------------------
    def _progress(self, progress: PollingProgress) -> None:
        self._emit(PollingUpdate(progress))

    async def _cart_call(self, call):
        """Await a call on the held cart; a 90003 answer means the hold is over."""
        try:
            answer = await call
        except perr.InvalidCart as exc:
            self.last_error = exc
            if self._state.holds_cart:
                self._expire()
            raise
        except BaseException as exc:
            self.last_error = exc
            if self._state.holds_cart and self.clock.lapsed:
                self._expire(release=True)
            await self._fail_if_hopeless(exc)
            raise
        if self._expiry is None and self._state.holds_cart and self.clock.running:
            self._schedule_expiry()  # the timer fired while this call was in flight: check again now
        return answer
