"""Shared steps of the sale-page tests: hold seats through the engine, open a SaleFlow. Typing into
the pages (card, buyer, address) uses the window tests' own steps in ``windowsteps``."""

from __future__ import annotations

from app.gui.sale.flow import SaleFlow
from app.gui.sale.receipt import SaleEvent
from app.partner.models import ReserveRequest
from windowsteps import TEST_EVENT as EVENT


async def reserve(station, quantity: int = 2):
    """A CheckoutSession holding ``quantity`` best-available seats on the test-purchase event."""
    availability = await station.availability(EVENT)
    offer = next(o for t in availability.tickets for o in t.offers)
    session = station.new_sale(EVENT, event_name="Test purchase event")
    await session.reserve(ReserveRequest.simple(offer.ticket_type_id, quantity))
    return session


def open_flow(qtbot, session, *, hide_row_seat: bool = False, member=None) -> SaleFlow:
    flow = SaleFlow(session, SaleEvent(EVENT, "Test purchase event", "Sat 5 Dec 2026, 19:30 EST",
                                       "Test Hall", hide_row_seat=hide_row_seat), member=member)
    qtbot.addWidget(flow)
    flow.resize(1200, 720)
    flow.show()
    flow.start()
    return flow


def payment_calls(sandbox_control) -> list[dict]:
    return [r for r in sandbox_control.log(limit=500) if r["path"].endswith("/cart/payment")]


def member_access_token(base_url: str) -> str:
    """Sign the sandbox's member in through its OAuth pages (as the browser would) → access token."""
    import re
    from urllib.parse import parse_qs, urlsplit

    import httpx

    redirect_uri = "http://localhost/oauth/callback"
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30) as http:
        page = http.get("/oauth/authorize", params={"client_id": "sandbox-client", "redirect_uri": redirect_uri,
                                                    "response_type": "code", "scope": "all", "state": "sale-test"})
        pending = re.search(r'name="pending" value="([^"]+)"', page.text).group(1)
        http.post("/oauth/signin", data={"pending": pending, "email": "member@example.com", "password": "sandbox"})
        answer = http.post("/oauth/consent", data={"pending": pending, "decision": "allow"})
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        tokens = http.post("/oauth/token", data={"grant_type": "authorization_code", "client_id": "sandbox-client",
                                                 "client_secret": "sandbox-secret", "code": code,
                                                 "redirect_uri": redirect_uri})
        return tokens.json()["access_token"]
