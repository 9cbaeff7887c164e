"""The checkout engine's own errors; ``str()`` of each is a plain sentence for the cashier.

The service's refusals stay ``app.partner.errors.PartnerError`` (the engine passes them on); these
are the engine's own::

    CheckoutError
     ├── IllegalTransition      an operation asked for in a state that does not allow it
     ├── CommitNotSettled       the commit's outcome is unknown: settle() before anything else
     ├── SeatsNotAgreed         the cart holds other seats than the exact ones asked for
     ├── UnknownPlaces          (seats) exact places that availability does not list as free
     ├── OtherSeatsReleased     (seats) other seats were held and have been released
     ├── CashNotEnough          (paying) the cash received does not cover the amount due
     ├── JournalUnwritable      (salerecord) the journal cannot record a step before it is sent
     └── CaptchaDomainRefused   the captcha page refused this station's domain (not whitelisted)

``kept_error`` makes the copy of an error that a session keeps as ``last_error``.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .seats import SeatDifference
    from .states import CheckoutState


class CheckoutError(Exception):
    """Base of the engine's own errors; ``str()`` is a plain sentence for the cashier."""


class IllegalTransition(CheckoutError):
    """An operation was asked for in a state that does not allow it."""

    def __init__(self, current: CheckoutState, wanted: CheckoutState | str) -> None:
        self.current = current
        self.wanted = wanted
        name = wanted if isinstance(wanted, str) else wanted.value
        super().__init__(f"This sale cannot go to '{name}' while it is '{current.value}'.")


class CommitNotSettled(CheckoutError):
    """The commit's outcome is unknown; ``settle()`` must find out before anything else happens.

    ``cause`` is the client error that left it in doubt."""

    def __init__(self, cause: BaseException | None = None, message: str | None = None) -> None:
        self.cause = cause
        super().__init__(message or (
            "The connection failed while completing the sale, so it is not yet known whether it went "
            "through. The station is checking; do not sell these seats again until it has."))


class SeatsNotAgreed(CheckoutError):
    """The cart holds other seats than the exact ones asked for; the cashier must agree to them
    (``accept_seats``) or release them (``abandon``) before the sale goes on."""

    action = "pick_other_seats"

    def __init__(self, difference: SeatDifference) -> None:
        self.difference = difference
        super().__init__(f"{difference.sentence()} Keep them only if the buyer agrees; otherwise release them.")

    @property
    def user_message(self) -> str:
        return str(self)


class CaptchaDomainRefused(CheckoutError):
    """The captcha widget said its page's domain is not whitelisted for the partner account (the
    FAQ's "captcha not working"): no token can come from it until the setting or the account changes."""

    action = "check_settings"
    setting = "captcha_domain"

    def __init__(self, domain: str) -> None:
        self.domain = domain
        super().__init__(f"The captcha does not work on {domain}: that domain is not whitelisted for this partner "
                         "account. Check the whitelisted captcha domain in Settings.")

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


class CashNotEnough(CheckoutError):
    """The amount received does not cover the amount due (or reads as a slip): nothing was sent."""
