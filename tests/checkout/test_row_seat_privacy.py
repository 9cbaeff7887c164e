"""A venue that forbids row and seat names (``locRowSeatRestrict``): the station's journal never
keeps them, from the reserve on — not only from the commit — so the start-up report, which reads
the journal after a crash, never shows them either."""

from __future__ import annotations

import asyncio

from app.checkout.seats import asked_text, seats_for_places
from app.partner.models import ReserveRequest
from tests.checkout.checkoutkit import TEST_EVENT


async def _two_places(station):
    availability = await station.availability(TEST_EVENT)
    tickets = availability.tickets[0]
    line = next(line for line in tickets.inventory if len(line.places) >= 2)
    places = list(line.places[:2])
    return availability, tickets.offers[0].ticket_type_id, places, seats_for_places(availability, places), line.section


def test_the_journal_keeps_no_row_or_seat_of_a_restricted_event_while_its_cart_is_held(kit, sandbox_control):
    sandbox_control.scenario(restrict_flags={TEST_EVENT: {"locRowSeatRestrict": True}})

    async def scenario():
        async with kit.station() as station:
            availability, ticket, places, asked, section = await _two_places(station)
            assert availability.loc_row_seat_restrict
            sale = station.new_sale(TEST_EVENT, hide_row_seat=availability.loc_row_seat_restrict)
            sandbox_control.scenario(latency_ms=400)  # time to read the journal while the reserve is out
            reserving = asyncio.ensure_future(sale.reserve(
                ReserveRequest.simple(ticket, 2, places=places, asked_seats=asked)))
            while not station.journal.open_carts():
                await asyncio.sleep(0.01)
            while_sent = [c.seats for c in station.journal.open_carts()]
            await reserving
            sandbox_control.scenario(latency_ms=0)
            sale.flush_journal()  # the held cart's write waits for the sale's next request
            held = [c.seats for c in station.journal.open_carts()]
            await sale.abandon()
            return section, while_sent, held

    section, while_sent, held = asyncio.run(scenario())
    assert while_sent == [f"asked for Section {section}, 2 seats"]  # as the held cart will read
    assert held == [f"Section {section}, 2 seats"]


def test_what_a_reserve_asks_for_is_told_without_rows_and_seats_when_they_are_hidden():
    from app.partner.models import SeatRef

    seats = (SeatRef("104", "A", "7"), SeatRef("104", "A", "8"), SeatRef("105", "C", "1"))
    request = ReserveRequest.simple("T1", 3, places=["p1", "p2", "p3"], asked_seats=seats)
    assert "row A" in asked_text(request)
    hidden = asked_text(request, hide_row_seat=True)
    assert hidden == "asked for Section 104, 2 seats; Section 105, 1 seat"
