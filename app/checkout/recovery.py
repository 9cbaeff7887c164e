"""Start-up recovery: carts a crashed or killed run left open in the journal are dealt with.

For each ``open_carts`` row whose run is no longer alive (``RunLock.is_alive``) and whose cart
lives on the backend this station now talks to (a cart held on another server is left for a run
against that server; one held by an embedded sandbox stopped with its run and is closed — but a sale
caught in its commit is looked for among that sandbox's remembered orders first, and left for a run
on the embedded sandbox while the station talks to another backend):

- no cart id yet (the run died after its reserve was sent, before the answer named the cart):
  the Partner API offers no way to look a cart up, so nothing can be deleted; the summary says
  what the reserve asked for, when it was sent, and that the service releases any seats it held
  when the hold runs out. The row is closed and the journal says so. (A reserve that was polling
  is not such a case: its polling URL names the cart, which the journal keeps.)
- the cart was being completed (``committing`` / ``commit_in_doubt``): the commit is settled first
  (``settle`` module), never sent again. Still held and uncommitted → deleted (the sale did not
  happen); committed → recorded as an order (unconfirmed: its number was in the lost answer).
- otherwise the cart is deleted on the server (``DELETE …/cart``); an already-gone cart (90003)
  counts as cleaned.

Each outcome is written to the journal's ``recovery_log`` and returned as a ``RecoverySummary``
the window or the command line shows. A cart that cannot be dealt with now (network down) stays
in the journal for the next start. ``release_abandoned`` does the same, at close, for carts this
run itself abandoned while the service could not be reached; ``retire_client`` runs it before
closing a client the station is done with (at close, or after moving onto another backend).
"""

from __future__ import annotations

import logging
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from app.partner import errors as perr
from app.partner.client import PartnerClient
from app.storage.journal import Journal, OpenCart, OrderRecord
from app.storage.journalfaults import JournalError
from app.storage.runlock import RunLock

from .notices import SettleOutcome
from .settle import Settlement, listed_among_unredeemed, settle_commit

log = logging.getLogger(__name__)

COMMITTING_STATES = ("committing", "commit_in_doubt")
TYPICAL_HOLD_MINUTES = 5  # partner-api.md: a cart lives hold_time seconds, e.g. 299


def _local_time(utc_text: str) -> str:
    """``2026-11-26T14:05:09+00:00`` → ``14:05`` in this computer's time zone (as written if unreadable)."""
    try:
        return datetime.fromisoformat(utc_text).astimezone().strftime("%H:%M")
    except ValueError:
        return utc_text


@dataclass(frozen=True)
class RecoveryAction:
    kind: str  # cart_deleted | cart_gone | reserve_interrupted | order_found | retry_later
    event_id: str
    cart_id: str
    message: str


@dataclass
class RecoverySummary:
    actions: list[RecoveryAction] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actions)

    @property
    def lines(self) -> list[str]:
        return [a.message for a in self.actions]

    def count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)


def _event_label(cart: OpenCart) -> str:
    return f"{cart.event_name} ({cart.event_id})" if cart.event_name else cart.event_id


EMBEDDED = "embedded"


async def recover_open_carts(client: PartnerClient, journal: Journal, run_lock: RunLock, backend: str,
                             sold: AbstractSet[str] = frozenset()) -> RecoverySummary:
    """``sold``: the ``source_account_id`` of sales whose orders wait in the backlog (they are sold;
    their rows are closed when the journal takes the order, never settled or deleted here)."""
    summary = RecoverySummary()
    dead_runs: set[str] = set()
    for cart in journal.open_carts():
        if run_lock.is_alive(cart.run_id) or (cart.source_account_id and cart.source_account_id in sold):
            continue
        if cart.backend != backend and cart.backend != EMBEDDED:
            continue
        if cart.backend == EMBEDDED != backend and cart.state in COMMITTING_STATES:
            continue  # only the embedded sandbox's memory can say whether it sold: left for a run on it
        dead_runs.add(cart.run_id)
        try:
            if cart.backend == EMBEDDED:  # each run starts its own embedded sandbox
                action = await _recover_embedded(client, journal, cart)
            else:
                action = await _recover_one(client, journal, cart)
        except perr.PartnerError as exc:
            action = RecoveryAction("retry_later", cart.event_id, cart.cart_id,
                                    f"A cart left open for {_event_label(cart)} could not be cleaned up now "
                                    f"({exc.user_message}) It will be tried again at the next start.")
            log.warning("recovery of a cart failed: %s", type(exc).__name__)
        else:
            journal.cart_closed(cart.id)
        journal.log_recovery(action.kind, action.message, event_id=cart.event_id, cart_id=cart.cart_id)
        summary.actions.append(action)
    for run_id in dead_runs:
        if not any(c.run_id == run_id for c in journal.open_carts()):
            run_lock.forget(run_id)
    return summary


