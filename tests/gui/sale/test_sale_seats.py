"""Which seats the sale says are sold: picked on the map in the real window, shown in the cart pane,
on the review, on the confirmation and in the receipt's PDF text.

The cart answer names one item per row with its first and last seat and a count; seats in between
that someone else holds must not be listed as sold.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from app.gui.sale.receipt import save_receipt_pdf
from app.partner.models import ReserveRequest
from tests.gui.sale.salekit import pdf_text
from tests.gui.windowkit import choose_delivery, click, find, mouse_click_at, open_event_by_search, shown, type_into

TEST_CARD_EVENT = "2000527EE48A9334"  # reserved seating without restrictSingle


async def hold_one_seat_elsewhere(station, row) -> None:
    """Another counter holds the second seat of ``row``."""
    other = station.new_sale(TEST_CARD_EVENT, event_name="another counter")
    availability = await station.availability(TEST_CARD_EVENT)
    ticket = availability.tickets[0].offers[0].ticket_type_id
    await other.reserve(ReserveRequest.simple(ticket, 1, places=[row.places[1]], accept_best_available=False))


def test_seats_around_a_seat_held_elsewhere_are_listed_one_by_one(window, station, run, until, qtbot, tmp_path):
    async def steps():
        availability = await station.availability(TEST_CARD_EVENT)
        row = next(r for t in availability.tickets for r in t.inventory
                   if len(r.seats) >= 8 and all(int(r.seats[i + 1]) - int(r.seats[i]) == 1 for i in range(7)))
        await hold_one_seat_elsewhere(station, row)
        await open_event_by_search(window, qtbot, until, "test card", TEST_CARD_EVENT)
        seat_map = window.event_page.seat_map
        wanted = [row.places[0], *row.places[2:6]]  # e.g. 1, 3, 4, 5, 6 with 2 held by the other counter
        for place in wanted:
            seat_map.zoom_to_place(place)
            await until(lambda place=place: seat_map.place_viewport_pos(place) is not None, what="seat on screen")
            mouse_click_at(seat_map.viewport(), seat_map.place_viewport_pos(place))
        await until(lambda: sorted(seat_map.selected_places()) == sorted(wanted), what="five seats picked")
        first, rest = row.seats[0], row.seats[2:6]
        # The pick is written before reserving as the seats held will be: a dash joins only neighbours.
        assert find(window, "pickedSeatsLabel", QLabel).text() == (
            f"5 seats picked: Section {row.section}, row {row.row}, seats {first}, {rest[0]}–{rest[-1]}")
        click(qtbot, find(window, "reserveButton", QPushButton))
        flow = await until(lambda: window.sale_flow, 30, what="seats held")
        expected = f"row {row.row} · seats {first}, {rest[0]}–{rest[-1]} (5 seats)"
        assert expected in find(flow, "cartSeats", QLabel).text()
        assert f"{first}–{rest[-1]}" not in find(flow, "cartSeats", QLabel).text()

        await choose_delivery(window, qtbot, until)
        click(qtbot, find(flow, "method_invoice"))
        type_into(qtbot, flow, "invoiceReference", "77")
        for name, text in (("firstName", "Jo"), ("lastName", "Doe"), ("email", "jo.doe@example.com")):
            type_into(qtbot, flow, name, text)
        click(qtbot, find(flow, "payButton", QPushButton))
        await until(lambda: shown(flow, "commitButton") and find(flow, "commitButton").isEnabled(), 30,
                    what="review page")
        assert expected in find(flow, "reviewSeats", QLabel).text()
        click(qtbot, find(flow, "commitButton", QPushButton))
        await until(lambda: shown(flow, "orderNumberLabel") and find(flow, "orderNumberLabel", QLabel).text(), 60,
                    what="order confirmation")
        assert expected in find(flow, "confirmationDetails", QLabel).text()
        pdf = tmp_path / "receipt.pdf"
        save_receipt_pdf(flow.confirmation.receipt, str(pdf))
        text = " ".join(pdf_text(pdf).split())
        assert expected in text
        assert f"seats {first}–{rest[-1]}" not in text
        # The station's own record says the same: the orders window and the shift's CSV read it.
        order = await until(lambda: next(iter(station.journal.orders()), None), what="the order in the journal")
        assert order.seats == f"Section {row.section}, row {row.row}, seats {first}, {rest[0]}–{rest[-1]}"

    run(steps())
