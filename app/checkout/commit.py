"""Completing a sale: ``CommitSteps``, the commit and settling one left in doubt (``session.commit_steps``).

It holds the sale's ``SaleCore`` and owns what only completing needs: the hold left when the commit
was sent, the commit's polling URL (memory only: it carries the API key) and the outcome
(``result``, ``confirmed``, ``record_note``).

The cart is marked ``committing`` in the journal before the commit leaves (when the mark cannot be
written the commit is not sent: ``JournalUnwritable``). A commit that times out, loses its
connection or gets 502/504 puts the sale in ``commit_in_doubt``; ``settle()`` (the steps:
``settle.settle_commit``) must resolve it before anything else may happen, and ``settle_in_doubt``
is how both front ends do that (the policy: ``settle.SettlePolicy``) — bounded, with one of four
outcomes, and never a second commit. A completed order is written to the journal together with the
closing of its cart; when the journal cannot take it, the sale completes all the same and
``record_note`` says the station's record will catch up (``salerecord``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from app.partner import errors as perr
from app.partner.models import CommitResult, PollingProgress
from app.storage.journal import OrderRecord

from .errors import CommitNotSettled, IllegalTransition
from .notices import CommitInDoubt, CommitSettled, HoldExpired, OrderCompleted, SettleOutcome
from .salecore import SaleCore
from .settle import DoubtOutcome, SettlePolicy, SettleReport, commit_outcome_unknown, settle_commit
from .states import CheckoutState

S = CheckoutState
log = logging.getLogger(__name__)
ProgressCallback = Callable[[PollingProgress], None]


class CommitSteps:
    """The commit of one sale and the settling of a commit in doubt (see the module docstring)."""

    def __init__(self, sale: SaleCore, policy: SettlePolicy | None = None) -> None:
        self._sale = sale
        self.policy = policy or SettlePolicy()
        self.result: CommitResult | None = None
        self.confirmed = False
        # Set when the completed order could not be written to the journal: what to tell the cashier.
        self.record_note: str | None = None
        self._hold_left_at_commit: float | None = None
        self._polling_url: str | None = None

    # ----- the commit ----------------------------------------------------------------------------
    async def commit(self, progress: ProgressCallback | None = None) -> CommitResult:
        """Complete the sale. Raises ``CommitNotSettled`` when the outcome is unknown.

        ``progress`` gets the commit's polling progress (listeners get it as ``PollingUpdate`` too)."""
        sale = self._sale
        async with sale.lock:
            sale.require(S.PAID, wanted="committing")
            sale.require_seats_agreed()
            cart = sale.cart
            sale.record.committing(seats=sale.seats_text(cart, hide_row_seat=sale.hide_row_seat),
                                   grand_total=cart.totals.grand if cart else None,
                                   currency_code=(cart.currency if cart else "") or "",  # before the request
                                   details=sale.details)
            self._hold_left_at_commit = sale.clock.seconds_left()
            sale.move(S.COMMITTING)
            try:
                result = await sale.client.commit(sale.event_id, sale.cart_id,
                                                  source_account_id=sale.source_account_id,
                                                  tracking=sale.tracking or None,
                                                  progress=self._progress_to(progress))
            except perr.InvalidCart as exc:
                # A definite 90003 to the only commit this session sent: the server did not commit,
                # the cart is gone (its hold ran out). Nothing was sold.
                sale.last_error = exc
                sale.hold_over()
                raise
            except BaseException as exc:
                sale.last_error = exc
                self._polling_url = getattr(exc, "polling_url", None)  # memory only: it has the key
                if commit_outcome_unknown(exc) or isinstance(exc, asyncio.CancelledError):
                    sale.move(S.COMMIT_IN_DOUBT)
                    sale.emit(CommitInDoubt(exc))
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    raise CommitNotSettled(exc) from exc
                sale.move(S.PAID)  # refused outright (e.g. declined at commit): nothing sold
                await sale.fail_if_hopeless(exc)
                raise
            await self._complete(result, confirmed=True)
            return result

    # ----- settling --------------------------------------------------------------------------------
    async def settle(self) -> CommitResult | None:
        """Resolve ``commit_in_doubt`` once. Returns the order (or None when nothing was sold);
        raises the client's error when the service still cannot tell (the sale stays in doubt)."""
        async with self._sale.lock:
            if self._sale.state is not S.COMMIT_IN_DOUBT:
                raise IllegalTransition(self._sale.state, "settled")
            return await self._settle_locked()

    async def settle_in_doubt(self, on_retry: Callable[[int, BaseException], None] | None = None) -> SettleReport:
        """Settle a commit in doubt as both front ends do: up to ``policy.tries`` times,
        ``policy.pause_seconds`` apart, and say how it ended (``SettleReport``). Never commits.

        ``on_retry(tries_so_far, error)`` is told of each failed try that is followed by another."""
        policy = self.policy
        error: BaseException | None = None
        for attempt in range(1, policy.tries + 1):
            try:
                result = await self.settle()
            except perr.PartnerError as exc:
                error = exc
                log.warning("settling the commit failed (try %d of %d): %s", attempt, policy.tries, exc)
                if attempt < policy.tries:
                    if on_retry is not None:
                        on_retry(attempt, exc)
                    await asyncio.sleep(policy.pause_seconds)
                continue
            return self._report(result, attempt)
        return SettleReport(DoubtOutcome.STILL_UNKNOWN, tries=policy.tries, error=error)

    def _report(self, result: CommitResult | None, tries: int) -> SettleReport:
        if result is not None:
            return SettleReport(DoubtOutcome.SOLD, tries=tries, result=result, confirmed=self.confirmed)
        if self._sale.state is S.PAID:
            return SettleReport(DoubtOutcome.NOT_SOLD_SEATS_HELD, tries=tries)
        return SettleReport(DoubtOutcome.NOT_SOLD_HOLD_OVER, tries=tries)

    async def _settle_locked(self) -> CommitResult | None:
        sale = self._sale
        left = self._hold_left_at_commit
        if left is not None and sale.clock.running:
            left = sale.clock.seconds_left()
        settlement = await settle_commit(sale.client, sale.journal, event_id=sale.event_id, cart_id=sale.cart_id,
                                         source_account_id=sale.source_account_id, hold_seconds_left=left,
                                         polling_url=self._polling_url)
        outcome = settlement.outcome
        sale.record.recovery_note("commit_settled", f"commit in doubt settled: {outcome.value}",
                                  event_id=sale.event_id, cart_id=sale.cart_id,
                                  order_number=settlement.result.order_number if settlement.result else "")
        if outcome is SettleOutcome.NOT_COMMITTED:
            sale.move(S.PAID)
            sale.emit(CommitSettled(outcome, None))
            return None
        if outcome is SettleOutcome.CART_GONE:
            sale.clock.stop()
            sale.move(S.EXPIRED)
            sale.close_row()
            sale.emit(CommitSettled(outcome, None))
            sale.emit(HoldExpired(sale.cart_id))
            return None
        cart = sale.cart
        result = settlement.result or CommitResult(
            order_number="",
            order_token="",
            redemption_url=None,
            grand_total=cart.totals.grand if cart else None,
            currency=cart.currency if cart else None,
        )
        sale.emit(CommitSettled(outcome, result))
        await self._complete(result, confirmed=outcome is SettleOutcome.COMMITTED)
        return result

    # ----- the order -------------------------------------------------------------------------------
    async def _complete(self, result: CommitResult, *, confirmed: bool) -> None:
        sale = self._sale
        self.result, self.confirmed = result, confirmed
        cart = sale.cart
        totals = cart.totals if cart else None
        record = OrderRecord(
            order_number=result.order_number,
            order_token=result.order_token,
            event_id=sale.event_id,
            event_name=sale.event_name,
            cart_id=sale.cart_id,
            source_account_id=sale.source_account_id,
            seats=sale.seats_text(cart, hide_row_seat=sale.hide_row_seat),
            merchandise=totals.merchandise if totals else None,
            fees=totals.fee if totals else None,
            delivery=totals.delivery if totals else None,
            tax=totals.tax if totals else None,
            grand_total=result.grand_total if result.grand_total is not None else (totals.grand if totals else None),
            currency_code=result.currency or (cart.currency if cart else "") or "",
            redemption_url=result.redemption_url or "",
            station_user=sale.station_user,
            confirmed=confirmed,
            details=dict(sale.details),
        )
        # The order is sold: it completes now, whatever the journal does (the write, on a worker
        # thread and shielded from cancellation, is kept for later when it fails).
        try:
            self.record_note = await sale.record.completed(record)
        finally:
            sale.clock.stop()
            sale.move(S.COMPLETED)
            sale.emit(OrderCompleted(result, confirmed, self.record_note))

    def _progress_to(self, callback: ProgressCallback | None) -> ProgressCallback:
        if callback is None:
            return self._sale.progress

        def both(progress: PollingProgress) -> None:
            self._sale.progress(progress)
            try:
                callback(progress)
            except Exception:
                log.exception("commit progress callback failed")

        return both
