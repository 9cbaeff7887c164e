"""Payment and member models: certificate, card, billing contact and saved billing methods (3.8),
the wallet token, OAuth tokens and member info (4). Card numbers, CVVs and tokens are masked in
every ``repr``."""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.partner._models_base import flag, integer_or_none, items, mapping, text

CERTIFICATE_LIFETIME = timedelta(hours=24)
MASK = "••••"


def mask_card_number(number: str | None) -> str:
    """``6011993200001006`` → ``••••1006`` (never more than the last four digits)."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    return MASK + digits[-4:] if len(digits) >= 4 else MASK


VISA, MASTERCARD, AMEX, DISCOVER, DINERS, JCB = (
    "VISA", "MC", "AMEX", "DISCOVER", "DINERS", "JCB")

# (issuer, lowest prefix, highest prefix): prefixes compared on the same number of leading digits.
# The Discover/UnionPay co-brand range comes before anything shorter that could shadow it.
ISSUER_PREFIX_RANGES: tuple[tuple[str, str, str], ...] = (
    (DISCOVER, "622126", "622925"),
    (DISCOVER, "6011", "6011"),
    (DISCOVER, "644", "649"),
    (DISCOVER, "65", "65"),
    (MASTERCARD, "51", "55"),
    (MASTERCARD, "2221", "2720"),
    (AMEX, "34", "34"),
    (AMEX, "37", "37"),
    (DINERS, "300", "305"),
    (DINERS, "3095", "3095"),
    (DINERS, "36", "36"),
    (DINERS, "38", "39"),
    (JCB, "3528", "3589"),
    (VISA, "4", "4"),
)


def card_issuer_for(number: str) -> str | None:
    """The issuer name the API expects, from the number's prefix; works on a partial number too."""
    digits = "".join(ch for ch in (number or "") if not ch.isspace() and ch != "-")
    if not digits.isdigit():
        return None
    for issuer, low, high in ISSUER_PREFIX_RANGES:
        width = len(low)
        if len(digits) >= width and low <= digits[:width] <= high:
            return issuer
    return None


def luhn_valid(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the rest (False for non-digits)."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


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
    """Plain card data as typed by the cashier. Lives only in memory; ``repr`` shows ``••••1006``."""

    number: str = field(repr=False)
    cvv: str = field(repr=False)
    expire_month: int
    expire_year: int
    issuer: str | None = None
    postal_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", "".join(ch for ch in str(self.number) if ch.isdigit()))
        object.__setattr__(self, "cvv", str(self.cvv).strip())
        if self.issuer is None:
            object.__setattr__(self, "issuer", card_issuer_for(self.number))

    @property
    def masked_number(self) -> str:
        return mask_card_number(self.number)

    def __repr__(self) -> str:
        return (f"CardDetails(number={self.masked_number!r}, cvv='•••', expire_month={self.expire_month}, "
                f"expire_year={self.expire_year}, issuer={self.issuer!r})")

    __str__ = __repr__

    def problems(self, today: date | None = None) -> list[str]:
        """Plain sentences for what is wrong with the typed card, empty when it looks usable."""
        found = []
        if not 12 <= len(self.number) <= 19:
            found.append("The card number must have 12 to 19 digits.")
        if not (self.cvv.isdigit() and 3 <= len(self.cvv) <= 4):
            found.append("The security code must be 3 or 4 digits.")
        today = today or date.today()
        if not 1 <= self.expire_month <= 12:
            found.append("The expiry month must be between 1 and 12.")
        elif (self.expire_year, self.expire_month) < (today.year, today.month):
            found.append("The card has expired.")
        return found

    @staticmethod
    def parse_expiry(value: str) -> tuple[int, int]:
        """``"12/2030"``, ``"12/30"`` or ``"2030-12"`` → (month, year); ValueError with a plain message."""
        raw = value.strip()
        if "-" in raw:
            year_text, _, month_text = raw.partition("-")
        else:
            month_text, _, year_text = raw.partition("/")
        if not (month_text.strip().isdigit() and year_text.strip().isdigit()):
            raise ValueError("Expiry must look like MM/YYYY, for example 12/2030.")
        month, year = int(month_text), int(year_text)
        if year < 100:
            year += 2000
        if not 1 <= month <= 12:
            raise ValueError("The expiry month must be between 1 and 12.")
        return month, year


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
