"""Completing a sale (part of ``CheckoutSession``): the commit, and settling one left in doubt.

The cart is marked ``committing`` in the journal before the commit leaves (when the mark cannot be
written the commit is not sent: ``JournalUnwritable``). A commit that times out, loses its
connection or gets 502/504 puts the sale in ``commit_in_doubt``; ``settle()`` (see ``settle``) must
resolve it before anything else may happen. A completed order is written to the journal together
with the closing of its cart; when the journal cannot take it, the sale completes all the same and
``record_note`` says the station's record will catch up (``salerecord``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import NoReturn

from app.partner import errors as perr
from app.partner.models import CommitResult, PollingProgress
from app.storage.journal import OrderRecord

from .errors import CommitNotSettled, IllegalTransition
from .notices import CommitInDoubt, CommitSettled, HoldExpired, OrderCompleted, SettleOutcome
from .seatlabels import cart_seats_text as seats_text
from .settle import commit_outcome_unknown, settle_commit
from .states import CheckoutState

S = CheckoutState
log = logging.getLogger(__name__)


class CommitSteps:
    """Mixed into ``CheckoutSession``; uses its state, lock, clock, journal and client."""

    async def commit(self, progress: Callable[[PollingProgress], None] | None = None) -> CommitResult:
        """Complete the sale. Raises ``CommitNotSettled`` when the outcome is unknown.

        ``progress`` gets the commit's polling progress (listeners get it as ``PollingUpdate`` too)."""
        async with self._lock:
            self._require(S.PAID, wanted="committing")
            self._require_seats_agreed()
            cart = self.cart
            self.record.committing(seats=seats_text(cart), grand_total=cart.totals.grand if cart else None,
                                   currency_code=(cart.currency if cart else "") or "")  # before the request
            self._hold_left_at_commit = self.clock.seconds_left()
            self._move(S.COMMITTING)
            try:
                result = await self.client.commit(self.event_id, self._cart_id,
                                                  source_account_id=self.source_account_id,
                                                  progress=self._progress_to(progress))
            except perr.InvalidCart as exc:
                self.last_error = exc
                return await self._commit_refused_invalid_cart(exc)
            except BaseException as exc:
                self.last_error = exc
                self._commit_polling_url = getattr(exc, "polling_url", None)  # memory only: it has the key
                if commit_outcome_unknown(exc) or isinstance(exc, asyncio.CancelledError):
                    self._move(S.COMMIT_IN_DOUBT)
                    self._emit(CommitInDoubt(exc))
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    raise CommitNotSettled(exc) from exc
                self._move(S.PAID)  # refused outright (e.g. declined at commit): nothing sold
                await self._fail_if_hopeless(exc)
                raise
            await self._complete(result, confirmed=True)
            return result

    async def _commit_refused_invalid_cart(self, exc: perr.InvalidCart) -> NoReturn:
        # A definite 90003 to the only commit this session sent: the server did not commit, the
        # cart is gone (its hold ran out). Nothing was sold.
        self.clock.stop()
        self._move(S.EXPIRED)
        self._close_row()
        self._emit(HoldExpired(self._cart_id))
        raise exc

    async def settle(self) -> CommitResult | None:
        """Resolve ``commit_in_doubt``. Returns the order (or None when nothing was sold)."""
        async with self._lock:
            if self._state is not S.COMMIT_IN_DOUBT:
                raise IllegalTransition(self._state, "settled")
            return await self._settle_locked()

    async def _settle_locked(self) -> CommitResult | None:
        left = self._hold_left_at_commit
        if left is not None and self.clock.running:
            left = self.clock.seconds_left()
        settlement = await settle_commit(self.client, self.journal, event_id=self.event_id, cart_id=self._cart_id,
                                         source_account_id=self.source_account_id, hold_seconds_left=left,
                                         polling_url=self._commit_polling_url)
        outcome = settlement.outcome
        self.record.recovery_note("commit_settled", f"commit in doubt settled: {outcome.value}",
                                  event_id=self.event_id, cart_id=self._cart_id,
                                  order_number=settlement.result.order_number if settlement.result else "")
        if outcome is SettleOutcome.NOT_COMMITTED:
            self._move(S.PAID)
            self._emit(CommitSettled(outcome, None))
            return None
        if outcome is SettleOutcome.CART_GONE:
            self.clock.stop()
            self._move(S.EXPIRED)
            self._close_row()
            self._emit(CommitSettled(outcome, None))
            self._emit(HoldExpired(self._cart_id))
            return None
        result = settlement.result or CommitResult(
            order_number="",
            order_token="",
            redemption_url=None,
            grand_total=self.cart.totals.grand if self.cart else None,
            currency=self.cart.currency if self.cart else None,
        )
        self._emit(CommitSettled(outcome, result))
        await self._complete(result, confirmed=outcome is SettleOutcome.COMMITTED)
        return result

    async def _complete(self, result: CommitResult, *, confirmed: bool) -> None:
        self.result, self.confirmed = result, confirmed
        totals = self.cart.totals if self.cart else None
        record = OrderRecord(
            order_number=result.order_number,
            order_token=result.order_token,
            event_id=self.event_id,
            event_name=self.event_name,
            cart_id=self._cart_id,
            source_account_id=self.source_account_id,
            seats=seats_text(self.cart),
            merchandise=totals.merchandise if totals else None,
            fees=totals.fee if totals else None,
            delivery=totals.delivery if totals else None,
            tax=totals.tax if totals else None,
            grand_total=result.grand_total if result.grand_total is not None else (totals.grand if totals else None),
            currency_code=result.currency or (self.cart.currency if self.cart else "") or "",
            redemption_url=result.redemption_url or "",
            station_user=self.station_user,
            confirmed=confirmed,
        )
        # The order is sold: it completes now, whatever the journal does (the write, on a worker
        # thread and shielded from cancellation, is kept for later when it fails).
        try:
            self.record_note = await self.record.completed(record)
        finally:
            self._finish_completed(result, confirmed)

    def _finish_completed(self, result: CommitResult, confirmed: bool) -> None:
        self.clock.stop()
        self._move(S.COMPLETED)
        self._emit(OrderCompleted(result, confirmed, self.record_note))

    def _progress_to(self, callback):
        if callback is None:
            return self._progress

        def both(progress: PollingProgress) -> None:
            self._progress(progress)
            try:
                callback(progress)
            except Exception:
                log.exception("commit progress callback failed")

        return both
