"""Every endpoint against the live sandbox: what the client returns and what the sandbox recorded."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.partner.errors import (
    CaptchaRequired,
    InvalidApiKey,
    InvalidCaptcha,
    InvalidCart,
    InvalidDeliveryMethod,
    NoInventory,
    NotApiTransactable,
    NotFound,
    UnpaidBalance,
)
from app.partner.models import ReserveRequest
from tests.browserkit import solve_captcha
from tests.partner.partnerkit import (
    CAPTCHA_EVENT,
    CONTACT,
    PURCHASE_EVENT,
    TEST_EVENT,
    client_for,
    first_offer,
    json_shape,
    pay_and_commit,
    reserve_two,
    run,
)


def test_a_whole_purchase_touches_every_sale_endpoint(config, sandbox_control, vectors_dir):
    exchanges = []

    async def scenario():
        async with client_for(config, on_exchange=exchanges.append) as client:
            events = await client.events()
            assert {e.event_id for e in events} >= {PURCHASE_EVENT, TEST_EVENT}
            assert len({e.time_zone for e in events}) >= 3
            summary = next(e for e in events if e.event_id == TEST_EVENT)
            assert await client.event_id_for(summary.event_code, summary.event_host) == TEST_EVENT
            details = await client.event_details(TEST_EVENT)
            assert details.time_zone == "America/Los_Angeles" and details.currency == "USD"
            assert details.tickets and details.tickets[0].id.isalnum()
            cart = await reserve_two(client)
            assert cart.num_seats == 2 and cart.hold_time and cart.cart_id
            result = await pay_and_commit(client, TEST_EVENT, cart)
            order = await client.order(result.order_token)
            unredeemed = await client.unredeemed_orders(days_from_purchase=30)
            gif = await client.tracking(TEST_EVENT, shared_id="1", sub_id1="3")
            return cart, result, order, unredeemed, gif

    cart, result, order, _unredeemed, gif = run(scenario())
    assert result.order_number and result.order_token and result.grand_total == cart.totals.grand
    assert isinstance(result.grand_total, Decimal)
    assert order.order_number == result.order_number and len(order.tickets) == 2
    assert order.customer_email == CONTACT.email
    assert gif.startswith(b"GIF")
    state = sandbox_control.state()
    assert [o["order_number"] for o in state["orders"]] == [result.order_number]
    assert state["held_carts"] == []

    sent = {e.operation: e.request_json for e in exchanges}
    assert json_shape(sent["select shipping"]) == json_shape(
        json.loads((vectors_dir / "shipping-select.request.json").read_text())
    )
    assert sent["reserve"] == {"reserve": {"tickets": [sent["reserve"]["reserve"]["tickets"][0]]}}
    payment_vector = json.loads((vectors_dir / "payment-card.request.json").read_text())
    assert set(sent["card payment"]["payment"]) == set(payment_vector["payment"])
    assert set(sent["card payment"]["payment"]["card"]) == set(payment_vector["payment"]["card"])


def test_a_purchase_with_a_warm_certificate_makes_exactly_five_calls(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            await client.payments.certificate()
            offer = await first_offer(client, TEST_EVENT)
            before = len(sandbox_control.log(limit=1000))
            cart = await client.reserve(TEST_EVENT, ReserveRequest.simple(offer.ticket_type_id, 1))
            await pay_and_commit(client, TEST_EVENT, cart)
            return before

    before = run(scenario())
    calls = [
        (r["method"], r["path"].split("/partners/v1")[-1])
        for r in sandbox_control.log(limit=1000)[before:]
        if r["path"].startswith("/partners/v1")
    ]
    assert calls == [
        ("POST", f"/events/{TEST_EVENT}/cart"),
        ("GET", f"/events/{TEST_EVENT}/cart/shipping"),
        ("PUT", f"/events/{TEST_EVENT}/cart/shipping"),
        ("PUT", f"/events/{TEST_EVENT}/cart/payment"),
        ("PUT", f"/events/{TEST_EVENT}/cart"),
    ]


def test_hidden_and_badly_set_up_events(config):
    async def scenario():
        async with client_for(config) as client:
            listed = {e.event_id for e in await client.events()}
            hidden = await client.event_details("3B00HIDDEN000003")
            no_onsale = await client.event_details("3B00NOONSALE0004")
            return listed, hidden, no_onsale

    listed, hidden, no_onsale = run(scenario())
    assert "3B00HIDDEN000003" not in listed and hidden.event_id == "3B00HIDDEN000003"
    assert no_onsale.onsale is None and no_onsale.name


def test_not_api_transactable_points_to_ticketmaster(config):
    async def scenario():
        async with client_for(config) as client:
            details = await client.event_details("3B00NOAPI0000002")
            assert details.api_transactable is False
            assert details.ticketmaster_url.endswith("/event/3B00NOAPI0000002")
            await client.reserve("3B00NOAPI0000002", ReserveRequest.simple(details.tickets[0].id, 1))

    with pytest.raises(NotApiTransactable) as caught:
        run(scenario())
    assert caught.value.ticketmaster_url == "https://www.ticketmaster.com/event/3B00NOAPI0000002"
    assert "ticketmaster.com" in caught.value.user_message


def test_captcha_required_then_wrong_token_then_solved(config, fresh_sandbox, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            info = await client.captcha(CAPTCHA_EVENT)
            page = await client.captcha_page(CAPTCHA_EVENT)
            assert info.required and info.site_key and page.required and page.site_key == info.site_key
            assert "<html" in page.html.lower()
            offer = await first_offer(client, CAPTCHA_EVENT)
            request = ReserveRequest.simple(offer.ticket_type_id, 1)
            with pytest.raises(CaptchaRequired):
                await client.reserve(CAPTCHA_EVENT, request)
            with pytest.raises(InvalidCaptcha):
                await client.reserve(CAPTCHA_EVENT, request, captcha_token="03AwrongWrongWrongToken")
            token = solve_captcha(fresh_sandbox.base_url, CAPTCHA_EVENT)
            cart = await client.reserve(CAPTCHA_EVENT, request, captcha_token=token)
            with pytest.raises(InvalidCaptcha):  # tokens are single-use
                await client.reserve(CAPTCHA_EVENT, request, captcha_token=token)
            return cart

    cart = run(scenario())
    assert [c["cart_id"] for c in sandbox_control.state()["held_carts"]] == [cart.cart_id]


def test_wrong_api_key_is_told_apart_from_a_captcha(config, sandbox_control):
    from dataclasses import replace

    bad = replace(config, api_key="not-the-key")

    async def scenario():
        async with client_for(bad) as client:
            with pytest.raises(InvalidApiKey) as on_events:
                await client.events()
            with pytest.raises(InvalidApiKey):
                await client.reserve(CAPTCHA_EVENT, ReserveRequest.simple("000001040006", 1))
            return on_events.value

    error = run(scenario())
    assert "API key" in error.user_message and error.action.name == "CHECK_SETTINGS"


def test_shipping_choice_and_bad_delivery_method(config):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            options = await client.shipping_options(TEST_EVENT, cart.cart_id)
            with pytest.raises(InvalidDeliveryMethod):
                await client.select_shipping(TEST_EVENT, cart.cart_id, "999")
            priced = max(options, key=lambda o: o.fee)
            chosen = await client.select_shipping(TEST_EVENT, cart.cart_id, priced.id)
            return cart, priced, chosen

    cart, priced, chosen = run(scenario())
    assert priced.fee > 0
    assert chosen.totals.delivery == priced.fee
    assert chosen.totals.grand == cart.totals.grand + priced.fee


def test_delete_cart_releases_seats_and_is_idempotent(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            assert sandbox_control.state()["held_carts"]
            first = await client.delete_cart(TEST_EVENT, cart.cart_id)
            second = await client.delete_cart(TEST_EVENT, cart.cart_id)
            with pytest.raises(InvalidCart):
                await client.shipping_options(TEST_EVENT, cart.cart_id)
            return first, second

    assert run(scenario()) == (True, False)
    assert sandbox_control.state()["held_carts"] == []


def test_exact_places_and_no_inventory(config):
    async def scenario():
        async with client_for(config) as client:
            availability = await client.availability(TEST_EVENT, fresh=True)
            ticket = next(t for t in availability.tickets if t.inventory)
            row = next(r for r in ticket.inventory if len(r.places) >= 3)
            places = row.places[:2]
            request = ReserveRequest.simple(
                ticket.offers[0].ticket_type_id, 2, places=places, accept_best_available=False
            )
            cart = await client.reserve(TEST_EVENT, request)
            with pytest.raises(NoInventory):
                await client.reserve(TEST_EVENT, request)
            return row, cart

    row, cart = run(scenario())
    item = cart.items[0]
    assert (item.section, item.row) == (row.section, row.row)
    assert (item.start_seat, item.end_seat) == row.seats[:2]


def test_general_admission_and_orders_without_barcodes(config):
    async def scenario():
        async with client_for(config) as client:
            ga = await client.availability("3B00GENADMIT0006", fresh=True)
            assert ga.tickets and all(not row.seats for t in ga.tickets for row in t.inventory)
            cart = await reserve_two(client, "3B00NOBARCODE005")
            result = await pay_and_commit(client, "3B00NOBARCODE005", cart)
            return result, await client.order(result.order_token)

    result, order = run(scenario())
    assert order.tickets and all(t.barcode_id is None for t in order.tickets)
    assert result.tm_app_url is None  # no barcodes, no Ticketmaster-app link


def test_an_order_lookup_keeps_every_documented_ticket_field(config):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client, PURCHASE_EVENT)
            result = await pay_and_commit(client, PURCHASE_EVENT, cart)
            return result, await client.order(result.order_token)

    result, order = run(scenario())
    assert result.tm_app_url and result.tm_app_url.startswith("ticketmaster://")
    assert len(order.tickets) == 2
    for ticket in order.tickets:
        assert ticket.distance_charge == Decimal("0") and isinstance(ticket.distance_charge, Decimal)
        assert ticket.is_national_vip is False
        assert ticket.event_code and ticket.event_host and ticket.seat_id and ticket.barcode_id


def test_stadium_availability_is_parsed_whole(config):
    async def scenario():
        async with client_for(config) as client:
            return await client.availability("3B00STADIUM00007", fresh=True)

    stadium = run(scenario())
    rows = [row for t in stadium.tickets for row in t.inventory]
    assert sum(t.total for t in stadium.tickets) >= 60000
    assert sum(len(r.seats) for r in rows) == sum(t.available for t in stadium.tickets) > 0
    assert len({r.section for r in rows}) >= 100


def test_commit_before_paying_and_unknown_events_are_plain_errors(config):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            with pytest.raises(UnpaidBalance) as unpaid:
                await client.commit(TEST_EVENT, cart.cart_id)
            with pytest.raises(NotFound):
                await client.event_details("3B00DOESNOTEXIST")
            return unpaid.value

    assert "not fully paid" in run(scenario()).user_message
