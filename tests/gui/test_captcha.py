"""The captcha web view: the sandbox's page solved in a real QtWebEngine view, token case kept."""

from __future__ import annotations

import asyncio
import re

from app.gui.captcha import solve_captcha
from tests.gui.windowkit import captcha_dialog, solve_shown_captcha

CAPTCHA_EVENT = "3B00C4A7C0DE0001"

def test_solving_the_captcha_gives_the_exact_token_and_the_reserve_succeeds(station, run, until, sandbox_control):
    from app.partner.models import ReserveRequest

    async def steps():
        solving = asyncio.ensure_future(
            solve_captcha(station.settings.captcha_page_url, lambda: station.counter.captcha_page(CAPTCHA_EVENT)))
        await solve_shown_captcha(until)
        token = await asyncio.wait_for(solving, 30)
        assert token and re.fullmatch(r"[0-9A-Za-z_\-]{20,}", token) and token != token.lower()
        details = await station.counter.event_details(CAPTCHA_EVENT)
        session = station.new_sale(CAPTCHA_EVENT)
        cart = await session.reserve(ReserveRequest.simple(details.tickets[0].id, 2), captcha_token=token)
        assert cart.cart_id
        await session.abandon()

    run(steps())
    assert sandbox_control.state()["held_carts"] == []


def test_cancelling_the_captcha_gives_no_token(station, run, until):
    async def steps():
        solving = asyncio.ensure_future(
            solve_captcha(station.settings.captcha_page_url, lambda: station.counter.captcha_page(CAPTCHA_EVENT)))
        dialog = await until(captcha_dialog, 30, "the captcha dialog")
        dialog.cancel_button.click()
        assert await asyncio.wait_for(solving, 10) is None

    run(steps())
