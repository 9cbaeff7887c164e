"""The cashier's main window: events on the left, the event page or the running sale on the right.

``MainWindow(station)`` loads the events (``load_events``: the list first, then each event's
details to fill names, venues and on-sale state), opens an event's page when one is chosen, and
hands a held cart to GUI-SALE's ``SaleFlow`` (which carries the cart pane, so it stays visible for
as long as the cart exists). "New sale" or a cancelled/expired sale returns to the events.

The status bar shows the backend, the signed-in member and the remaining quota (``windowstatus``);
the Member menu and the toolbar's member button sign a member in and out (``app.gui.member``).
The settings panel (``app.gui.settings``) changes the backend while the window runs; ``backend_changed``
then lists the events anew. File › Open event… (Ctrl+O, ``openevent``) opens an event by id, venue code
and host, or address. Errors from
anywhere end in the window's banner as a plain sentence with one action (``asyncutil`` reports to
it). Closing with an open cart asks first, then deletes the cart; closing always shuts the
station down (``shutdown``); Ctrl+Q closes the same way (``windowclose``). The sale pages name the
event from the event page's details (``sale.saleevent``). Every key is declared in ``app.gui.shortcuts``;
F1 lists them (``helpdialog``). The window's title is the open event's name followed by the
application's, which Qt's convention (and the platform's title bar) expects last.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from app.checkout.states import CheckoutState
from app.gui import asyncutil
from app.gui.asyncutil import spawn
from app.gui.errorbanner import ErrorBanner
from app.gui.errors import ActionKind
from app.gui.eventlist import EventsPanel, utc_now
from app.gui.helpdialog import ShortcutsHelp
from app.gui.inspector import dock as inspector
from app.gui.member.controller import MemberController
from app.gui.menus import WindowMenus, about_text
from app.gui.openevent import OpenEvent
from app.gui.orders.menu import OrdersMenu
from app.gui.sandbox.menu import SandboxMenu
from app.gui.settings.controller import SettingsController
from app.gui.shortcuts import bind
from app.gui.windowclose import WindowClosing
from app.gui.windowstatus import WindowStatus

if TYPE_CHECKING:
    from app.gui.event.page import EventPage

log = logging.getLogger(__name__)
DETAILS_CONCURRENCY = 4
PREPARE_PAGE_AFTER_S = 0.3  # after the list is shown: its first paint comes first
APP_NAME = "Box Office"


NATURAL_SIZE = QSize(1280, 800)
FRAME_ALLOWANCE = QSize(16, 40)  # a window manager's borders and title bar, roughly


def fitted_size(width: int, height: int) -> tuple[int, int]:
    """``width`` × ``height``, made smaller where the screen's free area is smaller (a 1366×768
    screen less its panels), so nothing of the window starts off screen."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    room = screen.availableGeometry()
    return min(width, room.width()), min(height, room.height())


def opening_geometry(free: QRect) -> tuple[QSize, bool]:
    """The size the window opens at on a screen whose free area (less panels) is ``free``, and
    whether it opens maximized: where 1280×800 and a window frame do not fit (1280×800, 1366×768), a
    window at that size would have its bottom — the status line — under the screen's edge. The size
    is also what "restore" goes back to, so it is kept inside the free area too."""
    frame = NATURAL_SIZE + FRAME_ALLOWANCE
    maximized = free.width() < frame.width() or free.height() < frame.height()
    size = NATURAL_SIZE.boundedTo(free.size() - FRAME_ALLOWANCE) if maximized else NATURAL_SIZE
    return size, maximized


class PageStack(QStackedWidget):
    """A stack that asks only for the room its current page needs (the welcome hint needs little),
    so the events list can take the width while no event is open."""

    def minimumSizeHint(self):
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()

    def sizeHint(self):
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()


