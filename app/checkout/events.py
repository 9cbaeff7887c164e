"""The checkout's states, which moves between them are legal, and the events listeners receive.

A sale moves::

    idle ──► reserving ──► reserved ──► shipping_chosen ──► paid ──► committing ──► completed
      ▲          │            │  └───────────(skip shipping)──┘           │
      └──(failed reserve: nothing held; "failed" when retrying cannot help) ▼
                                                                     commit_in_doubt ──► completed
                                                                        (settle)     ──► paid (not committed)
                                                                                     ──► expired
    any state before committing ──► abandoned (cart deleted) / expired (hold ran out) /
                                    failed (the service cannot go on with the cart; it is released)

``completed``, ``abandoned``, ``expired`` and ``failed`` are terminal. ``committing`` and
``commit_in_doubt`` can be neither abandoned nor expired by the clock: only settling ends them.
Listeners get plain frozen dataclasses (``StateChanged``, ``CartUpdated``, ``PollingUpdate``,
``HoldExpired``, ``CommitInDoubt``, ``CommitSettled``, ``OrderCompleted``, ``CleanupPending``).
"""

from __future__ import annotations

import copy
import enum
from dataclasses import dataclass

from app.partner.errors import PartnerError
from app.partner.models import Cart, CommitResult, PollingProgress


class CheckoutState(enum.Enum):
    IDLE = "idle"
    RESERVING = "reserving"
    RESERVED = "reserved"
    SHIPPING_CHOSEN = "shipping_chosen"
    PAID = "paid"
    COMMITTING = "committing"
    COMMIT_IN_DOUBT = "commit_in_doubt"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    EXPIRED = "expired"
    FAILED = "failed"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL

    @property
    def holds_cart(self) -> bool:
        """A cart is held on the server and the hold clock applies."""
        return self in (CheckoutState.RESERVED, CheckoutState.SHIPPING_CHOSEN, CheckoutState.PAID)


S = CheckoutState
TERMINAL = frozenset({S.COMPLETED, S.ABANDONED, S.EXPIRED, S.FAILED})

ALLOWED: dict[CheckoutState, frozenset[CheckoutState]] = {
    S.IDLE: frozenset({S.RESERVING, S.ABANDONED}),
    S.RESERVING: frozenset({S.RESERVED, S.IDLE, S.ABANDONED, S.FAILED}),
    S.RESERVED: frozenset({S.SHIPPING_CHOSEN, S.PAID, S.ABANDONED, S.EXPIRED, S.FAILED}),
    S.SHIPPING_CHOSEN: frozenset({S.SHIPPING_CHOSEN, S.PAID, S.ABANDONED, S.EXPIRED, S.FAILED}),
    S.PAID: frozenset({S.COMMITTING, S.ABANDONED, S.EXPIRED, S.FAILED}),
    S.COMMITTING: frozenset({S.COMPLETED, S.COMMIT_IN_DOUBT, S.PAID, S.EXPIRED, S.FAILED}),
    S.COMMIT_IN_DOUBT: frozenset({S.COMPLETED, S.PAID, S.EXPIRED}),
    S.COMPLETED: frozenset(),
    S.ABANDONED: frozenset(),
    S.EXPIRED: frozenset(),
    S.FAILED: frozenset(),
}


class CheckoutError(Exception):
    """Base of the engine's own errors; ``str()`` is a plain sentence for the cashier."""


class IllegalTransition(CheckoutError):
    """An operation was asked for in a state that does not allow it."""

    def __init__(self, current: CheckoutState, wanted: CheckoutState | str) -> None:
        self.current = current
        self.wanted = wanted
        name = wanted.value if isinstance(wanted, CheckoutState) else wanted
        super().__init__(f"This sale cannot go to '{name}' while it is '{current.value}'.")


class CommitNotSettled(CheckoutError):
    """The commit's outcome is unknown; ``settle()`` must find out before anything else happens.

    ``cause`` is the client error that left it in doubt."""

    def __init__(self, cause: BaseException | None = None) -> None:
        self.cause = cause
        super().__init__(
            "The connection failed while completing the sale, so it is not yet known whether it went "
            "through. The station is checking; do not sell these seats again until it has.")


class SeatsNotAgreed(CheckoutError):
    """The cart holds other seats than the exact ones asked for; the cashier must agree to them
    (``accept_seats``) or release them (``abandon``) before the sale goes on."""

    action = "pick_other_seats"

    def __init__(self, difference) -> None:
        self.difference = difference
        super().__init__(f"{difference.sentence()} Keep them only if the buyer agrees; otherwise release them.")

    @property
    def user_message(self) -> str:
        return str(self)


def kept_error(exc: BaseException) -> BaseException:
    """A copy of ``exc`` for ``last_error``, without traceback or chained errors: a traceback keeps
    its frames alive, and a payment's frames hold the card (number, CVV). The raised error keeps its
    traceback; one that cannot be copied is itself cut loose from its frames."""
    try:
        kept = copy.copy(exc)
    except Exception:  # an exception type that cannot be rebuilt from its args
        kept = None
    if type(kept) is not type(exc):
        kept = exc
    kept.__cause__ = kept.__context__ = None
    return kept.with_traceback(None)


def check_transition(current: CheckoutState, wanted: CheckoutState) -> None:
    if wanted not in ALLOWED[current]:
        raise IllegalTransition(current, wanted)


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


CheckoutEvent = (StateChanged | CartUpdated | PollingUpdate | HoldExpired | CommitInDoubt | CommitSettled
                 | OrderCompleted | CleanupPending)
