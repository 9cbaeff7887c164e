"""Money as the core says it: each currency's minor unit and a plain ``USD 87.66`` for sentences.

The window formats amounts with the locale's grouping and symbol (``app.gui.formatting``); the core
speaks in sentences the command line prints too, so it names the currency by its ISO 4217 code.
Amounts stay ``Decimal``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Currencies whose minor unit is not 2 digits (ISO 4217).
CURRENCY_DIGITS: dict[str, int] = {"JPY": 0, "KRW": 0, "ISK": 0, "BHD": 3, "KWD": 3}


def minor_digits(currency: str | None) -> int:
    """How many digits follow the decimal point in ``currency`` (2 unless listed)."""
    return CURRENCY_DIGITS.get((currency or "").upper(), 2)


def rounded(amount: Decimal, currency: str | None) -> Decimal:
    """``amount`` to the currency's minor unit, halves up."""
    return amount.quantize(Decimal(1).scaleb(-minor_digits(currency)), rounding=ROUND_HALF_UP)


def money_words(amount: Decimal, currency: str | None) -> str:
    """``USD 1,087.66`` (``JPY 1,200``): the code, then the amount grouped by thousands."""
    digits = minor_digits(currency)
    text = f"{rounded(amount, currency):,.{digits}f}"
    return f"{currency.upper()} {text}" if currency else text