class MainWindow(QMainWindow):
    """The cashier's window on one ``Station``: events, the event page, the running sale, the
    status bar and the error banner (see the module docstring). ``clock`` gives "now" (tests pin it);
    ``eventsLoaded`` is emitted once the event list is filled."""

    eventsLoaded = Signal()

    def __init__(self, station, *, clock=utc_now) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.resize(*fitted_size(1280, 800))
        self.station = station
        self._clock = clock
        self.sale_flow = None
        self.closing = WindowClosing(self)  # the question before closing, and the one shutdown
        self._events_task: asyncio.Task | None = None
        self._preparing: asyncio.Task | None = None
        self._help: ShortcutsHelp | None = None
        self._shown_once = False
        self.sandbox_menu: SandboxMenu | None = None

        self.banner = ErrorBanner(self)
        self.banner.actionRequested.connect(self._on_banner_action)
        self.events = EventsPanel(clock, self)
        self._event_page: EventPage | None = None  # built on first need, or once idle (``event_page``)
        self.welcome = QLabel("Choose an event on the left: click it, or type to search and press Enter. "
                              "Ctrl+O opens any event by its id.", self)
        self.welcome.setObjectName("welcomeLabel")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.right = PageStack(self)
        self.right.setObjectName("mainStack")
        self.right.addWidget(self.welcome)
        self.right.currentChanged.connect(lambda _i: self.right.updateGeometry())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.events)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([920, 360])
        self.splitter = splitter
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.status = WindowStatus(self, station)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(60_000)
        self._clock_timer.timeout.connect(self.events.refresh_clock)
        self._clock_timer.start()

        self.events.eventChosen.connect(self.open_event)
        self.menus = WindowMenus(self, on_quit=self.close, on_help=self.show_help,
                                 about_text=lambda: about_text(self.status.backend_label()))
        self.open_event_action = OpenEvent(self, station, self.open_event, self._why_no_event_opens)
        self.menus.add_to_file(self.open_event_action.action)
        self.orders = OrdersMenu(self, self.menus.menu("&Orders", "orders"))
        self.inspector = inspector.install(self, station.exchanges, self.menus.menu("&View", "view"))
        self.sandbox_menu = SandboxMenu(self, self.menus.menu("&Sandbox", "sandbox"))
        self.settings_panel = SettingsController(self)  # File → Settings…, the toolbar, "Check settings…"
        self.member_panel = MemberController(self)  # Member → Sign in… / Sign out, the toolbar's member button
        asyncutil.set_error_reporter(self.banner.show_error)
        self.events.search.setFocus()

    # --- the event page ---------------------------------------------------------------------------
    @property
    def event_page(self) -> EventPage:
        """The event page, built the first time it is needed. The first screen does not show it, so
        the window starts without it (its modules and widgets were ~70 ms of start-up); once the
        events are listed, ``_prepare_event_page`` builds it while the cashier reads the list."""
        if self._event_page is None:
            from app.gui.event.page import EventPage

            page = EventPage(self.station, self, clock=self._clock)
            self.right.addWidget(page)
            page.backRequested.connect(self.show_events)
            page.reserved.connect(self._on_reserved)
            page.loaded.connect(self._name_window)
            page.loaded.connect(lambda _event_id: self._refresh_status())  # the quota it just spent
            # Esc on the event page: cancel a waiting reserve, else back to the list. Scoped to the page
            # so it never competes with the sale flow's own Esc nor acts while typing in the search box.
            bind("page_escape", page, self._on_escape)
            self._event_page = page
        return self._event_page

    def is_reserving(self) -> bool:
        """Whether the event page waits for seats being reserved (never, before it exists)."""
        return self._event_page is not None and self._event_page.is_reserving()

    async def _prepare_event_page(self) -> None:
        """Load the event page's modules on a worker thread, then build it, a moment after the list
        is shown: the first event then opens as fast as any other."""
        await asyncio.sleep(PREPARE_PAGE_AFTER_S)
        if self._event_page is None:
            await asyncio.to_thread(importlib.import_module, "app.gui.event.page")
            self.event_page  # noqa: B018  (built now, on the GUI thread)

    def show_on_screen(self) -> None:
        """Show the window as ``python -m app`` opens it: maximized on a small screen, else at
        1280×800 in the middle of the screen (``opening_geometry``)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.show()
            return
        free = screen.availableGeometry()
        size, maximized = opening_geometry(free)
        self.resize(size)
        outer = size + FRAME_ALLOWANCE
        self.move(free.x() + max(0, (free.width() - outer.width()) // 2),
                  free.y() + max(0, (free.height() - outer.height()) // 2))
        if maximized:
            self.showMaximized()
        else:
            self.show()

    # --- events -----------------------------------------------------------------------------------
    def load_events(self) -> asyncio.Task:
        self._events_task = spawn(self._load_events(), context="loading the events")
        return self._events_task

    async def _load_events(self) -> None:
        self.events.count_label.setText("Loading events…")
        summaries = await self.station.counter.events()
        self.events.set_summaries(summaries)
        self.eventsLoaded.emit()
        gate = asyncio.Semaphore(DETAILS_CONCURRENCY)

        async def one(event_id: str) -> None:
            async with gate:
                try:
                    details = await self.station.counter.event_details(event_id)
                except Exception as exc:  # one event's details failing must not hide the others
                    from app.gui.errors import describe

                    if not describe(exc).expected:
                        raise
                    self.events.set_details(event_id, None, describe(exc).sentence)
                    return
                self.events.set_details(event_id, details)

        await asyncio.gather(*(one(s.event_id) for s in summaries))
        self.events.finish_loading()
        if self._event_page is None:
            self._preparing = spawn(self._prepare_event_page(), context="preparing the event page")
        if self.right.currentWidget() is not self.welcome:
            self._give_room_to_the_right(True)  # an event opened early: now the names are known
        self._refresh_status()

    def backend_changed(self) -> None:
        """The station moved onto new settings (the settings panel saved): back to the events,
        listed anew from the backend now in use; the status bar names it."""
        if self._events_task is not None and not self._events_task.done():
            self._events_task.cancel()
        self.show_events()
        self.load_events()
        self._refresh_status()
        self.statusBar().showMessage(f"Settings saved. {self.status.backend.text()}", 10000)

    def _why_no_event_opens(self, event_id: str | None = None) -> str:
        """Why no other event may open now ("" when one may)."""
        if self.sale_flow is not None:
            return "Finish or cancel the current sale first."
        if self.is_reserving() and event_id != self.event_page.event_id:
            # The held seats would arrive under the other event's page (its name, venue, prices).
            return "Seats are being reserved for this event: wait, or cancel it (Esc) first."
        return ""

    def open_event(self, event_id: str, *, title: str = "") -> asyncio.Task | None:
        """The event page of ``event_id`` (from the list, or from Open event… with its ``title``)."""
        refusal = self._why_no_event_opens(event_id)
        if refusal:
            self.statusBar().showMessage(refusal, 8000)
            return None
        if self.right.currentWidget() is self.event_page and self.event_page.shows(event_id):
            return None  # a second click, a double-click's second half: no reload, no availability call
        row = self.events.model.row_for(event_id)
        self.events.mark_open(event_id)
        self.right.setCurrentWidget(self.event_page)
        self._give_room_to_the_right(True)
        return self.event_page.show_event(event_id, title=(row.name if row else "") or title)

    def _give_room_to_the_right(self, event_open: bool) -> None:
        """An open event or sale needs the width; the list keeps what its names and dates need
        (at most two fifths of the window; narrower, a name gives way and its tooltip has it whole)."""
        total = sum(self.splitter.sizes()) or self.width()
        self.events.set_compact(event_open)
        if event_open:
            left = max(280, min(self.events.compact_width(), total * 2 // 5))
        else:
            left = max(total - 260, total * 2 // 3)
        self.splitter.setSizes([left, total - left])

    def _name_window(self, _event_id: str = "") -> None:
        # "Event — Box Office": the platform adds the application's display name after a title that
        # does not already end with it, so the name is given last, once.
        title = self.event_page.title.text() if self.right.currentWidget() is not self.welcome else ""
        self.setWindowTitle(f"{title} — {APP_NAME}" if title else APP_NAME)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Once laid out (next turn of the event loop) the splitter knows its real width.
            QTimer.singleShot(0, lambda: self._give_room_to_the_right(self.right.currentWidget() is not self.welcome))

    def show_events(self) -> None:
        if self.is_reserving():
            return
        self.right.setCurrentWidget(self.welcome)
        self._name_window()
        self._give_room_to_the_right(False)
        self.events.table.setFocus()

    # --- the sale ---------------------------------------------------------------------------------
    def _on_reserved(self, session) -> None:
        self._opening_sale = spawn(self._open_sale(session), context="opening the sale")

    async def _open_sale(self, session) -> None:
        """Build the sale pages, then show them on the next turn of the loop (two short slices
        instead of one long one, so the hold countdown and the window never stutter). The sale's
        modules load with the first sale, not at start-up (``app.gui.warmup`` loads them once idle)."""
        from app.gui.sale.flow import SaleFlow
        from app.gui.sale.receipt import Seller
        from app.gui.sale.saleevent import sale_event

        event = sale_event(session, self.event_page.details, self.event_page.availability)
        settings = self.station.settings
        seller = Seller(station=settings.station_name, cashier=settings.station_user,
                        logo=self.settings_panel.logo_image)
        members = self.station.members
        flow = SaleFlow(session, event, member=lambda: members.current.session if members.current else None,
                        seller=seller, clock=self._clock, parent=self)
        flow.hide()
        flow.finished.connect(self._on_sale_finished)
        flow.cancelled.connect(self._on_sale_cancelled)
        flow.signInRequested.connect(self.member_panel.sign_in)
        self.right.addWidget(flow)
        await asyncio.sleep(0)
        self.sale_flow = flow
        self.right.setCurrentWidget(flow)
        self.events.setEnabled(False)
        self.events.setToolTip("Finish or cancel the current sale to open another event.")
        flow.start()

    def _end_sale(self) -> None:
        flow, self.sale_flow = self.sale_flow, None
        self.events.setEnabled(True)
        self.events.setToolTip("")
        if flow is not None:
            self.right.removeWidget(flow)
            flow.deleteLater()

    def _on_sale_finished(self, _result) -> None:
        self._end_sale()
        self.show_events()
        self.events.focus_search()

    def _on_sale_cancelled(self) -> None:
        self._end_sale()
        self.right.setCurrentWidget(self.event_page)
        self.event_page.refresh()

    def open_cart_session(self):
        """The sale whose cart is held right now, if any."""
        if self.sale_flow is None:
            return None
        session = self.sale_flow.session
        return session if session.state.holds_cart or session.state is CheckoutState.RESERVING else None

    # --- keyboard, status, errors -----------------------------------------------------------------
    def _on_escape(self) -> None:
        if self.is_reserving():
            self.event_page.cancel_reserve()
        else:
            self.show_events()

    def show_help(self) -> None:
        """F1: the keyboard shortcuts (not modal: a held cart's clock keeps running)."""
        if self._help is None:
            self._help = ShortcutsHelp(self)
            self._help.finished.connect(self._help_closed)
        self._help.fit_to(self)
        self._help.show()
        self._help.raise_()
        self._help.activateWindow()

    def _help_closed(self, _result: int) -> None:
        # Back to where the cashier was typing before asking for help.
        focus = self.focusWidget()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh_status(self) -> None:
        self.status.refresh()
        if self.sandbox_menu is not None:  # shown only while sales go to a local sandbox
            self.sandbox_menu.sync()

    def refresh_member_status(self) -> None:
        self.status.refresh_member()

    def _on_banner_action(self, action: ActionKind) -> None:
        if action == ActionKind.SIGN_IN_AGAIN:
            self.member_panel.sign_in()
            return
        if action in (ActionKind.RETRY, ActionKind.WAIT_AND_RETRY) and self.events.model.rowCount() == 0:
            self.load_events()

    # --- closing (``windowclose.WindowClosing``) ---------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.close_event(event)

    async def shutdown(self) -> None:
        """Release any held cart, stop the station, then really close."""
        await self.closing.shutdown()
