"""The inventory table: free seats by section and row, in the compact form a cashier reads aloud.

``inventory_entries(availability, show_names=...)`` (pure Python, safe off the GUI thread) merges
the answer's inventory rows by section and row across ticket types; a line writes its seats compactly
(``2, 4, 6–12``) when first shown. With ``show_names=False`` (``locRowSeatRestrict``) rows are merged per section and
no row or seat name is shown. ``InventoryTable`` (objectName ``inventoryTable``) shows the entries
and emits ``placesSelected(list)`` with the place ids of the rows the cashier selects, so the shell
can pick them on the seat map.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise, repeat
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelection, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.checkout.seatpicks import pick_keys
from app.gui.offthread import let_go, off_gui_thread
from app.gui.seatmap.items import price_colour
from app.gui.seatmap.layout import natural_key


def compact_seats(seats: Sequence[str]) -> str:
    """``["2", "4", "6", "7", "8", "9", "10", "11", "12"]`` → ``"2, 4, 6–12"`` (runs of 3+ become ranges).

    Numbers are sorted; names that are not numbers follow, in natural order. When every seat is odd
    (or every seat even) the runs step by two: ``["1", "3", "5", "9"]`` → ``"1–5, 9 (odd)"``.
    """
    try:
        numbers, others = sorted(set(map(int, seats))), []
    except ValueError:
        numbers = sorted({int(s) for s in seats if s.isdigit()})
        others = sorted({s for s in seats if not s.isdigit()}, key=natural_key)
    # An odd-only or even-only row (side sections): neighbours are 2 apart, say so once.
    step = 2 if len(numbers) >= 3 and len({n % 2 for n in numbers}) == 1 else 1
    parts: list[str] = []
    # Where a run breaks (one comprehension, not a loop per seat: rows of the stadium add up).
    breaks = [i for i, (a, b) in enumerate(pairwise(numbers), 1) if b - a != step]
    for start, end in zip([0, *breaks], [*breaks, len(numbers)], strict=False):
        if end - start >= 3:
            parts.append(f"{numbers[start]}–{numbers[end - 1]}")
        else:
            parts.extend(map(str, numbers[start:end]))
    text = ", ".join(parts + others)
    if step == 2:
        text += " (odd)" if numbers[0] % 2 else " (even)"
    return text


NO_PARENT = QModelIndex()  # Qt's 'no parent' index, the default of the model's sizing calls


class InventoryEntry:
    """One table line: a row of a section (or a whole section when names are hidden).

    The seats' text and the place ids are worked out when first asked for: a stadium has ~2,600
    lines and the table only ever shows a screenful of them."""

    __slots__ = (
        "_cells",
        "_places",
        "_seats",
        "_text",
        "area",
        "count",
        "level_index",
        "price_levels",
        "row",
        "section",
    )

    def __init__(
        self,
        section: str,
        row: str,
        count: int,
        seats: dict,
        text: str | None,
        price_levels: str,
        area: str,
        level_index: int,
    ) -> None:
        self.section = section
        self.row = row
        self.count = count
        self.price_levels = price_levels
        self.area = area
        self.level_index = level_index  # palette index of the first price level (the seat map's colour), -1 if none
        self._seats = seats  # seat name (or (row, seat)) → place id ("" if none given)
        self._text = text
        self._places: tuple[str, ...] | None = None
        self._cells: tuple | None = None

    @property
    def seats(self) -> str:
        """``2, 4, 6–12``; "General admission"; "" when names are hidden."""
        if self._text is None:
            self._text = compact_seats(list(self._seats))
        return self._text

    def cells(self, columns: tuple[str, ...]) -> tuple[str, ...]:
        """The line's texts for these column names (worked out once per column set)."""
        if self._cells is None or self._cells[0] is not columns:
            values = {
                "Section": self.section,
                "Row": self.row,
                "Free": f"{self.count:,}",
                "Level": self.price_levels,
                "Area": self.area,
            }
            self._cells = (columns, tuple(self.seats if c == "Seats" else values[c] for c in columns))
        return self._cells[1]

    @property
    def places(self) -> tuple[str, ...]:
        if self._places is None:
            self._places = tuple(filter(None, self._seats.values()))
        return self._places

    def __repr__(self) -> str:
        return f"InventoryEntry({self.section!r}, {self.row!r}, {self.count} free)"


