"""Countries and their regions for a billing address, from ``pycountry`` (ISO 3166-1 and 3166-2).

``country_names()`` lists every country by its alpha-2 code with a short name ("Bolivia", not
"Bolivia, Plurinational State of"); ``regions(code)`` lists a country's first-level subdivisions
(states, provinces, nations…) by the abbreviation the Partner API's ``region.abbrev`` carries —
the part of the ISO 3166-2 code after the country: ``US-NY`` → ``NY``, ``GB-LND`` → ``LND``.
``REGION_REQUIRED`` are the countries whose billing address must name one (the United States and
Canada: card address checks there use it). The United States also list the three military
"states" of APO/FPO addresses (``AA``, ``AE``, ``AP``), which are postal codes, not ISO ones.

``region_code(country, text)`` reads a region as a cashier types it: its abbreviation (``ny``), the
list's ``NY — New York``, or its name (``new york``, ``Quebec`` or ``Québec``) → ``NY``; text that
names none comes back as typed (stripped), for the check to quote.

``iso_code(value)`` reads a country however an answer names it — the alpha-2 code the requests
carry (``US``), alpha-3 (``USA``) or the ISO 3166-1 numeric id a member's saved address comes with
(``{"id": 840}`` → ``US``) — so a saved address is shown and sent by its alpha-2 code.

Names come in English; pass ``language`` (``"de"``, ``"fr_CA"``…) for pycountry's translations,
ready for the window's localisation. ``pycountry`` is imported on first use, never at start-up,
and each list is built once. Pure Python, no Qt.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Callable
from functools import cache

REGION_REQUIRED = frozenset({"US", "CA"})
US_MILITARY = {"AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific"}


def _translator(domain: str, language: str | None) -> Callable[[str], str]:
    if not language:
        return lambda text: text
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True).gettext


@cache
def country_names(language: str | None = None) -> dict[str, str]:
    """Alpha-2 code → the country's short name (translated when ``language`` is given)."""
    import pycountry

    translate = _translator("iso3166-1", language)
    return {c.alpha_2: translate(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}


def country_name(code: str, language: str | None = None) -> str:
    """The country's name, or the code itself when it is not one."""
    value = (code or "").strip().upper()
    return country_names(language).get(value, value)


def is_country(code: str) -> bool:
    return (code or "").strip().upper() in country_names()


@cache
def regions(country: str, language: str | None = None) -> dict[str, str]:
    """Abbreviation → name of the country's first-level subdivisions, by name; {} when it has none."""
    import pycountry

    code = (country or "").strip().upper()
    if code not in country_names():
        return {}
    translate = _translator("iso3166-2", language)
    found = {
        s.code.split("-", 1)[1]: translate(s.name)
        for s in (pycountry.subdivisions.get(country_code=code) or ())  # type: ignore[no-untyped-call]
        if getattr(s, "parent_code", None) is None
    }
    if code == "US":
        found.update(US_MILITARY)
    return dict(sorted(found.items(), key=lambda item: item[1]))


def iso_code(value: object) -> str:
    """The alpha-2 code of a country given as alpha-2, alpha-3 or ISO numeric id (``840``, ``"840"``);
    "" when it names no country."""
    text = str(value if value is not None and not isinstance(value, bool) else "").strip().upper()
    if not text:
        return ""
    if text in country_names():
        return text
    import pycountry

    found = (pycountry.countries.get(numeric=text.zfill(3)) if text.isdigit()
             else pycountry.countries.get(alpha_3=text) if len(text) == 3 else None)
    return str(found.alpha_2) if found is not None else ""


def _plain(text: str) -> str:
    """``Québec`` → ``quebec``: case and accents left out, for matching a typed name."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@cache
def _regions_by_name(country: str) -> dict[str, str]:
    return {_plain(name): abbrev for abbrev, name in regions(country).items()}


def region_code(country: str, text: str) -> str:
    """The abbreviation of the region ``text`` names in ``country`` (see the module's docstring),
    or ``text`` stripped when it names none."""
    typed = (text or "").strip()
    code = (country or "").strip().upper()
    known = regions(code)
    if not typed or not known:
        return typed
    head = typed.split(" — ", 1)[0].strip().upper()
    if head in known:
        return head
    return _regions_by_name(code).get(_plain(typed), typed)


def region_required(country: str) -> bool:
    return (country or "").strip().upper() in REGION_REQUIRED
