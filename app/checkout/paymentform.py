"""A payment's form, checked whole: the card rules and the buyer rules per field, for each method.

The payment page and ``python -m app.cli buy`` fill the same forms and get the same answer: a
``{field: sentence}`` map keyed by the payment page's field names (``cardNumber``, ``email``…,
the CLI names each by its option), in form order, empty when the payment can be sent.

- ``check_card_form(CardForm)`` — a card: ``cardrules`` for number, expiry and security code,
  ``buyerrules`` for the buyer and the billing address (the phone read as a number of the billing
  country);
- ``check_invoice_form(InvoiceForm)`` — an invoice: a numeric reference and the buyer;
- ``check_cash_form(CashForm)`` — cash at the counter: the amount received covers the amount due
  (``cash``; the invoice reference is the receipt number, not typed) and the buyer;
- ``member_card_problems(method, cvv)`` — a signed-in member's saved card (one the service
  says is Diners Club or JCB is refused like a typed one) and its security code.

``billing_address`` and ``billing_contact`` build what is sent from what was typed: trimmed, the
country and region as codes, the phone in its international form (``buyerrules.format_phone``).
``CardForm`` never shows the card number or the code in its ``repr``. Pure Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.partner.models import Address, BillingContact, BillingMethod

from . import countries
from .buyerrules import (
    CITY_MAX,
    address_error,
    country_error,
    email_error,
    format_phone,
    name_error,
    phone_error,
    postal_code_error,
    region_error,
)
from .cardrules import (
    NOT_ACCEPTED,
    card_network,
    card_number_error,
    cvv_error,
    expiry_error,
    is_accepted,
    network_of_code,
)
from .cash import tendered_error

ADDRESS_FIELDS = ("addressLine1", "addressLine2", "city", "country", "region", "postalCode")


@dataclass(frozen=True)
class CardForm:
    """What the card payment form holds, as typed (strings)."""

    number: str = ""
    cvv: str = ""
    expiry: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    country: str = ""
    region: str = ""
    postal_code: str = ""

    def __repr__(self) -> str:  # never show the card number or the security code
        return f"CardForm(number=…, cvv=…, expiry={self.expiry!r}, email={self.email!r})"


@dataclass(frozen=True)
class InvoiceForm:
    reference: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    country: str = ""  # the billing country the phone is read in, when known


@dataclass(frozen=True)
class CashForm:
    """Cash at the counter: the amount received as typed, against the amount due, and the buyer."""

    tendered: str = ""
    due: Decimal = Decimal(0)
    currency: str | None = None
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    country: str = ""


def _found(checks: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    return {field: message for field, message in checks if message}


def _buyer_checks(first_name: str, last_name: str, email: str, phone: str,
                  country: str) -> tuple[tuple[str, str | None], ...]:
    return (
        ("firstName", name_error(first_name, "first name")),
        ("lastName", name_error(last_name, "last name")),
        ("email", email_error(email)),
        ("phone", phone_error(phone, country)),
    )


def check_card_form(form: CardForm, today: date | None = None) -> dict[str, str]:
    """Every problem of a card payment form, keyed by the field's name, in form order."""
    network = card_network(form.number)
    return _found((
        ("cardNumber", card_number_error(form.number)),
        ("cardExpiry", expiry_error(form.expiry, today)),
        ("cardCvv", cvv_error(form.cvv, network)),
        *_buyer_checks(form.first_name, form.last_name, form.email, form.phone, form.country),
        ("addressLine1", address_error(form.line1, "street address")),
        ("addressLine2", address_error(form.line2, "second address line", required=False)),
        ("city", address_error(form.city, "city", limit=CITY_MAX)),
        ("country", country_error(form.country)),
        ("region", region_error(form.country, form.region)),
        ("postalCode", postal_code_error(form.country, form.postal_code)),
    ))


def invoice_reference_error(text: str) -> str | None:
    reference = (text or "").strip()
    if not reference:
        return "Enter the invoice reference."
    return None if reference.isdigit() else "The invoice reference is digits only."


def check_invoice_form(form: InvoiceForm) -> dict[str, str]:
    """Every problem of an invoice payment, keyed by the field's name, in form order."""
    return _found((
        ("invoiceReference", invoice_reference_error(form.reference)),
        *_buyer_checks(form.first_name, form.last_name, form.email, form.phone, form.country),
    ))


def check_cash_form(form: CashForm) -> dict[str, str]:
    """Every problem of a cash payment, keyed by the field's name, in form order."""
    return _found((
        ("cashTendered", tendered_error(form.tendered, form.due, form.currency)),
        *_buyer_checks(form.first_name, form.last_name, form.email, form.phone, form.country),
    ))


def member_card_problems(method: BillingMethod | None, cvv: str) -> dict[str, str]:
    """A member's saved card: one must be chosen, of a network taken here, with its security code."""
    if method is None:
        return {"memberMethods": "Choose one of the member's saved cards."}
    network = network_of_code(method.card_issuer)
    if network is not None and not is_accepted(network):  # a saved Diners or JCB card
        return {"memberMethods": NOT_ACCEPTED}
    return _found((("memberCvv", cvv_error(cvv, method.card_issuer)),))


def billing_address(line1: str = "", line2: str = "", city: str = "", country: str = "", region: str = "",
                    postal_code: str = "") -> Address:
    return Address(line1=line1.strip(), line2=line2.strip(), city=city.strip(), country=country.strip().upper(),
                   region=countries.region_code(country, region).upper(), postal_code=postal_code.strip())


def billing_contact(first_name: str, last_name: str, email: str = "", phone: str = "", *,
                    address: Address | None = None, country: str = "") -> BillingContact:
    """The buyer as sent; the phone is read in the address's country (without an address: ``country``)."""
    phone_country = address.country if address is not None else country
    return BillingContact(first_name=first_name.strip(), last_name=last_name.strip(), email=email.strip(),
                          phone=format_phone(phone, phone_country), address=address or Address())
