"""Checks of the buyer's details before a payment is sent: pure Python, no Qt.

Each ``*_error`` function takes what the cashier typed (or pasted) and answers ``None`` when the
payment service will take it, or one plain sentence for that field. What the service takes:

- names: at most ``NAME_MAX`` characters of letters (any script, with their accents), spaces,
  hyphens, apostrophes and full stops — so "Zoë-Anne O’Brien" passes, digits, emoji, symbols and
  invisible control characters do not;
- an email address: at most 254 characters (64 before the "@"), plain ASCII, shaped like
  ``name@example.com``;
- a phone number: at most ``PHONE_MAX`` characters, 7 to 15 digits, spaces, dashes, brackets, a
  leading "+";
- address lines and the city: at most ``ADDRESS_MAX`` / ``CITY_MAX`` characters of letters,
  digits, spaces and punctuation (no emoji, symbols or control characters).

Leading and trailing spaces are not counted: they are dropped when the payment is sent.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 40
EMAIL_MAX = 254
EMAIL_LOCAL_MAX = 64
PHONE_MAX = 20
ADDRESS_MAX = 60
CITY_MAX = 50

_NAME_PUNCTUATION = frozenset(" -'’.")
_EMAIL_CHARACTERS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]")
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    r"\.[A-Za-z]{2,}$")
_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()./-]+$")


def _article(what: str) -> str:
    return "An" if what[0] in "aeiou" else "A"


def _too_long(value: str, limit: int, what: str) -> str | None:
    if len(value) <= limit:
        return None
    return f"{_article(what)} {what} can be at most {limit} characters; this one has {len(value):,}."


def _first_unwanted(value: str, wanted) -> str | None:
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
    if not _EMAIL.match(value):
        return "This email address looks incomplete: it should be like name@example.com."
    if len(value.split("@", 1)[0]) > EMAIL_LOCAL_MAX:
        return f"The part before the “@” can be at most {EMAIL_LOCAL_MAX} characters: check the address."
    return None


def phone_error(text: str, *, required: bool = False) -> str | None:
    value = (text or "").strip()
    if not value:
        return "Enter a phone number." if required else None
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_ALLOWED.match(value) or not 7 <= digits <= 15:
        return "A phone number has 7 to 15 digits (spaces, dashes, brackets and a leading + are fine)."
    return _too_long(value, PHONE_MAX, "phone number")


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
