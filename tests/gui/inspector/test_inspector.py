"""The request inspector, used as a tester would: open it from the View menu (or Ctrl+Shift+I), make
a card sale, read the exchanges, filter them, copy one as curl, save them as HAR, clear them — and
never find a card number, CVV, API key, token or the buyer's details in any of it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableView

from app.gui.inspector.dock import describe
from tests.gui.windowkit import (
    TEST_CARD,
    TEST_EVENT,
    choose_delivery,
    click,
    fill_payment,
    find,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
)

API_KEY = "sandbox-api-key"
# What the buyer typed (tests.gui.windowkit.fill_payment) and must never show unmasked.
PERSONAL = ("jo.doe@example.com", "1 Main Street", "10001", "Doe")


def table_rows(window) -> list[list[str]]:
    table = find(window, "inspectorTable", QTableView)
    model = table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def open_inspector(window, qtbot):
    dock = find(window, "inspectorDock", QDockWidget)
    assert not dock.isVisible()  # a cashier's window starts without it, and records nothing
    assert len(window.station.exchanges) == 0 and find(dock, "inspectorTable", QTableView).model().rowCount() == 0
    view = window.menus.menu("&View", "view")
    action = find(window, "action_inspector", QAction)
    assert action in view.actions() and action.shortcut().toString() == "Ctrl+Shift+I"
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dock.isVisible()
    assert find(dock, "inspectorNote", QLabel).text().startswith("Recording since ")
    return dock


def assert_nothing_secret(text: str) -> None:
    assert TEST_CARD not in text and TEST_CARD[-8:] not in text
    assert API_KEY not in text
    for item in PERSONAL:  # as words: a random id may hold the letters "Doe"
        assert not re.search(rf"(?<![A-Za-z0-9]){re.escape(item)}(?![A-Za-z0-9])", text), item


def test_a_sale_seen_in_the_inspector_masked_everywhere(window, run, until, qtbot, tmp_path):
    async def steps():
        dock = open_inspector(window, qtbot)
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 2)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, window.sale_flow)
        await pay_and_commit(window, qtbot, until)
        return dock

    dock = run(steps())
    rows = table_rows(window)
    calls = [(row[1], row[2]) for row in rows]
    for wanted in (("POST", "reserve"), ("GET", "shipping options"), ("PUT", "select shipping"),
                   ("PUT", "card payment"), ("PUT", "commit")):
        assert wanted in calls, (wanted, calls)
    assert all(row[3].isdigit() for row in rows)
    assert find(dock, "inspectorCount", QLabel).text() == f"{len(rows)} exchanges"
    assert all("apikey=••••" in row[5] for row in rows if "apikey" in row[5])

    # Filter in the tester's words: only the payment call stays.
    qtbot.keyClicks(find(dock, "inspectorFilter", QLineEdit), "put payment")
    filtered = table_rows(window)
    assert filtered and all(row[1] == "PUT" and "payment" in row[2] for row in filtered)
    assert find(dock, "inspectorCount", QLabel).text() == f"{len(filtered)} of {len(rows)} exchanges"
    dock.panel.select_row(0)
    detail = find(dock, "inspectorDetail", QPlainTextEdit).toPlainText()
    assert detail.startswith("PUT ") and "Request" in detail and "Response" in detail
    assert_nothing_secret(detail)
    availability = next(dock.panel.model.exchange(r) for r in range(dock.panel.model.rowCount())
                        if dock.panel.model.exchange(r).operation == "availability")
    assert "ratelimit-quota-available: " in describe(availability).lower()  # the answer's quota figures

    click(qtbot, find(dock, "inspectorCopyCurl", QPushButton))
    curl = QGuiApplication.clipboard().text()
    assert curl.startswith("curl -X PUT ") and "--data-raw" in curl
    assert_nothing_secret(curl)

    # Esc in the filter clears it, and only it: the sale's confirmation stays on screen.
    filter_box = find(dock, "inspectorFilter", QLineEdit)
    filter_box.setFocus()
    qtbot.keyClick(filter_box, Qt.Key.Key_Escape)
    assert filter_box.text() == "" and len(table_rows(window)) == len(rows)
    assert window.sale_flow is not None and find(window.sale_flow, "orderNumberLabel", QLabel).isVisible()

    # Every exchange, in full, masked.
    for row in range(dock.panel.model.rowCount()):
        assert_nothing_secret(describe(dock.panel.model.exchange(row)))

    # Save as HAR through the dialog a tester sees.
    click(qtbot, find(dock, "inspectorSaveHar", QPushButton))
    dialog = find(window, "inspectorHarDialog", QFileDialog)
    target = tmp_path / "session.har"
    dialog.selectFile(str(target))
    dialog.accept()
    text = target.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    har = json.loads(text)
    assert har["log"]["version"] == "1.2" and har["log"]["creator"]["name"] == "Box Office"
    entries = har["log"]["entries"]
    assert len(entries) == len(rows)
    assert [e["request"]["method"] for e in entries] == [row[1] for row in rows]
    commit = next(e for e in entries if e["comment"].startswith("commit"))
    assert commit["response"]["status"] == 200 and json.loads(commit["response"]["content"]["text"])
    assert_nothing_secret(text)
    assert "Saved" in find(dock, "inspectorNote", QLabel).text()

    click(qtbot, find(dock, "inspectorClear", QPushButton))
    assert table_rows(window) == [] and find(dock, "inspectorCount", QLabel).text() == "0 exchanges"
    assert len(window.station.exchanges) == 0


def test_polling_rounds_show_as_their_own_rows(window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=0)

    async def steps():
        open_inspector(window, qtbot)
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 1)

    run(steps())
    operations = [row[2] for row in table_rows(window)]
    assert "reserve" in operations and "reserve (poll 1)" in operations and "reserve (poll 2)" in operations
    qtbot.keyClicks(find(window, "inspectorFilter", QLineEdit), "reserve poll")
    assert [row[2] for row in table_rows(window)] == ["reserve (poll 1)", "reserve (poll 2)"]


def test_a_folder_that_cannot_be_written_gets_a_plain_sentence(window, qtbot, run, until, tmp_path):
    async def steps():
        await until(lambda: window.events.model.rowCount() > 0, what="events listed")

    run(steps())
    dock = open_inspector(window, qtbot)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root writes anywhere: use a path under a file instead
            target = tmp_path / "a-file"
            target.write_text("x")
            path = target / "session.har"
        else:
            path = locked / "session.har"
        assert dock.panel.save_to(str(path)) is False
    finally:
        locked.chmod(0o700)
    note = find(dock, "inspectorNote", QLabel).text()
    assert note.startswith("Could not save session.har:") and "Choose another folder" in note
    assert "Error" not in note and "Traceback" not in note


def test_each_column_but_the_address_shows_its_words_whole(window, run, until, qtbot):
    """Opened on the event page, the table sized its columns to the first exchange's words, and the
    operations that came later showed as "shipping…", "select s…" (seen at 1280×800)."""
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        dock = open_inspector(window, qtbot)
        await reserve_best_available(window, qtbot, until, 1)
        await until(lambda: {row[2] for row in table_rows(window)} >= {"reserve", "shipping options"},
                    what="the reserve and the delivery options listed")
        await asyncio.sleep(0.1)  # the rows are laid out
        return dock

    dock = run(steps())
    table = find(dock, "inspectorTable", QTableView)
    model, metrics = table.model(), table.fontMetrics()
    for column in range(5):
        widest = max(metrics.horizontalAdvance(str(model.index(r, column).data())) for r in range(model.rowCount()))
        assert table.columnWidth(column) >= widest + 2, (model.headerData(column, Qt.Orientation.Horizontal), widest)


def test_the_newest_exchange_stays_in_view_until_the_tester_scrolls_up(window, run, until, qtbot):
    """A sale's later calls (payment, commit) landed below a short table's edge, and the tester had to
    scroll to see each one come. The table follows the newest row while it is scrolled to the end."""
    async def steps():
        dock = open_inspector(window, qtbot)
        window.resizeDocks([dock], [180], Qt.Orientation.Vertical)  # a few rows tall
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 1)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, window.sale_flow)
        await pay_and_commit(window, qtbot, until)
        await asyncio.sleep(0.1)  # laid out
        return dock

    dock = run(steps())
    table = find(dock, "inspectorTable", QTableView)
    model = table.model()
    last = model.index(model.rowCount() - 1, 0)
    assert model.rowCount() * table.rowHeight(0) > 2 * table.viewport().height()  # more rows than it shows
    assert table.viewport().rect().contains(table.visualRect(last)), "the newest row is out of view"
    assert model.index(model.rowCount() - 1, 2).data() == "commit"

    # Scrolled up to read an older one, the view stays there as more come.
    table.verticalScrollBar().setValue(0)
    rows = model.rowCount()
    run(window.load_events())
    qtbot.waitUntil(lambda: model.rowCount() > rows)
    qtbot.wait(50)
    assert table.verticalScrollBar().value() == 0