def inventory_entries(availability: Any, *, show_names: bool = True) -> list[InventoryEntry]:
    """Merge the inventory by (section, row) — or by section when names are hidden."""
    all_levels = sorted(
        {o.price_level_id for t in availability.tickets for o in t.offers if o.price_level_id}, key=natural_key
    )
    merged: dict[tuple[str, str], list] = {}  # key → [seats, general count, levels, areas]
    for ticket in availability.tickets:
        levels = {o.price_level_id for o in ticket.offers if o.price_level_id}
        for inv in ticket.inventory:
            section = inv.section or "—"
            key = (section, (inv.row or "") if show_names else "")
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = [{}, 0, set(), {}]
            entry[2].update(levels)
            for area in inv.areas:
                entry[3].setdefault(area.description or area.name or area.area_id, None)
            if not inv.seats:
                entry[1] = max(entry[1], ticket.available)
                continue
            places = pick_keys(inv)  # a seat without a place id is picked by its key (``seatpicks``)
            # Named: one entry per row, seats keyed by name; hidden: per section, keyed by (row, seat).
            keys = inv.seats if show_names else zip(repeat(inv.row or ""), inv.seats)
            if entry[0]:
                fresh = dict(zip(keys, places, strict=False))
                fresh.update(entry[0])  # a seat listed under two ticket types counts once
                entry[0] = fresh
            else:
                entry[0] = dict(zip(keys, places, strict=False))
    entries = []
    for (section, row), (seats, general, level_set, areas) in merged.items():
        if not seats:
            text: str | None = "General admission"
        else:
            text = None if show_names else ""
        levels = sorted(level_set, key=natural_key)
        entries.append(
            InventoryEntry(
                section,
                row,
                len(seats) or general,
                seats,
                text,
                ", ".join(levels),
                ", ".join(areas),
                all_levels.index(levels[0]) if levels else -1,
            )
        )
    entries.sort(key=lambda e: (natural_key(e.section), natural_key(e.row)))
    return entries


_DISPLAY, _DECORATION = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole
_ALIGNMENT, _TOOLTIP = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole
_SERVED = frozenset((_DECORATION, _ALIGNMENT, _TOOLTIP, Qt.ItemDataRole.UserRole + 1))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_SWATCHES: dict[int, QPixmap] = {}


def _swatch(level_index: int) -> QPixmap:
    """A small square in the seat map's colour for a price level."""
    if level_index not in _SWATCHES:
        pixmap = QPixmap(10, 10)
        pixmap.fill(price_colour(level_index))
        _SWATCHES[level_index] = pixmap
    return _SWATCHES[level_index]


class InventoryModel(QAbstractTableModel):
    """Read-only table model over ``InventoryEntry`` lines."""

    NAMED = ("Section", "Row", "Seats", "Free", "Level")
    HIDDEN = ("Section", "Free", "Level", "Area")
    PLACES_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[InventoryEntry] = []
        self._columns: tuple[str, ...] = self.NAMED

    def set_entries(self, entries: list[InventoryEntry], show_names: bool) -> None:
        self.beginResetModel()
        let_go([self._entries], list.copy)  # a stadium's ~2,600 old lines are freed on the worker
        self._entries = entries
        self._columns = self.NAMED if show_names else self.HIDDEN
        self.endResetModel()

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Called ~7 times per visible cell per paint (font, colours, check state… which we leave to
        # the defaults): answer those with the fewest Python operations.
        if role == _DISPLAY:
            row = index.row()
            if 0 <= row < len(self._entries):
                return self._entries[row].cells(self._columns)[index.column()]
            return None
        if role not in _SERVED or not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = self._columns[index.column()]
        if role == _DECORATION and column == "Level" and entry.level_index >= 0:
            return _swatch(entry.level_index)
        if role == _ALIGNMENT and column == "Free":
            return _RIGHT
        if role == _TOOLTIP and column == "Section" and entry.area:
            return entry.area
        if role == _TOOLTIP and column == "Seats" and entry.seats:
            return f"Section {entry.section}, row {entry.row}: seats {entry.seats}"
        if role == self.PLACES_ROLE:
            return list(entry.places)
        return None

    def entry(self, row: int) -> InventoryEntry:
        return self._entries[row]


class InventoryTable(QTableView):
    """Free seats by section and row; selecting lines emits their place ids."""

    placesSelected = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inventoryTable")
        self.setAccessibleName("Free seats by section and row")
        self._model = InventoryModel(self)
        self.setModel(self._model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.selectionModel().selectionChanged.connect(self._emit_places)
        self._show_names = True
        self._apply_widths()

    def set_availability(self, availability: Any, *, show_names: bool = True) -> None:
        """Build the lines inline (tests, small events)."""
        self.set_entries(inventory_entries(availability, show_names=show_names), show_names)

    async def load(self, availability: Any, *, show_names: bool = True) -> None:
        """Build the lines on a worker thread, then show them."""
        entries = await off_gui_thread(inventory_entries, availability, show_names=show_names)
        self.set_entries(entries, show_names)

    def set_entries(self, entries: list[InventoryEntry], show_names: bool) -> None:
        self._show_names = show_names
        self._model.set_entries(entries, show_names)
        self._apply_widths()

    def entries(self) -> list[InventoryEntry]:
        return [self._model.entry(r) for r in range(self._model.rowCount())]

    def _apply_widths(self) -> None:
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        chars = self.fontMetrics().horizontalAdvance("0")
        widths = {"Section": 7, "Row": 4, "Free": 5, "Level": 5, "Area": 16}
        stretch = "Seats" if self._show_names else "Area"
        for column, name in enumerate(self._model.NAMED if self._show_names else self._model.HIDDEN):
            if name == stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, widths[name] * chars + 18)

    def _emit_places(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        places: list[str] = []
        for index in sorted(self.selectionModel().selectedRows(), key=lambda i: i.row()):
            places.extend(self._model.entry(index.row()).places)
        self.placesSelected.emit(places)
