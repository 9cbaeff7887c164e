"""One event's page: what it costs, what is free, the seat map, and the reserve that starts a sale.

``EventPage.show_event(event_id)`` asks the station for the event's details, availability and
captcha needs, then fills the header, the offers table, the availability bars, the inventory table
and the seat map (the map is left out when ``seatLocationMapRestrict`` is set; row and seat names
are hidden when ``locRowSeatRestrict`` is). An event that is not API-transactable shows its
Ticketmaster link instead of a sale. Reserving (``SaleControls``) runs a ``CheckoutSession``:
the captcha first when the event asks for one (``captcha.solve_captcha``), "Waiting in line"
while the service polls, Cancel deletes whatever was held. A held cart leaves through
``reserved(session)``; the window then runs the rest of the sale. Whether the event sells now
(maintenance night, on sale, sold out) and the notes beside it are the core's
``app.checkout.sellability``, which the command line asks too. Availability comes from the
station's desk (``Station.seats``, ``app.checkout.availbudget``): opening again reuses a young
answer, Refresh (F5) asks anew, the header says when the seats shown were fetched and what is left
of the hourly budget, and a refresh the budget (or a 429, or an open sale) holds back keeps the
seats shown and says why and until when in the notice line.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.checkout.availbudget import AvailabilityAnswer, clock_time
from app.checkout.niterun import utc_now
from app.checkout.seatpicks import pick_problem
from app.checkout.sellability import NOT_TRANSACTABLE, OnSale, on_sale_state, sellability
from app.gui.asyncutil import spawn
from app.gui.errorbanner import ErrorBanner
from app.gui.errors import ActionKind
from app.gui.event.header import EventAbout, EventHeader
from app.gui.event.reserving import Reserver
from app.gui.event.salecontrols import SaleControls
from app.gui.event.views import EventViews
from app.gui.focuscue import lead_to
from app.gui.formatting import format_event_datetime, format_instant_in_zone, local_event_time
from app.gui.shortcuts import bind
from app.partner import errors as perr
from app.partner.models import Availability, EventDetails, ReserveRequest

log = logging.getLogger(__name__)


class EventPage(QWidget):
    """The page of one event: header, offers, availability, seat map and the reserve that starts a
    sale (see the module docstring). Signals: ``reserved(session)`` with a held cart,
    ``backRequested``, ``loaded(event_id)`` once the event is shown."""

    reserved = Signal(object)  # CheckoutSession holding a cart
    backRequested = Signal()
    loaded = Signal(str)  # event id, once details and availability are shown

    def __init__(self, station, parent=None, *, clock=utc_now) -> None:
        super().__init__(parent)
        self.setObjectName("eventPage")
        self.station = station
        self._clock = clock
        self.event_id: str | None = None
        self.details: EventDetails | None = None
        self.availability: Availability | None = None
        self._captcha_required = False
        self.loaded_event_id: str | None = None  # set once the page shows that event completely
        self._last_request: ReserveRequest | None = None
        self._held_back: str | None = None  # why the seats shown were not fetched again now
        self._load_task: asyncio.Task | None = None

        self.header = EventHeader(self)
        self.back_button, self.title, self.subtitle = self.header.back_button, self.header.title, self.header.subtitle
        self.notice, self.refresh_button = self.header.notice, self.header.refresh_button
        self.open_ticketmaster = self.header.open_ticketmaster
        self.about = EventAbout(self)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("eventErrorBanner")

        # Offers, availability, inventory, seat map (or the seating chart): one event at a time.
        self.views = EventViews(self, fetch_chart=station.counter.seating_chart)
        self.offers, self.availability_view, self.inventory = (
            self.views.offers,
            self.views.availability,
            self.views.inventory,
        )
        self.seat_map, self.map_note, self.tabs = self.views.seat_map, self.views.map_note, self.views.tabs
        self.controls = SaleControls(self)
        self._reserver = Reserver(station, self._captcha_token, self)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.about)
        right_layout.addWidget(self.availability_view)
        right_layout.addWidget(self.controls, 1)
        right_scroll = QScrollArea(self)
        right_scroll.setWidgetResizable(True)
        right_scroll.setWidget(right)
        right_scroll.setMinimumWidth(360)

        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.offers)
        left.addWidget(self.tabs)
        left.setStretchFactor(1, 3)
        body = self.body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(right_scroll)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([540, 400])

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(body, 1)
        layout.addStretch(0)  # takes the room only when the body is hidden (Ticketmaster-only events)

        self.back_button.clicked.connect(self.backRequested)
        self.refresh_button.clicked.connect(self.refresh)
        self.seat_map.selectionChanged.connect(self._on_map_selection)
        self.seat_map.limitReached.connect(self._on_map_limit)
        self.inventory.placesSelected.connect(self._on_inventory_places)
        self.controls.reserveRequested.connect(self._on_reserve_requested)
        self.controls.cancelRequested.connect(self.cancel_reserve)
        self.banner.actionRequested.connect(self._on_error_action)
        self._reserver.busyChanged.connect(self._on_busy)
        self._reserver.waiting.connect(self.controls.set_waiting)
        self._reserver.reserved.connect(self._on_reserved)
        self.setTabOrder(self.controls.reserve_button, self.back_button)
        # Enter and F5 act while the keyboard is on this page, never from the events list beside it.
        bind("page_enter", self, self._on_enter)
        bind("page_refresh", self, self._on_f5)

    # --- loading ----------------------------------------------------------------------------------
    def shows(self, event_id: str) -> bool:
        """The page holds ``event_id``, loaded or still loading (opening it again would only reload)."""
        if event_id != self.event_id:
            return False
        return self.loaded_event_id == event_id or (self._load_task is not None and not self._load_task.done())

    def show_event(self, event_id: str, *, title: str = "", refresh: bool = False) -> asyncio.Task:
        """Start loading ``event_id``; returns the loading task.

        A load still running is dropped, and nothing of another event stays on the page while this
        one loads (a refresh of the same event keeps its data, map zoom and picks meanwhile)."""
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        if event_id != self.event_id:
            self._last_request = None  # "Retry" must never reserve the previous event's tickets
            self._captcha_required = False
            self._held_back = None
            self.header.set_as_of("")
            self.notice.hide()
        if self.views.event_id != event_id:
            self.views.clear("Loading the event…")
        self.event_id = event_id
        self.loaded_event_id = None
        self.details = self.availability = None
        self.banner.clear()
        self.title.setText(title or event_id)
        self.subtitle.setText("Loading the event…")
        self.about.show_details(None)
        self.controls.set_event(None, None)
        self.controls.set_blocked("Loading the event…")
        self._load_task = spawn(
            self._load(event_id, refresh),
            context=f"loading event {event_id}",
            on_error=lambda exc: self._on_load_error(exc, event_id),
        )
        return self._load_task

    def refresh(self) -> asyncio.Task | None:
        if self.event_id is None or self.is_reserving():
            return None
        return self.show_event(self.event_id, title=self.title.text(), refresh=True)

    async def _load(self, event_id: str, refresh: bool = False) -> None:
        # The captcha question runs beside the details; it never outlives this load. A newer
        # show_event cancels this task; the checks after each answer drop it in any case.
        captcha_task = asyncio.ensure_future(self._captcha_needed(event_id))
        try:
            details = await self.station.counter.event_details(event_id)
            if event_id != self.event_id:
                return
            self.details = details
            self._show_header(details)
            if not details.api_transactable:
                self.views.clear(NOT_TRANSACTABLE)
                self._show_not_transactable(details)
            else:
                # Within the station's budget, never while a sale holds seats (``availbudget``);
                # Refresh asks anew, opening again reuses a young answer.
                answer = await self.station.seats(event_id, refresh=refresh)
                captcha_required = await captcha_task
                if event_id != self.event_id:
                    return
                self._captcha_required = captcha_required
                self._held_back = answer.held_back
                await self._show_availability(answer.availability)
                self._show_as_of(answer)
                if event_id != self.event_id:
                    return
        finally:
            if not captcha_task.done():
                captcha_task.cancel()
        self.loaded_event_id = event_id
        self._take_focus()
        self.loaded.emit(event_id)

    def focus_first(self) -> None:
        """The first control a cashier needs: the ticket type when the event sells, else Back."""
        if self.open_ticketmaster.isVisible():
            target = self.open_ticketmaster
        else:
            target = self.controls.ticket_type if self.controls.ticket_type.isEnabled() else self.back_button
        lead_to(target)

    def _take_focus(self) -> None:
        # Move the keyboard here once loaded, unless the cashier has meanwhile gone to type elsewhere.
        focus = QApplication.focusWidget()
        came_from_list = focus is not None and focus.objectName() in ("eventSearch", "eventsTable")
        if self.isVisible() and (focus is None or came_from_list or self.isAncestorOf(focus)):
            self.focus_first()

    async def _captcha_needed(self, event_id: str) -> bool:
        try:
            return bool((await self.station.counter.captcha_info(event_id)).required)
        except perr.PartnerError as exc:  # the reserve will ask for it if it was needed
            log.info("captcha check for %s failed: %s", event_id, exc)
            return False

    def _show_header(self, details: EventDetails) -> None:
        tz = details.time_zone
        self.title.setText(details.name or details.event_id)
        venue = details.venue
        where = ", ".join(p for p in (venue.name, venue.city, venue.region or venue.country) if p)
        when = (
            format_event_datetime(local_event_time(details.event_date, tz))
            if details.event_date
            else "Date to be announced"
        )
        state = on_sale_state(details, self._clock())
        if state is OnSale.NOT_YET and details.onsale is not None:
            onsale = "on sale from " + format_instant_in_zone(details.onsale, tz)
        else:
            onsale = {OnSale.NO_DATE: "no on-sale date given", OnSale.ENDED: "sales ended"}.get(state, "on sale")
        self.subtitle.setText(f"{when} · {where or 'venue not given'} · {onsale} · event {details.event_id}")
        self.header.show_sellable()
        self.about.show_details(details)
        self.body.show()
        self.controls.show()

    def _show_not_transactable(self, details: EventDetails) -> None:
        self.header.show_not_transactable(details.ticketmaster_url)
        self.controls.set_blocked(NOT_TRANSACTABLE)
        self.body.hide()  # no offers, seats or sale here: nothing to show but the way to Ticketmaster
        if self.open_ticketmaster.isVisibleTo(self):
            self.open_ticketmaster.setFocus(Qt.FocusReason.OtherFocusReason)

    async def _show_availability(self, availability: Availability) -> None:
        self.availability = availability
        self.controls.set_event(self.details, availability)
        self._refresh_blocked()
        self.seat_map.set_selectable_limit(self.controls.quantity_limit())
        await asyncio.sleep(0)  # the sale controls paint before the views fill (a newer load cancels this one)
        await self.views.show(self.details, availability)

    def _refresh_blocked(self) -> None:
        """Whether the event sells now, and the notes beside it: the core's ``sellability``."""
        if self.details is None:
            return
        verdict = sellability(self.details, self.availability, now=self._clock(),
                              captcha_required=self._captcha_required, format_instant=format_instant_in_zone)
        self.controls.set_blocked(verdict.sentence)
        notes = list(verdict.notes)
        if self.availability is not None and self.availability.loc_row_seat_restrict:
            notes.insert(0, "Row and seat names are not shown for this event (venue rule).")
        if self._held_back:  # the seats shown were not asked for again, and until when
            notes.insert(0, self._held_back)
        self.header.set_notice(notes)

    def _show_as_of(self, answer: AvailabilityAnswer) -> None:
        """When the seats shown were fetched, and the availability requests left this hour."""
        budget = self.station.availability_budget()
        self.header.set_as_of(f"Seats as of {clock_time(answer.fetched_at)}",
                              budget.words() if budget is not None else "", budget.details() if budget else "")

    def _on_load_error(self, exc: BaseException, event_id: str) -> None:
        if event_id != self.event_id:
            return  # the cashier has moved on to another event: this failure is not about it
        # What the page showed may be another event's, or stale: none of it stays.
        view = self.banner.show_error(exc)
        self.availability = None
        self.views.clear("Nothing to show: the event could not be loaded. " + view.sentence)
        self.notice.hide()
        self.subtitle.setText(view.sentence if self.details is None else self.subtitle.text())
        self.controls.set_event(None, None)
        self.controls.set_blocked("The event could not be loaded. " + view.sentence)

    # --- picking and reserving --------------------------------------------------------------------
    def _on_map_selection(self, places: list) -> None:
        availability, index = self.availability, self.views.places
        hide_names = availability is not None and availability.loc_row_seat_restrict
        self.controls.set_picked(list(places), index.describe(list(places), hide_names) if index else "")
        # The core says whether the picks can go in one reserve (seats without place ids: one run of
        # one row), then whether they would strand a single seat.
        warning = pick_problem(availability, list(places))
        if warning is None and index is not None and availability is not None and availability.restrict_single \
                and places:
            warning = index.single_seat_warning(list(places), hide_names)
        self.controls.set_single_seat_warning(warning)

    def _on_map_limit(self, limit: int) -> None:
        self.controls.show_note(f"At most {limit} seats can be picked for one sale here.")

    def _on_inventory_places(self, places: list) -> None:
        # Selecting inventory lines picks those seats on the map (up to the limit).
        if self.availability is not None and not self.availability.seat_location_map_restrict and places:
            self.seat_map.select_places(list(places), replace=True)

    def _on_enter(self) -> None:
        focus = QApplication.focusWidget()
        if (
            isinstance(focus, QAbstractButton)
            and focus is not self.controls.reserve_button
            and self.isAncestorOf(focus)
        ):
            focus.click()  # Enter on a focused button (Back, Refresh, Cancel) presses it
            return
        self.controls.request_reserve()

    def _on_f5(self) -> None:
        if self.refresh_button.isVisible() and self.refresh_button.isEnabled():
            self.refresh()

    def is_reserving(self) -> bool:
        return self._reserver.running

    def _on_reserve_requested(self, request: ReserveRequest) -> None:
        if self.event_id is None or self.is_reserving():
            return
        self.banner.clear()
        self._last_request = request
        name = (self.details.name if self.details else "") or ""
        self._reserver.start(
            self.event_id, name, request, captcha_required=self._captcha_required, on_error=self._on_reserve_error
        )

    def reserve_again(self) -> None:
        if self._last_request is not None:
            self._on_reserve_requested(self._last_request)

    def cancel_reserve(self) -> None:
        if self.is_reserving():
            self.controls.set_busy("Cancelling…")
            self._reserver.cancel()

    def _on_busy(self, text) -> None:
        self.controls.set_busy(text)
        self.refresh_button.setEnabled(text is None)
        if text is None:
            self._refresh_blocked()

    def _on_reserved(self, session) -> None:
        self.seat_map.clear_selection()
        self.reserved.emit(session)

    def _on_reserve_error(self, exc: BaseException) -> None:
        self.banner.show_error(exc)

    async def _captcha_token(self, event_id: str) -> str | None:
        from app.gui.captcha import solve_captcha

        return await solve_captcha(
            self.station.settings.captcha_page_url, lambda: self.station.counter.captcha_page(event_id), self.window()
        )

    def _on_error_action(self, action: ActionKind) -> None:
        if action in (ActionKind.RETRY, ActionKind.NEW_CAPTCHA):
            if self._last_request is not None and self.availability is not None:
                if action is ActionKind.NEW_CAPTCHA:
                    self._captcha_required = True
                self.reserve_again()
            else:
                self.refresh()
        elif action in (ActionKind.PICK_OTHER_SEATS, ActionKind.WAIT_AND_RETRY, ActionKind.START_OVER):
            self.refresh()
        elif action is ActionKind.FIX_INPUT:
            self.controls.quantity.setFocus()
