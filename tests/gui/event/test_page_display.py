"""What a cashier reads on the event side: ticket types by name (codes only in tooltips), one true
sentence about picking seats, tables that show their text whole.

Everything is read from the widgets a person sees (visible labels, table cells, list entries).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QRadioButton, QTableView, QWidget

from tests.gui.windowkit import (
    STADIUM_EVENT,
    TEST_EVENT,
    choose_delivery,
    click,
    fill_payment,
    find,
    open_event_by_search,
    reserve_best_available,
    shown,
)

WAREHOUSE = "3B00GENADMIT0006"


def visible_text(root: QWidget) -> str:
    """Every piece of text shown in ``root``: labels, buttons, combo boxes, table cells in view."""
    parts = []
    for label in root.findChildren(QLabel):
        if label.isVisible():
            parts.append(label.text())
    for button in root.findChildren(QPushButton) + root.findChildren(QRadioButton):
        if button.isVisible():
            parts.append(button.text())
    for combo in root.findChildren(QComboBox):
        if combo.isVisible():
            parts.extend(combo.itemText(i) for i in range(combo.count()))
    for view in root.findChildren(QTableView):
        if view.isVisible():
            model = view.model()
            columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
            parts.extend(str(model.index(r, c).data() or "") for r in range(min(model.rowCount(), 50)) for c in columns)
    return "\n".join(parts)


def test_ticket_types_are_named_where_a_cashier_reads_them_and_coded_only_in_tooltips(window, run, until, qtbot):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        page = window.event_page
        combo = find(page, "ticketTypeCombo", QComboBox)
        assert [combo.itemText(i) for i in range(combo.count())] == ["Adult", "Child"]
        assert "GPAS1" in combo.itemData(0, Qt.ItemDataRole.ToolTipRole)
        assert "GPAS1J" in combo.itemData(1, Qt.ItemDataRole.ToolTipRole)
        offers = find(page, "offersTable")
        assert {offers.item(r, 0).text() for r in range(offers.rowCount())} == {"Adult", "Child"}
        assert all("GPAS1" in offers.item(r, 0).toolTip() for r in range(offers.rowCount()))
        assert "GPAS" not in visible_text(page)

        flow = await reserve_best_available(window, qtbot, until, 2)  # Adult, the first ticket type
        seats = find(flow, "cartSeats", QLabel)
        assert seats.text().endswith("· Adult") and "GPAS" not in seats.text()
        assert "GPAS1" in seats.toolTip()
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, flow)
        pay = find(flow, "payButton", QPushButton)
        await until(pay.isEnabled, 10, what="Pay enabled")
        click(qtbot, pay)
        await until(lambda: shown(flow, "commitButton") and find(flow, "commitButton").isEnabled(), 30,
                    what="review page")
        review = find(flow, "reviewSeats", QLabel).text()
        assert "Adult" in review and "GPAS" not in review
        click(qtbot, find(flow, "commitButton", QPushButton))
        await until(lambda: shown(flow, "orderNumberLabel") and find(flow, "orderNumberLabel", QLabel).text(), 60,
                    what="order confirmation")
        details = find(flow, "confirmationDetails", QLabel).text()
        assert "Adult" in details and "GPAS" not in details
        receipt = flow.confirmation.receipt
        assert receipt.seats and all(line.endswith("· Adult") for line in receipt.seats)

    run(steps())


def test_general_admission_says_one_thing_about_picking_seats(window, run, until, qtbot):
    async def steps():
        await open_event_by_search(window, qtbot, until, "warehouse", WAREHOUSE)
        page = window.event_page
        note = find(page, "seatMapRestrictedNote", QLabel)
        picked = find(page, "pickedSeatsLabel", QLabel)
        assert note.isVisible() and "no numbered seats" in note.text()
        assert picked.isVisible() and picked.text() == note.text()
        assert not find(page, "pickedSeatsRadio", QRadioButton).isVisible()
        assert not find(page, "orBestAvailableCheck").isVisible()
        text = visible_text(page)
        assert "Click or drag" not in text and "pick exact seats" not in text
        # A reserved-seating event still invites picking on its map.
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        assert find(page, "pickedSeatsRadio", QRadioButton).isVisible()
        assert find(page, "orBestAvailableCheck").isVisible()
        assert "Click or drag on the map" in find(page, "pickedSeatsLabel", QLabel).text()

    run(steps())


def cut_cells(table) -> list[str]:
    """Cells whose text does not fit its column (drawn cut with "…"), as "row, column: text"."""
    model, cut = table.model(), []
    for column in range(model.columnCount()):
        if table.isColumnHidden(column):
            continue
        width = table.columnWidth(column)
        for row in range(model.rowCount()):
            index = model.index(row, column)
            needed = table.sizeHintForIndex(index).width()
            if needed > width:
                cut.append(f"{row}, {column}: {index.data()!r} needs {needed}, has {width}")
    return cut


def no_sideways_scrolling(table) -> bool:
    return not table.horizontalScrollBar().isVisible()


def full_text_in_tooltips(table) -> list[str]:
    model, missing = table.model(), []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = str(index.data() or "")
            tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            if not table.isColumnHidden(column) and text and text not in tip:
                missing.append(f"{row}, {column}: {text!r}")
    return missing


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_tables_show_their_text_whole_beside_an_event_and_after_leaving_it(size, window, run, until, qtbot):
    window.resize(*size)

    async def steps():
        table = find(window, "eventsTable", QTableView)
        await until(
            lambda: not cut_cells(table) and no_sideways_scrolling(table),
            5,
            what=f"the events list whole: {cut_cells(table)}",
        )
        await open_event_by_search(window, qtbot, until, "championship", STADIUM_EVENT)
        find(window, "eventSearch").clear()  # every event listed beside the open one
        await until(lambda: table.model().rowCount() == 10, what="all events listed")
        offers = find(window, "offersTable", QTableView)
        assert cut_cells(offers) == [] and no_sideways_scrolling(offers)
        assert cut_cells(table) == [] and no_sideways_scrolling(table)
        assert full_text_in_tooltips(table) == [] and full_text_in_tooltips(offers) == []
        QTest.keyClick(find(window, "backToEventsButton"), Qt.Key.Key_Escape)
        await until(lambda: window.right.currentWidget() is not window.event_page, what="back to the list")
        await until(lambda: not table.isColumnHidden(2), what="all columns back")
        assert cut_cells(table) == [] and no_sideways_scrolling(table)
        widths = [table.columnWidth(c) for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]
        assert widths[0] == max(widths)  # the name takes the room left over, not the "Sale" column

    run(steps())


def test_an_event_opened_before_the_list_has_loaded_leaves_the_names_whole(open_window, run, until, qtbot):
    from tests.gui.windowkit import AFTERNOON

    window = open_window(lambda: AFTERNOON)

    async def steps():
        loading = window.load_events()
        window.open_event(STADIUM_EVENT)  # as `--event` does, or a cashier quicker than the list
        await loading
        await until(lambda: window.event_page.loaded_event_id == STADIUM_EVENT, 30, what="the event open")
        table = find(window, "eventsTable", QTableView)
        assert table.model().rowCount() == 10  # every internet-enabled fixture event
        assert cut_cells(table) == [] and no_sideways_scrolling(table)

    run(steps())
