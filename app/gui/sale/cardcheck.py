"""Checks a card payment form before anything is sent: pure Python, no Qt.

Each ``*_error`` function takes what the cashier typed and answers ``None`` when it is fine, or one
plain sentence to show beside that field. ``check_card_form`` runs them all and answers a
``{field: sentence}`` map keyed by the payment page's objectNames.

What is checked:

- the issuer from the number's prefix (VISA, MASTERCARD, AMEX, DISCOVER, DINERS, JCB) and the
  lengths that issuer uses, then the Luhn check digit;
- the expiry in the forms cards are written and typed in (``12/30``, ``12/2030``, ``1230``,
  ``1/30``), formatted as typed by ``format_expiry``, not before the current month;
- the security code's length for the issuer (4 digits for AMEX, 3 for the others);
- the buyer's names, email, phone and address lines (lengths and characters: ``buyercheck``);
- the country as an ISO 3166-1 alpha-2 code; a state/province for the US and Canada, and the shape
  of their postal codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.gui.sale.buyercheck import CITY_MAX, address_error, email_error, name_error, phone_error
from app.gui.sale.countries import COUNTRIES, REGIONS
from app.partner.models import AMEX, DINERS, DISCOVER, JCB, MASTERCARD, VISA, card_issuer_for, luhn_valid

ISSUER_NAMES = {
    VISA: "Visa", MASTERCARD: "Mastercard", AMEX: "American Express", DISCOVER: "Discover",
    DINERS: "Diners Club", JCB: "JCB",
}

_LENGTHS: dict[str, tuple[int, ...]] = {
    VISA: (13, 16, 19),
    MASTERCARD: (16,),
    AMEX: (15,),
    DISCOVER: (16, 17, 18, 19),
    DINERS: (14, 15, 16, 17, 18, 19),
    JCB: (16, 17, 18, 19),
}

# Where the spaces go when a number is shown grouped (digit counts per group).
_GROUPS: dict[str, tuple[int, ...]] = {AMEX: (4, 6, 5), DINERS: (4, 6, 4)}

_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_CA_POSTAL = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")


@dataclass(frozen=True)
class Expiry:
    month: int
    year: int


@dataclass(frozen=True)
class CardForm:
    """What the payment page's card tab holds, as typed (strings)."""

    number: str = ""
    cvv: str = ""
    expiry: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    country: str = ""
    region: str = ""
    postal_code: str = ""

    def __repr__(self) -> str:  # never show the card number or the security code
        return f"CardForm(number=…, cvv=…, expiry={self.expiry!r}, email={self.email!r})"


def digits_of(text: str) -> str:
    """The number without the spaces and dashes a cashier types between groups."""
    return re.sub(r"[\s-]", "", text or "")


def card_issuer(number: str) -> str | None:
    """The issuer whose prefix range the number falls in, or None; works on a partial number."""
    return card_issuer_for(digits_of(number))


