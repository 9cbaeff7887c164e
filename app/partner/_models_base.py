"""Parsing helpers shared by all models, plus the small protocol-level models.

Money, strings, ints and instants are read leniently from JSON (absent or null → a default);
``Quota``/``QuotaStatus`` describe the ``Ratelimit-*`` headers, ``PollingAnswer`` a 202 body,
``PollingProgress`` what the polling loop reports, ``ServerError`` the documented error body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from math import isfinite
from typing import Any

ZERO = Decimal("0")


def money_or_none(value: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal (``Decimal(str(x))``), or None when absent/blank."""
    kind = type(value)  # JSON numbers first: a cart answer carries dozens of them
    if kind is int:
        return Decimal(value)
    if kind is float:
        return Decimal(repr(value)) if isfinite(value) else None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def money(value: Any) -> Decimal:
    """Like ``money_or_none`` but an absent amount counts as zero."""
    parsed = money_or_none(value)
    return ZERO if parsed is None else parsed


def text(value: Any) -> str | None:
    """Ids and names as strings (numbers included: ``2`` → ``"2"``); absent → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def integer(value: Any, default: int = 0) -> int:
    if value is None or isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        try:
            return int(float(value))
        except (TypeError, ValueError, OverflowError):
            return default


def integer_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def flag(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, (dict, Mapping)) else {}


def items(value: Any) -> list[Any] | tuple[Any, ...]:
    return value if isinstance(value, (list, tuple)) else ()


def _from_epoch_ms(value: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_instant(value: Any) -> datetime | None:
    """An ISO-8601 instant (``2015-12-07T00:00:00Z``) or epoch milliseconds → aware datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch_ms(value)
    raw = str(value).strip()
    if raw.endswith("Z") or raw.endswith("z"):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def dated_value(value: Any) -> datetime | None:
    """``{"format": "datetime", "value": "…"}`` (event details) or a bare instant string."""
    if isinstance(value, Mapping):
        return parse_instant(value.get("value"))
    return parse_instant(value)


@dataclass(frozen=True)
class ServerError:
    """The documented error body ``{"error": {"message", "code", "http_code", "severity"}}``."""

    message: str
    code: int | None
    http_code: int | None
    severity: str | None

    @classmethod
    def from_json(cls, data: Any) -> ServerError | None:
        body = mapping(mapping(data).get("error"))
        if not body:
            return None
        return cls(
            message=text(body.get("message")) or "",
            code=integer_or_none(body.get("code")),
            http_code=integer_or_none(body.get("http_code")),
            severity=text(body.get("severity")),
        )


@dataclass(frozen=True)
class PollingAnswer:
    """A 202 body: where to ask next and after how many seconds."""

    polling_url: str
    wait: float

    @classmethod
    def from_json(cls, data: Any) -> PollingAnswer:
        body = mapping(data)
        wait = money_or_none(body.get("wait"))
        return cls(polling_url=text(body.get("polling_url")) or "", wait=float(wait) if wait is not None else 1.0)


@dataclass(frozen=True)
class PollingProgress:
    """Reported before each wait: ``round`` counts the 202 answers received so far (1-based);
    ``cart_id`` is the cart the polling URL names (a reserve's cart is known here before it ends)."""

    operation: str
    round: int
    seconds_until_next_try: float
    cart_id: str | None = None


@dataclass(frozen=True)
class Quota:
    """One rate-limit window as the service reported it in ``Ratelimit-*`` headers.

    ``/events`` reports allowed + used; availability reports allowed + available. ``remaining``
    is whichever is known. ``resets_at`` comes from ``Ratelimit-Expiry`` (epoch milliseconds).
    """

    allowed: int | None
    used: int | None
    available: int | None
    resets_at: datetime | None

    @property
    def remaining(self) -> int | None:
        if self.available is not None:
            return self.available
        if self.allowed is not None and self.used is not None:
            return max(0, self.allowed - self.used)
        return None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Quota | None:
        lowered = {k.lower(): v for k, v in headers.items()}
        allowed = integer_or_none(lowered.get("ratelimit-quota-allowed"))
        used = integer_or_none(lowered.get("ratelimit-quota-used"))
        available = integer_or_none(lowered.get("ratelimit-quota-available"))
        expiry = integer_or_none(lowered.get("ratelimit-expiry"))
        if allowed is None and used is None and available is None and expiry is None:
            return None
        resets_at = _from_epoch_ms(expiry) if expiry is not None else None
        return cls(allowed=allowed, used=used, available=available, resets_at=resets_at)


@dataclass(frozen=True)
class QuotaStatus:
    """The latest known quota of each limited family: event listing/details and availability."""

    events: Quota | None = None
    availability: Quota | None = None
