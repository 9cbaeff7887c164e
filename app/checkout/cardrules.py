"""Card rules: which cards are taken, and whether a typed card number, expiry and code can be used.

One rule set for the payment page and ``python -m app.cli buy`` (each ``*_error`` answers None,
or one plain sentence for that field):

- **Networks.** The number's prefix tells the network (``card_network``; also on a partial number,
  for the badge beside the field while typing). Taken here: Visa, Mastercard, American Express and
  Discover — the four the Partner API documents (``card.issuer`` ``VISA``, ``MC``, ``AMEX``,
  ``DISCOVER``; the client in ``app.partner`` writes that code). Diners Club, JCB and numbers of
  no known network are refused before anything is sent: "This card type is not accepted here —
  use Visa, Mastercard, American Express or Discover."
- **Number.** The lengths the network issues (Visa 13, 16 or 19 digits, Mastercard 16, American
  Express 15, Discover 16–19), then the Luhn check digit; spaces and dashes between groups are fine.
- **Expiry.** The forms cards are written and typed in — ``12/30``, ``12/2030``, ``1/30``, ``1230``,
  ``122030``, with ``/``, ``-``, ``.`` or a space — formatted as typed by ``format_expiry``; valid
  through the end of its month, not more than 20 years ahead.
- **Security code.** 4 digits on the front for American Express, 3 on the back for the others.

The window and the CLI used to disagree: ``CardDetails.problems`` / ``CardDetails.parse_expiry``
in ``app.partner`` accepted any 12–19 digit number, a 3- or 4-digit code for any card and
``2030-12``; that second rule set is gone, and the window's stricter rules (above) are the only ones.
``card_details`` builds the ``CardDetails`` both send. Pure Python, no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.partner.models import CardDetails

VISA, MASTERCARD, AMEX, DISCOVER, DINERS, JCB = "VISA", "MASTERCARD", "AMEX", "DISCOVER", "DINERS", "JCB"
ACCEPTED_NETWORKS = (VISA, MASTERCARD, AMEX, DISCOVER)
NETWORK_NAMES = {
    VISA: "Visa", MASTERCARD: "Mastercard", AMEX: "American Express", DISCOVER: "Discover",
    DINERS: "Diners Club", JCB: "JCB",
}
# Codes a saved card's ``issuer`` may carry (the API's) → the network.
_ALIASES = {"MC": MASTERCARD, "AMERICAN EXPRESS": AMEX, "AMERICANEXPRESS": AMEX}
NOT_ACCEPTED = "This card type is not accepted here — use Visa, Mastercard, American Express or Discover."

# (network, lowest prefix, highest prefix): prefixes compared on the same number of leading digits.
# The Discover/UnionPay co-brand range comes before anything shorter that could shadow it.
PREFIX_RANGES: tuple[tuple[str, str, str], ...] = (
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
LENGTHS: dict[str, tuple[int, ...]] = {
    VISA: (13, 16, 19),
    MASTERCARD: (16,),
    AMEX: (15,),
    DISCOVER: (16, 17, 18, 19),
    DINERS: (14, 15, 16, 17, 18, 19),
    JCB: (16, 17, 18, 19),
}
# Where the spaces go when a number is shown grouped (digit counts per group); 4-4-4-4… otherwise.
_GROUPS: dict[str, tuple[int, ...]] = {AMEX: (4, 6, 5), DINERS: (4, 6, 4)}
EXPIRY_YEARS_AHEAD = 20


@dataclass(frozen=True)
class Expiry:
    month: int
    year: int


def digits_of(text: str) -> str:
    """The number without the spaces and dashes a cashier types between groups."""
    return re.sub(r"[\s-]", "", text or "")


def network_of_code(code: str | None) -> str | None:
    """A network from an issuer code as a service writes it (``MC``, ``VISA``, ``Amex``…), or None."""
    value = (code or "").strip().upper()
    value = _ALIASES.get(value, value)
    return value if value in NETWORK_NAMES else None


def network_name(network: str | None, default: str = "Card") -> str:
    """``Mastercard`` for ``MASTERCARD`` or ``MC``; ``default`` for what is not a known network."""
    known = network_of_code(network)
    return NETWORK_NAMES[known] if known else default


def card_summary(card: CardDetails) -> str:
    """How a card is written wherever a person reads it: ``Discover ••••1006`` (last four only)."""
    return f"{network_name(card.issuer)} {card.masked_number}"


def card_network(number: str) -> str | None:
    """The network whose prefix range the number falls in, or None; works on a partial number."""
    digits = digits_of(number)
    if not digits.isdigit():
        return None
    for network, low, high in PREFIX_RANGES:
        width = len(low)
        if len(digits) >= width and low <= digits[:width] <= high:
            return network
    return None


def is_accepted(network: str | None) -> bool:
    return network_of_code(network) in ACCEPTED_NETWORKS


def luhn_valid(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the rest (False for non-digits)."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def group_card_number(text: str) -> str:
    """Digits grouped the way the network prints them (4-4-4-4, American Express 4-6-5, Diners 4-6-4)."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    parts: list[str] = []
    rest = digits
    for size in _GROUPS.get(card_network(digits) or "", ()):
        if not rest:
            break
        parts.append(rest[:size])
        rest = rest[size:]
    while rest:
        parts.append(rest[:4])
        rest = rest[4:]
    return " ".join(parts)


