"""The sale pages show the core's rules, as the CLI applies them: the delivery a sale starts with
(``app.checkout.delivery``) and a card of a network the API does not take (``cardrules``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from app.checkout.cardrules import NOT_ACCEPTED
from tests.gui.sale.salekit import MOBILE_ENTRY, delivery_option, open_flow, payment_calls, reserve
from tests.gui.windowkit import fill_address, fill_buyer, fill_card, find


def test_the_cheapest_delivery_is_chosen_to_start_with(station, run, until, qtbot, sandbox_control):
    async def steps():
        flow = open_flow(qtbot, await reserve(station))
        # The test event offers e-ticket (free), post and will call: the free one is preselected.
        await until(lambda: flow.shipping.accepted_id is not None, what="a delivery chosen")
        button, free_id = await delivery_option(flow, until, MOBILE_ENTRY)
        assert flow.shipping.accepted_id == free_id and button.isChecked()
        assert find(flow, "shippingNextButton", QPushButton).isEnabled()
        chosen = [r for r in sandbox_control.log(limit=500) if r["method"] == "PUT" and r["path"].endswith("/shipping")]
        assert len(chosen) == 1  # chosen once, by the flow, before the cashier did anything

    run(steps())


def test_a_diners_card_is_refused_at_its_field(station, run, until, qtbot, sandbox_control):
    async def steps():
        flow = open_flow(qtbot, await reserve(station))
        await until(lambda: flow.shipping.accepted_id is not None, what="a delivery chosen")
        find(flow, "shippingNextButton", QPushButton).click()
        await until(lambda: flow.stack.currentWidget() is flow.payment, what="payment page")
        fill_card(qtbot, flow, number="30569309025904")
        fill_buyer(qtbot, flow)
        fill_address(qtbot, flow)
        assert "not accepted here" in find(flow, "cardIssuer", QLabel).text()
        pay = find(flow, "payButton", QPushButton)
        assert not pay.isEnabled()
        pay.click()
        assert find(flow, "cardNumberError", QLabel).text() == NOT_ACCEPTED
        assert payment_calls(sandbox_control) == []

    run(steps())
