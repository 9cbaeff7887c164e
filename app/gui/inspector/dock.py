"""The request inspector, a dock for testers: every exchange with the service since it was first
opened (method, masked URL, status, duration, polling rounds as their own rows), the selected one's
headers (quota figures included) and bodies pretty-printed — all masked before they got here (card
data, CVV, API key, tokens, secrets, personal data) — a filter, Clear, Copy as curl and Save as HAR.

``install(window)`` docks it (hidden) at the bottom of the main window and puts its toggle in the
View menu (Ctrl+Shift+I). The exchanges come from ``station.exchanges``; the dock never talks HTTP.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.gui import shortcuts
from app.partner.exchangelog import ExchangeLog, body_text, curl_command, har_document, outcome
from app.partner.masking import Exchange
from app.storage.settings import atomic_write_text

from .model import ExchangeFilter, ExchangeModel

FITTED_COLUMNS = 5  # every column but the last, the address, is as wide as its widest words


class FilterBox(QLineEdit):
    """The filter: Esc clears it (and only it) while it has text."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


def describe(exchange: Exchange) -> str:
    """The selected exchange in full, as the detail pane shows it."""
    lines = [f"{exchange.method} {exchange.url}",
             f"Operation: {exchange.operation}    Status: {outcome(exchange)}    "
             f"{exchange.duration_ms:.0f} ms    at {exchange.started_at.astimezone():%H:%M:%S}", ""]

    def section(title: str, headers, body) -> None:
        lines.append(title)
        for name, value in dict(headers or {}).items():
            lines.append(f"  {name}: {value}")
        text = body_text(body)
        lines.append(text if text else "  (no body)")
        lines.append("")

    section("Request", exchange.request_headers, exchange.request_json)
    response_body = exchange.response_json if exchange.response_json is not None else exchange.response_text
    section("Response", exchange.response_headers, response_body)
    return "\n".join(lines).rstrip() + "\n"


