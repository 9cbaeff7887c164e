"""Buyer rules: the names, email, phone and billing address that go with a payment.

Each ``*_error`` function takes what the cashier typed (or pasted) and answers ``None`` when the
payment service will take it, or one plain sentence for that field. The payment page and
``python -m app.cli buy`` both ask these (``paymentform`` puts them together per payment method):

- names: at most ``NAME_MAX`` characters of letters (any script, with their accents), spaces,
  hyphens, apostrophes and full stops — "Zoë-Anne O’Brien" passes; digits, emoji, symbols and
  invisible control characters do not;
- an email address: at most 254 characters (64 before the "@"), plain ASCII, its syntax checked
  by ``email-validator`` (syntax only: no DNS or deliverability lookup ever leaves the station);
- a phone number (optional unless the partner's account needs it): at most ``PHONE_MAX``
  characters of digits, spaces, dashes, brackets, dots and a leading "+", read by ``phonenumbers``
  as a number of the billing country unless it starts with "+" and a country code (the United
  States when no country is given), and of a length that country's numbers can have;
  ``format_phone`` writes it the international way (``+1 212-867-5309``) for the payment and the
  receipt;
- address lines and the city: at most ``ADDRESS_MAX`` / ``CITY_MAX`` characters of letters,
  digits, spaces and punctuation (no emoji, symbols or control characters);
- the country as an ISO 3166-1 code; a state or province for the United States and Canada, from
  their ISO 3166-2 lists (``countries``), and the shape of their postal codes.

Leading and trailing spaces are not counted: they are dropped when the payment is sent.
``email-validator`` and ``phonenumbers`` are imported on first use, never at start-up. No Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from . import countries

NAME_MAX = 40
EMAIL_MAX = 254
EMAIL_LOCAL_MAX = 64
PHONE_MAX = 20
ADDRESS_MAX = 60
CITY_MAX = 50
POSTAL_CODE_MAX = 12
DEFAULT_PHONE_COUNTRY = "US"

_NAME_PUNCTUATION = frozenset(" -'’.")
_EMAIL_CHARACTERS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]")
_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()./-]+$")
_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_CA_POSTAL = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")
EMAIL_SHAPE = "This email address looks incomplete: it should be like name@example.com."


def _article(what: str) -> str:
    return "An" if what[0] in "aeiou" else "A"


def _too_long(value: str, limit: int, what: str) -> str | None:
    if len(value) <= limit:
        return None
    return f"{_article(what)} {what} can be at most {limit} characters; this one has {len(value):,}."


def _first_unwanted(value: str, wanted: Callable[[str], object]) -> str | None:
    return next((ch for ch in value if not wanted(ch)), None)


def _remove(ch: str) -> str:
    """How to point at a character the cashier must take out, printable or not."""
    category = unicodedata.category(ch)
    if category[0] in "CZ" and ch != " ":
        return "it contains an invisible character (pasted from elsewhere?): type it again"
    return f"remove “{ch}”"


def _name_character(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION


def _address_character(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LMNP" or category == "Zs"


def name_error(text: str, what: str) -> str | None:
    """A first or last name (``what`` is "first name" or "last name")."""
    value = (text or "").strip()
    if not value:
        return f"Enter the {what}."
    if too_long := _too_long(value, NAME_MAX, what):
        return too_long
    if (ch := _first_unwanted(value, _name_character)) is not None:
        return (f"{_article(what)} {what} can have letters, spaces, hyphens, apostrophes and full stops only: "
                f"{_remove(ch)}.")
    return None


def email_error(text: str, *, required: bool = True) -> str | None:
    value = (text or "").strip()
    if not value:
        return "Enter the buyer's email address." if required else None
    if too_long := _too_long(value, EMAIL_MAX, "email address"):
        return too_long
    if any(ch.isspace() for ch in value):
        return "An email address has no spaces: check it (it should be like name@example.com)."
    if (ch := _first_unwanted(value, _EMAIL_CHARACTERS.fullmatch)) is not None:
        return f"An email address can have only the letters a–z, digits and . _ + - and the like: {_remove(ch)}."
    if value.count("@") == 1 and len(value.split("@", 1)[0]) > EMAIL_LOCAL_MAX:
        return f"The part before the “@” can be at most {EMAIL_LOCAL_MAX} characters: check the address."
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False, allow_smtputf8=False, allow_quoted_local=False,
                       allow_domain_literal=False)
    except EmailNotValidError:
        return EMAIL_SHAPE
    return None


def _phone_region(country: str | None) -> str:
    code = (country or "").strip().upper()
    return code if countries.is_country(code) else DEFAULT_PHONE_COUNTRY


def _parsed_phone(value: str, country: str | None) -> Any:
    import phonenumbers

    try:
        return phonenumbers.parse(value, _phone_region(country))
    except phonenumbers.NumberParseException:
        return None


def phone_error(text: str, country: str | None = None, *, required: bool = False) -> str | None:
    """A phone number, read as one of ``country`` (the billing country) unless it starts with +."""
    value = (text or "").strip()
    if not value:
        return "Enter a phone number." if required else None
    if not _PHONE_ALLOWED.match(value):
        return "A phone number has digits, spaces, dashes, brackets and a leading + only: check it."
    if too_long := _too_long(value, PHONE_MAX, "phone number"):
        return too_long
    import phonenumbers

    number = _parsed_phone(value, country)
    reason = phonenumbers.is_possible_number_with_reason(number) if number is not None else None
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    if reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE or (number is None and value.startswith("+")):
        return "The country code after the + is not one in use: check the number."
    where = (f"the billing country ({countries.country_name(_phone_region(country))})"
             if not value.startswith("+") else "its country code")
    length = "too long" if reason == phonenumbers.ValidationResult.TOO_LONG else "too short"
    return f"This phone number is {length} for {where}: check it, or start with + and the country code."


def format_phone(text: str, country: str | None = None) -> str:
    """``212 867 5309`` (billing country US) → ``+1 212-867-5309``; as typed when it cannot be read."""
    value = (text or "").strip()
    if not value:
        return ""
    import phonenumbers

    number = _parsed_phone(value, country)
    if number is None or not phonenumbers.is_possible_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def address_error(text: str, what: str = "street address", *, required: bool = True,
                  limit: int = ADDRESS_MAX) -> str | None:
    """An address line or the city (``what`` names it in the sentence)."""
    value = (text or "").strip()
    if not value:
        return f"Enter the {what}." if required else None
    if too_long := _too_long(value, limit, what):
        return too_long
    if (ch := _first_unwanted(value, _address_character)) is not None:
        return f"Use letters, digits, spaces and punctuation only in the {what}: {_remove(ch)}."
    return None


def country_error(code: str) -> str | None:
    value = (code or "").strip().upper()
    if not value:
        return "Choose the billing country."
    if not countries.is_country(value):
        return f"“{code}” is not a country code: choose the country from the list."
    return None


def region_error(country: str, region: str) -> str | None:
    """A state or province where the country needs one; elsewhere the region is optional text."""
    code = (country or "").strip().upper()
    value = countries.region_code(code, region)
    if not countries.region_required(code):
        return None
    kind = "state" if code == "US" else "province or territory"
    if not value:
        return f"Choose the {kind}."
    if value not in countries.regions(code):
        return f"“{value}” is not a {kind} of {countries.country_name(code)}: choose one from the list."
    return None


def postal_code_error(country: str, postal_code: str) -> str | None:
    code = (country or "").strip().upper()
    value = (postal_code or "").strip()
    if code == "US":
        if not value:
            return "Enter the ZIP code."
        if not _US_ZIP.match(value):
            return "A ZIP code is 5 digits (or 5+4, like 90210-1234)."
    elif code == "CA":
        if not value:
            return "Enter the postal code."
        if not _CA_POSTAL.match(value):
            return "A Canadian postal code looks like K1A 0B1."
    elif len(value) > POSTAL_CODE_MAX:
        return "That postal code is too long: check it."
    return None
