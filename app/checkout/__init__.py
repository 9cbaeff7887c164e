"""One purchase as an explicit state machine, and the Station facade the window and CLI drive.

``Station`` (``station``) connects to a backend, runs start-up recovery and makes sales;
``CheckoutSession`` (``session``) is one sale; ``events`` lists its states and the events its
listeners receive; ``settle`` resolves a commit whose outcome is unknown; ``recovery`` cleans up
after a crashed run. No Qt here.
"""

from .backends import BackendOverrides, StationSetupError
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
from .station import Station

__all__ = [
    "BackendOverrides", "CartUpdated", "CheckoutError", "CheckoutNotice", "CheckoutSession", "CheckoutState",
    "CleanupPending", "CommitInDoubt", "CommitNotSettled", "CommitSettled", "HoldExpired", "IllegalTransition",
    "OrderCompleted", "PollingUpdate", "RecoveryAction", "RecoverySummary", "SettleOutcome", "StateChanged",
    "Station", "StationSetupError",
]
