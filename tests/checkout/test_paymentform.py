"""A payment form checked whole (``app.checkout.paymentform``): the same answer for the payment
page and the CLI, keyed by field, in form order. No QApplication."""

from __future__ import annotations

from datetime import date

from app.checkout.paymentform import (
    CardForm,
    InvoiceForm,
    billing_address,
    billing_contact,
    check_card_form,
    check_invoice_form,
    member_card_problems,
)
from app.partner.models import BillingMethod

TODAY = date(2026, 11, 26)


GOOD = CardForm(
    number="6011 9932 0000 1006",
    cvv="123",
    expiry="12/30",
    first_name="Jo",
    last_name="Doe",
    email="jo@example.com",
    phone="212-867-5309",
    line1="1 Main St",
    city="New York",
    country="US",
    region="NY",
    postal_code="10001",
)


def test_a_good_form_has_no_errors():
    assert check_card_form(GOOD, TODAY) == {}


def test_every_problem_is_reported_against_its_field_in_form_order():
    errors = check_card_form(CardForm(country="US"), TODAY)
    assert list(errors) == [
        "cardNumber",
        "cardExpiry",
        "cardCvv",
        "firstName",
        "lastName",
        "email",
        "addressLine1",
        "city",
        "region",
        "postalCode",
    ]
    assert all(message.endswith(".") for message in errors.values())


def test_the_form_never_shows_card_data_in_its_repr():
    text = repr(GOOD)
    assert "1006" not in text and "123" not in text


def test_an_invoice_needs_a_numeric_reference_and_the_buyer():
    good = InvoiceForm(reference="4711", first_name="Jo", last_name="Doe", email="jo@example.com")
    assert check_invoice_form(good) == {}
    assert check_invoice_form(InvoiceForm(reference="12a")) == {
        "invoiceReference": "The invoice reference is digits only.",
        "firstName": "Enter the first name.",
        "lastName": "Enter the last name.",
        "email": "Enter the buyer's email address.",
    }


def test_a_members_saved_card_of_a_network_not_taken_is_refused():
    assert member_card_problems(None, "") == {"memberMethods": "Choose one of the member's saved cards."}
    diners = BillingMethod(id="1", card_issuer="DINERS", card_last4="5904")
    assert "not accepted here" in member_card_problems(diners, "123")["memberMethods"]
    amex = BillingMethod(id="2", card_issuer="AMEX", card_last4="0005")
    assert member_card_problems(amex, "123") == {
        "memberCvv": "The security code is 4 digits, on the front of the card."}
    assert member_card_problems(BillingMethod(id="3", card_issuer="MC"), "123") == {}


def test_what_is_sent_is_trimmed_and_the_phone_international():
    address = billing_address(" 1 Main St ", "", " London ", "gb", "lnd", " SW1A 1AA ")
    contact = billing_contact(" Jo ", "Doe ", " jo@example.com ", "020 7946 0958", address=address)
    assert (address.country, address.region, address.postal_code, address.city) == ("GB", "LND", "SW1A 1AA", "London")
    assert (contact.first_name, contact.last_name, contact.email) == ("Jo", "Doe", "jo@example.com")
    assert contact.phone == "+44 20 7946 0958"
    assert billing_contact("Jo", "Doe", phone="212 867 5309", country="US").phone == "+1 212-867-5309"
