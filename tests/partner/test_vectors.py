"""Every documented response example parses into the models without losing a value, and the
bodies the client builds carry exactly the documented keys."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.partner import bodies
from app.partner.cardcrypto import EncryptedCard
from app.partner.errormap import error_from_response
from app.partner.errors import InvalidInput
from app.partner.models import (
    Address,
    Availability,
    BillingContact,
    BillingMethod,
    CaptchaInfo,
    CardDetails,
    Cart,
    CommitResult,
    EncryptionCertificate,
    EventDetails,
    EventSummary,
    MemberInfo,
    Order,
    PollingAnswer,
    ReserveRequest,
    ServerError,
    ShippingOption,
    TicketRequest,
    TokenSet,
    UnredeemedOrder,
    WalletToken,
    event_id_from_json,
)
from tests.partner.partnerkit import json_shape

PARSERS = {
    "availability.response.json": Availability.from_json,
    "captcha.response.json": CaptchaInfo.from_json,
    "certificate.response.json": EncryptionCertificate.from_json,
    "commit.response.json": CommitResult.from_json,
    "error.response.json": ServerError.from_json,
    "event-details.response.json": EventDetails.from_json,
    "event-id.response.json": event_id_from_json,
    "events-inventory.response.json": EventSummary.list_from_json,
    "member-billing-add.response.json": lambda d: BillingMethod.from_json(d["billing_method"]),
    "member-billing-list.response.json": BillingMethod.list_from_json,
    "oauth-info.response.json": MemberInfo.from_json,
    "oauth-refresh.response.json": TokenSet.from_json,
    "oauth-token.response.json": TokenSet.from_json,
    "order.response.json": Order.from_json,
    "polling.response.json": PollingAnswer.from_json,
    "reserve.response.json": Cart.from_json,
    "shipping-options.response.json": ShippingOption.list_from_json,
    "unredeemed-orders.response.json": UnredeemedOrder.list_from_json,
    "wallet-token.response.json": WalletToken.from_json,
}

# Documented keys the models deliberately do not carry (descriptive extras with no use in a sale);
# EventDetails and Order keep the whole answer in ``raw`` for them.
NOT_MODELLED = {
    "event-details.response.json": ("artists", "promoter", "publication", "statuses", "type",
                                    "facility_fee_rollup", "service_fee_rollup", "purchase_organization",
                                    "event_image.height", "event_image.width", "venue.markets",
                                    "price_range.min.face_value", "price_range.min.fees",
                                    "price_range.max.face_value", "price_range.max.fees", "presales.value"),
    "member-billing-list.response.json": ("address.country.standard", "card.type"),
    "wallet-token.response.json": ("billing_address",),
    "error.response.json": (),
}


def _norm(value):
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float, Decimal)):
        return ("n", Decimal(str(value)).normalize())
    return ("s", str(value))


def _vector_leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _vector_leaves(v, (*path, k))
    elif isinstance(obj, list):
        for v in obj:
            yield from _vector_leaves(v, path)
    elif obj is not None:
        yield ".".join(path), obj


def _model_values(obj, out):
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name != "raw":
                _model_values(getattr(obj, f.name), out)
    elif isinstance(obj, (tuple, list)):
        for v in obj:
            _model_values(v, out)
    elif isinstance(obj, datetime):
        utc = obj.astimezone(UTC)
        out.add(("s", utc.strftime("%Y-%m-%dT%H:%M:%SZ")))
        out.add(("n", Decimal(round(utc.timestamp() * 1000)).normalize()))
    elif isinstance(obj, str):
        out.add(("s", obj))
        if obj.isdigit() or obj.replace(".", "", 1).isdigit():
            out.add(("n", Decimal(obj).normalize()))
    elif obj is not None:
        out.add(_norm(obj))
    return out


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_documented_value_survives_parsing(vectors_dir: Path, name: str):
    data = json.loads((vectors_dir / name).read_text())
    model = PARSERS[name](data)
    values = _model_values(model, set()) if not isinstance(model, str) else {("s", model)}
    skipped = NOT_MODELLED.get(name, ())
    lost = [(path, value) for path, value in _vector_leaves(data)
            if not any(f".{s}." in f".{path}." for s in (*skipped, "format"))
            and _norm(value) not in values]
    assert not lost, f"{name}: values lost while parsing: {lost[:10]}"


def test_all_response_vectors_have_a_parser(vectors_dir: Path):
    assert {p.name for p in vectors_dir.glob("*.response.json")} == set(PARSERS)


def test_ids_stay_strings_and_money_is_decimal(vectors_dir: Path):
    load = lambda n: json.loads((vectors_dir / n).read_text())  # noqa: E731
    details = EventDetails.from_json(load("event-details.response.json"))
    assert details.tickets[0].id == "000042800007"
    assert details.time_zone == "America/New_York"
    assert details.onsale == datetime(2015, 9, 11, 14, tzinfo=UTC)
    assert details.local_start.utcoffset().total_seconds() == -5 * 3600
    assert {p.id: p.amounts for p in details.prices}["10"] == (Decimal("75.0"),)
    assert details.url == "http://ticketmaster.com/event/1D004F240CEB4BDE"
    assert [n.type for n in details.notes] == ["webinfo"] and details.notes[0].text.startswith("The night of")
    chart = details.venue.seating_chart
    assert chart is not None and chart.location.endswith("/41248s.gif") and (chart.width, chart.height) == (670, 410)
    assert chart.name == "End Stage"

    availability = Availability.from_json(load("availability.response.json"))
    offer = availability.tickets[0].offers[0]
    assert offer.ticket_type_id == "00000405000C"
    assert offer.face_value == Decimal("25.0") and offer.total_per_ticket == Decimal("28.0")
    first_row = availability.tickets[0].inventory[0]
    assert first_row.seats == ("2", "4", "6", "8")
    assert first_row.seat_places[0] == ("2", "INGEEMRQHE5E2ORRG4")
    assert availability.tickets[1].inventory[0].areas[0].area_id == "10"

    cart = Cart.from_json(load("reserve.response.json"))
    assert cart.cart_id.endswith("Qo=") and cart.hold_time == 299
    assert cart.items[0].tickets[0].id == "000002040006"
    assert cart.totals.grand == Decimal("25") and cart.unpaid == Decimal("25")
    assert cart.currency == "USD"  # from the item totals when the cart totals carry none

    summary = EventSummary.list_from_json(load("events-inventory.response.json"))[0]
    assert summary.local_start.isoformat() == "2015-07-26T18:30:00-07:00"
    assert summary.offers[0].ticket_type == "00004C440003"

    order = Order.from_json(load("order.response.json"))
    assert order.tickets[0].barcode_id == "8819624561542398"
    assert order.order_number == "29-16792/PHX"
    ticket = order.tickets[0]  # every documented ticket field is kept, not only the ones a sale needs
    assert ticket.distance_charge == Decimal("0") and isinstance(ticket.distance_charge, Decimal)
    assert ticket.is_national_vip is False and ticket.portal == "USE WEST GATES"
    assert CommitResult.from_json(load("commit.response.json")).grand_total == Decimal("57.39")


def test_absent_keys_are_tolerated():
    details = EventDetails.from_json({"event": {"id": "3B00NOONSALE0004", "name": "No onsale"}})
    assert details.onsale is None and details.tickets == () and details.api_transactable is True
    order = Order.from_json({"tickets": [{"order_number": "1-2/X", "seat_name": 16, "upgrade_tier": "gold"}],
                             "loyalty": {"points": 3}})  # keys nobody documented: tolerated, kept in raw
    assert order.tickets[0].barcode_id is None and order.tickets[0].seat_name == "16"
    assert order.tickets[0].distance_charge is None and order.tickets[0].is_national_vip is False
    assert order.raw["loyalty"] == {"points": 3}
    assert Cart.from_json({}, cart_id="abc").cart_id == "abc"
    assert Availability.from_json({}).tickets == ()
    assert ShippingOption.list_from_json({"shipping_options": [{"id": 4}]})[0].id == "4"


CONTACT = BillingContact("John", "Doe", "john.doe@example.com", "212-867-5309",
                         Address("123 Main Street", "", "1h", "Los Angeles", "US", "CA", "90210"))
CARD = CardDetails("6011993200001006", "123", 12, 2030, "DISCOVER")
ENCRYPTED = EncryptedCard(number="bnVtYmVy", cin="Y2lu", encryption_key="paysys-dev.0.us.3", last4="1006")


def test_reserve_request_matches_the_documentedjson_shape(vectors_dir: Path):
    documented = json.loads((vectors_dir / "reserve.request.json").read_text())
    request = ReserveRequest(
        tickets=(TicketRequest("000002040006", 1, price_level_id="3", price_amount=Decimal("50.0")),),
        area_ids=("2",), places=("INGEEMRQHE5E2ORRG4", "INGEEMRQHE5E2ORRGA"), section="CLB239", row="C",
        begin_seat="17", end_seat="18", accept_best_available=False)
    assert request.to_json(documented["token"]) == documented
    assert ReserveRequest.from_json(documented).to_json(documented["token"]) == documented
    # Only id and quantity are required; the token is absent without a captcha.
    assert ReserveRequest.simple("000002040006", 2).to_json() == {
        "reserve": {"tickets": [{"id": "000002040006", "quantity": 2}]}}


@pytest.mark.parametrize(
    "vector, built",
    [
        ("payment-card.request.json", lambda: bodies.card_payment("c", CARD, ENCRYPTED, CONTACT, Decimal("69"))),
        ("payment-member.request.json", lambda: bodies.member_payment("c", "70561111", ENCRYPTED, Decimal("119"))),
        (
            "payment-wallet.request.json",
            lambda: bodies.wallet_payment(
                "c",
                "wallet-wallet-442d",
                "123",
                BillingContact(
                    "John",
                    "Doe",
                    "j@example.com",
                    "212-867-5309",
                    Address("123 Main Street", "", "", "", "US", "CA", ""),
                ),
                Decimal("69"),
            ),
        ),
        (
            "member-billing-add.request.json",
            lambda: bodies.member_billing_method(
                "c",
                CARD,
                ENCRYPTED,
                BillingContact(
                    "Jon",
                    "Bastin",
                    "",
                    "555-555-5555",
                    Address("123 My Street", "testadd2", "1234", "Los Angeles", "US", "CA", "90210"),
                ),
            ),
        ),
        ("wallet-token.request.json", lambda: bodies.wallet_token_request(CARD, CONTACT)),
        (
            "commit.request.json",
            lambda: bodies.commit(
                "c",
                source_account_id="30f8",
                tracking={"shared_id": "1", "sub_id1": "3", "sub_id2": "4", "sub_id3": "5"},
                images={"email_1x": "u", "1x": "u", "web_1x": "u"},
            ),
        ),
    ],
)
def test_request_bodies_have_the_documented_keys(vectors_dir: Path, vector, built):
    documented = json.loads((vectors_dir / vector).read_text())
    assert json_shape(built()) == json_shape(documented)


def test_payment_amount_is_a_two_decimal_string():
    assert bodies.card_payment("c", CARD, ENCRYPTED, CONTACT, Decimal("69"))["payment"]["amount"] == "69.00"
    assert bodies.amount_text(Decimal("57.385")) == "57.39"
    with pytest.raises(InvalidInput):
        bodies.invoice_payment("c", "INV-1", CONTACT, Decimal("1"))


@pytest.mark.parametrize("network, code", [("VISA", "VISA"), ("MASTERCARD", "MC"), ("MC", "MC"), ("AMEX", "AMEX"),
                                           ("DISCOVER", "DISCOVER")])
def test_the_card_issuer_is_sent_as_the_documented_code(network, code):
    card = replace(CARD, issuer=network)
    assert bodies.card_payment("c", card, ENCRYPTED, CONTACT, Decimal("1"))["payment"]["card"]["issuer"] == code
    assert bodies.member_billing_method("c", card, ENCRYPTED, CONTACT)["billing_method"]["card"]["issuer"] == code


@pytest.mark.parametrize("network", ["DINERS", "JCB", None, ""])
def test_a_card_of_another_network_is_never_put_in_a_body(network):
    card = replace(CARD, issuer=network)
    with pytest.raises(InvalidInput):
        bodies.card_payment("c", card, ENCRYPTED, CONTACT, Decimal("1"))
    with pytest.raises(InvalidInput):
        bodies.member_billing_method("c", card, ENCRYPTED, CONTACT)


def test_documented_error_body_maps_to_its_type(vectors_dir: Path):
    error = error_from_response(400, json.loads((vectors_dir / "error.response.json").read_text()))
    assert isinstance(error, InvalidInput) and error.code == 10002 and error.http_status == 400
    assert error.server_message == "Invalid input data type"


def test_a_later_cart_answer_reads_its_own_items_whatever_the_earlier_one_held(vectors_dir):
    reserved = Cart.from_json(json.loads((vectors_dir / "reserve.response.json").read_text()))
    again = {"cart": dict(reserved.raw["cart"], totals={"grand": 30, "currency_code": "USD"})}
    same = Cart.from_json(again, cart_id=reserved.cart_id, earlier=reserved)
    assert same.items == reserved.items and same.totals.grand == Decimal("30")
    changed_item = dict(reserved.raw["cart"]["items"][0], row="ZZ", num_seats=5)
    changed = Cart.from_json({"cart": dict(reserved.raw["cart"], items=[changed_item])}, cart_id=reserved.cart_id,
                             earlier=reserved)
    assert changed.items[0].row == "ZZ" and changed.items[0].num_seats == 5
    assert changed.items == Cart.from_json({"cart": {"items": [changed_item]}}).items
    assert Cart.from_json({"cart": {"totals": {"grand": 1}}}, earlier=reserved).items == ()  # no items: none
