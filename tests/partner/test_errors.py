"""Every documented error code becomes its own type with a cashier's sentence and one action."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.partner import errors
from app.partner.errormap import error_from_response
from app.partner.errors import Action

DOCUMENTED = [  # (message, code, http status, type, action, retryable) from partner-api.md section 1
    ("Invalid captcha solution", 10031, 400, errors.InvalidCaptcha, Action.NEW_CAPTCHA, True),
    ("Event is not API transactable", 90001, 403, errors.NotApiTransactable, Action.OPEN_TICKETMASTER, False),
    ("No inventory found to match request", 20052, 400, errors.NoInventory, Action.PICK_OTHER_SEATS, False),
    ("Event had no visible/usable ticket types for the current channel", 20046, 400,
     errors.TicketTypeNotAvailable, Action.PICK_OTHER_SEATS, False),
    ("Ticket limit reached", 10161, 400, errors.TicketLimitReached, Action.FIX_INPUT, False),
    ("Payment Not Accepted", 20122, 400, errors.PaymentDeclined, Action.FIX_INPUT, False),
    ("Please enter a valid security code", 20152, 400, errors.InvalidSecurityCode, Action.FIX_INPUT, False),
    ("Payment method has no funds available", 20129, 400, errors.InsufficientFunds, Action.FIX_INPUT, False),
    ("Invalid cart", 90003, 400, errors.InvalidCart, Action.START_OVER, False),
    ("Invalid Delivery Method ID", 10104, 400, errors.InvalidDeliveryMethod, Action.FIX_INPUT, False),
    ("Ticketing system is down/unavailable/niterun", 20001, 503, errors.Niterun, Action.WAIT_AND_RETRY, True),
    ("Ticketing system is down", 20001, 503, errors.ServiceUnavailable, Action.WAIT_AND_RETRY, True),
    ("Connection error to upstream service", 502, 502, errors.UpstreamConnectionError, Action.RETRY, True),
    ("Upstream service timeout", 504, 504, errors.UpstreamTimeout, Action.RETRY, True),
    ("Invalid input data type", 10002, 400, errors.InvalidInput, Action.FIX_INPUT, False),
    ("Invalid reserve request data structure", 10001, 400, errors.InvalidRequestStructure, Action.START_OVER, False),
    ("Too many requests", 429, 429, errors.QuotaExceeded, Action.WAIT_AND_RETRY, True),
    ("Concurrent cart request", 10009, 409, errors.ConcurrentCartRequest, Action.RETRY, True),
    # Project choices of the sandbox beyond the documented table:
    ("Cart has an unpaid balance of 10.00 USD", 10010, 400, errors.UnpaidBalance, Action.FIX_INPUT, False),
    ("Unknown event 3B00NOPE", 404, 404, errors.NotFound, Action.START_OVER, False),
]


def _body(message, code, status):
    return {"error": {"message": message, "code": code, "http_code": status, "severity": "ERROR"}}


@pytest.mark.parametrize("message, code, status, kind, action, retryable", DOCUMENTED)
def test_documented_codes_map_to_their_types(message, code, status, kind, action, retryable):
    error = error_from_response(status, _body(message, code, status), event_id="0B004D43F86C478F")
    assert type(error) is kind
    assert (error.code, error.http_status, error.server_message) == (code, status, message)
    assert error.action is action and error.retryable is retryable
    assert error.user_message and error.user_message.endswith(".") and str(error) == error.user_message


def test_unauthorized_means_captcha_only_in_a_captcha_context():
    body = _body("Unauthorized access", 10004, 401)
    assert type(error_from_response(401, body)) is errors.InvalidApiKey
    assert type(error_from_response(401, body, captcha_context=True)) is errors.CaptchaRequired


def test_missing_payment_fields_are_named_for_the_cashier():
    error = error_from_response(400, _body("Missing required payment field(s): home_phone, address.postal_code",
                                           10002, 400))
    assert error.missing_fields == ("home_phone", "address.postal_code")
    assert "home phone" in error.user_message and "address.postal code" in error.user_message


def test_quota_error_carries_when_to_retry():
    when = datetime(2030, 1, 1, tzinfo=UTC)
    error = error_from_response(429, _body("Too many requests", 429, 429), retry_at=when)
    assert error.retry_at == when


def test_unknown_codes_and_non_json_answers_still_explain_themselves():
    unknown = error_from_response(400, _body("Something new", 77777, 400))
    assert type(unknown) is errors.UnknownApiError and "Something new" in unknown.user_message
    assert not unknown.retryable
    html = error_from_response(500, None)
    assert type(html) is errors.UnexpectedResponse and "HTTP 500" in html.user_message


def test_network_family_says_whether_the_request_may_have_happened():
    assert errors.ConnectionLost().outcome_unknown and errors.ConnectionLost().retryable
    assert not errors.ServiceUnreachable().outcome_unknown
    assert issubclass(errors.RequestTimeout, errors.NetworkError)
    for kind in (errors.PollingCancelled, errors.PollingTimedOut, errors.UnexpectedResponse,
                 errors.InsecureConnection, errors.SignInFailed, errors.SignInRequired):
        assert issubclass(kind, errors.PartnerError) and kind().user_message
