"""The event page's data views — offers, availability bars, inventory table — from the documented
examples and from the live sandbox, checked cell by cell against the answer they were built from."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar

from app.gui.event.availability import AvailabilityView
from app.gui.event.inventory import InventoryTable, compact_seats
from app.gui.event.offers import OffersTable
from app.gui.formatting import format_money
from app.gui.seatmap.view import SeatMapView
from app.partner.models import Availability, EventDetails

THEATRE = "000051048D991EE7"


def fetch(sandbox, path: str) -> dict:
    response = httpx.get(f"{sandbox.partner_base}{path}", params={"apikey": "sandbox-api-key"}, timeout=60)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def theatre(awake_sandbox) -> tuple[dict, dict]:
    return fetch(awake_sandbox, f"/events/{THEATRE}/availability"), fetch(awake_sandbox, f"/events/{THEATRE}")


def cells(table, row: int) -> list[str]:
    model = table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def headers(table) -> list[str]:
    model = table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(model.columnCount())]


@pytest.mark.parametrize("seats, text", [
    (["2", "4", "6", "7", "8", "9", "10", "11", "12"], "2, 4, 6–12"),
    (["1", "2", "3", "5", "6"], "1–3, 5, 6"),
    (["1", "3", "5", "9", "11", "13"], "1–5, 9–13 (odd)"),
    (["2", "4"], "2, 4"),
    (["7"], "7"),
    (["A1", "A2", "10", "9", "11"], "9–11, A1, A2"),
    ([], ""),
])
def test_seats_are_written_compactly(seats, text):
    assert compact_seats(seats) == text


def test_offers_show_face_value_fees_and_total_per_ticket_in_decimal_money(qtbot, theatre):
    raw, details_raw = theatre
    table = OffersTable()
    qtbot.addWidget(table)
    table.set_offers(Availability.from_json(raw), EventDetails.from_json(details_raw))
    assert table.objectName() == "offersTable"
    level_names = {str(p["id"]): p["description"] for p in details_raw["event"]["prices"]}
    expected = []
    for ticket in raw["event"]["tickets"]:
        for offer in ticket["offers"]:
            face = Decimal(str(offer["faceValue"]))
            fees = sum((Decimal(str(c["amount"])) for c in offer["charges"]), Decimal("0"))
            expected.append([
                offer["offerDescription"],  # the name a cashier reads ("Adult"); the code is in the tooltip
                level_names[offer["priceLevelId"]], format_money(face, "USD"), format_money(fees, "USD"),
                format_money(face + fees, "USD"), "USD",
            ])
    shown = [cells(table, r) for r in range(table.rowCount())]
    assert sorted(map(tuple, shown)) == sorted(map(tuple, expected))
    assert shown[0][1] == "Price Level 1"  # level 1 first
    first = next(
        o for t in raw["event"]["tickets"] for o in t["offers"] if o["ticketTypeId"] == table.lines()[0].ticket_type_id
    )
    assert table.item(0, 0).toolTip() == (
        f"{first['offerDescription']} — {first['offerName']} · ticket type {first['ticketTypeId']}"
    )
    fees_tip = table.item(0, 3).toolTip()
    assert "Facility:" in fees_tip and "Service:" in fees_tip


def test_offers_fall_back_to_event_details_prices(qtbot, vectors_dir):
    details = EventDetails.from_json(json.loads((vectors_dir / "event-details.response.json").read_text()))
    table = OffersTable()
    qtbot.addWidget(table)
    table.set_offers(None, details)
    assert table.rowCount() == sum(len(t.prices) for t in details.tickets) > 0
    for row, line in enumerate(table.lines()):
        assert line.total == line.face_value + line.fees
        assert cells(table, row)[4] == format_money(line.total, line.currency)


def test_availability_bars_show_free_of_total_and_the_current_limit(qtbot, theatre):
    raw, details_raw = theatre
    view = AvailabilityView()
    qtbot.addWidget(view)
    names = {str(p["id"]): p["description"] for p in details_raw["event"]["prices"]}
    view.set_availability(Availability.from_json(raw), names)
    assert view.objectName() == "availabilityView"
    tickets = raw["event"]["tickets"]
    bars = view.bars()
    assert [(b.value(), b.maximum()) for b in bars] == [(t["available"], t["total"]) for t in tickets]
    assert [b.text() for b in bars] == [f"{t['available']:,} of {t['total']:,} free" for t in tickets]
    limits = [label.text() for label in view.findChildren(QLabel, "ticketLimitLabel")]
    assert limits == [f"Up to {t['currentTicketLimit']} now" for t in tickets]
    seating = {label.text() for label in view.findChildren(QLabel, "seatingLabel")}
    assert seating == {"Reserved seating"}
    assert "a single seat may not be left alone" in view.findChild(QLabel, "availabilitySummary").text()


def test_a_new_answer_for_the_same_event_moves_the_bars_and_one_with_other_lines_redraws_them(qtbot, theatre):
    import copy

    raw, _ = theatre
    view = AvailabilityView()
    qtbot.addWidget(view)
    view.set_availability(Availability.from_json(raw))
    later = copy.deepcopy(raw)  # four seats of the first ticket type sold meanwhile
    first = later["event"]["tickets"][0]
    first["available"] -= 4
    view.set_availability(Availability.from_json(later))
    tickets = later["event"]["tickets"]
    assert len(tickets) > 1
    assert [b.text() for b in view.bars()] == [f"{t['available']:,} of {t['total']:,} free" for t in tickets]
    assert [b.value() for b in view.bars()] == [t["available"] for t in tickets]
    assert len(view.findChildren(QProgressBar)) == len(tickets)  # no bar of the answer before is left over
    fewer = copy.deepcopy(later)
    fewer["event"]["tickets"] = tickets[:1]
    view.set_availability(Availability.from_json(fewer))
    qtbot.waitUntil(lambda: len(view.findChildren(QProgressBar)) == 1)  # the others are deleted later
    assert [b.text() for b in view.bars()] == [f"{first['available']:,} of {first['total']:,} free"]
    assert len(view.findChildren(QLabel, "ticketLimitLabel")) == 1


def test_general_admission_is_labelled_so(qtbot, awake_sandbox):
    view = AvailabilityView()
    qtbot.addWidget(view)
    view.set_availability(Availability.from_json(fetch(awake_sandbox, "/events/3B00GENADMIT0006/availability")))
    seating = [label.text() for label in view.findChildren(QLabel, "seatingLabel")]
    assert seating == ["General admission", "General admission"]


def test_inventory_lists_each_row_once_with_its_free_seats(qtbot, theatre):
    raw, _ = theatre
    table = InventoryTable()
    qtbot.addWidget(table)
    table.set_availability(Availability.from_json(raw))
    assert headers(table) == ["Section", "Row", "Seats", "Free", "Level"]
    rows = {(r["section"], r["row"]): r for t in raw["event"]["tickets"] for r in t["inventory"]}
    assert table.model().rowCount() == len(rows)
    shown = {(c[0], c[1]): c for c in (cells(table, i) for i in range(table.model().rowCount()))}
    for key, row in rows.items():
        assert shown[key][2] == compact_seats([str(s) for s in row["seats"]])
        assert shown[key][3] == str(len(row["seats"]))
    assert [c[0] for c in shown.values()][:1] == ["101"]


def test_selecting_inventory_rows_picks_their_places_on_the_map(qtbot, theatre):
    raw, _ = theatre
    availability = Availability.from_json(raw)
    table, seat_map = InventoryTable(), SeatMapView()
    qtbot.addWidget(table)
    qtbot.addWidget(seat_map)
    table.set_availability(availability)
    seat_map.set_availability(availability)
    table.placesSelected.connect(lambda places: seat_map.select_places(places, replace=True))
    target = next(i for i in range(table.model().rowCount()) if cells(table, i)[:2] == ["102", "C"])
    expected = next(
        r["places"] for t in raw["event"]["tickets"] for r in t["inventory"] if (r["section"], r["row"]) == ("102", "C")
    )
    with qtbot.waitSignal(seat_map.selectionChanged, timeout=2000):
        table.selectRow(target)
    assert seat_map.selected_places() == expected


def test_hidden_row_and_seat_names_leave_only_sections_in_the_inventory(qtbot, theatre):
    raw, _ = theatre
    raw["event"]["locRowSeatRestrict"] = True
    availability = Availability.from_json(raw)
    table = InventoryTable()
    qtbot.addWidget(table)
    table.set_availability(availability, show_names=not availability.loc_row_seat_restrict)
    assert headers(table) == ["Section", "Free", "Level", "Area"]
    per_section: dict[str, int] = {}
    for ticket in raw["event"]["tickets"]:
        for row in ticket["inventory"]:
            per_section[row["section"]] = per_section.get(row["section"], 0) + len(row["seats"])
    shown = [cells(table, i) for i in range(table.model().rowCount())]
    assert [(c[0], c[1]) for c in shown] == [(s, f"{n:,}") for s, n in sorted(per_section.items())]
    row_names = {r["row"] for t in raw["event"]["tickets"] for r in t["inventory"]}
    assert not any(cell in row_names for c in shown for cell in c[1:])


def odd_answer() -> dict:
    """An answer with the awkward cases the documentation allows: a seat under two ticket types at
    two price levels, a row without place ids, seat names that are not numbers, a huge seat number,
    a whole row sold out between two listed rows, and a standing area."""
    return {
        "event": {
            "id": "X",
            "tickets": [
                {
                    "available": 6,
                    "total": 10,
                    "seating": "reserved",
                    "offers": [{"ticketTypeId": "A", "priceLevelId": "2", "faceValue": 10, "currency": "EUR"}],
                    "inventory": [
                        {"section": "Loge", "row": "A", "seats": [1, 2, 3], "places": ["P1", "P2", "P3"]},
                        {"section": "Loge", "row": "C", "seats": [1, 3], "places": ["Q1", "Q3"]},
                        {"section": "Box", "row": "1", "seats": ["A1", "A2"], "places": ["B1", "B2"]},
                        {"section": "Far", "row": "1", "seats": [1, 9000], "places": ["F1", "F9"]},
                        {"section": "Loge", "row": "D", "seats": [5, 6]},
                    ],
                },
                {
                    "available": 2,
                    "total": 2,
                    "seating": "reserved",
                    "offers": [{"ticketTypeId": "B", "priceLevelId": "1", "faceValue": 20, "currency": "EUR"}],
                    "inventory": [{"section": "Loge", "row": "A", "seats": [3, 4], "places": ["P3", "P4"]}],
                },
                {
                    "available": 50,
                    "total": 80,
                    "seating": "general",
                    "offers": [{"ticketTypeId": "C", "priceLevelId": "3", "faceValue": 5, "currency": "EUR"}],
                    "inventory": [{"section": "Lawn"}],
                },
            ],
        }
    }


def test_awkward_answers_are_drawn_and_listed_without_losing_a_seat(qtbot):
    from app.checkout.seatpicks import seat_key
    from app.gui.seatmap.layout import TAKEN, compute_layout

    availability = Availability.from_json(odd_answer())
    layout = compute_layout(availability)
    sections = {s.name: s for s in layout.sections}
    loge = sections["Loge"]
    assert loge.row_names == ["A", "B", "C", "D"]  # row B sold out: drawn, all taken
    assert all(loge.seat_kind[i] == TAKEN for i in range(len(loge.seat_kind)) if loge.seat_row[i] == 1)
    seat_3 = loge.seat_place.index("P3")
    assert loge.seat_kind[seat_3] == 1  # listed under levels 2 and 1: the first listing's colour
    assert loge.seat_kind[loge.seat_place.index("P4")] == 0
    assert list(loge.seat_place).count("P3") == 1
    row_d = [i for i in range(len(loge.seat_kind)) if loge.seat_row[i] == 3 and loge.seat_kind[i] != TAKEN]
    assert [loge.seat_name[i] for i in row_d] == ["5", "6"]  # listed without place ids: picked by seat
    assert [loge.seat_place[i] for i in row_d] == [seat_key("Loge", "D", "5"), seat_key("Loge", "D", "6")]
    assert [sections["Box"].seat_name[i] for i in range(2)] == ["A1", "A2"]
    assert sections["Far"].columns == 2  # no 9,000-seat-wide row of made-up taken seats
    assert sections["Lawn"].general_admission and sections["Lawn"].ga_available == 50
    assert set(layout.place_index) == {"P1", "P2", "P3", "P4", "Q1", "Q3", "B1", "B2", "F1", "F9",
                                       seat_key("Loge", "D", "5"), seat_key("Loge", "D", "6")}

    table = InventoryTable()
    qtbot.addWidget(table)
    table.set_availability(availability)
    shown = {(c[0], c[1]): c for c in (cells(table, i) for i in range(table.model().rowCount()))}
    assert shown[("Loge", "A")][2:4] == ["1–4", "4"]
    assert shown[("Loge", "D")][2:4] == ["5, 6", "2"]
    assert shown[("Box", "1")][2] == "A1, A2"
    assert shown[("Lawn", "")][2:4] == ["General admission", "50"]


def test_ticket_types_are_named_by_their_offers_and_fall_back_to_codes(vectors_dir, theatre):
    from app.gui.event.offers import ticket_type_names

    raw, details_raw = theatre
    names = ticket_type_names(Availability.from_json(raw), EventDetails.from_json(details_raw))
    by_offer = {o["ticketTypeId"]: o for t in raw["event"]["tickets"] for o in t["offers"]}
    assert {tid: n.name for tid, n in names.items()} == {tid: o["offerDescription"] for tid, o in by_offer.items()}
    assert all(by_offer[tid]["offerName"] in n.code and tid in n.code for tid, n in names.items())
    # The documented example names its offer only by its code: that is what there is to show.
    documented = Availability.from_json(json.loads((vectors_dir / "availability.response.json").read_text()))
    for tid, name in ticket_type_names(documented).items():
        offer = next(o for o in documented.offers if o.ticket_type_id == tid)
        assert name.name == (offer.offer_description or offer.offer_name or tid)
        assert f"ticket type {tid}" in name.code
    details_only = EventDetails.from_json(json.loads((vectors_dir / "event-details.response.json").read_text()))
    assert [n.name for n in ticket_type_names(None, details_only).values()] == [
        t.description or t.id for t in details_only.tickets
    ]


def test_views_cleared_while_an_answer_is_being_shown_keep_nothing_of_it(qtbot, run, theatre):
    """The views fill one per turn of the event loop; the cashier moving on meanwhile (``clear``)
    drops the rest: no bars, lines or map of the event left behind."""
    import asyncio

    from PySide6.QtWidgets import QWidget

    from app.gui.event.views import EventViews

    raw, details_raw = theatre
    parent = QWidget()
    qtbot.addWidget(parent)
    views = EventViews(parent)
    parent.show()
    availability, details = Availability.from_json(raw), EventDetails.from_json(details_raw)

    async def steps():
        task = asyncio.ensure_future(views.show(details, availability))
        for _ in range(200):  # until the offers are in: the first of the views filled
            if views.offers.rowCount():
                break
            await asyncio.sleep(0)
        assert views.offers.rowCount() and not views.availability.bars()
        views.clear("Loading the event…")
        await task
        for _ in range(20):
            await asyncio.sleep(0)

    run(steps())
    assert views.event_id is None
    assert views.offers.rowCount() == 0
    assert views.availability.bars() == []
    assert views.inventory.model().rowCount() == 0
    assert views.seat_map.layout_data is None and views.seat_map.message() == "Loading the event…"
