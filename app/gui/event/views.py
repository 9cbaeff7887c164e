"""The event page's data views — offers, availability bars, inventory table, seat map — which
never show two events at once.

``EventViews`` owns those widgets (the page lays them out). ``await show(details, availability)``
fills all of them from one event's answers (the inventory lines, the map's layout and the place
index are built on the worker thread); ``clear(sentence)`` empties all of them at once, and the map
and the availability say the sentence instead ("Loading the event…", or why the event could not be
loaded). ``event_id`` is the event whose data is shown, None while nothing is.

Whether exact seats can be picked is one rule (``salerules.seat_picking_note``): the map's note
and the sale controls say the same sentence. Where no seat map is shown — the venue forbids one
(``seatLocationMapRestrict``), or the inventory could not be drawn — the venue's seating chart takes
its place (``seatingchart``), fetched by the station through ``fetch_chart``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QWidget

from app.gui.asyncutil import spawn
from app.gui.event.availability import AvailabilityView
from app.gui.event.inventory import InventoryTable
from app.gui.event.offers import OffersTable
from app.gui.event.salerules import NO_MAP_NOTE, PlaceIndex, seat_picking_note
from app.gui.event.seatingchart import SeatingChartPanel
from app.gui.offthread import let_go, off_gui_thread
from app.gui.seatmap.view import SeatMapView
from app.partner.errors import PartnerError
from app.partner.media import FetchedImage
from app.partner.models import Availability, EventDetails

log = logging.getLogger(__name__)
ChartFetcher = Callable[[EventDetails], Awaitable[FetchedImage | None]]


class EventViews(QObject):
    def __init__(self, parent: QWidget, *, fetch_chart: ChartFetcher | None = None) -> None:
        super().__init__(parent)
        self.event_id: str | None = None
        self.places: PlaceIndex | None = None
        self._fetch_chart = fetch_chart
        self._chart_task: asyncio.Task | None = None
        self.offers = OffersTable(parent)
        self.availability = AvailabilityView(parent)
        self.inventory = InventoryTable(parent)
        self.seat_map = SeatMapView(parent)
        self.chart = SeatingChartPanel(parent)
        self.map_note = self.chart.note
        self.map_stack = QStackedWidget(parent)
        self.map_stack.addWidget(self.seat_map)
        self.map_stack.addWidget(self.chart)
        self.tabs = QTabWidget(parent)
        self.tabs.setObjectName("eventTabs")
        self.tabs.addTab(self.map_stack, "Seat map")
        self.tabs.addTab(self.inventory, "Inventory")

    def clear(self, sentence: str) -> None:
        """Nothing of any event: empty tables, no bars, no map; ``sentence`` says why."""
        self.event_id = None
        self._drop_places()
        self.offers.set_lines([])
        self.availability.clear(sentence)
        self.inventory.set_entries([], True)
        self.seat_map.show_message(sentence)
        self.chart.show_note("")
        if self._chart_task is not None:
            self._chart_task.cancel()
            self._chart_task = None
        self.map_stack.setCurrentWidget(self.seat_map)

    async def show(self, details: EventDetails | None, availability: Availability) -> None:
        """Fill every view from one event's answers (``details`` may be None: prices fall back)."""
        if self._chart_task is not None:
            self._chart_task.cancel()
            self._chart_task = None
        self.event_id = availability.event_id or (details.event_id if details else None)
        show_names = not availability.loc_row_seat_restrict
        level_names = {p.id: p.description or f"Price level {p.id}" for p in (details.prices if details else ())}
        shown_for = self.event_id
        # One view per turn of the event loop, each painted before the next is filled: together
        # they held the window ~9 ms at once on the stadium page. ``clear`` or a newer ``show`` in
        # between takes over.
        self.offers.set_offers(availability, details)
        await asyncio.sleep(0)
        if self.event_id != shown_for:
            return
        self.availability.set_availability(availability, level_names)
        await asyncio.sleep(0)
        if self.event_id != shown_for:
            return
        restricted = availability.seat_location_map_restrict
        if restricted:
            self.chart.show_note(seat_picking_note(availability) or NO_MAP_NOTE)
            self.seat_map.show_message(self.chart.text())
            self.map_stack.setCurrentWidget(self.chart)
        else:
            self.map_stack.setCurrentWidget(self.seat_map)
        rows = [r for t in availability.tickets for r in t.inventory]
        self._drop_places()
        loads = [self.inventory.load(availability, show_names=show_names)]
        if not restricted:
            loads.append(self.seat_map.load(availability, show_names=show_names, level_names=level_names))
        loads.append(self._index_places(rows))  # queued on the worker after the table's and the map's work
        await asyncio.gather(*loads)  # built on the worker thread; the window stays responsive
        if self.event_id != shown_for or details is None:
            return
        if not restricted and self.seat_map.message():  # the inventory could not be drawn (or has nothing to)
            self.chart.show_note(self.seat_map.message())
            self.map_stack.setCurrentWidget(self.chart)
        if self.map_stack.currentWidget() is self.chart and details.venue.seating_chart is not None:
            # Fetched beside the page, which is ready to sell meanwhile; a newer event drops it.
            self._chart_task = spawn(self._show_chart(details, self.chart.text()),
                                     context=f"the seating chart of {shown_for}")

    async def _show_chart(self, details: EventDetails, sentence: str) -> None:
        """The venue's seating chart under ``sentence``, where the map would be (if the event has one)."""
        if self._fetch_chart is None or details.venue.seating_chart is None:
            return
        event_id = self.event_id
        chart = details.venue.seating_chart
        try:
            picture = await self._fetch_chart(details)
        except PartnerError as exc:
            log.info("seating chart of %s not shown: %s", event_id, exc)
            if self.event_id == event_id:
                await self.chart.show_chart(sentence, None, problem=exc.user_message)
            return
        if self.event_id == event_id:
            await self.chart.show_chart(sentence, picture, name=chart.name or "")

    def _drop_places(self) -> None:
        """Forget the place index shown; the worker frees it (a stadium's is ~60,000 entries, a few ms
        of the GUI thread's time when dropped here, in the slice that starts the next loads)."""
        if self.places is not None:
            let_go([self.places], lambda index: [index.where, index.rows_by_key])
            self.places = None

    async def _index_places(self, rows) -> None:
        # On the one event-views worker, behind the table lines and the map layout: on a thread of its
        # own it took turns at the GIL with them and with the GUI thread painting the page.
        self.places = await off_gui_thread(PlaceIndex, rows)