def _lengths_text(lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return f"{lengths[0]} digits"
    if lengths == tuple(range(lengths[0], lengths[-1] + 1)):
        return f"{lengths[0]} to {lengths[-1]} digits"
    return ", ".join(str(n) for n in lengths[:-1]) + f" or {lengths[-1]} digits"


def card_number_error(text: str) -> str | None:
    digits = digits_of(text)
    if not digits:
        return "Enter the card number."
    if not digits.isdigit():
        return "A card number has only digits (spaces between groups are fine)."
    network = card_network(digits)
    if network not in ACCEPTED_NETWORKS:
        return NOT_ACCEPTED
    lengths = LENGTHS[network]
    if len(digits) not in lengths:
        name = NETWORK_NAMES[network]
        article = "An" if name[0] in "AEIOU" else "A"
        return f"{article} {name} card number has {_lengths_text(lengths)}; this one has {len(digits)}."
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
    """The forms cards are written and typed in (see the module docstring) → Expiry, or None."""
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
    expiry = parse_expiry(text)
    if expiry is None:
        return "The expiry month must be between 01 and 12."
    today = today or date.today()
    if (expiry.year, expiry.month) < (today.year, today.month):
        return f"This card expired in {expiry.month:02d}/{expiry.year}: ask for another card."
    if expiry.year > today.year + EXPIRY_YEARS_AHEAD:
        return "That expiry date is too far ahead: check the year."
    return None


def cvv_length(network: str | None) -> int:
    return 4 if network_of_code(network) == AMEX else 3


def cvv_error(text: str, network: str | None) -> str | None:
    code = (text or "").strip()
    wanted = cvv_length(network)
    where = "on the front of the card" if wanted == 4 else "on the back of the card"
    if not code:
        return f"Enter the {wanted}-digit security code {where}."
    if not code.isdigit() or len(code) != wanted:
        return f"The security code is {wanted} digits, {where}."
    return None


def card_details(number: str, cvv: str, expiry: str, *, postal_code: str | None = None) -> CardDetails:
    """The card both front ends send, from what was typed; ``ValueError`` (without the card in its
    text) when the number, network or expiry does not pass the rules above — check them first."""
    digits = digits_of(number)
    network = card_network(digits)
    parsed = parse_expiry(expiry)
    if parsed is None or network not in ACCEPTED_NETWORKS or card_number_error(digits) is not None:
        del number, digits, cvv
        raise ValueError("The card details are incomplete.")
    return CardDetails(number=digits, cvv=cvv, expire_month=parsed.month, expire_year=parsed.year,
                       issuer=network, postal_code=postal_code or None)
