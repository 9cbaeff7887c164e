"""The card form checks: issuer ranges, Luhn, expiry, CVV length, contact and address shapes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.gui.sale import cardcheck as cc
from app.gui.sale.cardcheck import CardForm, check_card_form

TODAY = date(2026, 11, 26)


def with_check_digit(body: str) -> str:
    """``body`` plus the digit that makes it pass Luhn."""
    for digit in "0123456789":
        if cc.luhn_valid(body + digit):
            return body + digit
    raise AssertionError("no check digit")


@pytest.mark.parametrize(
    "number, issuer",
    [
        ("4111111111111111", cc.VISA),
        ("4222222222222", cc.VISA),
        ("5105105105105100", cc.MASTERCARD),
        ("5500000000000004", cc.MASTERCARD),
        ("2221000000000009", cc.MASTERCARD),
        ("2720990000000007", cc.MASTERCARD),
        ("378282246310005", cc.AMEX),
        ("341111111111111", cc.AMEX),
        ("6011993200001006", cc.DISCOVER),
        ("6011111111111117", cc.DISCOVER),
        ("6445644564456445", cc.DISCOVER),
        ("6500000000000002", cc.DISCOVER),
        ("6221260000000000", cc.DISCOVER),
        ("6229250000000000", cc.DISCOVER),
        ("30569309025904", cc.DINERS),
        ("38520000023237", cc.DINERS),
        ("36000000000008", cc.DINERS),
        ("3095000000000000", cc.DINERS),
        ("3530111333300000", cc.JCB),
        ("3589000000000000", cc.JCB),
    ],
)
def test_issuer_from_prefix(number, issuer):
    assert cc.card_issuer(number) == issuer


@pytest.mark.parametrize(
    "number",
    ["", "1234567812345678", "2220999999999999", "2721000000000000", "3527000000000000",
     "3590000000000000", "306000000000000", "6221250000000000", "6229260000000000",
     "6400000000000000", "abcd", "9"],
)
def test_numbers_of_no_accepted_issuer(number):
    assert cc.card_issuer(number) is None


def test_issuer_is_known_from_a_partial_number_while_typing():
    assert cc.card_issuer("4") == cc.VISA
    assert cc.card_issuer("37") == cc.AMEX
    assert cc.card_issuer("6011 99") == cc.DISCOVER
    assert cc.card_issuer("60") is None


def test_luhn():
    assert cc.luhn_valid("6011993200001006")
    assert cc.luhn_valid("79927398713")
    assert not cc.luhn_valid("6011993200001007")
    assert not cc.luhn_valid("79927398710")
    assert not cc.luhn_valid("")
    assert not cc.luhn_valid("12a4")


@given(st.text(alphabet="0123456789", min_size=1, max_size=18))
def test_exactly_one_check_digit_makes_any_body_valid(body):
    valid = [d for d in "0123456789" if cc.luhn_valid(body + d)]
    assert len(valid) == 1


@given(st.text(alphabet="0123456789", min_size=11, max_size=18), st.integers(0, 30), st.integers(1, 9))
def test_changing_one_digit_breaks_luhn(body, where, delta):
    number = with_check_digit(body)
    where %= len(number)
    changed = number[:where] + str((int(number[where]) + delta) % 10) + number[where + 1:]
    assert not cc.luhn_valid(changed)


def test_card_number_errors_say_what_is_wrong():
    assert cc.card_number_error("6011 9932 0000 1006") is None
    assert cc.card_number_error("6011-9932-0000-1006") is None
    assert cc.card_number_error("") == "Enter the card number."
    assert "only digits" in cc.card_number_error("6011 99x2 0000 1006")
    assert "not accepted" in cc.card_number_error("1234 5678 1234 5670")
    assert cc.card_number_error("6011 9932 0000 100") == (
        "A Discover card number has 16 to 19 digits; this one has 15.")
    assert cc.card_number_error("37828224631000") == (
        "An American Express card number has 15 digits; this one has 14.")
    assert cc.card_number_error("41111111111111") == (
        "A Visa card number has 13, 16 or 19 digits; this one has 14.")
    assert "typo" in cc.card_number_error("6011 9932 0000 1007")


def test_grouping_follows_the_issuer():
    assert cc.group_card_number("6011993200001006") == "6011 9932 0000 1006"
    assert cc.group_card_number("378282246310005") == "3782 822463 10005"
    assert cc.group_card_number("30569309025904") == "3056 930902 5904"
    assert cc.group_card_number("60119") == "6011 9"
    assert cc.group_card_number("6011 9932-00") == "6011 9932 00"
    assert cc.group_card_number("") == ""


@pytest.mark.parametrize(
    "text, expiry",
    [("12/30", cc.Expiry(12, 2030)), ("1/2031", cc.Expiry(1, 2031)), ("08-29", cc.Expiry(8, 2029)),
     (" 11 / 26 ", cc.Expiry(11, 2026)), ("11 2026", cc.Expiry(11, 2026)), ("1230", cc.Expiry(12, 2030)),
     ("122030", cc.Expiry(12, 2030)), ("12/2030", cc.Expiry(12, 2030)), ("12.30", cc.Expiry(12, 2030))],
)
def test_expiry_forms(text, expiry):
    assert cc.parse_expiry(text) == expiry
    assert cc.expiry_error(text, TODAY) is None


@pytest.mark.parametrize("typed, shown", [
    ("1", "1"), ("12", "12"), ("123", "12/3"), ("1230", "12/30"), ("122030", "12/2030"), ("4", "04/"),
    ("430", "04/30"), ("04", "04"), ("1/", "01/"), ("1/30", "01/30"), ("12-30", "12/30"), ("12 / 2030", "12/2030"),
    ("12/", "12/"), ("ab", "ab")])
def test_expiry_is_formatted_as_typed(typed, shown):
    assert cc.format_expiry(typed) == shown


def test_expiry_errors():
    assert "Enter the expiry" in cc.expiry_error("", TODAY)
    assert "for example 08/29" in cc.expiry_error("12/203", TODAY)
    assert "for example 08/29" in cc.expiry_error("12/x", TODAY)
    assert "for example 08/29" in cc.expiry_error("12345", TODAY)
    assert cc.expiry_error("13/30", TODAY) == "The expiry month must be between 01 and 12."
    assert cc.expiry_error("00/30", TODAY) == "The expiry month must be between 01 and 12."
    assert cc.expiry_error("10/26", TODAY) == "This card expired in 10/2026: ask for another card."
    assert cc.expiry_error("12/2025", TODAY).startswith("This card expired in 12/2025")
    assert "too far ahead" in cc.expiry_error("12/2099", TODAY)
    assert cc.parse_expiry("13/30") is None


def test_this_month_is_still_valid():
    assert cc.expiry_error("11/26", TODAY) is None


def test_cvv_length_depends_on_the_issuer():
    assert cc.cvv_error("123", cc.DISCOVER) is None
    assert cc.cvv_error("1234", cc.AMEX) is None
    assert cc.cvv_error("123", cc.AMEX) == "The security code is 4 digits, on the front of the card."
    assert cc.cvv_error("1234", cc.VISA) == "The security code is 3 digits, on the back of the card."
    assert cc.cvv_error("12a", cc.VISA) == "The security code is 3 digits, on the back of the card."
    assert cc.cvv_error("", None) == "Enter the 3-digit security code on the back of the card."


def test_email_and_phone_shapes():
    assert cc.email_error("john.doe@example.com") is None
    assert cc.email_error("") == "Enter the buyer's email address."
    for bad in ("john", "john@", "john@example", "a@b@c.com", "jo@exa_mple.com", "jo@-example.com"):
        assert "looks incomplete" in cc.email_error(bad), bad
    assert cc.email_error("jo hn@example.com").startswith("An email address has no spaces")
    assert "remove “é”" in cc.email_error("josé@example.com")
    assert "at most 254 characters" in cc.email_error("j@" + "e" * 260 + ".com")
    assert "before the “@”" in cc.email_error("j" * 65 + "@example.com")
    assert cc.phone_error("") is None
    assert cc.phone_error("", required=True) == "Enter a phone number."
    for good in ("212-867-5309", "+44 20 7946 0958", "(212) 867.5309"):
        assert cc.phone_error(good) is None, good
    for bad in ("12345", "call me", "+1 212 867 5309 1234 5", "212 867 5309 ☎"):
        assert "7 to 15 digits" in cc.phone_error(bad), bad
    assert cc.phone_error("2 1 2 8 6 7 5 3 0 9 1") == "A phone number can be at most 20 characters; this one has 21."


def test_names_and_address_lines_the_payment_service_takes():
    for good in ("Jo", "Zoë-Anne", "O’Brien", "d'Artagnan", "St. John", "José María", "Łukasz", "李", "Ngô"):
        assert cc.name_error(good, "first name") is None, good
    assert cc.name_error("A" * 40, "first name") is None
    too_long = "A first name can be at most 40 characters; this one has 10,000."
    assert cc.name_error("A" * 10_000, "first name") == too_long
    assert cc.name_error("Doe 😀", "last name") == (
        "A last name can have letters, spaces, hyphens, apostrophes and full stops only: remove “😀”."
    )
    assert "remove “2”" in cc.name_error("Jo2", "first name")
    assert "invisible character" in cc.name_error("Jo\u200bDoe", "first name")
    assert cc.name_error("   ", "last name") == "Enter the last name."
    assert cc.address_error("12 Rue de l'Église, Apt. #3") is None
    assert cc.address_error("1 Main Street 🏠") == (
        "Use letters, digits, spaces and punctuation only in the street address: remove “🏠”."
    )
    assert "at most 60 characters; this one has 61" in cc.address_error("9" * 61)
    assert cc.address_error("", "second address line", required=False) is None
    assert "invisible character" in cc.address_error("New\x00York", "city")


def test_countries_regions_and_postal_codes():
    assert len(cc.COUNTRIES) == 249
    assert cc.country_error("US") is None
    assert cc.country_error("gb") is None
    assert cc.country_error("") == "Choose the billing country."
    assert "not a country code" in cc.country_error("UK")
    assert cc.region_required("US") and cc.region_required("ca") and not cc.region_required("GB")
    assert cc.region_error("US", "CA") is None
    assert cc.region_error("CA", "QC") is None
    assert cc.region_error("GB", "") is None
    assert cc.region_error("US", "") == "Choose the state."
    assert cc.region_error("CA", "") == "Choose the province or territory."
    assert cc.region_error("CA", "NY") == "“NY” is not a province or territory of Canada: choose one from the list."
    assert cc.postal_code_error("US", "90210") is None
    assert cc.postal_code_error("US", "90210-1234") is None
    assert cc.postal_code_error("US", "9021") == "A ZIP code is 5 digits (or 5+4, like 90210-1234)."
    assert cc.postal_code_error("US", "") == "Enter the ZIP code."
    assert cc.postal_code_error("CA", "K1A 0B1") is None
    assert cc.postal_code_error("CA", "K1A0B1") is None
    assert cc.postal_code_error("CA", "12345") == "A Canadian postal code looks like K1A 0B1."
    assert cc.postal_code_error("GB", "SW1A 1AA") is None
    assert cc.postal_code_error("IE", "") is None


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
