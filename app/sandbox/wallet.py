"""The sandbox's accountless wallet: turns a card into a ``wallet-wallet-…`` token.

``POST /wallet/v1/token?apiKey=…`` checks the card (required fields, types, Luhn, expiry, a
brand the sandbox knows) and answers with a token that a ``WALLET`` payment then carries in
``card.number``; ``lookup`` is how the payment side reads the card behind a token. Card numbers
live only in this process's memory and are never logged or echoed back.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .common import read_json
from .config import SandboxConfig
from .errors import INVALID_API_KEY, INVALID_INPUT, SandboxError

MAX_BODY = 16 * 1024
MAX_TOKENS = 10_000
FUNDING_METHODS = ("VISA", "MASTERCARD", "AMEX", "DISCOVER")


def luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def funding_method_for(number: str) -> str | None:
    """The card brand from its leading digits (IIN ranges), or None for brands not accepted."""
    if number.startswith("4"):
        return "VISA"
    if number[:2] in ("34", "37"):
        return "AMEX"
    if 51 <= int(number[:2]) <= 55 or 2221 <= int(number[:4]) <= 2720:
        return "MASTERCARD"
    if number.startswith(("6011", "65")) or 644 <= int(number[:3]) <= 649 or 622126 <= int(number[:6]) <= 622925:
        return "DISCOVER"
    return None


def _int_field(details: dict, name: str, low: int, high: int) -> int:
    value = details.get(name)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise SandboxError(INVALID_INPUT, f"funding_source_details.{name} is required and must be a number")
    if not low <= value <= high:
        raise SandboxError(INVALID_INPUT, f"funding_source_details.{name} must be between {low} and {high}")
    return value


def _optional_object(body: dict, name: str) -> dict:
    value = body.get(name, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SandboxError(INVALID_INPUT, f"{name} must be an object")
    return value


class WalletService:
    """Card tokens for accountless wallet payments."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._cards: OrderedDict[str, dict] = OrderedDict()

    def lookup(self, token: str) -> dict | None:
        """The card behind a wallet token: account_number, expiration_month/_year, funding_method."""
        if not isinstance(token, str):
            return None
        with self._lock:
            card = self._cards.get(token)
        return dict(card) if card else None

    def reset(self) -> None:
        with self._lock:
            self._cards.clear()

    def routes(self) -> list[Route]:
        return [Route("/wallet/v1/token", self._token, methods=["POST"])]

    async def _token(self, request: Request) -> Response:
        try:
            key = request.query_params.get("apiKey", request.query_params.get("apikey"))
            if key not in self.config.api_keys:
                raise SandboxError(INVALID_API_KEY)
            body = await read_json(request, MAX_BODY)
            return JSONResponse(self._tokenize(body))
        except SandboxError as exc:
            return exc.response()

    def _tokenize(self, body: dict) -> dict:
        _optional_object(body, "flow_attributes")
        if body.get("funding_source") != "creditcard":
            raise SandboxError(INVALID_INPUT, 'funding_source is required and must be "creditcard"')
        details = body.get("funding_source_details")
        if not isinstance(details, dict):
            raise SandboxError(INVALID_INPUT, "funding_source_details is required and must be an object")
        number = details.get("account_number")
        if not isinstance(number, str) or not number.isascii() or not number.isdigit() or not 12 <= len(number) <= 19:
            raise SandboxError(
                INVALID_INPUT, "funding_source_details.account_number must be a string of 12 to 19 digits"
            )
        if not luhn_valid(number):
            raise SandboxError(INVALID_INPUT, "funding_source_details.account_number is not a valid card number")
        funding_method = funding_method_for(number)
        if funding_method is None:
            raise SandboxError(INVALID_INPUT, "This card brand is not accepted (VISA, MASTERCARD, AMEX, DISCOVER only)")
        month = _int_field(details, "expiration_month", 1, 12)
        year = _int_field(details, "expiration_year", 2000, 2099)
        now = self.clock()
        if (year, month) < (now.year, now.month):
            raise SandboxError(INVALID_INPUT, "The card has expired")
        address = _optional_object(details, "billing_address")
        if not all(isinstance(k, str) and isinstance(v, (str, type(None))) for k, v in address.items()):
            raise SandboxError(INVALID_INPUT, "funding_source_details.billing_address values must be strings")
        token = "wallet-wallet-" + uuid.uuid4().hex
        card = {
            "account_number": number,
            "expiration_month": month,
            "expiration_year": year,
            "funding_method": funding_method,
        }
        with self._lock:
            self._cards[token] = card
            while len(self._cards) > MAX_TOKENS:
                self._cards.popitem(last=False)
        return {
            "token": token,
            "validated": False,
            "billing_address": address,
            "funding_method": funding_method,
            "funding_source": "creditcard",
            "expiration_month": month,
            "expiration_year": year,
        }
