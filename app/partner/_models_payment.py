"""Payment and member models: certificate, card, billing contact and saved billing methods (3.8),
the wallet token, OAuth tokens and member info (4). Card numbers, CVVs and tokens are masked in
every ``repr``."""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.partner._models_base import flag, integer_or_none, items, mapping, text

CERTIFICATE_LIFETIME = timedelta(hours=24)
MASK = "••••"


def mask_card_number(number: str | None) -> str:
    """``6011993200001006`` → ``••••1006`` (never more than the last four digits)."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    return MASK + digits[-4:] if len(digits) >= 4 else MASK


# The card networks the Partner API takes and the code its ``card.issuer`` carries for each
# (partner-api.md 3.8: ``MC``, not ``MASTERCARD``). Which cards a station accepts, and how a number
# tells its network, is decided in ``app.checkout.cardrules``; this is only how the client writes it.
ISSUER_CODES: dict[str, str] = {"VISA": "VISA", "MASTERCARD": "MC", "MC": "MC", "AMEX": "AMEX", "DISCOVER": "DISCOVER"}


def issuer_code(network: str | None) -> str | None:
    """The documented ``card.issuer`` code for a network name (or code), None for any other."""
    return ISSUER_CODES.get((network or "").strip().upper())


@dataclass(frozen=True)
class EncryptionCertificate:
    """``GET /certificate``: id (goes into ``card.encryption_key``) and PEM text; valid 24 h."""

    id: str
    pem: str
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def expires_at(self) -> datetime:
        return self.fetched_at + CERTIFICATE_LIFETIME

    def is_fresh(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) < self.expires_at

    @classmethod
    def from_json(cls, data: Any, fetched_at: datetime | None = None) -> EncryptionCertificate:
        body = mapping(data)
        return cls(id=text(body.get("id")) or "", pem=text(body.get("value")) or "",
                   fetched_at=fetched_at or datetime.now(UTC))


@dataclass(frozen=True)
class CardDetails:
    """Plain card data as typed by the cashier. Lives only in memory; ``repr`` shows ``••••1006``.

    ``issuer`` is the card's network (``VISA``, ``MASTERCARD``…), as ``app.checkout.cardrules``
    tells it from the number; the body carries its documented code (``issuer_code``)."""

    number: str = field(repr=False)
    cvv: str = field(repr=False)
    expire_month: int
    expire_year: int
    issuer: str | None = None
    postal_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", "".join(ch for ch in str(self.number) if ch.isdigit()))
        object.__setattr__(self, "cvv", str(self.cvv).strip())

    @property
    def issuer_code(self) -> str | None:
        """What ``card.issuer`` carries (``VISA``, ``MC``, ``AMEX``, ``DISCOVER``), None for another network."""
        return issuer_code(self.issuer)

    @property
    def masked_number(self) -> str:
        return mask_card_number(self.number)

    def __repr__(self) -> str:
        return (f"CardDetails(number={self.masked_number!r}, cvv='•••', expire_month={self.expire_month}, "
                f"expire_year={self.expire_year}, issuer={self.issuer!r})")

    __str__ = __repr__


@dataclass(frozen=True)
class Address:
    line1: str = ""
    line2: str = ""
    unit: str = ""
    city: str = ""
    country: str = "US"  # ISO 3166-1 alpha-2
    region: str = ""  # state / province abbreviation
    postal_code: str = ""

    def to_json(self) -> dict[str, Any]:
        """The documented address object; ``unit`` only when there is one (as in the examples)."""
        body: dict[str, Any] = {"line1": self.line1, "line2": self.line2}
        if self.unit:
            body["unit"] = self.unit
        body.update({"city": self.city, "country": {"code": self.country}, "region": {"abbrev": self.region},
                     "postal_code": self.postal_code})
        return body

    @classmethod
    def from_json(cls, data: Any) -> Address:
        a = mapping(data)
        country = mapping(a.get("country"))
        return cls(
            line1=text(a.get("line1")) or "", line2=text(a.get("line2")) or "", unit=text(a.get("unit")) or "",
            city=text(a.get("city")) or "",
            country=text(country.get("code")) or text(country.get("abbrev")) or text(country.get("id")) or "",
            region=text(mapping(a.get("region")).get("abbrev")) or "",
            postal_code=text(a.get("postal_code")) or "",
        )


@dataclass(frozen=True)
class BillingContact:
    """The buyer's name and contact details that accompany a payment."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    address: Address = field(default_factory=Address)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"first_name": self.first_name, "last_name": self.last_name}
        if self.phone:
            body["home_phone"] = self.phone
        if self.email:
            body["email_address"] = self.email
        body["address"] = self.address.to_json()
        return body


