"""The events list: what this partner can sell, with instant search, filters and maintenance marks.

``EventRow`` joins an ``/events`` summary with the event's details once they are known (name,
venue, on-sale dates, transactable). ``EventsModel`` shows rows; ``EventsFilter`` does the instant
search (name, venue, city, id, code) and the filter choice; ``EventsPanel`` is the widget
(``eventSearch``, ``eventFilter``, ``eventsTable``) and emits ``eventChosen(event_id)`` on a click,
Enter or double-click. Dates and times are the venue's own (``formatting``). An event whose venue is inside
or within 30 minutes of its nightly maintenance (00:00–02:00 venue time) is marked, and the
"On sale" and "Sale" columns say what the event page will: both are decided in the core
(``app.checkout.niterun``, ``app.checkout.sellability``), which the command line asks too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.checkout.niterun import NiterunPhase, niterun_status, utc_now
from app.checkout.sellability import OnSale, on_sale_state, on_sale_text, sale_channel_text
from app.gui.formatting import format_event_datetime, format_instant_in_zone, local_event_time
from app.gui.searchbox import SearchBox
from app.gui.shortcuts import bind
from app.partner.models import EventDetails, EventSummary

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class EventRow:
    summary: EventSummary
    details: EventDetails | None = None
    details_error: str | None = None

    @property
    def event_id(self) -> str:
        return self.summary.event_id

    @property
    def time_zone(self) -> str | None:
        return self.summary.time_zone or (self.details.time_zone if self.details else None)

    @property
    def name(self) -> str:
        if self.details and self.details.name:
            return self.details.name
        return self.summary.event_code or self.summary.event_id

    @property
    def start(self) -> datetime | None:
        if self.summary.local_start is not None:
            return local_event_time(self.summary.local_start, self.time_zone)
        if self.details is not None and self.details.event_date is not None:
            return local_event_time(self.details.event_date, self.time_zone)
        return None

    @property
    def venue(self) -> str:
        if self.details is None:
            return "…" if self.details_error is None else "—"
        venue = self.details.venue
        parts = [p for p in (venue.name, venue.city) if p]
        return ", ".join(parts) or "—"

    @property
    def transactable(self) -> bool | None:
        return None if self.details is None else self.details.api_transactable

    def on_sale_text(self, now: datetime) -> str:
        if self.details is None:
            return "…" if self.details_error is None else "Unknown"
        return on_sale_text(self.details, now, format_instant_in_zone)

    def on_sale_now(self, now: datetime) -> bool:
        return self.details is not None and on_sale_state(self.details, now) in (OnSale.ON_SALE, OnSale.NO_DATE)

    def sale_text(self) -> str:
        if self.transactable is None:
            return "…" if self.details_error is None else "Unknown"
        return sale_channel_text(self.transactable)


COLUMNS = ("Event", "Date and time (venue)", "Venue", "On sale", "Sale", "Maintenance")
FILTERS = ("All events", "On sale now", "Sellable here", "Not in maintenance")
FIT_AFTER_MS = 60  # the columns are measured again once details have stopped arriving for this long


NO_PARENT = QModelIndex()  # Qt's 'no parent' index, the default of the model's sizing calls


class EventsModel(QAbstractTableModel):
    def __init__(self, clock: Clock = utc_now, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    def set_summaries(self, summaries: tuple[EventSummary, ...]) -> None:
        known = {r.event_id: r for r in self._rows}
        rows = [replace(known[s.event_id], summary=s) if s.event_id in known else EventRow(s) for s in summaries]
        if [r.event_id for r in rows] == [r.event_id for r in self._rows] and rows:
            # The same events again (a refresh): updated in place, so the highlighted row, the scroll
            # and the layout stay; a reset would drop the first two and lay the table out afresh.
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def set_details(self, event_id: str, details: EventDetails | None, error: str | None = None) -> None:
        for i, row in enumerate(self._rows):
            if row.event_id == event_id:
                self._rows[i] = replace(row, details=details or row.details, details_error=error)
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return

    def row(self, index: int) -> EventRow:
        return self._rows[index]

    def row_for(self, event_id: str) -> EventRow | None:
        return next((r for r in self._rows if r.event_id == event_id), None)

    def refresh_clock(self) -> None:
        """The maintenance marks and on-sale state depend on the time: repaint them."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.UserRole:
            return row.event_id
        if role == Qt.ItemDataRole.UserRole + 1:  # sort key
            return row.start.timestamp() if col == 1 and row.start else self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text, also when the column cuts it
            if col == 5:
                return niterun_status(row.time_zone, self.now()).sentence
            if col == 0:
                return f"{row.name} — event id {row.event_id}"
            if col == 2 and row.details is not None:
                v = row.details.venue
                return ", ".join(p for p in (v.name, v.city, v.region, v.country) if p)
            return self.data(index) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return row.name
        if col == 1:
            return format_event_datetime(row.start)
        if col == 2:
            return row.venue
        if col == 3:
            return row.on_sale_text(self.now())
        if col == 4:
            return row.sale_text()
        return niterun_status(row.time_zone, self.now()).mark


class EventsFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._mode = FILTERS[0]
        self.setSortRole(Qt.ItemDataRole.UserRole + 1)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_mode(self, mode: str) -> None:
        self.beginFilterChange()
        self._mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model: EventsModel = self.sourceModel()
        row = model.row(source_row)
        if self._text:
            haystack = " ".join(
                filter(None, (row.name, row.venue, row.event_id, row.summary.event_code, row.time_zone))
            ).casefold()
            if not all(word in haystack for word in self._text.split()):
                return False
        now = model.now()
        if self._mode == "On sale now":
            return row.on_sale_now(now)
        if self._mode == "Sellable here":
            return row.transactable is True
        if self._mode == "Not in maintenance":
            return niterun_status(row.time_zone, now).phase is NiterunPhase.CLEAR
        return True