async def _recover_embedded(client: PartnerClient, journal: Journal, cart: OpenCart) -> RecoveryAction:
    """A cart of the embedded sandbox: it stopped with its run and its carts with it, so nothing is
    held. But it remembers its orders (``app.sandbox.memory``): a sale caught in its commit may have
    been placed, and the sandbox the station talks to now (``client``) says so — a gone cart proves
    nothing here, so only a listed order counts as sold."""
    label = _event_label(cart)
    if cart.state in COMMITTING_STATES and cart.source_account_id:
        if await listed_among_unredeemed(client, cart.event_id, cart.source_account_id, strict=True):
            _record_unconfirmed(journal, cart, None)
            return RecoveryAction("order_found", cart.event_id, cart.cart_id,
                                  f"A sale for {label} that was being completed when the station stopped did go "
                                  "through; it is now in the orders list.")
        return RecoveryAction("cart_gone", cart.event_id, cart.cart_id,
                              f"A sale for {label} on the embedded sandbox was interrupted while completing; "
                              "no order for it was found, and that sandbox stopped with it, so nothing is held.")
    return RecoveryAction("cart_gone", cart.event_id, cart.cart_id,
                          f"A sale for {label} on the embedded sandbox did not finish; "
                          "that sandbox stopped with it, so nothing is held.")


def _record_unconfirmed(journal: Journal, cart: OpenCart, settlement: Settlement | None) -> None:
    """The order of a cart a dead run was completing (``confirmed`` only when its answer was read)."""
    result = settlement.result if settlement is not None else None
    journal.record_order(OrderRecord(
        order_number=result.order_number if result else "", order_token=result.order_token if result else "",
        event_id=cart.event_id, event_name=cart.event_name, cart_id=cart.cart_id,
        source_account_id=cart.source_account_id, seats=cart.seats,
        grand_total=result.grand_total if result and result.grand_total is not None
        else (Decimal(cart.grand_total) if cart.grand_total else None),
        currency_code=(result.currency if result else "") or cart.currency_code, station_user=cart.station_user,
        confirmed=settlement is not None and settlement.outcome is SettleOutcome.COMMITTED, details=cart.detail_map()))


async def release_abandoned(client: PartnerClient, journal: Journal, run_id: str) -> int:
    """Try again to delete carts this run abandoned but could not delete then (network down).
    Called when the station closes; what still fails is left for the next start."""
    released = 0
    for cart in journal.open_carts():
        if cart.run_id != run_id or cart.state != "abandoned" or not cart.cart_id:
            continue
        try:
            await _delete(client, cart)
        except perr.PartnerError as exc:
            log.info("an abandoned cart could still not be deleted: %s", type(exc).__name__)
            continue
        journal.cart_closed(cart.id)
        released += 1
    return released


async def _recover_one(client: PartnerClient, journal: Journal, cart: OpenCart) -> RecoveryAction:
    label = _event_label(cart)
    if not cart.cart_id:
        asked = f" ({cart.seats})" if cart.seats else ""
        return RecoveryAction("reserve_interrupted", cart.event_id, "",
                              f"A reserve for {label}{asked} sent at {_local_time(cart.opened_at)} was interrupted "
                              "before the service named its cart, so the station cannot release it: any seats it "
                              "held are released by the service when the hold runs out (about "
                              f"{TYPICAL_HOLD_MINUTES} minutes after it was sent).")
    if cart.state in COMMITTING_STATES:
        settlement = await settle_commit(client, journal, event_id=cart.event_id, cart_id=cart.cart_id,
                                         source_account_id=cart.source_account_id, hold_seconds_left=None)
        if settlement.outcome in (SettleOutcome.COMMITTED, SettleOutcome.COMMITTED_UNCONFIRMED):
            _record_unconfirmed(journal, cart, settlement)
            return RecoveryAction("order_found", cart.event_id, cart.cart_id,
                                  f"A sale for {label} that was being completed when the station stopped did go "
                                  "through; it is now in the orders list.")
        if settlement.outcome is SettleOutcome.CART_GONE:
            return RecoveryAction("cart_gone", cart.event_id, cart.cart_id,
                                  f"A sale for {label} was interrupted while completing; its cart no longer "
                                  "exists and no order for it was found.")
        await _delete(client, cart)
        return RecoveryAction("cart_deleted", cart.event_id, cart.cart_id,
                              f"A sale for {label} was interrupted before it completed; its held seats "
                              "were released.")
    if await _delete(client, cart):
        return RecoveryAction("cart_deleted", cart.event_id, cart.cart_id,
                              f"Seats held for {label} by a sale that did not finish were released.")
    return RecoveryAction("cart_gone", cart.event_id, cart.cart_id,
                          f"A cart left open for {label} had already expired; nothing was held.")


async def _delete(client: PartnerClient, cart: OpenCart) -> bool:
    """DELETE the cart; False when the server says it is already gone."""
    return bool(await client.delete_cart(cart.event_id, cart.cart_id))


async def retire_client(client: PartnerClient, journal: Journal, run_id: str | None) -> None:
    """Close a client the station is done with (it closes, or moved onto another backend): first the
    carts this run abandoned on it are deleted (``release_abandoned``; a journal that cannot be read
    leaves them to the next start's recovery), then its connections are closed."""
    if run_id is not None:
        try:
            await release_abandoned(client, journal, run_id)
        except JournalError as exc:
            log.warning("abandoned carts could not be read from the journal (%s); the next start deletes them",
                        exc.kind)
    await client.aclose()

