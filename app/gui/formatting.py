"""Turning engine values into text for the window: money, dates in the venue's time zone, countdowns.

- Money stays ``Decimal`` all the way; it is rounded to the currency's minor unit with
  ``ROUND_HALF_UP`` here and only then handed to ``QLocale`` for grouping, decimal mark and symbol
  placement (a 2-decimal amount formats exactly).
- Event dates and times are always shown in the venue's own time zone (``zoneinfo``), with the
  zone's abbreviation, because the cashier sells for venues in several zones (``venue_zone``
  is the core's, ``app.checkout.niterun``: an unknown zone reads as UTC).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QDate, QLocale, QTime

from app.checkout.money import minor_digits
from app.checkout.niterun import venue_zone

# ISO 4217 code → symbol shown; codes not listed are shown as the code itself ("CHF 12.00").
CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "MXN": "MX$",
    "JPY": "¥", "SEK": "kr ", "NOK": "kr ", "DKK": "kr ",
}


def _locale(locale: QLocale | None) -> QLocale:
    """The given locale, else the system's; the bare "C" locale (no LANG set) reads as US English."""
    chosen = locale if locale is not None else QLocale()
    if chosen.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return chosen


def format_money(amount: Decimal | int | str | None, currency: str | None, locale: QLocale | None = None) -> str:
    """``Decimal("1234.5"), "USD"`` → ``"$1,234.50"`` (in an en_US locale). None → an em dash."""
    if amount is None:
        return "—"
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    code = (currency or "").upper()
    digits = minor_digits(code)
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    symbol = CURRENCY_SYMBOLS.get(code, f"{code} " if code else "")
    return _locale(locale).toCurrencyString(float(rounded), symbol, digits)


def local_event_time(
    instant: datetime | None = None,
    tz_name: str | None = None,
    *,
    local_date: date | None = None,
    local_time: time | None = None,
) -> datetime | None:
    """The event's start as an aware datetime in the venue's zone.

    Give either an aware ``instant`` (converted to the venue's zone) or the venue-local
    ``local_date`` (+ ``local_time``) as ``/events`` lists them.
    """
    zone = venue_zone(tz_name)
    if instant is not None:
        return instant.astimezone(zone)
    if local_date is not None:
        return datetime.combine(local_date, local_time or time(0, 0), tzinfo=zone)
    return None


def format_event_datetime(moment: datetime | None, locale: QLocale | None = None) -> str:
    """``Mon 7 Dec 2015, 19:00 EST`` style (locale's date/time words), in ``moment``'s own zone."""
    if moment is None:
        return "Date to be announced"
    loc = _locale(locale)
    day = loc.toString(QDate(moment.year, moment.month, moment.day), "ddd d MMM yyyy")
    clock = loc.toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)
    zone = moment.tzname() or ""
    return f"{day}, {clock} {zone}".strip()


def format_clock_time(moment: datetime, locale: QLocale | None = None) -> str:
    """``4:00 PM CET``: the time of day and the zone of ``moment``, without the date."""
    clock = _locale(locale).toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)
    return f"{clock} {moment.tzname() or ''}".strip()


def format_instant_in_zone(instant: datetime | None, tz_name: str | None, locale: QLocale | None = None) -> str:
    """An aware instant (on-sale time, …) shown in the venue's zone."""
    if instant is None:
        return "—"
    return format_event_datetime(instant.astimezone(venue_zone(tz_name)), locale)


def format_countdown(seconds: float | int | None) -> str:
    """Seconds left on a hold → ``4:59``; negative or None → ``0:00``."""
    total = max(0, int(seconds or 0))
    minutes, secs = divmod(total, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_count(value: int | None, locale: QLocale | None = None) -> str:
    """A whole number with the locale's grouping (``60,000``); None → an em dash."""
    if value is None:
        return "—"
    return _locale(locale).toString(int(value))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "seat")`` → ``"1 seat"``, ``plural(3, "seat")`` → ``"3 seats"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
