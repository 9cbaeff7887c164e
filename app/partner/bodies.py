"""Request bodies of the payment, member, wallet and commit calls (partner-api.md 3.8, 3.9), built
from models; shapes follow the documented examples key for key. ``card.issuer`` is the documented
code (``VISA``, ``MC``, ``AMEX``, ``DISCOVER``); a card of any other network raises ``InvalidInput``
and is never sent. Card values arrive here already
encrypted (``EncryptedCard``) except where the protocol sends them plain (the wallet service's
``account_number``, a wallet payment's ``cin``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.partner._models_payment import BillingContact, CardDetails
from app.partner.cardcrypto import EncryptedCard
from app.partner.errors import InvalidInput

Body = dict[str, Any]  # a request body, as JSON

WALLET_CHANNEL = "external.ecommerce.consumer.dc.ticketmaster.us"


def amount_text(amount: Decimal | str | int) -> str:
    """``Decimal("69")`` → ``"69.00"``: the payment amount is a string with two decimals."""
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _issuer(card: CardDetails) -> str:
    """The documented ``card.issuer`` code; a card of another network never leaves the station."""
    code = card.issuer_code
    if code is None:
        raise InvalidInput("The Partner API takes VISA, MC, AMEX and DISCOVER cards only; this card was not sent.")
    return code


def card_payment(cart_id: str, card: CardDetails, encrypted: EncryptedCard, contact: BillingContact,
                 amount: Decimal) -> Body:
    payment: dict[str, Any] = {"type": "CC", **contact.to_json(), "amount": amount_text(amount)}
    payment["card"] = {
        "issuer": _issuer(card),
        "number": encrypted.number,
        "cin": encrypted.cin,
        "encryption_key": encrypted.encryption_key,
        "expire_month": card.expire_month,
        "expire_year": card.expire_year,
        "postal_code": card.postal_code or contact.address.postal_code,
    }
    return {"cart_id": cart_id, "payment": payment}


def invoice_payment(cart_id: str, reference: str, contact: BillingContact, amount: Decimal) -> Body:
    reference = reference.strip()
    if not reference.isdigit():
        raise InvalidInput("The invoice reference must contain digits only.")
    return {"cart_id": cart_id,
            "payment": {"type": "INVOICE", "reference": reference, **contact.to_json(), "amount": amount_text(amount)}}


def wallet_payment(cart_id: str, wallet_token: str, cvv: str, contact: BillingContact, amount: Decimal) -> Body:
    payment: dict[str, Any] = {"type": "WALLET", **contact.to_json(), "amount": amount_text(amount),
                               "card": {"number": wallet_token, "cin": cvv.strip()}}
    return {"cart_id": cart_id, "payment": payment}


def member_payment(cart_id: str, billing_method_id: str, encrypted_cvv: EncryptedCard, amount: Decimal) -> Body:
    return {"cart_id": cart_id, "billing_method": {"id": str(billing_method_id)},
            "payment": {"amount": amount_text(amount), "type": "CC",
                        "card": {"cin": encrypted_cvv.cin, "encryption_key": encrypted_cvv.encryption_key}}}


def member_billing_method(cart_id: str, card: CardDetails, encrypted: EncryptedCard, contact: BillingContact) -> Body:
    method: dict[str, Any] = {
        "address": contact.address.to_json(),
        "type": "CC",
        "card": {"expire_month": card.expire_month, "expire_year": card.expire_year, "issuer": _issuer(card),
                 "encryption_key": encrypted.encryption_key, "number": encrypted.number},
        "first_name": contact.first_name,
        "last_name": contact.last_name,
    }
    if contact.phone:
        method["home_phone"] = contact.phone
    return {"cart_id": cart_id, "billing_method": method}


def wallet_token_request(card: CardDetails, contact: BillingContact, *, channel: str = WALLET_CHANNEL,
                         market: str = "PRIMARY") -> Body:
    address = contact.address
    return {
        "flow_attributes": {"channel": channel, "market": market},
        "funding_source_details": {
            "account_number": card.number,
            "expiration_month": card.expire_month,
            "expiration_year": card.expire_year,
            "billing_address": {
                "first_name": contact.first_name, "last_name": contact.last_name,
                "address_line1": address.line1, "address_line2": address.line2, "city": address.city,
                "state": address.region, "country": address.country, "postal_code": address.postal_code,
                "mobile_phone": contact.phone, "email": contact.email,
            },
        },
        "funding_source": "creditcard",
    }


def commit(cart_id: str, *, source_account_id: str | None = None, tracking: Mapping[str, str] | None = None,
           images: Mapping[str, str] | None = None) -> Body:
    body: dict[str, Any] = {"cart_id": cart_id}
    if source_account_id:
        body["source_account_id"] = source_account_id
    if tracking:
        body["tracking"] = dict(tracking)
    if images:
        body["attribute_overrides"] = {"images": dict(images)}
    return body
