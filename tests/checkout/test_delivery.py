"""Which delivery a sale starts with (``app.checkout.delivery``): the window preselects it and the
CLI takes it without ``--shipping``. No QApplication."""

from __future__ import annotations

from app.checkout.delivery import default_delivery, delivery_words
from app.partner.models import ShippingOption


def options(*fees: float) -> tuple[ShippingOption, ...]:
    return ShippingOption.list_from_json({"shipping_options": [
        {"id": f"opt-{i}", "carrier": "TICKETMASTER", "service_level": "WILLCALL", "totals": {"grand": fee}}
        for i, fee in enumerate(fees)]})


def test_the_only_option_is_taken_whatever_it_costs():
    assert default_delivery(options(2.5)).id == "opt-0"


def test_with_a_choice_the_cheapest_and_the_first_of_equals():
    assert default_delivery(options(2.5, 0.5, 0.0)).id == "opt-2"
    assert default_delivery(options(0.5, 0.0, 0.0)).id == "opt-1"
    assert default_delivery(options(0.0, 0.0)).id == "opt-0"


def test_no_option_means_the_partners_default():
    assert default_delivery(()) is None


def test_an_option_is_named_in_words():
    named = ShippingOption.list_from_json({"shipping_options": [
        {"id": "1", "carrier": "TICKETMASTER", "service_level": "ETICKET", "totals": {}},
        {"id": "2", "carrier": "USPS", "service_level": "FIRST_CLASS", "totals": {}},
        {"id": "3", "totals": {}}]})
    assert [delivery_words(o) for o in named] == [
        "Ticketmaster — e-ticket (sent by email)", "Usps — first class", "Option 3"]
