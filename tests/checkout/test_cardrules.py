"""The card rules both front ends ask (``app.checkout.cardrules``): networks by prefix, which are
taken, lengths, Luhn, expiry forms, security code length. No QApplication."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.checkout import cardrules as cc

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
def test_network_from_prefix(number, issuer):
    assert cc.card_network(number) == issuer


@pytest.mark.parametrize(
    "number",
    ["", "1234567812345678", "2220999999999999", "2721000000000000", "3527000000000000",
     "3590000000000000", "306000000000000", "6221250000000000", "6229260000000000",
     "6400000000000000", "abcd", "9"],
)
def test_numbers_of_no_known_network(number):
    assert cc.card_network(number) is None


def test_network_is_known_from_a_partial_number_while_typing():
    assert cc.card_network("4") == cc.VISA
    assert cc.card_network("37") == cc.AMEX
    assert cc.card_network("6011 99") == cc.DISCOVER
    assert cc.card_network("60") is None


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
    assert cc.card_number_error("1234 5678 1234 5670") == (
        "This card type is not accepted here — use Visa, Mastercard, American Express or Discover.")
    assert cc.card_number_error("6011 9932 0000 100") == (
        "A Discover card number has 16 to 19 digits; this one has 15.")
    assert cc.card_number_error("37828224631000") == (
        "An American Express card number has 15 digits; this one has 14.")
    assert cc.card_number_error("41111111111111") == (
        "A Visa card number has 13, 16 or 19 digits; this one has 14.")
    assert "typo" in cc.card_number_error("6011 9932 0000 1007")


@pytest.mark.parametrize("number", ["30569309025904", "38520000023237", "3530111333300000", "3589000000000000"])
def test_diners_club_and_jcb_cards_are_refused_before_anything_is_sent(number):
    assert cc.luhn_valid(number) or number.startswith("35")  # real test numbers, or JCB-shaped
    assert cc.card_number_error(number) == cc.NOT_ACCEPTED
    assert not cc.is_accepted(cc.card_network(number))
    with pytest.raises(ValueError):
        cc.card_details(number, "123", "12/30")


def test_the_four_networks_the_api_takes_are_accepted():
    assert cc.ACCEPTED_NETWORKS == (cc.VISA, cc.MASTERCARD, cc.AMEX, cc.DISCOVER)
    assert all(cc.is_accepted(n) for n in ("VISA", "MASTERCARD", "MC", "AMEX", "DISCOVER"))
    assert cc.network_name("MC") == "Mastercard" and cc.network_name("amex") == "American Express"
    assert cc.network_name("CARD", "Card") == "Card"


def test_card_details_carry_the_network_and_the_expiry():
    card = cc.card_details("5555 5555 5555 4444", "123", "1230", postal_code="90210")
    assert (card.issuer, card.issuer_code, card.expire_month, card.expire_year) == ("MASTERCARD", "MC", 12, 2030)
    assert card.number == "5555555555554444" and card.postal_code == "90210"
    with pytest.raises(ValueError) as refused:
        cc.card_details("5555 5555 5555 4444", "123", "13/30")
    assert "4444" not in str(refused.value)


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


