"""The events list keeps its width on the confirmation page, whatever the redemption link's token: a
token the line breaker cannot split (``4296-00e4Z4Q9GTOiyfNKbevqNPJgLVmH``: no break after a hyphen
before a digit) made the page push the window's splitter, and the list jumped narrower for that
sale only (seen at 1366×768)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QLabel

from tests.gui.windowkit import (
    choose_delivery,
    fill_payment,
    find,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
)
from tests.sandbox.sandboxkit import TEST_PURCHASE

# Tokens of the sandbox's shape; the first has a 33-character run no line breaker splits.
TOKENS = ("c686f9c0-4296-00e4Z4Q9GTOiyfNKbevqNPJgLVmH", "5bf1b364-74a2-d4e3VJfOmhKrSG7QgIlmpVYuCmau", "x" * 90)


@pytest.mark.parametrize("token", TOKENS)
def test_the_events_list_keeps_its_width_whatever_the_token(window, run, until, qtbot, qapp, token):
    async def sell():
        await open_event_by_search(window, qtbot, until, "Sandbox Test", TEST_PURCHASE)
        await reserve_best_available(window, qtbot, until, 2)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, window.sale_flow)
        await pay_and_commit(window, qtbot, until)

    run(sell())
    page = window.sale_flow.confirmation
    shown = page.receipt
    base = shown.redemption_url.split("?token=")[0]

    def show(url: str) -> int:
        page.show_receipt(dataclasses.replace(shown, redemption_url=url))
        qtbot.wait(50)  # the layout request reaches the splitter
        return page.minimumSizeHint().width()

    # The same length split every other character: the same QR code size, the narrowest text.
    narrowest = show(f"{base}?token={'a-' * (len(token) // 2)}")
    width = window.splitter.sizes()[0]
    url = f"{base}?token={token}"
    assert show(url) <= narrowest
    assert window.splitter.sizes()[0] == width
    assert f'href="{url}"' in find(page, "redemptionLink", QLabel).text()  # the link itself is whole
