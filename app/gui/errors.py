"""What the cashier is told when something fails: one plain sentence and one helpful action.

``describe(exc)`` turns any exception into an ``ErrorView``: a sentence a cashier understands (never
a traceback or an HTTP status) and the one ``ActionKind`` that helps, with its button label. Engine
errors (``app.partner.errors.PartnerError`` and the checkout engine's own errors) already carry a
cashier-facing ``user_message`` and an ``action``; this module maps that action to a button. Any
other exception is a bug: the cashier gets a calm sentence, the log gets the traceback (see
``asyncutil``).

This module holds no widgets; ``app.gui.errorbanner.ErrorBanner`` shows an ``ErrorView``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.partner.errors import Action, PollingCancelled

# The one thing the cashier can do about an error: the engine's own ``Action`` (``NONE``: just "OK").
ActionKind = Action

ACTION_LABELS: dict[ActionKind, str] = {
    ActionKind.RETRY: "Retry",
    ActionKind.NEW_CAPTCHA: "New captcha",
    ActionKind.PICK_OTHER_SEATS: "Pick other seats",
    ActionKind.SIGN_IN_AGAIN: "Sign in again",
    ActionKind.FIX_INPUT: "Fix the details",
    ActionKind.OPEN_TICKETMASTER: "Open on Ticketmaster",
    ActionKind.WAIT_AND_RETRY: "Retry later",
    ActionKind.CHECK_SETTINGS: "Check settings…",
    ActionKind.START_OVER: "Start over",
    ActionKind.NONE: "OK",
}

# Sentences for failures that carry no message of their own.
_NETWORK_SENTENCE = "The ticketing service could not be reached. Check the connection and try again."
_BUG_SENTENCE = "Something went wrong inside Box Office. The details were written to the log."
_DOMAIN_MODULES = ("app.partner", "app.checkout", "app.storage")


@dataclass(frozen=True)
class ErrorView:
    """An error as the cashier sees it."""

    sentence: str
    action: ActionKind
    expected: bool
    url: str | None = None  # for OPEN_TICKETMASTER: the event's page, as the engine gave it
    setting: str | None = None  # for CHECK_SETTINGS: the settings field at fault (the panel opens there)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


def is_quiet(exc: BaseException) -> bool:
    """Failures that are the cashier's own doing (cancelled a wait): nothing to report."""
    return isinstance(exc, (asyncio.CancelledError, PollingCancelled))


def is_expected(exc: BaseException) -> bool:
    """True for the engine's documented errors (and network failures); False for bugs."""
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    return any(cls.__module__.startswith(_DOMAIN_MODULES) for cls in type(exc).__mro__ if cls is not object)


def action_kind(engine_action: object) -> ActionKind:
    """The engine's ``Action`` as it is; anything else (missing, unknown) is ``NONE``."""
    if isinstance(engine_action, Action):
        return engine_action
    try:
        return Action[str(engine_action or "none").upper()]
    except KeyError:
        return Action.NONE


def _sentence(text: object) -> str:
    sentence = " ".join(str(text or "").split())
    if sentence and sentence[-1] not in ".!?…":
        sentence += "."
    return sentence[:1].upper() + sentence[1:]


def setting_at_fault(exc: BaseException) -> str:
    """The settings field a "Check settings…" should open at: the error's own ``setting`` when it
    names one, else what its type and sentence point at ("backend": where the service is reached)."""
    named = getattr(exc, "setting", None)
    if isinstance(named, str) and named:
        return named
    text = str(getattr(exc, "user_message", "") or exc).lower()
    if "api key" in text:
        return "api_key"
    if "ca bundle" in text or "untrusted certificate" in text:
        return "ca_bundle"
    if "client secret" in text or "client id" in text:
        return "client_secret"
    if "redirect" in text:
        return "redirect_uri"
    return "backend"


def describe(exc: BaseException) -> ErrorView:
    """The plain sentence and the one action for ``exc``."""
    if is_expected(exc):
        message = getattr(exc, "user_message", None) or (str(exc) if not isinstance(exc, OSError) else "")
        action = action_kind(getattr(exc, "action", None))
        if type(exc).__name__ == "StationSetupError":  # the station's backend settings are incomplete
            action = ActionKind.CHECK_SETTINGS
        if isinstance(exc, (ConnectionError, TimeoutError)) and not getattr(exc, "user_message", None):
            return ErrorView(_NETWORK_SENTENCE, ActionKind.RETRY, True)
        if action is ActionKind.NONE and getattr(exc, "retryable", False):
            action = ActionKind.RETRY
        url = getattr(exc, "ticketmaster_url", None) or getattr(exc, "url", None)
        if action is ActionKind.OPEN_TICKETMASTER and not url:
            # Without the link the button could not help; the sentence still says where to go.
            action = ActionKind.NONE
        setting = setting_at_fault(exc) if action is ActionKind.CHECK_SETTINGS else None
        return ErrorView(_sentence(message) or _NETWORK_SENTENCE, action, True, url if url else None, setting)
    return ErrorView(_BUG_SENTENCE, ActionKind.NONE, False)
