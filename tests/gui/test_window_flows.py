"""The window's other paths: captcha, expiry, cancel at each step, exact seats, closing, odd events.

Every test checks what the cashier sees and what the sandbox holds afterwards.
"""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QRadioButton

from tests.gui.windowkit import (
    AFTERNOON,
    CAPTCHA_EVENT,
    TEST_EVENT,
    choose_delivery,
    click,
    fill_payment,
    find,
    mouse_click_at,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
    shown,
    solve_shown_captcha,
)


def held(sandbox_control) -> list:
    return sandbox_control.state()["held_carts"]


def test_a_sale_with_captcha(window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "harbour", CAPTCHA_EVENT)
        assert "security check" in find(window, "eventNotice", QLabel).text()
        click(qtbot, find(window, "reserveButton", QPushButton))
        await solve_shown_captcha(until)
        flow = await until(lambda: window.sale_flow, 60, what="seats held after the captcha")
        assert len(held(sandbox_control)) == 1
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, flow)
        number = await pay_and_commit(window, qtbot, until)
        assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [number]

    run(steps())


def test_a_cart_that_expires_says_so_and_goes_back_to_the_event(window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(hold_time=3)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 2)
        message = await until(lambda: shown(flow, "releasedMessage") and find(flow, "releasedMessage", QLabel), 30,
                              what="the released message")
        assert "released" in message.text()
        # The station's clock may run a moment ahead of the service's: wait for it to drop the cart.
        await until(lambda: held(sandbox_control) == [], 10, what="the cart gone on the server")
        click(qtbot, find(flow, "backToEventButton", QPushButton))
        await until(lambda: window.sale_flow is None and window.right.currentWidget() is window.event_page,
                    what="back on the event page")
        await until(lambda: window.event_page.loaded_event_id == TEST_EVENT, what="event refreshed")

    run(steps())


async def _confirm_cancel(window, qtbot, until, flow) -> None:
    await until(lambda: shown(flow, "confirmCancelButton"), what="cancel confirmation")
    click(qtbot, find(flow, "confirmCancelButton", QPushButton))
    await until(lambda: window.sale_flow is None, 30, what="the sale closed")


@pytest.mark.parametrize("step", ["waiting", "delivery", "payment", "review"])
def test_cancel_at_each_step_releases_the_seats(step, window, run, until, qtbot, sandbox_control):
    if step == "waiting":
        sandbox_control.scenario(force_polling_rounds=3, polling_wait=1)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        if step == "waiting":
            click(qtbot, find(window, "reserveButton", QPushButton))
            await until(lambda: shown(window, "cancelReserveButton"), what="the waiting line")
            click(qtbot, find(window, "cancelReserveButton", QPushButton))
            await until(lambda: not window.event_page.is_reserving(), 30, what="reserve cancelled")
            assert window.sale_flow is None
            await until(lambda: held(sandbox_control) == [], 30, what="no cart held")
            return
        flow = await reserve_best_available(window, qtbot, until, 2)
        if step == "delivery":
            await until(lambda: shown(flow, "shippingOptions"), what="delivery step")
            click(qtbot, find(flow, "cancelCartButton", QPushButton))
        elif step == "payment":
            await choose_delivery(window, qtbot, until)
            card = find(flow, "cardNumber")
            card.setFocus()
            await until(card.hasFocus, what="cursor in the card number")
            qtbot.keyClick(card, Qt.Key.Key_Escape)
        else:
            await choose_delivery(window, qtbot, until)
            fill_payment(qtbot, flow)
            click(qtbot, find(flow, "payButton", QPushButton))
            await until(lambda: shown(flow, "commitButton"), 30, what="review page")
            click(qtbot, find(flow, "cancelCartButton", QPushButton))
        await _confirm_cancel(window, qtbot, until, flow)
        assert held(sandbox_control) == []
        assert window.right.currentWidget() is window.event_page

    run(steps())
    assert sandbox_control.state()["orders"] == []