class EventsPanel(QWidget):
    """Search box, filter and table. ``eventChosen(str)`` on a click, Enter or double-click."""

    eventChosen = Signal(str)

    def __init__(self, clock: Clock = utc_now, parent=None) -> None:
        super().__init__(parent)
        # The view first: children are destroyed in creation order, so the view is gone before
        # the Python models it would otherwise query while they are being torn down.
        self.table = QTableView(self)
        self.model = EventsModel(clock, self)
        self.proxy = EventsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._compact = False

        self.search = SearchBox(self)
        self.search.setObjectName("eventSearch")
        self.search.setPlaceholderText("Search events, venues, cities… (Ctrl+F)")
        self.search.setAccessibleName("Search events")
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox(self)
        self.filter.setObjectName("eventFilter")
        self.filter.setAccessibleName("Show events")
        self.filter.addItems(FILTERS)
        self.table.setObjectName("eventsTable")
        self.table.setAccessibleName("Events")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        # Every column as wide as its widest text among all events (``_fit_columns``: steady while
        # the search narrows the list); the event's name takes whatever room is left (and, in a
        # narrow list, gives it up first: the tooltip has the whole name).
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        # Many details arrive within a few ms of each other: measure once after a pause in them, not
        # after each (ten measurements of every row were 15-20 ms of the list's start-up).
        self._fit_timer.setInterval(FIT_AFTER_MS)
        self._fit_timer.timeout.connect(self._fit_columns)
        self.count_label = QLabel("Loading events…", self)
        self.count_label.setObjectName("eventsCount")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._choose_first_if_single)
        self.filter.currentTextChanged.connect(self._on_filter)
        # A click opens the row clicked; the arrow keys only move the highlight (Enter opens), so
        # browsing the list spends no availability calls. A double-click's second half finds the
        # event already open (``MainWindow.open_event``).
        self.table.clicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)
        self.table.doubleClicked.connect(self._on_activated)
        bind("find", self, self.focus_search)
        self.search.downPressed.connect(self._into_table)
        self.setTabOrder(self.search, self.filter)
        self.setTabOrder(self.filter, self.table)

    def set_compact(self, compact: bool) -> None:
        """Beside an open event only name and date fit; the other columns come back with the list."""
        self._compact = compact
        for column in range(2, len(COLUMNS)):
            self.table.setColumnHidden(column, compact)
        self._show_maintenance_column()

    def _show_maintenance_column(self) -> None:
        # The maintenance column only appears while some venue is in (or near) its nightly window.
        now = self.model.now()
        marked = any(niterun_status(self.model.row(r).time_zone, now).mark for r in range(self.model.rowCount()))
        column = len(COLUMNS) - 1
        hide = self._compact or not marked
        if self.table.isColumnHidden(column) != hide:
            self.table.setColumnHidden(column, hide)

    def refresh_clock(self) -> None:
        self.model.refresh_clock()
        self._fit_columns()  # "From …" becomes "On sale", a maintenance mark comes or goes
        self._show_maintenance_column()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _into_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def set_summaries(self, summaries: tuple[EventSummary, ...]) -> None:
        self.model.set_summaries(summaries)
        self._fit_columns()
        self._update_count()

    def set_details(self, event_id: str, details: EventDetails | None, error: str | None = None) -> None:
        self.model.set_details(event_id, details, error)
        self._fit_timer.start()

    def _text_width(self, column: int) -> int:
        """The widest text of ``column`` among all events (not only those the search shows)."""
        table, metrics = self.table, self.table.fontMetrics()
        padding = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 4
        texts = (str(self.model.index(r, column).data() or "") for r in range(self.model.rowCount()))
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + padding
        return max(widest, table.horizontalHeader().sectionSizeHint(column))

    def _fit_columns(self) -> None:
        for column in range(1, len(COLUMNS)):
            self.table.setColumnWidth(column, self._text_width(column))

    def compact_width(self) -> int:
        """How wide the list must be to show every event's name and date whole beside an open event."""
        table = self.table
        return (self._text_width(0) + self._text_width(1) + table.verticalScrollBar().sizeHint().width()
                + 2 * table.frameWidth() + 2)

    def finish_loading(self) -> None:
        self._fit_timer.stop()
        self._fit_columns()
        self._show_maintenance_column()
        self.proxy.invalidate()
        self._update_count()

    def visible_event_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.proxy.rowCount())]

    def _on_search(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_filter(self, mode: str) -> None:
        self.proxy.set_mode(mode)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            self.count_label.setText("No events to show.")
        elif shown == total:
            self.count_label.setText(f"{total} events")
        else:
            self.count_label.setText(f"{shown} of {total} events match")

    def _choose_first_if_single(self) -> None:
        if self.proxy.rowCount() >= 1:
            index = self.table.currentIndex() if self.table.currentIndex().isValid() else self.proxy.index(0, 0)
            self._on_activated(index)

    def mark_open(self, event_id: str) -> None:
        """Highlight the row of the event the page shows (opened by its id, too); none when it is
        not listed or the search hides it. Opens nothing."""
        shown = self.visible_event_ids()
        if event_id not in shown:
            self.table.clearSelection()
            return
        row = shown.index(event_id)
        self.table.selectRow(row)
        self.table.scrollTo(self.proxy.index(row, 0))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.eventChosen.emit(index.data(Qt.ItemDataRole.UserRole))
