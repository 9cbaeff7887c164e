"""Settling a commit whose outcome is unknown — without ever sending a blind second commit.

A commit (``PUT /events/{id}/cart``) that timed out, lost its connection, or was answered 502/504
may nevertheless have gone through (partner-api.md 3.9). Sending it again blindly is what this
module exists to prevent. The checkout marks the cart ``committing`` in the journal *before*
the commit is sent, so even a crash leaves a trace; then, to settle, it asks in this order:

0. **The commit's own poll.** When the commit was answered 202 and then the waiting gave up (the
   polling limit) or a poll's answer was lost, the client follows that polling URL again
   (``client.resume.commit``, or the poll it still runs in the background); a final answer there is the
   order itself (``COMMITTED``). The URL lives only in memory (it carries the API key).
1. **The journal.** If this or another run of the station already recorded an order for the
   cart, that is the answer (``COMMITTED``).
2. **The cart itself.** ``GET /events/{id}/cart/shipping?cart_id=…`` is a read-only call on the
   cart. A normal answer means the cart is still held and was *not* committed
   (``NOT_COMMITTED``): only then may a commit of that same cart be sent again — and a repeat
   commit of one cart can never make a second order, since the service answers 90003 to a commit
   of a committed cart. A 409 (another call on the cart still running, e.g. the lost commit itself)
   is waited out and asked again.
3. **The orders.** When the cart answers 90003 it is gone: committed, or its hold ran out (this
   station never deleted it — the journal says it was committing). Every sale is committed with
   its own ``source_account_id``; ``GET /orders/unredeemed?days_from_purchase=1`` lists orders
   with their source account, so a match proves the commit went through
   (``COMMITTED_UNCONFIRMED``: sold, but the order number was in the lost answer). Without a
   match, the hold clock decides: a cart that vanished while its hold still had time left was
   removed by the commit (``COMMITTED_UNCONFIRMED``; "time left" means more than a few seconds,
   a margin for the two clocks); a cart whose hold had run out simply expired and nothing was
   sold (``CART_GONE``).

Any other failure while settling (the network is still down) raises: the sale stays in doubt,
and nothing else may happen to it until a later ``settle`` succeeds. The same steps run at
start-up for carts a crashed run left ``committing``.

**The settle policy** — decided here once; the window and the command line both follow it through
``CheckoutSession.settle_in_doubt`` and say what its ``SettleReport`` says:

- *Bounded.* The steps above are tried at most ``SettlePolicy.tries`` times (4), ``pause_seconds``
  (3 s) apart — with the client's own retries of reads, about 10–20 s in which the cashier sees
  "Checking whether the order went through…". Then there is an answer, one of ``DoubtOutcome``:
  ``SOLD`` (the order; ``confirmed`` False when its number was in the lost answer),
  ``NOT_SOLD_SEATS_HELD`` (proven not committed; the sale is back to ``paid``),
  ``NOT_SOLD_HOLD_OVER`` (not committed and the hold ran out: nothing sold, nothing held) or
  ``STILL_UNKNOWN`` (the service did not answer: the sale stays in doubt and its cart stays
  ``commit_in_doubt`` in the journal, so the next start of the station settles it — never deletes
  it blindly).
- *Never a second commit.* Settling only asks; it never sends a commit. After ``NOT_SOLD_SEATS_HELD``
  a second commit of that cart is sent only when a person asks for it again (the window's "Place
  order"; such a commit could not make a second order anyway, see step 2). The command line has
  nobody to ask: it ends the sale, releasing the seats, and says that nothing was sold (exit 1).
  After ``STILL_UNKNOWN`` the window offers "Check again" (the same bounded policy once more) and
  the command line exits 4 (outcome unknown).
"""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.partner import errors as perr
from app.partner.errors import ConcurrentCartRequest, InvalidCart, PartnerError
from app.partner.models import CommitResult
from app.storage.journalfaults import JournalError

from .notices import SettleOutcome

if TYPE_CHECKING:
    from app.partner.client import PartnerClient
    from app.storage.journal import Journal

log = logging.getLogger(__name__)

UNREDEEMED_LOOKBACK_DAYS = 1
CONCURRENT_RETRIES = 5
# A cart that vanished with at least this much hold left cannot have expired (clock skew margin).
HOLD_MARGIN_SECONDS = 5.0


def commit_outcome_unknown(exc: BaseException) -> bool:
    """Could the commit have gone through although this error came back?"""
    if isinstance(exc, (perr.UpstreamError, perr.ConnectionLost, perr.PollingTimedOut)):
        return True
    if isinstance(exc, perr.PartnerError):
        return bool(exc.outcome_unknown)  # e.g. a read timeout (a connect timeout sent nothing)
    return False


@dataclass(frozen=True)
class Settlement:
    """What one run of the steps found: the outcome and, when it is known, the order."""

    outcome: SettleOutcome
    result: CommitResult | None = None


