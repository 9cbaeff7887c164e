"""The payment step of a sale, as ``CheckoutSession.payment_steps``: card, invoice, cash at the
counter, a signed-in member's saved card, and a new card kept on the member's account.

Each payment is sent for the cart's unpaid balance unless an amount is given, only in
``reserved`` / ``shipping_chosen`` and only once the seats are agreed; a decline leaves the sale
where it was. What the receipt, the journal and the orders view say of the payment (its kind, a
masked summary, the buyer) goes into the sale's details once the service has taken it.

Card data lives only as long as the payment call: the dict holding it is emptied as soon as the
call is made (``_pay``). Cash is the documented ``INVOICE`` payment with the receipt number as its
reference (``cash``); the amount received and the change are the station's, never sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from app.partner import errors as perr
from app.partner.models import BillingContact, BillingMethod, CardDetails, Cart
from app.partner.oauth import MemberSession

from .cardrules import card_summary, network_name
from .cash import cash_summary, change_due, tendered_error
from .errors import CashNotEnough, CheckoutError
from .salecore import SaleCore
from .states import CheckoutState

S = CheckoutState
Member = MemberSession | str


@dataclasses.dataclass(frozen=True)
class CardSaved:
    """A new card's payment (``cart``) and its keeping on the member's account: ``method`` when
    saved, else ``problem`` — the plain sentence why not (the payment stands either way)."""

    cart: Cart
    method: BillingMethod | None
    problem: str = ""


class PaymentSteps:
    """The payment calls of one sale, on the sale's shared core (see the module docstring)."""

    def __init__(self, sale: SaleCore) -> None:
        self._sale = sale

    async def card(self, card: CardDetails, contact: BillingContact, *, amount: Decimal | None = None) -> Cart:
        payment: dict[str, Any] = dict(card=card, contact=contact, amount=self._amount(amount))
        note = {"payment_kind": "card", "payment": card_summary(card), "buyer": _name(contact)}
        del card  # from here on only ``payment`` holds the card, and _pay empties it
        return await self._pay(self._sale.client.payments.add_card_payment, payment, note)

    async def invoice(self, reference: str, contact: BillingContact | None = None, *,
                      amount: Decimal | None = None) -> Cart:
        contact = contact if contact is not None else BillingContact(first_name="", last_name="")
        note = {"payment_kind": "invoice", "payment": f"Invoice {reference}", "buyer": _name(contact)}
        return await self._pay(self._sale.client.payments.add_invoice_payment,
                               dict(reference=reference, contact=contact, amount=self._amount(amount)), note)

    async def cash(self, tendered: Decimal, contact: BillingContact | None = None) -> Cart:
        """Cash for the whole unpaid balance: refused (``CashNotEnough``, nothing sent) unless
        ``tendered`` covers it by the ``cash`` rules; sent as an invoice whose reference is the
        receipt number; the journal keeps the amount received and the change."""
        sale = self._sale
        cart = sale.cart
        reference = sale.details.get("receipt_number", "")
        if cart is None or not reference:
            raise CheckoutError("Hold the seats before taking the cash.")
        due, currency = cart.unpaid, cart.currency
        problem = tendered_error(format(tendered, "f"), due, currency)
        if problem:
            raise CashNotEnough(problem)
        contact = contact if contact is not None else BillingContact(first_name="", last_name="")
        note = {"payment_kind": "cash", "payment": cash_summary(tendered, due, currency), "buyer": _name(contact),
                "cash_tendered": format(tendered, "f"), "cash_change": format(change_due(tendered, due), "f")}
        return await self._pay(sale.client.payments.add_invoice_payment,
                               dict(reference=reference, contact=contact, amount=due), note)

    async def member(self, member: Member, billing_method_id: str, cvv: str, *,
                     amount: Decimal | None = None) -> Cart:
        payment: dict[str, Any] = dict(member=member, billing_method_id=billing_method_id, cvv=cvv,
                                       amount=self._amount(amount))
        del cvv
        method = next((m for m in self._sale.billing_methods if m.id == billing_method_id), None)
        saved = (f"{network_name(method.card_issuer, method.card_issuer or 'Card')} ••••{method.card_last4}"
                 if method is not None and method.card_last4 else "a saved card")
        note = {"payment_kind": "member card", "payment": f"Member's {saved}",
                "buyer": " ".join(p for p in ((method.first_name or "") if method else "",
                                              (method.last_name or "") if method else "") if p)}
        return await self._pay(self._sale.client.payments.add_member_payment, payment, note)

    async def card_and_save(self, card: CardDetails, contact: BillingContact, member: Member, *,
                            amount: Decimal | None = None) -> CardSaved:
        """Saved only once the payment was taken; a save that fails leaves the payment as it is and
        says why in ``CardSaved.problem`` (the sale goes on)."""
        saving: dict[str, Any] = dict(card=card, contact=contact)
        payment: dict[str, Any] = dict(card=card, contact=contact, amount=self._amount(amount))
        note = {"payment_kind": "card", "payment": card_summary(card), "buyer": _name(contact)}
        del card
        try:
            cart = await self._pay(self._sale.client.payments.add_card_payment, payment, note)
            sale = self._sale
            try:
                method = await sale.client.payments.add_member_billing_method(sale.cart_id, member, **saving)
            except perr.PartnerError as exc:
                return CardSaved(cart, None, f"The card paid, but it could not be saved to the member's account: "
                                             f"{exc.user_message}")
            return CardSaved(cart, method)
        finally:
            saving.clear()

    async def member_billing_methods(self, member: Member) -> tuple[BillingMethod, ...]:
        sale = self._sale
        async with sale.lock:
            sale.require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="billing methods")
            methods = tuple(await sale.cart_call(sale.client.payments.member_billing_methods(sale.cart_id, member)))
            sale.billing_methods = methods
            return methods

    def _amount(self, amount: Decimal | None) -> Decimal | None:
        cart = self._sale.cart
        return amount if amount is not None else (cart.unpaid if cart else None)

    async def _pay(self, method: Callable[..., Awaitable[Cart]], payment: dict[str, Any],
                   note: dict[str, str] | None = None) -> Cart:
        """Send a payment. ``payment`` is emptied as soon as the call is made, so no frame of the
        engine keeps the card (or CVV) once the call is over — not even one in a traceback."""
        sale = self._sale
        async with sale.lock:
            try:
                sale.require(S.RESERVED, S.SHIPPING_CHOSEN, wanted="paid")
                sale.require_seats_agreed()
                call = method(sale.event_id, sale.cart_id, **payment)
            finally:
                payment.clear()
            cart = await sale.cart_call(call)
            sale.move(S.PAID)
            sale.cart_answer(cart)
            sale.details.update({k: v for k, v in (note or {}).items() if v})
            return cart


def _name(contact: BillingContact) -> str:
    return " ".join(part for part in (contact.first_name.strip(), contact.last_name.strip()) if part)
