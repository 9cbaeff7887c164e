"""Cash at the counter, for partner accounts that settle with Ticketmaster by invoice.

The buyer hands over notes; the service is paid with the documented ``INVOICE`` payment type
(partner-api.md 3.8, a numeric-string ``reference`` and no card) for the cart's unpaid balance, and
the partner settles the invoice with Ticketmaster later. The invoice's reference is the sale's
**receipt number** — this station's journal row of the sale, printed on the receipt — so every
cash payment the service holds leads back to one receipt here.

The rules, decided once for the window's payment page and ``python -m app.cli buy --cash``:

- ``read_tendered(text, currency)`` — what the cashier typed as the amount received: figures with
  an optional decimal point (``100``, ``87.5``, ``1,000.00``), at most the currency's minor digits,
  no sign; ``None`` when it is not an amount.
- ``tendered_error(text, due, currency)`` — the plain sentence for the field, or None: empty, not
  an amount, less than the amount due ("USD 2.34 short"), or so far above it that it is more likely
  a slip (more than ``SLIP_FACTOR`` times the amount due *and* over ``SLIP_FLOOR`` of change).
- ``change_due(tendered, due)`` — what goes back to the buyer (never negative).
- ``quick_amounts(due, currency)`` — the amount due and the next round sums a buyer is likely to
  hand over (the next 5, 10, 20, 50, 100), for one-click buttons.
- ``cash_summary`` — the masked line the receipt, the journal and the orders view show
  (``Cash — received USD 100.00, change USD 12.34``).

Pure Python, no Qt. Money stays ``Decimal``.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from .money import minor_digits, money_words, rounded

SLIP_FACTOR = 20  # a tendered amount 20× the amount due …
SLIP_FLOOR = Decimal(500)  # … that would give more than this in change reads as a typing slip
ROUND_SUMS = (5, 10, 20, 50, 100)
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?|\.(\d+)")


def read_tendered(text: str, currency: str | None = None) -> Decimal | None:
    """The amount typed, or None when it is not one (see the module docstring)."""
    typed = (text or "").strip()
    if currency and typed.upper().startswith(currency.upper()):
        typed = typed[len(currency):].strip()  # "USD 100" as the field shows the currency
    match = _AMOUNT.fullmatch(typed)
    if match is None:
        return None
    decimals = match.group(1) or match.group(2) or ""
    if len(decimals) > minor_digits(currency):
        return None
    try:
        return Decimal(typed.replace(",", "").rstrip(".") or "0")
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal figures
        return None


def tendered_error(text: str, due: Decimal, currency: str | None = None) -> str | None:
    """What is wrong with the amount received, in words for its field; None when it covers ``due``."""
    if not (text or "").strip():
        return "Enter the amount the buyer handed over."
    tendered = read_tendered(text, currency)
    if tendered is None:
        digits = minor_digits(currency)
        example = "100 or 87.50" if digits == 2 else ("1200" if digits == 0 else f"100 or 87.{'5' * digits}")
        return f"Type the amount received in figures, like {example}."
    if tendered < due:
        return (f"That is {money_words(due - tendered, currency)} short of the "
                f"{money_words(due, currency)} due.")
    change = tendered - due
    if due > 0 and tendered > due * SLIP_FACTOR and change > SLIP_FLOOR:
        return (f"That would be {money_words(change, currency)} in change for {money_words(due, currency)} "
                "— check the amount received.")
    return None


def change_due(tendered: Decimal, due: Decimal) -> Decimal:
    """The change to hand back; nothing when the buyer gave the exact amount or less."""
    return max(tendered - due, Decimal(0))


def quick_amounts(due: Decimal, currency: str | None = None, limit: int = 4) -> tuple[Decimal, ...]:
    """The exact amount, then the next round sums above it, smallest first: for 87.66 → 87.66, 90,
    100, 150 — whatever a buyer is likely to hand over. At most ``limit``."""
    exact = rounded(due, currency)
    found: list[Decimal] = [exact]
    for step in ROUND_SUMS:
        above = (exact / step).to_integral_value(rounding=ROUND_CEILING) * step
        if above == exact:
            above += step
        if above not in found:
            found.append(above)
    return tuple(sorted(found)[:limit])


def cash_summary(tendered: Decimal, due: Decimal, currency: str | None) -> str:
    """``Cash — received USD 100.00, change USD 12.34`` (or ``…, no change``)."""
    change = change_due(tendered, due)
    back = f"change {money_words(change, currency)}" if change else "no change"
    return f"Cash — received {money_words(tendered, currency)}, {back}"
