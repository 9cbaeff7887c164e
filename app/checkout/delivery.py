"""How the buyer gets the tickets: which delivery option a sale starts with, and how it is called.

``default_delivery(options)`` is the option a sale takes unless the cashier (or ``--shipping``)
says otherwise: the only one when there is one; otherwise the cheapest, the first the service
lists among equally cheap ones — so a buyer is never charged a delivery fee nobody chose while a
cheaper way is offered. None when the event offers no choice (the partner's default applies).

The window and the CLI used to differ: the window chose only a lone option and waited for the
cashier otherwise; the CLI always took the first listed, whatever it cost. Now the window
preselects ``default_delivery`` (the cashier can pick another before going on) and the CLI takes
it and says which it took and what else there was.

``delivery_words(option)`` names an option the same way on the delivery page, the review, the
receipt and the CLI ("Ticketmaster — e-ticket (sent by email)"); the fee is added by each front
end in its own money format. Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.partner.models import ShippingOption

SERVICE_WORDS = {
    "ETICKET": "e-ticket (sent by email)",
    "MAIL": "by post",
    "WILLCALL": "collect at the box office (will call)",
    "MOBILE": "mobile ticket",
    "PRINT": "print at home",
    "UPS": "UPS courier",
    "FEDEX": "FedEx courier",
}


def default_delivery(options: Sequence[ShippingOption]) -> ShippingOption | None:
    """The lone option, else the cheapest (the service's order among equals), else None."""
    if not options:
        return None
    return min(options, key=lambda option: option.fee)  # min keeps the first of equals


def delivery_words(option: ShippingOption) -> str:
    """The option's description, else carrier and service level in words, else its id."""
    carrier = (option.carrier or "").replace("_", " ").title()
    level = option.service_level or ""
    words = SERVICE_WORDS.get(level.upper(), level.replace("_", " ").lower())
    return option.description or " — ".join(x for x in (carrier, words) if x) or f"Option {option.id}"
