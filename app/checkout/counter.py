"""The station's counter: the read-only questions to the service, and the hand-made cart release.

``ServiceCounter`` passes the events, an event's details, captcha, orders and unredeemed orders
through to the station's client of the moment; ``find_event`` opens the event the cashier named
(``eventref``); ``seating_chart`` fetches a venue's chart picture and keeps the last few while the
station runs (it owns that cache); ``delete_cart`` releases a cart by hand and says so in the
journal. ``Station`` hands its calls of the same names here.
"""

from __future__ import annotations

from collections.abc import Callable

from app.partner.client import PartnerClient
from app.partner.errors import NotFound
from app.partner.media import FetchedImage
from app.partner.models import (
    CaptchaInfo,
    CaptchaPage,
    EventDetails,
    EventSummary,
    Order,
    UnredeemedOrder,
)
from app.storage.journal import Journal

from .eventref import EventNotFound, read_event_reference

PICTURES_KEPT = 16  # seating charts kept in memory (a few venues' worth)


class ServiceCounter:
    """Questions to the service through ``client()`` (the station's client now; it raises when the
    station is not started); hand-made releases are written to ``journal()``."""

    def __init__(self, client: Callable[[], PartnerClient], journal: Callable[[], Journal]) -> None:
        self._client = client
        self._journal = journal
        self._pictures: dict[str, FetchedImage] = {}  # seating charts by address, oldest first

    async def events(self) -> tuple[EventSummary, ...]:
        return await self._client().events()

    async def event_details(self, event_id: str) -> EventDetails:
        return await self._client().event_details(event_id)

    async def find_event(self, text: str) -> EventDetails:
        """The event ``text`` names (an id, a venue code with its host, a Ticketmaster address:
        ``eventref``), listed in ``/events`` or not. ``EventReferenceProblem`` when ``text`` names no
        event, ``EventNotFound`` when the service knows none by that name."""
        reference = read_event_reference(text)
        client = self._client()
        try:
            event_id = reference.event_id
            if event_id is None:
                event_id = await client.event_id_for(reference.event_code or "", reference.event_host or "")
            return await client.event_details(event_id)
        except NotFound:
            raise EventNotFound(f"The ticketing service knows no {reference.words()}. Check what was typed.") from None

    async def seating_chart(self, details: EventDetails) -> FetchedImage | None:
        """The venue's seating chart picture (None when the event names none); fetched once per
        address while the station runs. A picture that cannot be had raises the client's error."""
        chart = details.venue.seating_chart
        if chart is None:
            return None
        picture = self._pictures.get(chart.location)
        if picture is None:
            picture = await self._client().picture(chart.location)
            if len(self._pictures) >= PICTURES_KEPT:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[chart.location] = picture
        return picture

    async def captcha_info(self, event_id: str) -> CaptchaInfo:
        """Is a captcha required for this event, and its current site key (never cached)."""
        return await self._client().captcha(event_id)

    async def captcha_page(self, event_id: str) -> CaptchaPage:
        return await self._client().captcha_page(event_id)

    async def order(self, order_token: str) -> Order:
        return await self._client().order(order_token)

    async def unredeemed_orders(self, *, days_from_purchase: int | None = None,
                                days_before_event: int | None = None) -> tuple[UnredeemedOrder, ...]:
        return await self._client().unredeemed_orders(days_from_purchase=days_from_purchase,
                                                      days_before_event=days_before_event)

    async def delete_cart(self, event_id: str, cart_id: str) -> bool:
        """Release a cart by hand; False when the server holds no such cart (already gone)."""
        deleted = await self._client().delete_cart(event_id, cart_id)
        if deleted:
            self._journal().log_recovery(
                "cart_deleted", f"Cart deleted by hand for {event_id}.", event_id=event_id, cart_id=cart_id
            )
        return deleted
