"""Failures against the live sandbox: niterun, hold expiry, declines, missing payment fields,
transient 502/504, commits whose answer is lost, closed ports."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.partner.errors import (
    Action,
    ConnectionLost,
    InsufficientFunds,
    InvalidCart,
    InvalidInput,
    InvalidSecurityCode,
    Niterun,
    PaymentDeclined,
    RequestTimeout,
    ServiceUnavailable,
    ServiceUnreachable,
    UpstreamConnectionError,
    UpstreamError,
    UpstreamTimeout,
)
from app.partner.models import CardDetails
from tests.partner.partnerkit import CONTACT, TEST_CARD, TEST_EVENT, client_for, pay_and_commit, reserve_two, run


def _partner_log(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(limit=1000) if r["path"].startswith("/partners/v1")]


def test_niterun_is_its_own_error(config, sandbox_control):
    sandbox_control.scenario(niterun=True)

    async def scenario():
        async with client_for(config) as client:
            with pytest.raises(Niterun) as caught:
                await client.availability(TEST_EVENT, fresh=True)
            return caught.value

    error = run(scenario())
    assert isinstance(error, ServiceUnavailable) and error.code == 20001 and error.http_status == 503
    assert error.retryable and "2 a.m." in error.user_message


def test_niterun_follows_the_event_time_zone(config, sandbox_control):
    # 00:30 in Los Angeles is 08:30 in London: only the Los Angeles event is in maintenance.
    today = datetime.now(UTC).date().isoformat()
    sandbox_control.scenario(now=f"{today}T08:30:00+00:00")

    async def scenario():
        async with client_for(config) as client:
            london = await client.availability("1AeZZfEGkD0xtGV", fresh=True)
            with pytest.raises(Niterun):
                await client.availability(TEST_EVENT, fresh=True)
            return london

    assert run(scenario()).tickets


def test_an_expired_hold_is_invalid_cart(config, sandbox_control, clock_base):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            sandbox_control.scenario(clock_offset_seconds=clock_base + cart.hold_time + 5)
            with pytest.raises(InvalidCart) as caught:
                await client.shipping_options(TEST_EVENT, cart.cart_id)
            return caught.value

    error = run(scenario())
    assert error.action is Action.START_OVER
    assert sandbox_control.state()["held_carts"] == []


@pytest.mark.parametrize("card, error_type", [
    (CardDetails("4000000000000002", "123", 12, 2030, "VISA"), PaymentDeclined),
    (CardDetails("4000000000009995", "123", 12, 2030, "VISA"), InsufficientFunds),
    (CardDetails("6011993200001006", "999", 12, 2030, "DISCOVER"), InvalidSecurityCode),
])
def test_decline_codes(config, card, error_type):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            with pytest.raises(error_type) as caught:
                await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, card, CONTACT, cart.unpaid)
            # The cart survives a decline: another card can still pay for it.
            paid = await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, TEST_CARD, CONTACT, cart.unpaid)
            return caught.value, paid

    error, paid = run(scenario())
    assert error.action is Action.FIX_INPUT and "card" in error.user_message.lower()
    assert paid.unpaid == Decimal("0")


def test_scenario_decline_of_the_next_payment(config, sandbox_control):
    sandbox_control.scenario(next_payment_decline=20129)

    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            with pytest.raises(InsufficientFunds):
                await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, TEST_CARD, CONTACT, cart.unpaid)

    run(scenario())


def test_missing_required_payment_fields_are_named(config, sandbox_control):
    sandbox_control.scenario(required_payment_fields=["first_name", "home_phone", "email_address"])
    contact = replace(CONTACT, phone="")

    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            with pytest.raises(InvalidInput) as caught:
                await client.payments.add_card_payment(TEST_EVENT, cart.cart_id, TEST_CARD, contact, cart.unpaid)
            return caught.value

    error = run(scenario())
    assert error.missing_fields == ("home_phone",)
    assert "home phone" in error.user_message


def test_transient_errors_on_reads_are_retried_then_reported(config, sandbox_control):
    sandbox_control.scenario(transient_error_rate=1.0)
    waits = []

    async def no_wait(seconds):
        waits.append(seconds)

    async def scenario():
        async with client_for(config, sleep=no_wait) as client:
            with pytest.raises(UpstreamError) as caught:
                await client.events()
            return caught.value

    error = run(scenario())
    assert isinstance(error, (UpstreamConnectionError, UpstreamTimeout)) and error.retryable
    assert not error.outcome_unknown
    assert len(_partner_log(sandbox_control)) == 1 + config.transient_retries and waits == [0.5, 1.0]


@pytest.mark.parametrize("fault, error_type", [("drop", ConnectionLost), ("502", UpstreamConnectionError),
                                               ("504", UpstreamTimeout)])
def test_a_commit_whose_answer_is_lost_is_never_repeated(config, sandbox_control, fault, error_type):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            sandbox_control.scenario(commit_fault=fault)
            with pytest.raises(error_type) as caught:
                await pay_and_commit(client, TEST_EVENT, cart)
            with pytest.raises(InvalidCart):  # a second commit of a committed cart is refused
                await client.commit(TEST_EVENT, cart.cart_id)
            return caught.value

    error = run(scenario())
    assert error.outcome_unknown
    commits = [r for r in _partner_log(sandbox_control) if r["method"] == "PUT" and r["path"].endswith("/cart")]
    assert len(commits) == 2  # the faulted one and the explicit second try: the client added none
    assert len(sandbox_control.state()["orders"]) == 1


def test_closed_port_is_service_unreachable(config):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = replace(config, partner_base_url=f"http://127.0.0.1:{port}/partners/v1")

    async def scenario():
        async with client_for(closed) as client:
            with pytest.raises(ServiceUnreachable) as caught:
                await client.events()
            return caught.value

    error = run(scenario())
    assert not error.outcome_unknown and error.retryable
    assert "127.0.0.1" in error.user_message


def test_an_answer_that_never_comes_is_a_timeout_in_doubt(config, sandbox_control):
    impatient = replace(config, timeout=0.5)

    async def scenario():
        async with client_for(impatient) as client:
            sandbox_control.scenario(latency_ms=3000)
            with pytest.raises(RequestTimeout) as caught:
                await client.events()
            return caught.value

    error = run(scenario())
    assert error.outcome_unknown and error.retryable and "may or may not" in error.user_message
