"""What the sale pages say about the event: ``sale_event`` builds the ``SaleEvent`` (name, date and
time in the event's own zone, venue, row/seat restriction, ticket type names) from the event page's
details and availability when a cart is held.

Details that belong to another event than the held cart's are never used: the sale is then named
by its event id only, never after another event's page.
"""

from __future__ import annotations

from app.gui.event.offers import ticket_type_names
from app.gui.formatting import format_event_datetime, local_event_time
from app.gui.sale.receipt import SaleEvent


def sale_event(session, details, availability) -> SaleEvent:
    """The ``SaleEvent`` of ``session``'s event from the page's ``details`` and ``availability`` (or None)."""
    if details is not None and details.event_id != session.event_id:
        details = availability = None  # never name a sale after another event's page
    when = ""
    if details is not None and details.event_date is not None:
        when = format_event_datetime(local_event_time(details.event_date, details.time_zone))
    venue = ""
    if details is not None:
        venue = ", ".join(p for p in (details.venue.name, details.venue.city) if p)
    return SaleEvent(
        event_id=session.event_id,
        name=(details.name if details else "") or "",
        when=when,
        venue=venue,
        hide_row_seat=bool(availability and availability.loc_row_seat_restrict),
        availability=availability,
        time_zone=details.time_zone if details is not None else None,
        country=(details.venue.country or None) if details is not None else None,
        ticket_names=ticket_type_names(availability, details),
    )
