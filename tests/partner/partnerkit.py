"""Helpers for the client's live tests: sale data, a purchase in steps, a captcha solved like a person."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from app.partner import PartnerClient, PartnerConfig
from app.partner.models import Address, BillingContact, CardDetails, ReserveRequest

TEST_EVENT = "2000527EE48A9334"
PURCHASE_EVENT = "000051048D991EE7"
CAPTCHA_EVENT = "3B00C4A7C0DE0001"
CONTACT = BillingContact("Ada", "Lovelace", "ada@example.com", "212-867-5309",
                         Address("1 Main Street", "", "", "New York", "US", "NY", "10001"))
TEST_CARD = CardDetails("6011993200001006", "123", 12, 2030, "DISCOVER")


def json_shape(obj):
    """A JSON value's shape: its keys all the way down, lists by their first item, no values."""
    if isinstance(obj, dict):
        return {k: json_shape(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [json_shape(obj[0])] if obj else []
    return None


def run(coro):
    return asyncio.run(coro)


def client_for(config: PartnerConfig, **kwargs) -> PartnerClient:
    return PartnerClient(config, **kwargs)


async def first_offer(client: PartnerClient, event_id: str):
    availability = await client.availability(event_id, fresh=True)
    return next(o for t in availability.tickets for o in t.offers if t.available)


async def reserve_two(client: PartnerClient, event_id: str = TEST_EVENT, **kwargs):
    offer = await first_offer(client, event_id)
    return await client.reserve(event_id, ReserveRequest.simple(offer.ticket_type_id, 2), **kwargs)


async def pay_and_commit(client: PartnerClient, event_id: str, cart) -> object:
    options = await client.shipping_options(event_id, cart.cart_id)
    cart = await client.select_shipping(event_id, cart.cart_id, options[0].id)
    cart = await client.payments.add_card_payment(event_id, cart.cart_id, TEST_CARD, CONTACT, cart.unpaid)
    assert cart.unpaid == Decimal("0")
    return await client.commit(event_id, cart.cart_id)