@dataclass(frozen=True)
class BillingMethod:
    """A member's saved payment method (``GET /member/billing``); ``card_last4`` only, never more."""

    id: str
    type: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    card_issuer: str | None = None
    card_last4: str | None = None
    expire_month: int | None = None
    expire_year: int | None = None
    address: Address | None = None
    encryption_key: str | None = None
    phone: str | None = None

    @property
    def label(self) -> str:
        card = f"{self.card_issuer or 'Card'} {MASK}{self.card_last4 or ''}"
        if self.expire_month and self.expire_year:
            card += f" (expires {self.expire_month:02d}/{self.expire_year})"
        return card

    @classmethod
    def from_json(cls, data: Any) -> BillingMethod:
        m = mapping(data)
        card = mapping(m.get("card"))
        return cls(
            id=text(m.get("id")) or "",
            type=text(m.get("type")),
            first_name=text(m.get("first_name")),
            last_name=text(m.get("last_name")),
            card_issuer=text(card.get("issuer")) or text(card.get("type")),
            card_last4=(text(card.get("number")) or "")[-4:] or None,
            expire_month=integer_or_none(card.get("expire_month")),
            expire_year=integer_or_none(card.get("expire_year")),
            address=Address.from_json(m.get("address")) if m.get("address") else None,
            encryption_key=text(card.get("encryption_key")),
            phone=text(m.get("home_phone")),
        )

    @classmethod
    def list_from_json(cls, data: Any) -> tuple[BillingMethod, ...]:
        return tuple(cls.from_json(m) for m in items(mapping(data).get("data")))


@dataclass(frozen=True)
class WalletToken:
    """``POST {wallet}/token``: the token stands in for the card number in a WALLET payment."""

    token: str = field(repr=False)
    funding_method: str | None = None
    funding_source: str | None = None
    validated: bool = False
    expire_month: int | None = None
    expire_year: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> WalletToken:
        b = mapping(data)
        return cls(token=text(b.get("token")) or "", funding_method=text(b.get("funding_method")),
                   funding_source=text(b.get("funding_source")), validated=flag(b.get("validated")),
                   expire_month=integer_or_none(b.get("expiration_month")),
                   expire_year=integer_or_none(b.get("expiration_year")))


@dataclass(frozen=True)
class TokenSet:
    """OAuth tokens. ``obtained_at`` is epoch seconds; tokens never appear in ``repr``."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_in: int = 3600
    token_type: str = "bearer"
    scope: str | None = None
    obtained_at: float = field(default_factory=_time.time)

    @property
    def expires_at(self) -> float:
        return self.obtained_at + self.expires_in

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        return (now if now is not None else _time.time()) >= self.expires_at - seconds

    @classmethod
    def from_json(cls, data: Any, previous_refresh_token: str | None = None,
                  obtained_at: float | None = None) -> TokenSet:
        """A refresh answer may omit ``refresh_token``: the previous one stays valid then."""
        b = mapping(data)
        return cls(
            access_token=text(b.get("access_token")) or "",
            refresh_token=text(b.get("refresh_token")) or previous_refresh_token,
            expires_in=integer_or_none(b.get("expires_in")) or 3600,
            token_type=text(b.get("token_type")) or "bearer",
            scope=text(b.get("scope")),
            obtained_at=obtained_at if obtained_at is not None else _time.time(),
        )


@dataclass(frozen=True)
class MemberInfo:
    user_id: str
    email: str | None
    email_verified: bool

    @classmethod
    def from_json(cls, data: Any) -> MemberInfo:
        b = mapping(data)
        return cls(
            user_id=text(b.get("user_id")) or "",
            email=text(b.get("email")),
            email_verified=flag(b.get("email_verified")),
        )
