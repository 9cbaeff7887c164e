"""What every step of one sale shares: ``SaleCore``, owned by ``CheckoutSession`` (by composition).

The steps — reserving, delivery and payment in ``session``, the commit and settling in ``commit`` —
each hold the one ``SaleCore`` of their sale, and it owns what they have in common:

- **who and where**: the client, the journal record (``salerecord``), the event, the station user
  and run, the sale's own ``source_account_id`` (it lets settling find a lost commit) and the
  partner's affiliate ``tracking`` sent with the commit;
- **the state**: ``move`` checks each move against ``states``, writes the states recovery acts on
  to the journal (``JOURNALED``) and tells the listeners (``subscribe``, ``notices``); ``require``
  refuses an operation in the wrong state (``IllegalTransition``, or ``CommitNotSettled`` while a
  commit is in doubt). One operation runs at a time (``lock``).
- **the held cart and its hold clock**: every cart answer (``cart_answer``) restarts ``HoldClock``
  from its ``hold_time``; an asyncio timer turns the sale ``expired`` when the hold runs out and
  sends a quiet, best-effort delete of the cart, since the local clock runs out a moment before the
  service's (``wait_for_cleanup`` awaits it). ``cart_call`` awaits a call on the held cart: a 90003
  answer means the hold is over.
- **the last error**, kept without its traceback (``errors.kept_error``): a payment's frames hold
  the card.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from app.partner import errors as perr
from app.partner.client import PartnerClient
from app.partner.models import BillingMethod, Cart, CartItem, PollingProgress, ShippingOption
from app.storage.backlog import JournalBacklog
from app.storage.journal import Journal

from .errors import CommitNotSettled, IllegalTransition, SeatsNotAgreed, kept_error
from .holdclock import HoldClock
from .notices import CartUpdated, CheckoutNotice, CleanupPending, HoldExpired, PollingUpdate, StateChanged
from .salerecord import SaleRecord
from .seatlabels import SeatHints, cart_seats_text
from .seats import SeatDifference
from .states import CheckoutState, check_transition

S = CheckoutState
T = TypeVar("T")
log = logging.getLogger(__name__)
# States written to the journal as they happen: recovery must settle these, never delete blindly.
JOURNALED = frozenset({S.COMMITTING, S.COMMIT_IN_DOUBT})
Listener = Callable[[CheckoutNotice], None]
# An expiry timer that fires with more than this left on the hold clock was set for an earlier
# deadline (``SaleCore._schedule_expiry``): it is set again for the time left.
EARLY_TIMER_SECONDS = 0.001


class SaleCore:
    """The shared state of one sale and the moves every step makes on it (see the module docstring)."""

    def __init__(self, client: PartnerClient, journal: Journal, event_id: str, *, event_name: str = "",
                 station_user: str = "", run_id: str = "", backend: str = "", hold_clock: HoldClock | None = None,
                 backlog: JournalBacklog | None = None, on_order_kept: Callable[[], None] | None = None,
                 tracking: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.journal = journal
        self.record = SaleRecord(journal, backlog, on_kept=on_order_kept, when_sent=client.when_sent)
        self.event_id = event_id
        self.event_name = event_name
        self.station_user = station_user
        self.run_id = run_id
        self.backend = backend
        self.source_account_id = uuid.uuid4().hex  # one per sale: lets settling find a lost commit
        self.tracking: dict[str, str] = dict(tracking or {})  # the commit's affiliate tracking (may be empty)
        self.clock = hold_clock or HoldClock()
        self.lock = asyncio.Lock()
        self.cart_id = ""
        self.cart: Cart | None = None
        # What the orders view and a reprinted receipt show that the cart does not: the payment kind
        # and its masked text, the buyer's name, the delivery (``OrderRecord.details``).
        self.details: dict[str, str] = {}
        self.shipping_options: tuple[ShippingOption, ...] = ()
        self.billing_methods: tuple[BillingMethod, ...] = ()
        self.hide_row_seat = False  # the event's locRowSeatRestrict: the journal keeps no rows or seats
        # Set when the cart holds other seats than the exact ones asked for (see ``seats``).
        self.seat_difference: SeatDifference | None = None
        self.seat_hints: SeatHints | None = None  # the seats the reserve asked for (set with its answer)
        self._state = S.IDLE
        self._listeners: list[Listener] = []
        self._last_error: BaseException | None = None
        self._expiry: asyncio.Handle | None = None
        self._expiry_due = 0.0  # when the expiry timer fires (time.monotonic)
        self._cleanup: set[asyncio.Task[None]] = set()
        self.deleting = False  # a DELETE of the cart is on its way (delete_quietly)
        self._seats_of: tuple[tuple[CartItem, ...], bool, SeatHints | None, str] | None = None  # see seats_text

    # ----- state and listeners -------------------------------------------------------------------
    @property
    def state(self) -> CheckoutState:
        return self._state

    @property
    def last_error(self) -> BaseException | None:
        """The last error an operation raised, kept without its traceback (see ``kept_error``)."""
        return self._last_error

    @last_error.setter
    def last_error(self, exc: BaseException | None) -> None:
        self._last_error = None if exc is None else kept_error(exc)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(notice)`` for every notice; returns a function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, notice: CheckoutNotice) -> None:
        for listener in list(self._listeners):
            try:
                listener(notice)
            except Exception:  # a broken listener must not break the sale
                log.exception("checkout listener failed on %s", type(notice).__name__)

    def move(self, new: CheckoutState) -> None:
        """Change state. The journal hears of the states recovery acts on (see ``JOURNALED``); what
        happens between reserve and commit stays in memory, which keeps a sale to four writes."""
        check_transition(self._state, new)
        old, self._state = self._state, new
        if new.terminal or not new.holds_cart:
            self._cancel_timer()
        elif self._expiry is None and self.clock.running:
            self._schedule_expiry()  # back to holding (e.g. a commit refused, or settled as not committed)
        if (new in JOURNALED or old in JOURNALED) and not new.terminal and new is not S.COMMITTING:
            self.record.update(f"the state {new.value}", state=new.value)  # "committing": see CommitSteps
        if self._listeners:
            self.emit(StateChanged(old, new))

    def require(self, *states: CheckoutState, wanted: str) -> None:
        """Refuse an operation the current state does not allow."""
        if self._state is S.COMMIT_IN_DOUBT:
            raise CommitNotSettled(self.last_error)
        if self._state not in states:
            raise IllegalTransition(self._state, wanted)

    def require_seats_agreed(self) -> None:
        if self.seat_difference is not None:
            raise SeatsNotAgreed(self.seat_difference)

    def progress(self, progress: PollingProgress) -> None:
        """A polled call's progress, for the listeners."""
        self.emit(PollingUpdate(progress))

    # ----- the held cart and its hold clock ------------------------------------------------------
    def cart_answer(self, cart: Cart) -> None:
        """A cart answer arrived: keep it, restart the hold clock, tell the listeners."""
        if not cart.cart_id:
            cart = dataclasses.replace(cart, cart_id=self.cart_id)
        if not cart.items and self.cart is not None:
            cart = dataclasses.replace(cart, items=self.cart.items)
        first = self.cart is None
        self.cart = cart
        if first:  # the reserve's answer: state, cart id and contents in one write, made while the
            # next request is on its way (``SaleRecord``)
            self.record.update("the held cart", soon=True, state=self._state.value, cart_id=self.cart_id,
                               seats=self.seats_text(cart, hide_row_seat=self.hide_row_seat),
                               grand_total=cart.totals.grand,
                               currency_code=cart.currency or "")
        self.clock.refresh(cart.hold_time)
        self._schedule_expiry(sooner_only=True)
        if self._listeners:
            self.emit(CartUpdated(cart, self.clock.seconds_left()))

    def seats_text(self, cart: Cart | None, *, hide_row_seat: bool = False) -> str:
        """The journal's text of the seats the cart holds (``seatlabels.cart_seats_text``), written
        once per set of items: a sale's later answers repeat the reserve's items (the client
        reuses them), and the committing mark and the order write the same text."""
        if cart is None:
            return ""
        known = self._seats_of
        if known is None or known[0] is not cart.items or known[1] != hide_row_seat or known[2] is not self.seat_hints:
            text = cart_seats_text(cart, self.seat_hints, hide_row_seat=hide_row_seat)
            known = self._seats_of = (cart.items, hide_row_seat, self.seat_hints, text)
        return known[3]

    def hold_over(self) -> None:
        """The service says the cart is gone (its hold ran out): the sale is expired."""
        self.clock.stop()
        self.move(S.EXPIRED)
        self.close_row()
        self.emit(HoldExpired(self.cart_id))

    def _schedule_expiry(self, *, sooner_only: bool = False) -> None:
        """Set the timer for when the hold runs out. ``sooner_only`` (a cart answer): a timer that
        fires no later is kept, and when it fires it looks at the clock again (``_hold_ran_out``),
        so a sale's answers do not each cancel and set one (every one is a heap entry on the loop)."""
        left = self.clock.seconds_left()
        if left is None:
            self._cancel_timer()
            return
        due = time.monotonic() + left
        if sooner_only and self._expiry is not None and self._expiry_due <= due:
            return
        self._cancel_timer()
        # The window's Qt event loop answers call_later with a plain Handle (no when()): the timer's
        # moment is kept here.
        self._expiry = asyncio.get_running_loop().call_later(left, self._hold_ran_out)
        self._expiry_due = due

    def _cancel_timer(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None

    def _hold_ran_out(self) -> None:
        self._expiry = None
        left = self.clock.seconds_left()
        if left is not None and left > EARLY_TIMER_SECONDS:  # a later answer moved the hold on
            self._expiry = asyncio.get_running_loop().call_later(left, self._hold_ran_out)
            return
        if self.lock.locked():  # an operation is in flight: its answer decides
            return
        self._expire(release=True)

    def _expire(self, *, release: bool = False) -> None:
        """The hold is over. ``release``: our clock said so, not the service — delete the cart too."""
        if not self._state.holds_cart:
            return
        self.clock.stop()
        self.move(S.EXPIRED)
        self.close_row()
        if release and self.cart_id:
            task = asyncio.get_running_loop().create_task(self._delete_expired(self.cart_id))
            self._cleanup.add(task)
            task.add_done_callback(self._cleanup.discard)
        self.emit(HoldExpired(self.cart_id))

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

    def close_row(self) -> None:
        self.record.closed()

    # ----- calls on the held cart ----------------------------------------------------------------
    async def cart_call(self, call: Awaitable[T]) -> T:
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
            await self.fail_if_hopeless(exc)
            raise
        if self._expiry is None and self._state.holds_cart and self.clock.running:
            self._schedule_expiry()  # the timer fired while this call was in flight: check again now
        return answer

    async def delete_quietly(self) -> None:
        """Release the cart; when the service cannot be reached, start-up recovery deletes it later."""
        self.deleting = True  # the sale is over, its seats are not released yet
        try:
            await self.client.delete_cart(self.event_id, self.cart_id)  # False: already gone
        except perr.PartnerError as exc:
            self.record.hand_to_recovery()  # the station deletes it later
            self.emit(CleanupPending(self.cart_id, exc))
            return
        finally:
            self.deleting = False
        self.clock.stop()
        self.close_row()

    async def fail_if_hopeless(self, exc: BaseException) -> None:
        """The service cannot go on with this cart (it did not understand the sale): release it."""
        if isinstance(exc, perr.InvalidRequestStructure) and self._state.holds_cart:
            self.move(S.FAILED)
            await self.delete_quietly()
