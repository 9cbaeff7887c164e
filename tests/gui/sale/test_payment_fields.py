"""Typing into the payment page as a cashier does: the expiry in its common forms, and buyer details
the payment service would not take (too long, characters it does not accept), refused at the field
before anything is sent."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QPushButton

from tests.gui.sale.salekit import MOBILE_ENTRY, payment_calls, payment_page
from tests.gui.windowkit import fill_address, fill_buyer, fill_card, find, type_into


def paste_into(qtbot, root, name: str, text: str) -> None:
    """Select the field's text, paste ``text`` over it (Ctrl+V) and leave the field."""
    edit = find(root, name, QLineEdit)
    edit.setFocus()
    edit.selectAll()
    QApplication.clipboard().setText(text)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


@pytest.mark.parametrize("typed, shown", [("1230", "12/30"), ("12/2030", "12/2030"), ("122030", "12/2030"),
                                          ("1/30", "01/30"), ("12-30", "12/30")])
def test_the_expiry_is_formatted_as_typed_and_accepted(typed, shown, station, run, until, qtbot, sandbox_control):
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        fill_card(qtbot, flow, expiry=typed)
        assert find(flow, "cardExpiry", QLineEdit).text() == shown
        assert not find(flow, "cardExpiryError", QLabel).isVisible(), find(flow, "cardExpiryError", QLabel).text()
        fill_buyer(qtbot, flow)
        fill_address(qtbot, flow)
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
        assert len(payment_calls(sandbox_control)) == 1

    run(steps())


def test_backspace_walks_back_through_the_formatted_expiry(station, run, until, qtbot):
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        expiry = find(flow, "cardExpiry", QLineEdit)
        expiry.setFocus()
        qtbot.keyClicks(expiry, "1230")
        seen = [expiry.text()]
        for _ in range(4):
            qtbot.keyClick(expiry, Qt.Key.Key_Backspace)
            seen.append(expiry.text())
        assert seen == ["12/30", "12/3", "12/", "12", "1"]

    run(steps())


def test_buyer_details_the_service_would_not_take_are_refused_at_each_field(station, run, until, qtbot,
                                                                            sandbox_control):
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        fill_card(qtbot, flow)
        fill_buyer(qtbot, flow)
        fill_address(qtbot, flow)
        paste_into(qtbot, flow, "firstName", "A" * 10_000)
        paste_into(qtbot, flow, "lastName", "Doe 😀")
        paste_into(qtbot, flow, "email", "jo😀@example.com")
        paste_into(qtbot, flow, "phone", "212 867 5309 ☎")
        paste_into(qtbot, flow, "addressLine1", "1 Main Street 🏠")
        paste_into(qtbot, flow, "addressLine2", "Suite " + "9" * 200)
        paste_into(qtbot, flow, "city", "New\u0000York")
        errors = {name: find(flow, f"{name}Error", QLabel) for name in
                  ("firstName", "lastName", "email", "phone", "addressLine1", "addressLine2", "city")}
        for name, label in errors.items():
            assert label.isVisible(), name
            assert label.text().endswith(".") and "Error" not in label.text(), (name, label.text())
        assert errors["firstName"].text() == "A first name can be at most 40 characters; this one has 10,000."
        assert "letters" in errors["lastName"].text()
        assert not find(flow, "payButton", QPushButton).isEnabled()
        qtbot.keyClick(find(flow, "city", QLineEdit), Qt.Key.Key_Return)
        assert find(flow, "firstName", QLineEdit).hasFocus()  # the first field to fix
        assert find(flow, "firstName", QLineEdit).text() == "A" * 10_000  # nothing typed is lost
        assert payment_calls(sandbox_control) == []

        # Names from anywhere are fine: accents, apostrophes, hyphens, other scripts.
        paste_into(qtbot, flow, "firstName", "Zoë-Anne")
        paste_into(qtbot, flow, "lastName", "O’Brien")
        paste_into(qtbot, flow, "email", "zoe.obrien@example.com")
        paste_into(qtbot, flow, "phone", "+1 (212) 867-5309")
        paste_into(qtbot, flow, "addressLine1", "12 Rue de l'Église, Apt. #3")
        paste_into(qtbot, flow, "addressLine2", "")
        paste_into(qtbot, flow, "city", "São Paulo")
        for name, label in errors.items():
            assert not label.isVisible(), (name, label.text())
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
        buyer = find(flow, "reviewBuyer", QLabel).text()
        # The phone is sent and shown the international way.
        assert "Zoë-Anne O’Brien" in buyer and "zoe.obrien@example.com" in buyer and "+1 212-867-5309" in buyer

    run(steps())


