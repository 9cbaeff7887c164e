"""Hiding secrets before anything is logged or shown: API key, client secret, OAuth codes and
tokens, captcha tokens, card numbers, CVVs, wallet tokens — and the buyer's personal data, masked
the way card data is: names to initials (``A.``), email addresses to their first letter and domain
(``a•••@example.com``), phone numbers to their last two digits, street lines and postal codes
hidden (city, state and country stay: they tell a tester enough).

``Exchange`` is the masked record of one HTTP exchange that the client hands to its
``on_exchange`` observer (the request inspector) and to the ``app.partner.http`` logger.
``MaskingFilter`` is a logging filter that scrubs any record a careless caller might still emit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

MASK = "••••"

# Keys whose values are secret wherever they appear (query strings, JSON, forms), lower-cased.
SECRET_KEYS = frozenset({
    "apikey", "api_key", "client_secret", "access_token", "refresh_token", "code_verifier",
    "token", "number", "cin", "cvv", "account_number", "bundle", "password", "authorization",
    "x-tm-captcha-v2-stoken",
})
# In query strings and forms ``code`` is an OAuth authorization code; in JSON it is a country code.
SECRET_PARAMS = SECRET_KEYS | {"code"}
# Fully hidden (no last four shown): verification values and passwords.
_NO_TAIL = frozenset({"cin", "cvv", "password", "client_secret", "code_verifier"})

# Personal data, by JSON key (lower-cased): how each is masked.
NAME_KEYS = frozenset({"first_name", "last_name", "firstname", "lastname"})
EMAIL_KEYS = frozenset({"email", "email_address", "customer_email", "purchase_email_address"})
PHONE_KEYS = frozenset({"home_phone", "phone", "mobile_phone", "cell_phone", "work_phone"})
STREET_KEYS = frozenset({"line1", "line2", "unit", "postal_code", "address_line1", "address_line2"})
_EMAIL = re.compile(r"\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")

_QUERY_SECRET = re.compile(
    r"(?i)\b(apikey|api_key|client_secret|access_token|refresh_token|code|code_verifier|token|cin|password)=([^&\s\"']+)")
_BEARER = re.compile(r"(?i)\b(bearer)\s+([A-Za-z0-9._~+/=-]+)")
_CARD_DIGITS = re.compile(r"(?<![\w-])(\d[ -]?){12,18}\d(?![\w-])")
_INFO_PATH = re.compile(r"(/oauth/info/)([^/?\s\"']+)")


def mask_secret(value: Any, keep_tail: bool = True) -> str:
    """``"sandbox-api-key"`` → ``"••••-key"``; short or tail-less secrets → ``"••••"``."""
    text = "" if value is None else str(value)
    if not keep_tail or len(text) < 8:
        return MASK
    return MASK + text[-4:]


def mask_card_digits(text: str) -> str:
    """Any run of 13–19 digits (optionally spaced) becomes ``••••`` + its last four digits."""
    def repl(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return MASK + digits[-4:]
    return _CARD_DIGITS.sub(repl, text)


def mask_email(text: str) -> str:
    """``ada.lovelace@example.com`` → ``a•••@example.com`` (every address in the text)."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}•••@{m.group(2)}", text)


def mask_personal(key: str, value: Any) -> Any:
    """The masked form of one personal value under JSON key ``key`` (lower-cased); others as they are."""
    if value is None or isinstance(value, (bool, Mapping, list)) or value == "":
        return value
    text = str(value).strip()
    if key in NAME_KEYS:
        return (text[:1].upper() + ".") if text else ""
    if key in EMAIL_KEYS:
        return mask_email(text) if "@" in text else "•••"
    if key in PHONE_KEYS:
        digits = re.sub(r"\D", "", text)
        return "•••" + digits[-2:] if len(digits) > 4 else "•••"
    if key in STREET_KEYS:
        return "•••"
    return value


