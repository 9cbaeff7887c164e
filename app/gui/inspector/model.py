"""The inspector's table: one row per exchange, newest last, fed live by the station's
``ExchangeLog``; a filter proxy that asks the core's ``matches`` (so the words mean the same
everywhere)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from app.partner.exchangelog import ExchangeLog, matches, outcome
from app.partner.masking import Exchange

COLUMNS = ("Time", "Method", "Operation", "Status", "ms", "URL")
AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ExchangeModel(QAbstractTableModel):
    """The exchanges of one ``ExchangeLog`` (at most its limit, like the log itself)."""

    def __init__(self, log: ExchangeLog, parent=None) -> None:
        super().__init__(parent)
        self._log = log
        self._rows: list[Exchange] = list(log)
        self._unsubscribe = log.subscribe(self._appended, on_clear=self._cleared)

    def detach(self) -> None:
        self._unsubscribe()

    def exchange(self, row: int) -> Exchange:
        return self._rows[row]

    def _appended(self, exchange: Exchange) -> None:
        limit = self._log.limit
        if limit and len(self._rows) >= limit:
            drop = len(self._rows) - limit + 1
            self.beginRemoveRows(QModelIndex(), 0, drop - 1)
            del self._rows[:drop]
            self.endRemoveRows()
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(exchange)
        self.endInsertRows()

    def _cleared(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()

    # --- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        exchange = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return exchange.started_at.astimezone().strftime("%H:%M:%S.%f")[:-3]
            if column == 1:
                return exchange.method
            if column == 2:
                return exchange.operation
            if column == 3:
                return outcome(exchange)
            if column == 4:
                return f"{exchange.duration_ms:.0f}"
            return exchange.url
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return exchange.url
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        failed = exchange.status is None or exchange.status >= 400
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and failed:
            return QColor("#b00020")
        return None


class ExchangeFilter(QSortFilterProxyModel):
    """Rows whose exchange matches every word typed (``app.partner.exchangelog.matches``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._query = ""

    def set_query(self, query: str) -> None:
        self.beginFilterChange()
        self._query = query.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._query:
            return True
        source = self.sourceModel()
        assert isinstance(source, ExchangeModel)
        return matches(source.exchange(source_row), self._query)
