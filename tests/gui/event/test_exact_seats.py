"""Picked seats in the window: never swapped silently. The fall-back to best available is the
cashier's choice (a checkbox), and other seats held instead must be kept or released by hand."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QMessageBox, QPushButton

from app.partner.models import ReserveRequest
from tests.gui.windowkit import TEST_EVENT, click, find, open_event_by_search


def other_seats_dialog():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == "otherSeatsDialog" and widget.isVisible():
            return widget
    return None


async def pick_seats_someone_else_takes(window, qtbot, until):
    """Pick two seats on the map, then let another sale hold them before Reserve is pressed."""
    await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
    page = window.event_page
    row = next(r for t in page.availability.tickets for r in t.inventory
               if len(r.seats) >= 4 and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(3)))
    other = window.station.new_sale(TEST_EVENT)
    ticket = page.availability.offers[0].ticket_type_id
    await other.reserve(ReserveRequest.simple(ticket, 2, places=row.places[:2], accept_best_available=False))
    page.seat_map.select_places(list(row.places[:2]))
    await until(lambda: len(page.seat_map.selected_places()) == 2, what="seats picked")
    return page, row, other


def test_other_seats_held_instead_are_shown_and_kept_only_when_the_cashier_says_so(window, run, until, qtbot,
                                                                                sandbox_control):
    async def steps():
        _page, row, other = await pick_seats_someone_else_takes(window, qtbot, until)
        fallback = find(window, "orBestAvailableCheck", QCheckBox)
        assert fallback.isEnabled() and not fallback.isChecked()
        fallback.setChecked(True)
        click(qtbot, find(window, "reserveButton", QPushButton))
        dialog = await until(other_seats_dialog, 30, what="the other seats shown")
        assert "other seats than the ones asked for" in dialog.text()
        assert f"instead of Section {row.section}, row {row.row}, seats {row.seats[0]}–{row.seats[1]}." in dialog.text()
        assert window.sale_flow is None  # nothing goes on before the cashier answers
        click(qtbot, find(dialog, "keepOtherSeatsButton", QPushButton))
        flow = await until(lambda: window.sale_flow, 30, what="the sale with the other seats")
        (item,) = flow.session.cart.items
        assert (item.section, item.row, item.start_seat) != (row.section, row.row, row.seats[0])
        assert item.start_seat in find(flow, "cartSeats", QLabel).text()
        assert len(sandbox_control.state()["held_carts"]) == 2
        await other.abandon()

    run(steps())


def test_releasing_the_other_seats_holds_nothing_and_says_so(window, run, until, qtbot, sandbox_control):
    async def steps():
        page, _row, other = await pick_seats_someone_else_takes(window, qtbot, until)
        find(window, "orBestAvailableCheck", QCheckBox).setChecked(True)
        click(qtbot, find(window, "reserveButton", QPushButton))
        dialog = await until(other_seats_dialog, 30, what="the other seats shown")
        assert dialog.defaultButton() is find(dialog, "releaseOtherSeatsButton", QPushButton)
        click(qtbot, find(dialog, "releaseOtherSeatsButton", QPushButton))
        await until(lambda: page.banner.current is not None, 30, what="the release explained")
        assert "They were released; nothing was sold" in page.banner.current.sentence
        assert window.sale_flow is None
        assert [c["cart_id"] for c in sandbox_control.state()["held_carts"]] == [other.cart_id]
        await other.abandon()

    run(steps())
    assert sandbox_control.state()["held_carts"] == []
