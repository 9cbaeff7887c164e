"""The documented error body, shared by every sandbox endpoint.

``{"error": {"message": …, "code": …, "http_code": …, "severity": "ERROR"}}`` with the matching
HTTP status. ``SandboxError`` can be raised anywhere inside a handler; the app turns it into
that body, so no handler ever leaks a traceback. Under ``/oauth/`` the OAuth service answers in
its own shape instead (``{"error": "invalid_request", "error_description": …}``, RFC 6749 5.2),
whatever the failure (``is_oauth_path``, ``oauth_error_body``).
"""

from __future__ import annotations

from starlette.responses import JSONResponse

# (message, code, http status) for every documented error; see partner-api.md section 1.
UNAUTHORIZED_CAPTCHA = ("Unauthorized access", 10004, 401)
INVALID_API_KEY = ("Unauthorized access", 10004, 401)
INVALID_CAPTCHA = ("Invalid captcha solution", 10031, 400)
NOT_TRANSACTABLE = ("Event is not API transactable", 90001, 403)
NO_INVENTORY = ("No inventory found to match request", 20052, 400)
NO_TICKET_TYPES = ("Event had no visible/usable ticket types for the current channel", 20046, 400)
TICKET_LIMIT = ("Ticket limit reached", 10161, 400)
PAYMENT_NOT_ACCEPTED = ("Payment Not Accepted", 20122, 400)
BAD_SECURITY_CODE = ("Please enter a valid security code", 20152, 400)
NO_FUNDS = ("Payment method has no funds available", 20129, 400)
INVALID_CART = ("Invalid cart", 90003, 400)
INVALID_DELIVERY = ("Invalid Delivery Method ID", 10104, 400)
NITERUN = ("Ticketing system is down/unavailable/niterun", 20001, 503)
UPSTREAM_CONNECTION = ("Connection error to upstream service", 502, 502)
UPSTREAM_TIMEOUT = ("Upstream service timeout", 504, 504)
INVALID_INPUT = ("Invalid input data type", 10002, 400)
INVALID_STRUCTURE = ("Invalid reserve request data structure", 10001, 400)
TOO_MANY_REQUESTS = ("Too many requests", 429, 429)
CONCURRENT_CART = ("Concurrent cart request", 10009, 409)
NOT_FOUND = ("Resource not found", 404, 404)
METHOD_NOT_ALLOWED = ("Method not allowed", 405, 405)
# Project choices documented in the sandbox README section:
UNPAID_BALANCE = ("Cart has an unpaid balance", 10010, 400)  # commit before the cart is fully paid
BODY_TOO_LARGE = ("Request body too large", 10002, 413)  # bodies over 64 KiB


def is_oauth_path(path: str) -> bool:
    return path == "/oauth" or path.startswith("/oauth/")


def oauth_error_body(error: str, description: str) -> dict:
    return {"error": error, "error_description": description}


def error_body(message: str, code: int, http_code: int) -> dict:
    return {"error": {"message": message, "code": code, "http_code": http_code, "severity": "ERROR"}}


def error_response(kind: tuple[str, int, int], message: str | None = None, headers: dict | None = None) -> JSONResponse:
    text, code, http_code = kind
    return JSONResponse(error_body(message or text, code, http_code), status_code=http_code, headers=headers)


class SandboxError(Exception):
    """Raise with one of the kinds above; the app answers with the documented body."""

    def __init__(self, kind: tuple[str, int, int], message: str | None = None, headers: dict | None = None) -> None:
        super().__init__(message or kind[0])
        self.kind = kind
        self.message = message
        self.headers = headers

    def response(self) -> JSONResponse:
        return error_response(self.kind, self.message, self.headers)