# ----- the policy -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SettlePolicy:
    """How often settling is tried before the answer is "still unknown" (see the module docstring)."""

    tries: int = 4
    pause_seconds: float = 3.0


class DoubtOutcome(enum.Enum):
    """How settling a commit in doubt ended, for the cashier."""

    SOLD = "sold"
    NOT_SOLD_SEATS_HELD = "not_sold_seats_held"
    NOT_SOLD_HOLD_OVER = "not_sold_hold_over"
    STILL_UNKNOWN = "still_unknown"


_SENTENCES = {
    DoubtOutcome.NOT_SOLD_SEATS_HELD: "The order did not go through: nothing was sold.",
    DoubtOutcome.NOT_SOLD_HOLD_OVER: "The order did not go through: the hold ran out before it completed, so nothing "
                                     "was sold.",
    DoubtOutcome.STILL_UNKNOWN: "It is still not known whether the order went through: the ticketing service did not "
                                "answer. Do not sell these seats again until it is known.",
}


@dataclass(frozen=True)
class SettleReport:
    """The answer of ``settle_in_doubt``: the outcome, the order when one exists (``confirmed``
    False when its number was lost), the last failure when the outcome is still unknown, and the
    number of tries it took."""

    outcome: DoubtOutcome
    tries: int
    result: CommitResult | None = None
    confirmed: bool = False
    error: BaseException | None = None

    @property
    def sentence(self) -> str:
        """What the cashier is told when there is no order to show, the same in the window and on
        the command line ("" for ``SOLD``: both show the order itself)."""
        return _SENTENCES.get(self.outcome, "")


# ----- the steps --------------------------------------------------------------------------------
async def settle_commit(client: PartnerClient, journal: Journal, *, event_id: str, cart_id: str, source_account_id: str,
                        hold_seconds_left: float | None, polling_url: str | None = None) -> Settlement:
    """Find out whether the commit of ``cart_id`` went through (see the module docstring)."""
    result = await _follow_commit_poll(client, cart_id, polling_url)
    if result is not None:
        return Settlement(SettleOutcome.COMMITTED, result)

    try:
        recorded = journal.order_for_cart(cart_id)
    except JournalError as exc:  # unreadable journal: the service is asked instead
        log.info("the journal could not be read while settling (%s)", exc.kind)
        recorded = None
    if recorded is not None and recorded.order_number:
        return Settlement(SettleOutcome.COMMITTED, CommitResult(
            order_number=recorded.order_number, order_token=recorded.order_token,
            redemption_url=recorded.redemption_url or None, grand_total=recorded.grand_total,
            currency=recorded.currency_code or None))

    for attempt in range(CONCURRENT_RETRIES + 1):
        try:
            await client.shipping_options(event_id, cart_id)
        except InvalidCart:
            break
        except ConcurrentCartRequest:
            if attempt == CONCURRENT_RETRIES:
                raise
            await asyncio.sleep(1.0)
            continue
        log.info("commit settled: cart still held, not committed")
        return Settlement(SettleOutcome.NOT_COMMITTED)

    if await listed_among_unredeemed(client, event_id, source_account_id):
        log.info("commit settled: found among unredeemed orders")
        return Settlement(SettleOutcome.COMMITTED_UNCONFIRMED)
    if hold_seconds_left is not None and hold_seconds_left > HOLD_MARGIN_SECONDS:
        log.info("commit settled: cart gone while still held, so it was committed")
        return Settlement(SettleOutcome.COMMITTED_UNCONFIRMED)
    log.info("commit settled: cart gone after its hold ran out; nothing sold")
    return Settlement(SettleOutcome.CART_GONE)


async def _follow_commit_poll(client: PartnerClient, cart_id: str, polling_url: str | None) -> CommitResult | None:
    try:
        if polling_url:
            result = await client.resume.commit(polling_url)  # uses the background poll if one runs
        else:
            background = client.resume.abandoned_commit(cart_id)
            if background is None:
                return None
            result = CommitResult.from_json((await asyncio.shield(background)).json())
    except (PartnerError, ValueError) as exc:
        log.info("the commit's poll gave no order (%s); asking the cart", type(exc).__name__)
        return None
    return result if result.order_number else None


async def listed_among_unredeemed(client: PartnerClient, event_id: str, source_account_id: str, *,
                                  strict: bool = False) -> bool:
    """Whether an order of ``source_account_id`` is listed. A list that cannot be read counts as no
    match, unless ``strict``: then the error is raised (the caller has nothing else to go by)."""
    if not source_account_id:
        return False
    try:
        entries = await client.unredeemed_orders(days_from_purchase=UNREDEEMED_LOOKBACK_DAYS)
    except PartnerError as exc:
        if strict:
            raise
        log.info("unredeemed orders could not be read while settling: %s", type(exc).__name__)
        return False
    return any(e.source_account_id == source_account_id and e.event_id in (None, event_id) for e in entries)
