"""From an HTTP error answer to its ``app.partner.errors`` type: by the documented code, else by
the HTTP status (partner-api.md 1, "Errors"). ``missing_fields_from`` reads the fields a 10002
payment answer names."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypedDict

from app.partner._models_base import ServerError
from app.partner.errors import (
    Action,
    ApiError,
    CaptchaRequired,
    ConcurrentCartRequest,
    InsufficientFunds,
    InvalidApiKey,
    InvalidCaptcha,
    InvalidCart,
    InvalidDeliveryMethod,
    InvalidInput,
    InvalidRequestStructure,
    InvalidSecurityCode,
    Niterun,
    NoInventory,
    NotApiTransactable,
    NotFound,
    PartnerError,
    PaymentDeclined,
    QuotaExceeded,
    ServiceUnavailable,
    TicketLimitReached,
    TicketTypeNotAvailable,
    UnexpectedResponse,
    UnknownApiError,
    UnpaidBalance,
    UpstreamConnectionError,
    UpstreamTimeout,
)


class _Common(TypedDict):
    """What every mapped error is told about the answer."""

    code: int
    http_status: int
    server_message: str | None


_BY_CODE: dict[int, type[ApiError]] = {
    cls.code: cls
    for cls in (
        InvalidCaptcha,
        NotApiTransactable,
        NoInventory,
        TicketTypeNotAvailable,
        TicketLimitReached,
        PaymentDeclined,
        InvalidSecurityCode,
        InsufficientFunds,
        InvalidCart,
        InvalidDeliveryMethod,
        UnpaidBalance,
        NotFound,
        ServiceUnavailable,
        UpstreamConnectionError,
        UpstreamTimeout,
        InvalidInput,
        InvalidRequestStructure,
        QuotaExceeded,
        ConcurrentCartRequest,
    )
}
_BY_STATUS: dict[int, type[ApiError]] = {
    502: UpstreamConnectionError,
    504: UpstreamTimeout,
    503: ServiceUnavailable,
    429: QuotaExceeded,
    409: ConcurrentCartRequest,
    404: NotFound,
}


def missing_fields_from(message: str) -> tuple[str, ...]:
    """Field names a 10002 message lists (``… missing: first_name, email_address``)."""
    _, sep, tail = message.partition(":")
    if not sep:
        return ()
    return tuple(
        name for name in re.split(r"[\s,;]+", tail.strip().rstrip(".")) if re.fullmatch(r"[A-Za-z_.\[\]0-9]+", name)
    )


def error_from_response(
    status: int,
    body: Any,
    *,
    captcha_context: bool = False,
    event_id: str | None = None,
    retry_at: datetime | None = None,
) -> PartnerError:
    """Map an HTTP error answer to its type.

    ``captcha_context`` is True only when the caller knows a 10004/401 means "captcha needed"
    (a reserve on an event that requires a captcha); otherwise 10004 means the API key is wrong.
    """
    server = ServerError.from_json(body)
    code = server.code if server else None
    message = server.message if server else None
    common = _Common(code=code if code is not None else status, http_status=status, server_message=message)
    if code == 10004 or (status == 401 and code is None):
        return (CaptchaRequired if captcha_context else InvalidApiKey)(**common)
    cls = _BY_CODE.get(code) if code is not None else None
    if cls is None:
        cls = _BY_STATUS.get(status)
    if cls is NotApiTransactable:
        return NotApiTransactable(event_id=event_id, **common)
    if cls is ServiceUnavailable and message and "niterun" in message.lower():
        return Niterun(**common)
    if cls is QuotaExceeded:
        return QuotaExceeded(retry_at=retry_at, **common)
    if cls is InvalidInput:
        missing = missing_fields_from(message or "")
        user = None
        if missing:
            user = "Some required payment details are missing: " + ", ".join(f.replace("_", " ") for f in missing) + "."
        return InvalidInput(user, missing_fields=missing, **common)
    if cls is not None:
        return cls(**common)
    if server is None:
        return UnexpectedResponse(f"The ticketing service answered with an error (HTTP {status}).", **common)
    retryable = status >= 500
    return UnknownApiError(
        f"The ticketing service reported a problem: {message or 'no details'} (code {code}).",
        retryable=retryable,
        action=Action.RETRY if retryable else Action.NONE,
        **common,
    )
