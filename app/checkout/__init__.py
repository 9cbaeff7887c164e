"""One purchase as an explicit state machine, and the Station facade the window and CLI drive.

``Station`` (``station``) connects to a backend, runs start-up recovery and makes sales;
``CheckoutSession`` (``session``) is one sale; ``states``, ``errors`` and ``notices`` are its states,
its errors and what its listeners receive; ``settle`` resolves a commit whose outcome is unknown;
``recovery`` cleans up after a crashed run. Every sale rule is decided here once, and the window
and the CLI both ask it: ``sellability`` (can this event be sold now), ``niterun`` (the nightly
maintenance), ``cardrules``, ``buyerrules``, ``countries`` and ``paymentform`` (the payment form),
``quantities`` (limits, a single seat left alone), ``delivery`` (the default delivery option),
``seatlabels`` (how seats are written) and ``seats`` (exact seats). No Qt here.
"""

from .errors import CheckoutError, CommitNotSettled, IllegalTransition
from .notices import (
    CartUpdated,
    CheckoutNotice,
    CleanupPending,
    CommitInDoubt,
    CommitSettled,
    HoldExpired,
    OrderCompleted,
    PollingUpdate,
    SettleOutcome,
    StateChanged,
)
from .recovery import RecoveryAction, RecoverySummary
from .session import CheckoutSession
from .states import CheckoutState
from .station import BackendOverrides, Station, StationSetupError

__all__ = [
    "BackendOverrides", "CartUpdated", "CheckoutError", "CheckoutNotice", "CheckoutSession", "CheckoutState",
    "CleanupPending", "CommitInDoubt", "CommitNotSettled", "CommitSettled", "HoldExpired", "IllegalTransition",
    "OrderCompleted", "PollingUpdate", "RecoveryAction", "RecoverySummary", "SettleOutcome", "StateChanged",
    "Station", "StationSetupError",
]
