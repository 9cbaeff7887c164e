"""What a sale tells its listeners: plain frozen dataclasses, one per kind of news.

``StateChanged``, ``CartUpdated``, ``PollingUpdate``, ``HoldExpired``, ``CommitInDoubt``,
``CommitSettled`` (with its ``SettleOutcome``), ``OrderCompleted``, ``CleanupPending``;
``CheckoutNotice`` is any of them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.partner.errors import PartnerError
from app.partner.models import Cart, CommitResult, PollingProgress

from .states import CheckoutState


class SettleOutcome(enum.Enum):
    COMMITTED = "committed"  # the order is known (number and token)
    COMMITTED_UNCONFIRMED = "committed_unconfirmed"  # the server shows it went through; answer lost
    NOT_COMMITTED = "not_committed"  # the cart is still held and uncommitted: commit may be sent again
    CART_GONE = "cart_gone"  # not committed and the hold ran out: nothing was sold


@dataclass(frozen=True)
class StateChanged:
    old: CheckoutState
    new: CheckoutState


@dataclass(frozen=True)
class CartUpdated:
    cart: Cart
    seconds_left: float | None


@dataclass(frozen=True)
class PollingUpdate:
    progress: PollingProgress


@dataclass(frozen=True)
class HoldExpired:
    cart_id: str


@dataclass(frozen=True)
class CommitInDoubt:
    error: BaseException


@dataclass(frozen=True)
class CommitSettled:
    outcome: SettleOutcome
    result: CommitResult | None


@dataclass(frozen=True)
class OrderCompleted:
    result: CommitResult
    confirmed: bool
    record_note: str | None = None  # the journal could not take the order yet: what to tell the cashier


@dataclass(frozen=True)
class CleanupPending:
    """An abandoned cart could not be deleted now; start-up recovery will delete it."""

    cart_id: str
    error: PartnerError


CheckoutNotice = (StateChanged | CartUpdated | PollingUpdate | HoldExpired | CommitInDoubt | CommitSettled
                 | OrderCompleted | CleanupPending)