def group_card_number(text: str) -> str:
    """Digits grouped the way the issuer prints them (4-4-4-4, AMEX 4-6-5, Diners 4-6-4)."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    groups = _GROUPS.get(card_issuer(digits) or "", ())
    parts: list[str] = []
    rest = digits
    for size in groups:
        if not rest:
            break
        parts.append(rest[:size])
        rest = rest[size:]
    while rest:
        parts.append(rest[:4])
        rest = rest[4:]
    return " ".join(parts)


def card_number_error(text: str) -> str | None:
    digits = digits_of(text)
    if not digits:
        return "Enter the card number."
    if not digits.isdigit():
        return "A card number has only digits (spaces between groups are fine)."
    issuer = card_issuer(digits)
    if issuer is None:
        return ("This card type is not accepted: take Visa, Mastercard, American Express, "
                "Discover, Diners Club or JCB.")
    lengths = _LENGTHS[issuer]
    if len(digits) not in lengths:
        if len(lengths) == 1:
            expected = f"{lengths[0]} digits"
        elif lengths == tuple(range(lengths[0], lengths[-1] + 1)):
            expected = f"{lengths[0]} to {lengths[-1]} digits"
        else:
            expected = ", ".join(str(n) for n in lengths[:-1]) + f" or {lengths[-1]} digits"
        name = ISSUER_NAMES[issuer]
        article = "An" if name[0] in "AEIOU" else "A"
        return f"{article} {name} card number has {expected}; this one has {len(digits)}."
    if not luhn_valid(digits):
        return "This card number is not valid: check the digits for a typo."
    return None


_EXPIRY_SEPARATOR = r"\s*[/\-. ]\s*"
_EXPIRY = re.compile(rf"\s*(?:(\d{{1,2}}){_EXPIRY_SEPARATOR}(\d{{2}}|\d{{4}})|(\d{{2}})(\d{{2}}|\d{{4}}))\s*")


def format_expiry(text: str) -> str:
    """The expiry as it is being typed, in the card's own form: ``1230`` → ``12/30``, ``122030`` →
    ``12/2030``, ``1/30`` → ``01/30``, ``12-30`` → ``12/30``. Text with anything but digits, spaces
    and one separator is left as typed (its error says what is wrong)."""
    value = (text or "").strip()
    split = re.fullmatch(rf"(\d{{1,2}}){_EXPIRY_SEPARATOR}(\d{{0,4}})", value)
    if split:
        return f"{split.group(1).zfill(2)}/{split.group(2)}"
    if not value.isdigit():
        return text
    month_digits = 1 if value[0] not in "01" else 2
    month, year = value[:month_digits].zfill(2), value[month_digits:month_digits + 4]
    if len(value) < 3 and month_digits == 2:
        return value  # "1", "12": the month is still being typed (and Backspace over "/" works)
    return f"{month}/{year}" if year or month_digits == 1 else month


def parse_expiry(text: str) -> Expiry | None:
    """The forms cards are written and typed in: ``MM/YY``, ``MM/YYYY``, ``M/YY``, ``MMYY``,
    ``MMYYYY``, with ``/``, ``-``, ``.`` or a space → Expiry, or None when unreadable."""
    match = _EXPIRY.fullmatch(text or "")
    if not match:
        return None
    month_text, year_text = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    month, year = int(month_text), int(year_text)
    if len(year_text) == 2:
        year += 2000
    if not 1 <= month <= 12:
        return None
    return Expiry(month, year)


def expiry_error(text: str, today: date | None = None) -> str | None:
    if not (text or "").strip():
        return "Enter the expiry date shown on the card (MM/YY)."
    match = _EXPIRY.fullmatch(text)
    if not match:
        return "Write the expiry date as on the card: month and year, for example 08/29 or 08/2029."
    if not 1 <= int(match.group(1) or match.group(3)) <= 12:
        return "The expiry month must be between 01 and 12."
    expiry = parse_expiry(text)
    assert expiry is not None
    today = today or date.today()
    if (expiry.year, expiry.month) < (today.year, today.month):
        return f"This card expired in {expiry.month:02d}/{expiry.year}: ask for another card."
    if expiry.year > today.year + 20:
        return "That expiry date is too far ahead: check the year."
    return None


def cvv_length(issuer: str | None) -> int:
    return 4 if issuer == AMEX else 3


def cvv_error(text: str, issuer: str | None) -> str | None:
    code = (text or "").strip()
    wanted = cvv_length(issuer)
    where = "on the front of the card" if issuer == AMEX else "on the back of the card"
    if not code:
        return f"Enter the {wanted}-digit security code {where}."
    if not code.isdigit() or len(code) != wanted:
        return f"The security code is {wanted} digits, {where}."
    return None


def country_error(code: str) -> str | None:
    value = (code or "").strip().upper()
    if not value:
        return "Choose the billing country."
    if value not in COUNTRIES:
        return f"“{code}” is not a country code: choose the country from the list."
    return None


def region_required(country: str) -> bool:
    return (country or "").strip().upper() in REGIONS


def region_error(country: str, region: str) -> str | None:
    country = (country or "").strip().upper()
    value = (region or "").strip().upper()
    regions = REGIONS.get(country)
    if regions is None:
        return None
    kind = "state" if country == "US" else "province or territory"
    if not value:
        return f"Choose the {kind}."
    if value not in regions:
        return f"“{region}” is not a {kind} of {COUNTRIES[country]}: choose one from the list."
    return None


def postal_code_error(country: str, postal_code: str) -> str | None:
    country = (country or "").strip().upper()
    value = (postal_code or "").strip()
    if country == "US":
        if not value:
            return "Enter the ZIP code."
        if not _US_ZIP.match(value):
            return "A ZIP code is 5 digits (or 5+4, like 90210-1234)."
    elif country == "CA":
        if not value:
            return "Enter the postal code."
        if not _CA_POSTAL.match(value):
            return "A Canadian postal code looks like K1A 0B1."
    elif len(value) > 12:
        return "That postal code is too long: check it."
    return None


def check_card_form(form: CardForm, today: date | None = None) -> dict[str, str]:
    """Every problem of a card payment form, keyed by the field's objectName, in form order."""
    issuer = card_issuer(form.number)
    checks = (
        ("cardNumber", card_number_error(form.number)),
        ("cardExpiry", expiry_error(form.expiry, today)),
        ("cardCvv", cvv_error(form.cvv, issuer)),
        ("firstName", name_error(form.first_name, "first name")),
        ("lastName", name_error(form.last_name, "last name")),
        ("email", email_error(form.email)),
        ("phone", phone_error(form.phone)),
        ("addressLine1", address_error(form.line1, "street address")),
        ("addressLine2", address_error(form.line2, "second address line", required=False)),
        ("city", address_error(form.city, "city", limit=CITY_MAX)),
        ("country", country_error(form.country)),
        ("region", region_error(form.country, form.region)),
        ("postalCode", postal_code_error(form.country, form.postal_code)),
    )
    return {field: message for field, message in checks if message}
