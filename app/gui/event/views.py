"""The event page's data views — offers, availability bars, inventory table, seat map — which
never show two events at once.

``EventViews`` owns those widgets (the page lays them out). ``await show(details, availability)``
fills all of them from one event's answers (the inventory lines, the map's layout and the place
index are built on the worker thread); ``clear(sentence)`` empties all of them at once, and the map
and the availability say the sentence instead ("Loading the event…", or why the event could not be
loaded). ``event_id`` is the event whose data is shown, None while nothing is.

Whether exact seats can be picked is one rule (``salerules.seat_picking_note``): the map's note
and the sale controls say the same sentence.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QWidget

from app.gui.event.availability import AvailabilityView
from app.gui.event.inventory import InventoryTable
from app.gui.event.offers import OffersTable
from app.gui.event.salerules import PlaceIndex, seat_picking_note
from app.gui.seatmap.view import SeatMapView
from app.partner.models import Availability, EventDetails


class EventViews(QObject):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.event_id: str | None = None
        self.places: PlaceIndex | None = None
        self.offers = OffersTable(parent)
        self.availability = AvailabilityView(parent)
        self.inventory = InventoryTable(parent)
        self.seat_map = SeatMapView(parent)
        self.map_note = QLabel(parent)
        self.map_note.setObjectName("seatMapRestrictedNote")
        self.map_note.setWordWrap(True)
        self.map_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map_stack = QStackedWidget(parent)
        self.map_stack.addWidget(self.seat_map)
        self.map_stack.addWidget(self.map_note)
        self.tabs = QTabWidget(parent)
        self.tabs.setObjectName("eventTabs")
        self.tabs.addTab(self.map_stack, "Seat map")
        self.tabs.addTab(self.inventory, "Inventory")

    def clear(self, sentence: str) -> None:
        """Nothing of any event: empty tables, no bars, no map; ``sentence`` says why."""
        self.event_id = None
        self.places = None
        self.offers.set_lines([])
        self.availability.clear(sentence)
        self.inventory.set_entries([], True)
        self.seat_map.show_message(sentence)
        self.map_stack.setCurrentWidget(self.seat_map)

    async def show(self, details: EventDetails | None, availability: Availability) -> None:
        """Fill every view from one event's answers (``details`` may be None: prices fall back)."""
        self.event_id = availability.event_id or (details.event_id if details else None)
        show_names = not availability.loc_row_seat_restrict
        level_names = {p.id: p.description or f"Price level {p.id}" for p in (details.prices if details else ())}
        self.offers.set_offers(availability, details)
        self.availability.set_availability(availability, level_names)
        note = seat_picking_note(availability)
        if availability.seat_location_map_restrict:
            self.map_note.setText(note or "The venue does not allow a seat map for this event; sell best available.")
            self.seat_map.show_message(self.map_note.text())
            self.map_stack.setCurrentWidget(self.map_note)
        else:
            self.map_stack.setCurrentWidget(self.seat_map)
        rows = [r for t in availability.tickets for r in t.inventory]
        self.places = None
        loads = [self.inventory.load(availability, show_names=show_names), self._index_places(rows)]
        if not availability.seat_location_map_restrict:
            self.seat_map.set_price_level_names(level_names)
            loads.append(self.seat_map.load(availability, show_names=show_names))
        await asyncio.gather(*loads)  # built on the worker thread; the window stays responsive

    async def _index_places(self, rows) -> None:
        self.places = await asyncio.to_thread(PlaceIndex, rows)