def test_picking_exact_seats_on_the_map_reserves_those_seats(window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        page = window.event_page
        seat_map = page.seat_map
        # Two free neighbours at the start of a run of at least four, so no seat is stranded.
        row = next(r for t in page.availability.tickets for r in t.inventory
                   if len(r.seats) >= 4 and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(3)))
        wanted = list(row.places[:2])
        for place in wanted:
            seat_map.zoom_to_place(place)
            await until(lambda place=place: seat_map.place_viewport_pos(place) is not None, what="seat on screen")
            mouse_click_at(seat_map.viewport(), seat_map.place_viewport_pos(place))
        await until(lambda: seat_map.selected_places() == wanted, what="both seats picked")
        assert find(window, "pickedSeatsRadio", QRadioButton).isChecked()
        assert find(window, "pickedSeatsLabel", QLabel).text().startswith("2 seats picked")
        assert f"row {row.row}" in find(window, "pickedSeatsLabel", QLabel).text()
        click(qtbot, find(window, "reserveButton", QPushButton))
        flow = await until(lambda: window.sale_flow, 30, what="seats held")
        cart_seats = find(flow, "cartSeats", QLabel).text()
        assert row.section in cart_seats and row.row in cart_seats
        assert row.seats[0] in cart_seats and row.seats[1] in cart_seats
        item = flow.session.cart.items[0]
        assert (item.section, item.row, item.start_seat, item.end_seat) == (
            row.section, row.row, row.seats[0], row.seats[1])

    run(steps())


def test_closing_with_an_open_cart_asks_then_releases_it(open_window, run, until, qtbot, sandbox_control):
    window = open_window(lambda: AFTERNOON)

    async def steps():
        await window.load_events()
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await reserve_best_available(window, qtbot, until, 2)
        assert len(held(sandbox_control)) == 1
        window.close()
        box = await until(lambda: window.findChild(QMessageBox, "closeConfirm"), what="the question")
        assert box.isVisible() and "held" in box.text()
        click(qtbot, box.button(QMessageBox.StandardButton.No))  # keep selling
        await until(lambda: window.findChild(QMessageBox, "closeConfirm") is None, what="question gone")
        assert window.isVisible() and len(held(sandbox_control)) == 1
        window.close()
        box = await until(lambda: window.findChild(QMessageBox, "closeConfirm"), what="the question again")
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))
        await until(lambda: not window.isVisible(), 30, what="the window closed")

    run(steps())
    assert held(sandbox_control) == []


def test_an_event_not_sold_through_the_api_offers_the_ticketmaster_link(window, run, until, qtbot):
    async def steps():
        window.resize(1366, 768)
        window.open_event("3B00NOAPI0000002")
        await until(lambda: window.event_page.loaded_event_id == "3B00NOAPI0000002", what="page loaded")
        await asyncio.sleep(0.05)  # laid out at that size
        link = find(window, "ticketmasterLink", QLabel)
        assert link.isVisible() and "https://www.ticketmaster.com/event/3B00NOAPI0000002" in link.text()
        assert find(window, "openTicketmasterButton").isVisible()
        assert not shown(window, "reserveButton") and not shown(window, "seatMap")
        # The page's lines stay together at its top, each as tall as its text: the room the hidden
        # views leave stays below them (it once spread the title and its line far apart).
        for name in ("eventTitle", "eventSubtitle", "ticketmasterLink"):
            label = find(window, name, QLabel)
            assert label.height() <= label.heightForWidth(label.width()) + 6, name

    run(steps())


def test_an_event_in_its_maintenance_night_says_why_it_cannot_be_sold(open_window, run, until, qtbot):
    from datetime import datetime

    # 06:30 UTC is 01:30 in New York: inside the nightly maintenance of the test event's venue.
    window = open_window(lambda: datetime(2026, 11, 26, 6, 30, tzinfo=UTC))

    async def steps():
        await window.load_events()
        window.open_event(TEST_EVENT)
        await until(lambda: window.event_page.loaded_event_id == TEST_EVENT, what="page loaded")
        reason = find(window, "saleBlockedReason", QLabel)
        assert reason.isVisible() and "nightly maintenance" in reason.text()
        assert not find(window, "reserveButton").isEnabled()

    run(steps())