class InspectorPanel(QWidget):
    """The dock's contents: filter, table, detail, actions."""

    def __init__(self, log: ExchangeLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectorPanel")
        self._log = log
        self.model = ExchangeModel(log, self)
        self.proxy = ExchangeFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter = FilterBox(self)
        self.filter.setObjectName("inspectorFilter")
        self.filter.setAccessibleName("Filter exchanges")
        self.filter.setPlaceholderText("Filter by method, operation, URL or status (e.g. \"post 4\", \"poll\")")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.count = QLabel(self)
        self.count.setObjectName("inspectorCount")

        self.table = QTableView(self)
        self.table.setObjectName("inspectorTable")
        self.table.setAccessibleName("Exchanges with the service")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)  # the address takes what the other columns leave
        self._fit_headers()
        # Each row's words widen their column as the row comes: Qt's own "resize to contents" measured
        # only the rows laid out at the time, so later operations showed as "shipping…".
        self.proxy.rowsInserted.connect(self._fit_rows)
        # Like a live log: while the table is scrolled to its end it follows the newest exchange; once
        # the tester scrolls up to read an older one, it stays there.
        self._following = True
        self.proxy.rowsAboutToBeInserted.connect(self._note_if_at_end)
        self.proxy.rowsInserted.connect(self._follow)
        self.proxy.modelReset.connect(self._fit_headers)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("inspectorDetail")
        self.detail.setAccessibleName("The selected exchange")
        self.detail.setReadOnly(True)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detail.setPlaceholderText("Select an exchange to see its headers and bodies.")

        self.copy_curl = QPushButton("Copy as &curl", self)
        self.copy_curl.setObjectName("inspectorCopyCurl")
        self.copy_curl.setEnabled(False)
        self.copy_curl.clicked.connect(self.copy_selected_as_curl)
        self.save_har = QPushButton("Save as &HAR…", self)
        self.save_har.setObjectName("inspectorSaveHar")
        self.save_har.clicked.connect(self.ask_where_to_save)
        self.clear = QPushButton("C&lear", self)
        self.clear.setObjectName("inspectorClear")
        self.clear.clicked.connect(log.clear)
        self.note = QLabel(self)
        self.note.setObjectName("inspectorNote")
        self.note.setWordWrap(True)
        for button in (self.copy_curl, self.save_har, self.clear):
            button.setAutoDefault(False)  # Enter in the filter never presses one of them

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        actions = QHBoxLayout()
        actions.addWidget(self.note, 1)
        actions.addWidget(self.copy_curl)
        actions.addWidget(self.save_har)
        actions.addWidget(self.clear)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("inspectorSplit")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(actions)

        self.model.rowsInserted.connect(self._rows_changed)
        self.model.rowsRemoved.connect(self._rows_changed)
        self.model.modelReset.connect(self._rows_changed)
        self._dialog: QFileDialog | None = None
        self._rows_changed()

    # --- what is shown ----------------------------------------------------------------------------
    def _rows_changed(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total} exchanges" if shown == total else f"{shown} of {total} exchanges")
        if self.selected() is None:
            self.detail.clear()
            self.copy_curl.setEnabled(False)

    def _fit_headers(self) -> None:
        header = self.table.horizontalHeader()
        for column in range(FITTED_COLUMNS):
            header.resizeSection(column, header.sectionSizeHint(column))

    def _fit_rows(self, _parent: QModelIndex, first: int, last: int) -> None:
        header = self.table.horizontalHeader()
        for column in range(FITTED_COLUMNS):
            needed = max(self.table.sizeHintForIndex(self.proxy.index(row, column)).width()
                         for row in range(first, last + 1)) + self.table.showGrid()
            if needed > header.sectionSize(column):
                header.resizeSection(column, needed)

    def _note_if_at_end(self, *_args) -> None:
        bar = self.table.verticalScrollBar()
        self._following = bar.value() >= bar.maximum()

    def _follow(self, *_args) -> None:
        if self._following:  # once the table has laid the new rows out (its scroll range grows then)
            QTimer.singleShot(0, self.table, self.table.scrollToBottom)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self._rows_changed()

    def selected(self) -> Exchange | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.exchange(self.proxy.mapToSource(rows[0]).row())

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        exchange = self.selected()
        self.copy_curl.setEnabled(exchange is not None)
        self.detail.setPlainText(describe(exchange) if exchange is not None else "")

    def select_row(self, row: int) -> None:
        """Select the ``row``-th exchange shown (after the filter)."""
        index: QModelIndex = self.proxy.index(row, 0)
        if index.isValid():
            self.table.selectRow(row)

    # --- actions ------------------------------------------------------------------------------------
    def copy_selected_as_curl(self) -> None:
        exchange = self.selected()
        if exchange is None:
            return
        QGuiApplication.clipboard().setText(curl_command(exchange))
        self.note.setText("Copied as curl (the API key and secrets stay masked: put the key back to replay it).")

    def ask_where_to_save(self) -> None:
        if self._dialog is not None:
            self._dialog.raise_()
            return
        name = f"boxoffice-{datetime.now():%Y%m%d-%H%M%S}.har"
        dialog = QFileDialog(self, "Save the exchanges as HAR", str(Path.home() / name), "HAR files (*.har)")
        dialog.setObjectName("inspectorHarDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("har")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self.save_to)
        dialog.finished.connect(self._dialog_closed)
        self._dialog = dialog
        dialog.open()

    def _dialog_closed(self, _result: int) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
            self._dialog = None

    def save_to(self, path: str) -> bool:
        """Write the shown exchanges (the filter applies) as a HAR file readable only by this user."""
        exchanges = [self.model.exchange(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                     for r in range(self.proxy.rowCount())]
        document = har_document(exchanges, creator="Box Office", version=__version__)
        try:
            atomic_write_text(Path(path), json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            reason = exc.strerror or "the file could not be written"
            self.note.setText(f"Could not save {Path(path).name}: {reason}. Choose another folder.")
            return False
        self.note.setText(f"Saved {len(exchanges)} exchanges to {path}.")
        return True

    def showEvent(self, event) -> None:
        # Recording starts the first time a tester looks (it costs body work on every call).
        if not self._log.recording:
            self._log.start_recording()
            since = self._log.recording_since
            assert since is not None
            self.note.setText(f"Recording since {since.astimezone():%H:%M:%S}: calls made before the "
                              "inspector was first opened are not shown.")
        super().showEvent(event)

    def detach(self) -> None:
        self.model.detach()


class InspectorDock(QDockWidget):
    def __init__(self, log: ExchangeLog, parent: QWidget | None = None) -> None:
        super().__init__("Request inspector", parent)
        self.setObjectName("inspectorDock")
        self.setAccessibleName("Request inspector")
        self.panel = InspectorPanel(log, self)
        self.setWidget(self.panel)
        action = self.toggleViewAction()
        action.setObjectName("action_inspector")
        action.setText("&Request inspector")
        tip = "Show every exchange with the service (masked): for testers"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        shortcuts.apply("inspector", action)


def install(window: QMainWindow, log: ExchangeLog, view_menu) -> InspectorDock:
    """Dock the inspector (hidden) at the bottom of ``window``; its toggle goes into ``view_menu``."""
    dock = InspectorDock(log, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()

    def first_shown(visible: bool) -> None:
        # A third of the window the first time, so the page above keeps room to sell.
        if visible and not dock.property("sized"):
            dock.setProperty("sized", True)
            window.resizeDocks([dock], [max(220, window.height() // 3)], Qt.Orientation.Vertical)

    dock.visibilityChanged.connect(first_shown)
    view_menu.addAction(dock.toggleViewAction())
    return dock
