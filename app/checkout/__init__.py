"""One purchase as an explicit state machine, and the Station facade the window and CLI drive.

``Station`` (``station``) connects to a backend (``backends``: overrides, settings, or the embedded
sandbox through its seam), runs start-up recovery and makes sales. ``CheckoutSession``
(``session``) is one sale, made of parts that own their state: ``salecore`` (state, listeners,
held cart, hold clock), the reserve/delivery/payment steps, and ``commit`` (the commit and settling
it). ``states`` holds the states and the abandon policy; ``errors`` the engine's own errors;
``notices`` what listeners hear; ``settle`` how a commit in doubt is settled, and the settle policy
both front ends follow; ``salerecord`` the journal writes; ``holdclock`` the hold countdown;
``recovery`` clean-up after a crashed run.

Every sale rule is decided here once, and the window and the CLI both ask it: ``sellability`` (can
this event be sold now), ``niterun`` (the nightly maintenance), ``cardrules``, ``buyerrules``,
``countries`` and ``paymentform`` (the payment form), ``quantities`` (limits, a single seat left
alone), ``delivery`` (the default delivery option), ``seatlabels`` (how seats are written) and
``seats`` (exact seats). No Qt here.
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
from .settle import DoubtOutcome, SettlePolicy, SettleReport
from .states import CheckoutState
from .station import Station

__all__ = [
    "BackendOverrides", "CartUpdated", "CheckoutError", "CheckoutNotice", "CheckoutSession", "CheckoutState",
    "CleanupPending", "CommitInDoubt", "CommitNotSettled", "CommitSettled", "DoubtOutcome", "HoldExpired",
    "IllegalTransition", "OrderCompleted", "PollingUpdate", "RecoveryAction", "RecoverySummary", "SettleOutcome",
    "SettlePolicy", "SettleReport", "StateChanged", "Station", "StationSetupError",
]
