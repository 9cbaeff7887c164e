"""Cash at the counter (``app.checkout.cash``, ``paymentform.check_cash_form``, ``session.pay_cash``):
the amount received read and checked once for the window and the CLI, and a cash sale against the
sandbox paid as the documented INVOICE payment whose reference is the receipt number."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from app.checkout.cash import cash_summary, change_due, quick_amounts, read_tendered, tendered_error
from app.checkout.errors import CashNotEnough
from app.checkout.paymentform import CashForm, check_cash_form
from app.checkout.shifts import totals
from app.checkout.states import CheckoutState as S
from tests.checkout.checkoutkit import BUYER, TEST_EVENT


@pytest.mark.parametrize(("typed", "amount"), [
    ("100", Decimal("100")), (" 87.5 ", Decimal("87.5")), ("87.50", Decimal("87.50")), ("1,000.00", Decimal("1000")),
    ("USD 20", Decimal("20")), ("20.", Decimal("20")), (".50", Decimal("0.50")),
])
def test_amounts_a_cashier_types_are_read(typed, amount):
    assert read_tendered(typed, "USD") == amount


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "10,00", "1,00,000", "5e3", "$", "12.3.4"])
def test_what_is_not_an_amount_is_refused(typed):
    assert read_tendered(typed, "USD") is None


def test_yen_take_no_decimals():
    assert read_tendered("1200", "JPY") == Decimal(1200)
    assert read_tendered("1200.5", "JPY") is None
    assert tendered_error("1200.5", Decimal(1000), "JPY") == "Type the amount received in figures, like 1200."


def test_the_field_says_what_is_wrong_in_words():
    due = Decimal("87.66")
    assert tendered_error("", due, "USD") == "Enter the amount the buyer handed over."
    assert tendered_error("ten", due, "USD") == "Type the amount received in figures, like 100 or 87.50."
    assert tendered_error("85.32", due, "USD") == "That is USD 2.34 short of the USD 87.66 due."
    assert tendered_error("87.66", due, "USD") is None
    assert tendered_error("100", due, "USD") is None
    # 8766 typed for 87.66: more than 20× the amount and over 500 in change reads as a slip
    assert tendered_error("8766", due, "USD") == ("That would be USD 8,678.34 in change for USD 87.66 "
                                                  "— check the amount received.")
    assert tendered_error("200", Decimal("5"), "USD") is None  # a 200 note for a 5 ticket is real life


def test_change_and_the_quick_amounts():
    assert change_due(Decimal("100"), Decimal("87.66")) == Decimal("12.34")
    assert change_due(Decimal("87.66"), Decimal("87.66")) == 0
    assert quick_amounts(Decimal("87.66"), "USD") == (Decimal("87.66"), Decimal(90), Decimal(100))
    assert quick_amounts(Decimal("20"), "USD") == (Decimal(20), Decimal(25), Decimal(30), Decimal(40))
    assert cash_summary(Decimal("100"), Decimal("87.66"), "USD") == "Cash — received USD 100.00, change USD 12.34"
    assert cash_summary(Decimal("87.66"), Decimal("87.66"), "USD") == "Cash — received USD 87.66, no change"


def test_the_cash_form_checks_the_amount_and_the_buyer_in_form_order():
    form = CashForm(tendered="50", due=Decimal("87.66"), currency="USD", first_name="", last_name="Doe",
                    email="jo@example.com")
    problems = check_cash_form(form)
    assert list(problems) == ["cashTendered", "firstName"]
    assert problems["cashTendered"] == "That is USD 37.66 short of the USD 87.66 due."
    good = CashForm(tendered="100", due=Decimal("87.66"), currency="USD", first_name="Jo", last_name="Doe",
                    email="jo@example.com")
    assert check_cash_form(good) == {}


def test_a_cash_sale_is_an_invoice_with_the_receipt_number_and_counts_as_cash(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            sale = station.new_sale(TEST_EVENT)
            await kit.reserve(sale, quantity=2)
            options = await sale.shipping_options()
            await sale.choose_shipping(options[0].id)
            due = sale.cart.unpaid
            with pytest.raises(CashNotEnough, match="short of"):
                await sale.pay_cash(due - Decimal("0.01"), BUYER)
            assert sale.state is S.SHIPPING_CHOSEN  # nothing was sent
            await sale.pay_cash(due + Decimal("20"), BUYER)
            result = await sale.commit()
            return sale.receipt_number, due, result, station.journal.orders()

    receipt_number, due, result, orders = asyncio.run(scenario())
    assert receipt_number.isdigit()
    sold = [o for o in sandbox_control.state()["orders"] if o["order_token"] == result.order_token]
    assert sold[0]["payments"] == [{"type": "INVOICE", "amount": f"{due:.2f}", "last4": None,
                                    "reference": receipt_number}]
    invoice_posts = [r for r in sandbox_control.log(limit=200) if r["path"].endswith("/payment")]
    assert len(invoice_posts) == 1  # the short amount never left the station
    (order,) = orders
    assert order.detail("payment_kind") == "cash"
    assert order.detail("receipt_number") == receipt_number
    assert order.detail("cash_tendered") == f"{due + 20}" and order.detail("cash_change") == "20.00"
    assert order.detail("payment").startswith("Cash — received USD ")
    assert totals(orders).lines()[0] == f"Cash: 1 order, USD {due:,.2f}"


def test_each_sale_gets_its_own_receipt_number(kit, sandbox_control):
    async def scenario():
        async with kit.station() as station:
            numbers = []
            for _ in range(2):
                sale = station.new_sale(TEST_EVENT)
                await kit.reserve(sale, quantity=1)
                numbers.append(sale.receipt_number)
                await sale.abandon()
            return numbers

    first, second = asyncio.run(scenario())
    assert first and second and first != second
