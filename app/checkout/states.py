"""The states of one sale and which moves between them are legal.

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

**The abandon policy**, decided here once (``CheckoutState.abandonable``, asked through
``CheckoutSession.can_abandon`` by the window's "Cancel sale", the command line's clean-up and the
station's close): a sale may be given up — its cart deleted, its seats released — in every state
before the commit, including a reserve still polling; never while the commit is under way or its
outcome is unknown (the seats may be sold: only settling ends those); and a sale that is over has
nothing left to abandon.
"""

from __future__ import annotations

import enum

from .errors import IllegalTransition


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

    # Members are singletons compared by identity: hash them by identity too, in C. (Enum's own
    # __hash__, hash(self._name_), is Python code, and every move asks several frozensets.)
    __hash__ = object.__hash__

    @property
    def terminal(self) -> bool:
        return self in TERMINAL

    @property
    def abandonable(self) -> bool:
        """May the sale be given up now (see the abandon policy in the module docstring)?"""
        return not self.terminal and self not in (CheckoutState.COMMITTING, CheckoutState.COMMIT_IN_DOUBT)

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


def check_transition(current: CheckoutState, wanted: CheckoutState) -> None:
    if wanted not in ALLOWED[current]:
        raise IllegalTransition(current, wanted)