_PERSONAL_KEYS = NAME_KEYS | EMAIL_KEYS | PHONE_KEYS | STREET_KEYS


def mask_text(text: str) -> str:
    """Scrub secrets from free text: query parameters, bearer tokens, token paths, card numbers,
    email addresses."""
    text = mask_email(text)
    text = _QUERY_SECRET.sub(
        lambda m: f"{m.group(1)}={mask_secret(m.group(2), m.group(1).lower() not in _NO_TAIL)}", text
    )
    text = _BEARER.sub(lambda m: f"{m.group(1)} {mask_secret(m.group(2))}", text)
    text = _INFO_PATH.sub(lambda m: m.group(1) + mask_secret(m.group(2)), text)
    return mask_card_digits(text)


def mask_url(url: str) -> str:
    """Secret query parameters (and the token in ``/oauth/info/<token>``) masked; the rest of the
    URL is kept exactly as sent (percent-encoding included)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return mask_text(url)
    pieces = []
    for piece in parts.query.split("&") if parts.query else []:
        key, sep, value = piece.partition("=")
        name = unquote_plus(key).lower()
        if sep and name in SECRET_PARAMS:
            value = mask_secret(unquote_plus(value), name not in _NO_TAIL)
        pieces.append(key + sep + value)
    path = _INFO_PATH.sub(lambda m: m.group(1) + mask_secret(m.group(2)), parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, "&".join(pieces), parts.fragment))


def mask_json(value: Any, key: str | None = None) -> Any:
    """A deep copy of a JSON value with every secret key's value masked."""
    if isinstance(value, Mapping):
        return {k: mask_json(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_json(v, key) for v in value]
    lowered = (key or "").lower()
    if lowered in SECRET_KEYS and value is not None and not isinstance(value, (bool, Mapping, list)):
        return mask_secret(value, lowered not in _NO_TAIL)
    if lowered in _PERSONAL_KEYS:
        return mask_personal(lowered, value)
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """A form body (OAuth token requests) with its secret and personal fields masked."""
    return {
        k: mask_secret(v, k.lower() not in _NO_TAIL)
        if k.lower() in SECRET_PARAMS
        else mask_personal(k.lower(), v)
        if k.lower() in _PERSONAL_KEYS
        else v
        for k, v in form.items()
    }


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    masked = {}
    for k, v in headers.items():
        if k.lower() == "authorization":
            scheme, _, credential = v.partition(" ")
            masked[k] = f"{scheme} {mask_secret(credential)}" if credential else MASK
        elif k.lower() in SECRET_KEYS:
            masked[k] = mask_secret(v)
        else:
            masked[k] = v
    return masked


def answer_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The answer's headers a tester reads (type, quota, back-off, where to poll), masked: a
    ``Location`` carries the API key in its query."""
    kept = {}
    for k, v in headers.items():
        name = k.lower()
        if name == "location":
            kept[k] = mask_url(v)
        elif name in ("content-type", "content-length", "retry-after") or name.startswith(
                ("ratelimit", "rate-limit", "x-ratelimit")):
            kept[k] = v
    return mask_headers(kept)


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its answer (or failure), with every secret already masked."""

    operation: str
    method: str
    url: str
    status: int | None
    duration_ms: float
    request_json: Any = None
    request_headers: Mapping[str, str] = field(default_factory=dict)
    response_headers: Mapping[str, str] = field(default_factory=dict)
    response_json: Any = None
    response_text: str | None = None
    error: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def summary(self) -> str:
        outcome = str(self.status) if self.status is not None else f"failed ({self.error})"
        return f"{self.method} {self.url} → {outcome} in {self.duration_ms:.0f} ms [{self.operation}]"


class MaskingFilter(logging.Filter):
    """Scrubs secrets from a record's final message (install on handlers or loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not silence the log line
            message = str(record.msg)
        record.msg = mask_text(message)
        record.args = None
        return True
