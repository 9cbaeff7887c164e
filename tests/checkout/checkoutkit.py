"""Helpers for the checkout tests: a station folder, a live sandbox, and a sale from start to end."""

from __future__ import annotations

import asyncio

import httpx

from app.checkout.station import BackendOverrides, Station
from app.partner.models import Address, BillingContact, CardDetails, ReserveRequest
from app.storage import StationPaths, StationStorage
from tests.browserkit import solve_captcha

TEST_EVENT = "000051048D991EE7"
CAPTCHA_EVENT = "3B00C4A7C0DE0001"
API_KEY = "sandbox-api-key"
GOOD_CARD = CardDetails(number="6011993200001006", cvv="123", expire_month=12, expire_year=2031, issuer="DISCOVER")
BAD_CVV_CARD = CardDetails(number="6011993200001006", cvv="999", expire_month=12, expire_year=2031, issuer="DISCOVER")
BUYER = BillingContact(
    first_name="Jo",
    last_name="Tester",
    email="jo@example.com",
    phone="212-867-5309",
    address=Address(line1="1 Main St", city="New York", country="US", region="NY", postal_code="10001"),
)


class Kit:
    """Opens stations on a temporary station folder against the test sandbox."""

    def __init__(self, sandbox, home) -> None:
        self.sandbox = sandbox
        self.home = home

    def storage(self) -> StationStorage:
        return StationStorage(StationPaths.under(self.home))

    def station(self, **options) -> Station:
        return Station(
            self.storage(), overrides=BackendOverrides(base_url=self.sandbox.base_url, api_key=API_KEY), **options
        )

    async def ticket_type(self, station: Station, event_id: str = TEST_EVENT) -> str:
        return (await station.availability(event_id)).offers[0].ticket_type_id

    async def reserve(self, sale, quantity: int = 2, ticket_type: str | None = None, **kwargs):
        ticket_type = ticket_type or await self.ticket_type_for(sale.event_id)
        return await sale.reserve(ReserveRequest.simple(ticket_type, quantity), **kwargs)

    async def ticket_type_for(self, event_id: str) -> str:
        async with httpx.AsyncClient() as http:
            answer = await http.get(
                f"{self.sandbox.partner_base}/events/{event_id}/availability", params={"apikey": API_KEY}
            )
        return answer.json()["event"]["tickets"][0]["offers"][0]["ticketTypeId"]

    async def sell(self, sale, quantity: int = 2, ticket_type: str | None = None):
        """The whole purchase: reserve, shipping, card payment, commit."""
        await self.reserve(sale, quantity, ticket_type=ticket_type)
        options = await sale.shipping_options()
        await sale.choose_shipping(options[0].id)
        await sale.pay_card(GOOD_CARD, BUYER)
        return await sale.commit()

    def solve_captcha(self, event_id: str) -> str:
        """A real token, got the way the captcha page gets one (whitelisted origin)."""
        return solve_captcha(self.sandbox.base_url, event_id)

    @staticmethod
    def partner_calls(log: list[dict]) -> list[tuple[str, str]]:
        """(method, path) of Partner API calls in the sandbox's request log, oldest first."""
        return [(r["method"], r["path"]) for r in log if r["path"].startswith("/partners/v1/")]

    @staticmethod
    async def wait_for(predicate, *, rounds: int = 300, step: float = 0.05) -> bool:
        """Let the loop run until ``predicate()`` holds (bounded); returns whether it did."""
        for _ in range(rounds):
            if predicate():
                return True
            await asyncio.sleep(step)
        return predicate()
