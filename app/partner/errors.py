"""Every way a Partner API call can fail, as exception types.

Hierarchy::

    PartnerError                      code, http_status, server_message, user_message, retryable, action
    ├── ApiError                      the service answered with the documented error body
    │   ├── InvalidApiKey             10004/401 on any call: the API key is wrong or missing
    │   ├── CaptchaRequired           10004/401 on a reserve: a captcha solution is needed
    │   ├── InvalidCaptcha            10031: token wrong or used; show a fresh captcha
    │   ├── NotApiTransactable        90001: sell on ticketmaster.com instead (``ticketmaster_url``)
    │   ├── NoInventory               20052: sold out / no contiguous seats
    │   ├── TicketTypeNotAvailable    20046: ticket type not sold through this channel
    │   ├── TicketLimitReached        10161
    │   ├── PaymentError              the card or payment was refused
    │   │   ├── PaymentDeclined       20122
    │   │   ├── InvalidSecurityCode   20152
    │   │   └── InsufficientFunds     20129
    │   ├── InvalidCart               90003: cart unknown, expired, committed or deleted
    │   ├── InvalidDeliveryMethod     10104
    │   ├── UnpaidBalance             10010: commit before the cart is fully paid (project choice)
    │   ├── NotFound                  404: unknown event, or a polling request already answered
    │   ├── ServiceUnavailable        20001/503: host down
    │   │   └── Niterun               20001 during the nightly maintenance window
    │   ├── UpstreamError             transient; a commit may nevertheless have gone through
    │   │   ├── UpstreamConnectionError  502
    │   │   └── UpstreamTimeout       504
    │   ├── InvalidInput              10002: malformed body or missing required payment fields
    │   ├── InvalidRequestStructure   10001
    │   ├── QuotaExceeded             429 (``retry_at``)
    │   ├── ConcurrentCartRequest     10009/409
    │   ├── SignInRequired            member token missing/expired/revoked: sign in again
    │   └── UnknownApiError           any other code
    ├── NetworkError                  no usable answer arrived
    │   ├── ServiceUnreachable        connection refused, DNS failure, TLS failure: nothing was sent
    │   ├── RequestTimeout            no answer in time (``outcome_unknown`` after a sent request)
    │   └── ConnectionLost            the connection dropped mid-answer: the call may have happened
    ├── PollingCancelled              the user or the app stopped waiting on a 202
    ├── PollingTimedOut               202s for longer than the overall limit
    ├── UnexpectedResponse            not JSON, or not the documented shape
    ├── InsecureConnection            plain http to a host that is not loopback
    └── SignInFailed                  OAuth sign-in flow failed (state mismatch, refused, no code)

``polling_url`` is set on failures that happened while polling (``PartnerClient.resume.polling``).
``outcome_unknown`` is True when the request may have been carried out by the service although
no success answer arrived (connection lost, read timeout, 502/504): never blindly repeat a commit
then. ``user_message`` is one plain sentence a cashier understands; ``action`` is the one thing
that helps. ``app.partner.errormap.error_from_response`` turns an HTTP error answer into the right type.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any


class Action(enum.Enum):
    RETRY = "retry"
    NEW_CAPTCHA = "new_captcha"
    PICK_OTHER_SEATS = "pick_other_seats"
    SIGN_IN_AGAIN = "sign_in_again"
    FIX_INPUT = "fix_input"
    OPEN_TICKETMASTER = "open_ticketmaster"
    WAIT_AND_RETRY = "wait_and_retry"
    CHECK_SETTINGS = "check_settings"
    START_OVER = "start_over"
    NONE = "none"


class PartnerError(Exception):
    """Base of every client error. Class attributes give the defaults; instances may override."""

    code: int | None = None
    http_status: int | None = None
    default_message = "The ticketing service could not complete the request."
    retryable = False
    action = Action.NONE
    outcome_unknown = False
    # The last polling URL when the failure happened while polling (``client.resume.polling`` can carry
    # on from it). It holds the API key: never shown, logged or stored.
    polling_url: str | None = None

    def __init__(
        self,
        user_message: str | None = None,
        *,
        code: int | None = None,
        http_status: int | None = None,
        server_message: str | None = None,
        retryable: bool | None = None,
        action: Action | None = None,
        outcome_unknown: bool | None = None,
    ) -> None:
        self.user_message = user_message or self.default_message
        if code is not None:
            self.code = code
        if http_status is not None:
            self.http_status = http_status
        self.server_message = server_message
        if retryable is not None:
            self.retryable = retryable
        if action is not None:
            self.action = action
        if outcome_unknown is not None:
            self.outcome_unknown = outcome_unknown
        super().__init__(self.user_message)

    def __str__(self) -> str:
        return self.user_message


class ApiError(PartnerError):
    pass


class InvalidApiKey(ApiError):
    code, http_status = 10004, 401
    default_message = "The ticketing service refused this station's API key. Check the API key in Settings."
    action = Action.CHECK_SETTINGS


class CaptchaRequired(ApiError):
    code, http_status = 10004, 401
    default_message = "This event asks for a captcha before seats can be held. Solve it to continue."
    action = Action.NEW_CAPTCHA
    retryable = True


class InvalidCaptcha(ApiError):
    code, http_status = 10031, 400
    default_message = "The captcha answer was not accepted (wrong or already used). Please solve a new captcha."
    action = Action.NEW_CAPTCHA
    retryable = True


class NotApiTransactable(ApiError):
    code, http_status = 90001, 403
    default_message = "This event cannot be sold from this station. The buyer can purchase it on ticketmaster.com."
    action = Action.OPEN_TICKETMASTER

    def __init__(self, *args: Any, event_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_id = event_id
        self.ticketmaster_url = f"https://www.ticketmaster.com/event/{event_id}" if event_id else "https://www.ticketmaster.com/"


class NoInventory(ApiError):
    code, http_status = 20052, 400
    default_message = "Those seats are no longer available (sold out, or not enough seats together). Pick other seats."
    action = Action.PICK_OTHER_SEATS


class TicketTypeNotAvailable(ApiError):
    code, http_status = 20046, 400
    default_message = "This ticket type cannot be sold from this station. Choose another ticket type."
    action = Action.PICK_OTHER_SEATS


class TicketLimitReached(ApiError):
    code, http_status = 10161, 400
    default_message = "The ticket limit for this buyer has been reached. Choose fewer tickets."
    action = Action.FIX_INPUT


class PaymentError(ApiError):
    default_message = "The payment was not accepted."
    action = Action.FIX_INPUT


class PaymentDeclined(PaymentError):
    code, http_status = 20122, 400
    default_message = "The card was declined. Ask for another card."


class InvalidSecurityCode(PaymentError):
    code, http_status = 20152, 400
    default_message = "The security code (CVV) is not valid. Check the 3 or 4 digits on the card."


class InsufficientFunds(PaymentError):
    code, http_status = 20129, 400
    default_message = "The card has no funds available. Ask for another card."


class InvalidCart(ApiError):
    code, http_status = 90003, 400
    default_message = ("The held seats have been released (the hold expired or the cart was closed). "
                       "Start the sale again.")
    action = Action.START_OVER


class InvalidDeliveryMethod(ApiError):
    code, http_status = 10104, 400
    default_message = "That delivery method is not offered for these tickets. Choose another one."
    action = Action.FIX_INPUT


class UnpaidBalance(ApiError):
    code, http_status = 10010, 400
    default_message = "The sale is not fully paid yet. Add a payment before completing it."
    action = Action.FIX_INPUT


class NotFound(ApiError):
    code, http_status = 404, 404
    default_message = "The ticketing service does not know this event or request (it may have been removed)."
    action = Action.START_OVER


class ServiceUnavailable(ApiError):
    code, http_status = 20001, 503
    default_message = "The ticketing system for this event is down at the moment. Try again later."
    action = Action.WAIT_AND_RETRY
    retryable = True


class Niterun(ServiceUnavailable):
    default_message = (
        "The ticketing system for this event is in its nightly maintenance "
        "(midnight to 2 a.m. at the venue). Try again after 2 a.m. venue time."
    )


class UpstreamError(ApiError):
    retryable = True
    action = Action.RETRY


class UpstreamConnectionError(UpstreamError):
    code, http_status = 502, 502
    default_message = "The ticketing service had a connection problem. Try again in a moment."


class UpstreamTimeout(UpstreamError):
    code, http_status = 504, 504
    default_message = "The ticketing service took too long to answer. Try again in a moment."


class InvalidInput(ApiError):
    code, http_status = 10002, 400
    default_message = "Some details were missing or in the wrong format. Check the form and try again."
    action = Action.FIX_INPUT

    def __init__(self, *args: Any, missing_fields: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing_fields = missing_fields


class InvalidRequestStructure(ApiError):
    code, http_status = 10001, 400
    default_message = "The ticketing service did not understand the request. Start the sale again."
    action = Action.START_OVER


class QuotaExceeded(ApiError):
    code, http_status = 429, 429
    default_message = "Too many requests to the ticketing service. Wait a moment and try again."
    action = Action.WAIT_AND_RETRY
    retryable = True

    def __init__(self, *args: Any, retry_at: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_at = retry_at


class ConcurrentCartRequest(ApiError):
    code, http_status = 10009, 409
    default_message = "Another request for this sale was still running. Try again."
    action = Action.RETRY
    retryable = True


class SignInRequired(ApiError):
    http_status = 401
    default_message = "The member's sign-in has expired. Ask them to sign in again."
    action = Action.SIGN_IN_AGAIN


class UnknownApiError(ApiError):
    default_message = "The ticketing service reported an unexpected problem."


class NetworkError(PartnerError):
    default_message = "The ticketing service could not be reached. Check the network connection."
    retryable = True
    action = Action.RETRY


class ServiceUnreachable(NetworkError):
    default_message = "The ticketing service could not be reached. Check the network connection and the server address."
    action = Action.CHECK_SETTINGS


class RequestTimeout(NetworkError):
    default_message = "The ticketing service did not answer in time. Try again."


class ConnectionLost(NetworkError):
    default_message = (
        "The connection dropped before the ticketing service answered. The request may or may not have gone through."
    )
    outcome_unknown = True


class PollingCancelled(PartnerError):
    default_message = "Stopped waiting for the ticketing service."
    action = Action.NONE


class PollingTimedOut(PartnerError):
    default_message = "The ticketing service is very busy and did not finish in time. Try again later."
    retryable = True
    action = Action.WAIT_AND_RETRY


class UnexpectedResponse(PartnerError):
    default_message = "The ticketing service sent an answer this station does not understand."
    action = Action.CHECK_SETTINGS


class InsecureConnection(PartnerError):
    default_message = "The server address must use https:// (plain http is only allowed for this computer)."
    action = Action.CHECK_SETTINGS


class SignInFailed(PartnerError):
    default_message = "The member sign-in did not complete. Try signing in again."
    action = Action.SIGN_IN_AGAIN