def test_an_invoice_buyer_is_checked_the_same_way_and_shown_on_the_review(station, run, until, qtbot,
                                                                          sandbox_control):
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        qtbot.mouseClick(find(flow, "method_invoice"), Qt.MouseButton.LeftButton)
        type_into(qtbot, flow, "invoiceReference", "12")
        fill_buyer(qtbot, flow)
        paste_into(qtbot, flow, "lastName", "D" * 41)
        assert (
            find(flow, "lastNameError", QLabel).text() == "A last name can be at most 40 characters; this one has 41."
        )
        assert not find(flow, "payButton", QPushButton).isEnabled()
        type_into(qtbot, flow, "lastName", "Doe")
        type_into(qtbot, flow, "phone", "212-867-5309")
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
        buyer = find(flow, "reviewBuyer", QLabel).text()
        assert "Jo Doe" in buyer and "jo.doe@example.com" in buyer and "212-867-5309" in buyer

    run(steps())


def test_the_state_typed_by_its_name_is_taken(station, run, until, qtbot, sandbox_control):
    """Buyers say "New York", not "NY": the state field takes the name as well as the code."""
    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        fill_card(qtbot, flow)
        fill_buyer(qtbot, flow)
        fill_address(qtbot, flow)
        region = find(flow, "region", QComboBox)
        region.setFocus()
        region.lineEdit().selectAll()
        qtbot.keyClicks(region.lineEdit(), "New York")
        qtbot.keyClick(region.lineEdit(), Qt.Key.Key_Tab)
        assert not find(flow, "regionError", QLabel).isVisible(), find(flow, "regionError", QLabel).text()
        assert region.currentText() == "NY — New York"  # shown as the list names it, once read
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
        assert len(payment_calls(sandbox_control)) == 1

    run(steps())


def test_fixing_a_field_does_not_move_the_fields_under_the_mouse(station, run, until, qtbot):
    """Every error shows when the cashier tries to go on; as each is fixed its line goes, and the
    fields below kept jumping up a line under the mouse. The room stays; only the words go."""

    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        fill_card(qtbot, flow)
        qtbot.keyClick(find(flow, "cardCvv", QLineEdit), Qt.Key.Key_Return)  # tries to go on: all errors show
        first_error = find(flow, "firstNameError", QLabel)
        assert first_error.isVisible()
        qtbot.wait(50)  # laid out with every error line
        email = find(flow, "email", QLineEdit)
        where = email.mapTo(flow, email.rect().topLeft())
        edit = find(flow, "firstName", QLineEdit)
        edit.setFocus()
        qtbot.keyClicks(edit, "Jo")  # valid as typed: the error goes at once
        assert not first_error.isVisible()
        qtbot.wait(50)  # the layout has run
        assert email.mapTo(flow, email.rect().topLeft()) == where

    run(steps())


def test_typing_a_good_email_shows_no_error_on_the_way_and_leaves_no_gap(station, run, until, qtbot):
    """A field's error waits until the cashier leaves it: "j" is not yet an email. Shown at the first
    key, the line then kept its room once the address was complete — an empty gap under every field
    typed, and the form grew a scroll bar that hid the card number."""

    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        qtbot.wait(50)  # laid out
        phone = find(flow, "phone", QLineEdit)
        where = phone.mapTo(flow, phone.rect().topLeft())
        email, error = find(flow, "email", QLineEdit), find(flow, "emailError", QLabel)
        email.setFocus()
        shown_while_typing = []
        for char in "jo@example.com":
            qtbot.keyClicks(email, char)
            shown_while_typing.append(error.isVisible())
        qtbot.keyClick(email, Qt.Key.Key_Tab)
        assert shown_while_typing == [False] * len("jo@example.com")
        assert not error.isVisible()
        qtbot.wait(50)  # the layout has run
        assert phone.mapTo(flow, phone.rect().topLeft()) == where

        # Left while still wrong: then it says so, and as soon as it is right the words go.
        type_into(qtbot, flow, "email", "jo@")
        assert error.isVisible() and error.text().endswith(".")
        edit = find(flow, "email", QLineEdit)
        edit.setFocus()
        qtbot.keyClicks(edit, "example.com")
        assert not error.isVisible()

    run(steps())


def test_pay_and_back_stay_put_while_the_form_is_typed(station, run, until, qtbot):
    """"Still needed: …" under the form wraps over three lines, then two, then one as the fields are
    typed; Back and Pay sat in its middle, so they moved a few pixels at each change, the last one
    just as Pay became enabled under the cashier's mouse (seen at 1280×800)."""

    async def steps():
        flow = await payment_page(station, qtbot, until, MOBILE_ENTRY)
        flow.resize(832, 420)  # the sale's pane at 1280×800 with the request inspector docked
        pay, back, hint = (find(flow, "payButton", QPushButton), find(flow, "paymentBackButton", QPushButton),
                           find(flow, "paymentHint", QLabel))
        places, lines = set(), set()

        async def look() -> None:
            await asyncio.sleep(0.03)  # the layout has run
            places.add((pay.mapTo(flow, pay.rect().topLeft()), back.mapTo(flow, back.rect().topLeft())))
            lines.add(hint.height() // hint.fontMetrics().lineSpacing())

        await look()
        for fill in (fill_card, fill_buyer, fill_address):
            fill(qtbot, flow)
            await look()
        assert pay.isEnabled() and hint.text() == "Ready to pay."
        assert len(lines) > 1  # the note did wrap over more lines, then fewer
        assert len(places) == 1, places

    run(steps())
