"""Paying for a cart: card, invoice, wallet-token, device-wallet and member (saved card) payments,
plus the member's saved billing methods (``GET``/``POST /member/billing``).

Each payment is validated completely (required fields named in the 400, card data decrypted and
checked) before the cart's unpaid balance is reduced. Saved billing methods keep only the last
four digits and the test rule of their card.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import threading
from decimal import Decimal, InvalidOperation

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .carts import Cart
from .common import as_str, ok, read_json
from .errors import INVALID_API_KEY, INVALID_CART, INVALID_INPUT, SandboxError
from .payment import TEST_CARD, CardRule

log = logging.getLogger(__name__)
MEMBER_REQUIRED = "A signed-in member's access token is required (Authorization: Bearer …)"


def _field(payment: dict, dotted: str):
    value = payment
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _amount(payment: dict, unpaid: Decimal) -> Decimal:
    raw = payment.get("amount")
    if raw is None:
        return unpaid
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise SandboxError(INVALID_INPUT, "payment.amount must be a decimal string such as \"69.00\"")
    try:
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise SandboxError(INVALID_INPUT, "payment.amount must be a decimal string such as \"69.00\"") from None
    if not amount.is_finite() or amount <= 0:
        raise SandboxError(INVALID_INPUT, "payment.amount must be more than zero")
    if amount > unpaid:
        raise SandboxError(INVALID_INPUT, f"payment.amount {amount} is more than the unpaid balance {unpaid}")
    return amount


def billing_method_id(seed: int, email: str, number: int) -> str:
    """A member's ``number``-th saved method's id: digits (the documented POST answers it as a
    number) but not a count a client could guess or lean on; the same for the same seed."""
    digest = hashlib.blake2b(f"{seed}:{email}:billing:{number}".encode(), digest_size=8).digest()
    return str(10**9 + int.from_bytes(digest, "big") % (9 * 10**9))


class MemberWallet:
    """Saved billing methods per member e-mail; each member starts with the DISCOVER test card."""

    def __init__(self, context) -> None:
        self.context = context
        self._lock = threading.Lock()
        self._methods: dict[str, list[dict]] = {}

    def _new_id(self, email: str, number: int) -> str:
        return billing_method_id(self.context.config.seed, email, number)

    def methods(self, email: str) -> list[dict]:
        with self._lock:
            if email not in self._methods:
                year = self.context.clock.now().year + 3
                self._methods[email] = [{
                    "id": self._new_id(email, 0), "type": "CC", "first_name": "Sandbox", "last_name": "Member",
                    "home_phone": "5555555555",
                    "card": {"issuer": "DISCOVER", "type": "DISCOVER", "number": TEST_CARD[-4:],
                             "expire_month": 12, "expire_year": year},
                    "address": {"line1": "1 Sandbox Way", "city": "Los Angeles", "region": {"abbrev": "CA"},
                                "postal_code": "90210", "country": {"id": 840, "standard": "ISO"}},
                    "_rule": CardRule.of(TEST_CARD)}]
            return self._methods[email]

    def add(self, email: str, method: dict) -> str:
        methods = self.methods(email)
        with self._lock:
            method_id = self._new_id(email, len(methods))
            method["id"] = method_id
            methods.append(method)
        self.context.remember()
        return method_id

    def saved(self) -> dict[str, list[dict]]:
        """Every member's methods as the sandbox's memory keeps them (the card's rule as its fields)."""
        with self._lock:
            return {email: [{**MemberWallet.public(m), "_rule": dataclasses.asdict(m["_rule"])} for m in methods]
                    for email, methods in self._methods.items()}

    def restore(self, saved: dict) -> None:
        with self._lock:
            for email, methods in saved.items():
                try:
                    self._methods[str(email)] = [{**m, "_rule": CardRule(**m["_rule"])} for m in methods]
                except (KeyError, TypeError) as exc:
                    log.warning("a member's remembered billing methods could not be read (%s): left out", exc)

    @staticmethod
    def public(method: dict) -> dict:
        return {k: v for k, v in method.items() if not k.startswith("_")}


def member_of(context, request: Request) -> dict:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    member = context.oauth.member_for_access_token(token.strip()) if scheme.lower() == "bearer" else None
    if not member:
        raise SandboxError(INVALID_API_KEY, MEMBER_REQUIRED)
    return member


def take_payment(context, request: Request, cart: Cart, body: dict) -> None:
    """Validate and apply one payment to ``cart``; raises the documented error on any problem."""
    processor = context.payment
    payment = body.get("payment")
    if not isinstance(payment, dict):
        raise SandboxError(INVALID_INPUT, "payment is required and must be an object")
    kind = payment.get("type", "CC")
    if kind not in ("CC", "INVOICE", "WALLET", "APPLE_PAY", "GOOGLE_WALLET"):
        raise SandboxError(INVALID_INPUT, "payment.type must be CC, INVOICE, WALLET, APPLE_PAY or GOOGLE_WALLET")
    card = payment.get("card") if isinstance(payment.get("card"), dict) else {}
    if "billing_method" in body:
        return _member_payment(context, request, cart, body, payment, card)
    required = context.scenario.get("required_payment_fields")
    missing = [name for name in required if _field(payment, name) in (None, "", [], {})]
    if missing:
        raise SandboxError(INVALID_INPUT, "Missing required payment field(s): " + ", ".join(missing))
    amount = _amount(payment, cart.unpaid())
    if kind == "INVOICE":
        reference = payment.get("reference")
        if not isinstance(reference, str) or not re.fullmatch(r"\d{1,30}", reference):
            raise SandboxError(INVALID_INPUT, "payment.reference is required for INVOICE and must be a numeric string")
        _record(cart, payment, amount, kind, None, reference=reference)
        return
    if kind == "WALLET":
        token = card.get("number")
        stored = context.wallet.lookup(token) if isinstance(token, str) else None
        if stored is None:
            raise SandboxError(INVALID_INPUT, "card.number must be a wallet token from the wallet service")
        rule = processor.check_number(stored["account_number"])
        processor.check_expiry(stored["expiration_month"], stored["expiration_year"])
        cvv = card.get("cin")
        processor.check_cvv(rule, as_str(cvv, "card.cin", 8) if cvv is not None else "")
    elif kind in ("APPLE_PAY", "GOOGLE_WALLET"):
        # a device wallet's bundle says its own network; a stated issuer is still held to the codes
        issuer = processor.check_issuer_code(card["issuer"]) if "issuer" in card else None
        number = processor.decrypt(card.get("bundle"), "card.bundle", card.get("encryption_key"))
        rule = processor.check_number(number)
        if issuer is not None:
            processor.check_issuer_matches(rule, issuer)
    else:
        issuer = processor.check_issuer_code(card.get("issuer"))
        number = processor.decrypt(card.get("number"), "card.number", card.get("encryption_key"))
        cvv = processor.decrypt(card.get("cin"), "card.cin", card.get("encryption_key"))
        rule = processor.check_number(number)
        processor.check_issuer_matches(rule, issuer)
        processor.check_expiry(card.get("expire_month"), card.get("expire_year"))
        processor.check_cvv(rule, cvv)
    # the scenario's one-off decline is used up only by a payment that got as far as the bank
    processor.check_outcome(rule, context.scenario.take("next_payment_decline"))
    _record(cart, payment, amount, kind, rule.last4)


def _member_payment(context, request: Request, cart: Cart, body: dict, payment: dict, card: dict) -> None:
    member = member_of(context, request)
    method_ref = body.get("billing_method")
    method_id = method_ref.get("id") if isinstance(method_ref, dict) else None
    if isinstance(method_id, int) and not isinstance(method_id, bool):
        method_id = str(method_id)
    method = next((m for m in context.members.methods(member["email"]) if m["id"] == method_id), None)
    if method is None:
        raise SandboxError(INVALID_INPUT, "billing_method.id is not one of this member's billing methods")
    amount = _amount(payment, cart.unpaid())
    processor = context.payment
    cvv = processor.decrypt(card.get("cin"), "card.cin", card.get("encryption_key"))
    rule: CardRule = method["_rule"]
    processor.check_expiry(method["card"]["expire_month"], method["card"]["expire_year"])
    processor.check_cvv(rule, cvv)
    processor.check_outcome(rule, context.scenario.take("next_payment_decline"))
    cart.contact.setdefault("email_address", member["email"])
    _record(cart, payment, amount, "CC", rule.last4)


def _record(cart: Cart, payment: dict, amount: Decimal, kind: str, last4: str | None, *,
            reference: str | None = None) -> None:
    cart.paid += amount
    cart.payments.append({"type": kind, "amount": str(amount), "last4": last4,
                          **({"reference": reference} if reference is not None else {})})
    for key in ("email_address", "first_name", "last_name"):
        if isinstance(payment.get(key), str) and payment[key]:
            cart.contact[key] = payment[key]


def routes(context, partner) -> list[Route]:
    async def billing(request: Request) -> Response:
        api_key = await partner(request)
        member = member_of(context, request)
        if request.method == "GET":
            cart_id = request.query_params.get("cart_id")
            cart = context.carts.carts.get(cart_id) if cart_id is not None else None
            if cart_id is not None and (cart is None or cart.api_key != api_key):
                raise SandboxError(INVALID_CART)
            return ok({"data": [MemberWallet.public(m) for m in context.members.methods(member["email"])]})
        body = await read_json(request)
        method = body.get("billing_method")
        if not isinstance(method, dict) or not isinstance(method.get("card"), dict):
            raise SandboxError(INVALID_INPUT, "billing_method with a card is required")
        card = method["card"]
        processor = context.payment
        issuer = processor.check_issuer_code(card.get("issuer"), "billing_method.card.issuer")
        number = processor.decrypt(card.get("number"), "billing_method.card.number", card.get("encryption_key"))
        rule = processor.check_number(number)
        processor.check_issuer_matches(rule, issuer)
        processor.check_expiry(card.get("expire_month"), card.get("expire_year"))
        address = method.get("address") if isinstance(method.get("address"), dict) else {}
        saved = {"type": "CC", "first_name": str(method.get("first_name", ""))[:100],
                 "last_name": str(method.get("last_name", ""))[:100],
                 "home_phone": str(method.get("home_phone", ""))[:40],
                 "card": {"issuer": rule.issuer, "type": rule.issuer, "number": rule.last4,
                          "expire_month": int(card["expire_month"]), "expire_year": int(card["expire_year"])},
                 "address": {k: (str(v)[:200] if not isinstance(v, dict) else v) for k, v in address.items()
                             if k in ("line1", "line2", "unit", "city", "postal_code", "region", "country")},
                 "_rule": rule}
        method_id = context.members.add(member["email"], saved)
        return ok({"billing_method": {"id": int(method_id), "card": {"encryption_key": processor.certificate_id}}})

    return [Route("/partners/v1/member/billing", billing, methods=["GET", "POST"])]
