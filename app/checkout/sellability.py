"""Can this event be sold here now? One answer for the window and the command line.

``sellability(details, availability, now=…)`` checks, in this order, and the first that applies
refuses the sale with its sentence (``Sellability.refusal``):

1. the event is not ``api_transactable`` — it is sold on Ticketmaster only (the window shows the
   link, the CLI prints it);
2. the venue is in its nightly maintenance, 00:00–02:00 by the event's own time zone (``niterun``);
3. its sales have ended (``offsale`` passed);
4. it is not on sale yet (``onsale`` ahead);
5. nothing is available (only when ``availability`` is given: the window and the CLI check the
   event first, then again once availability is known).

What does not stop a sale is a note (``Sellability.notes``): the maintenance night starting within
30 minutes, and a captcha that must be solved before seats are held. The events list's "On sale"
and "Sale" columns come from ``on_sale_state`` and ``sale_channel_text``.

The window and the CLI used to disagree here; the cashier's view was kept:

- the CLI checked only ``api_transactable``; it now refuses the maintenance night, an ended sale,
  a sale not yet open and a sold-out event before holding anything, with the window's sentences;
- the window refused sales in the 30 minutes before the maintenance night while its own sentence
  said "a sale started now may not finish": both now sell then and show that warning;
- the window said a captcha was needed before the reserve, the CLI only after a refused reserve:
  both now ask first (the CLI ends with exit 3 unless given ``--captcha-token``).

Dates in sentences are written by ``format_instant`` (the window passes its locale's formatter;
the default is a plain ``Thu 26 Nov 2026, 19:30 EST``). Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from app.partner.models import Availability, EventDetails

from .niterun import NiterunPhase, niterun_status, utc_now, venue_zone

InstantFormatter = Callable[[datetime, "str | None"], str]

NOT_TRANSACTABLE = "This event is sold on Ticketmaster only."
SALES_ENDED = "Sales for this event have ended."
SOLD_OUT = "Sold out: no seats are available."
CAPTCHA_NOTE = "This event asks for a security check (captcha) before seats are held."


def plain_instant(instant: datetime, tz_name: str | None) -> str:
    """``Thu 26 Nov 2026, 19:30 EST``: the instant in the venue's zone, without a locale."""
    local = instant.astimezone(venue_zone(tz_name))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname() or ''}".strip()


class Refusal(Enum):
    NOT_TRANSACTABLE = "not_transactable"
    NITERUN = "niterun"
    ENDED = "ended"
    NOT_YET = "not_yet"
    SOLD_OUT = "sold_out"


@dataclass(frozen=True)
class Sellability:
    refusal: Refusal | None = None
    sentence: str | None = None  # why not (None when it can be sold)
    notes: tuple[str, ...] = ()  # what the cashier should know although it can be sold

    @property
    def sellable(self) -> bool:
        return self.refusal is None


def sellability(
    details: EventDetails,
    availability: Availability | None = None,
    *,
    now: datetime | None = None,
    captcha_required: bool = False,
    format_instant: InstantFormatter = plain_instant,
) -> Sellability:
    """Whether ``details``' event can be sold at ``now`` (see the module docstring for the order)."""
    now = now or utc_now()
    tz = details.time_zone
    night = niterun_status(tz, now)
    notes = tuple(n for n in ((night.sentence if night.phase is NiterunPhase.SOON else None),
                              CAPTCHA_NOTE if captcha_required else None) if n)

    def refuse(refusal: Refusal, sentence: str) -> Sellability:
        return Sellability(refusal, sentence, notes)

    if not details.api_transactable:
        return refuse(Refusal.NOT_TRANSACTABLE, NOT_TRANSACTABLE)
    if night.in_niterun:
        return refuse(Refusal.NITERUN, night.sentence or "")
    if details.offsale is not None and now >= details.offsale:
        return refuse(Refusal.ENDED, SALES_ENDED)
    if details.onsale is not None and now < details.onsale:
        return refuse(Refusal.NOT_YET, f"This event is not on sale yet ({format_instant(details.onsale, tz)}).")
    if availability is not None and availability.available <= 0:
        return refuse(Refusal.SOLD_OUT, SOLD_OUT)
    return Sellability(notes=notes)


class OnSale(Enum):
    ENDED = "ended"
    NOT_YET = "not_yet"
    NO_DATE = "no_date"
    ON_SALE = "on_sale"


def on_sale_state(details: EventDetails, now: datetime) -> OnSale:
    """The on-sale state the events list and the event page's header show."""
    if details.offsale is not None and now >= details.offsale:
        return OnSale.ENDED
    if details.onsale is None:
        return OnSale.NO_DATE
    if now < details.onsale:
        return OnSale.NOT_YET
    return OnSale.ON_SALE


def on_sale_text(details: EventDetails, now: datetime, format_instant: InstantFormatter = plain_instant) -> str:
    """``Sale ended`` · ``On sale (no date given)`` · ``From Thu 26 Nov 2026, 10:00 EST`` · ``On sale``."""
    state = on_sale_state(details, now)
    if state is OnSale.NOT_YET and details.onsale is not None:
        return "From " + format_instant(details.onsale, details.time_zone)
    return {OnSale.ENDED: "Sale ended", OnSale.NO_DATE: "On sale (no date given)"}.get(state, "On sale")


def sale_channel_text(transactable: bool) -> str:
    """Where the event is sold: here, or on Ticketmaster only."""
    return "Sell here" if transactable else "Ticketmaster only"
