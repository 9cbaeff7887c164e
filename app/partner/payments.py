"""Payments (partner-api.md 3.8), as ``PartnerClient.payments``: the certificate, card / invoice /
wallet / member payments, member billing methods and the accountless wallet token.

``Payments`` owns the certificate cache and sends through the client's ``RequestPath``.

Card values are encrypted here, just before sending, with the cached certificate; if the service
says the certificate id is no longer current, the certificate is fetched again and the payment
re-encrypted and sent once more. Member calls carry the member's bearer token and renew it once
when the service calls it invalid.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from app.partner import bodies
from app.partner.cardcrypto import CertificateCache, encrypt_card, encrypt_cvv
from app.partner.errors import InvalidApiKey, InvalidInput, SignInRequired
from app.partner.models import (
    BillingContact,
    BillingMethod,
    CardDetails,
    Cart,
    EncryptionCertificate,
    WalletToken,
)
from app.partner.oauth import MemberSession
from app.partner.requestpath import RequestPath, event_path
from app.partner.transport import json_body

Member = MemberSession | str
Headers = dict[str, str]
T = TypeVar("T")


def _stale_certificate(error: InvalidInput) -> bool:
    message = (error.server_message or "").lower()
    return "encryption_key" in message or "certificate" in message


class Payments:
    """The payment calls of one ``PartnerClient`` (``client.payments``); keeps the certificate."""

    def __init__(self, path: RequestPath) -> None:
        self._path = path
        self._certificates = CertificateCache(self._fetch_certificate)

    async def _fetch_certificate(self) -> EncryptionCertificate:
        response = await self._path.request("certificate", "GET", "/certificate", idempotent=True)
        return EncryptionCertificate.from_json(json_body(response))

    async def certificate(self) -> EncryptionCertificate:
        """The payment encryption certificate, fetched once and reused for 24 hours."""
        return await self._certificates.get()

    async def _encrypted(self, build: Callable[[EncryptionCertificate], Awaitable[T]]) -> T:
        """Run ``build`` with the certificate; once more with a fresh one if the service refused its id."""
        try:
            return await build(await self.certificate())
        except InvalidInput as exc:
            if not _stale_certificate(exc):
                raise
        self._certificates.forget()
        return await build(await self.certificate())

    async def _payment(self, operation: str, event_id: str, cart_id: str, body: dict[str, Any],
                       headers: Mapping[str, str] | None = None) -> Cart:
        response = await self._path.cart_call(operation, "PUT", event_path(event_id) + "/cart/payment", cart_id,
                                              json_payload=body, headers=headers, event_id=event_id)
        return self._path.cart_answer(response, cart_id)

    async def add_card_payment(self, event_id: str, cart_id: str, card: CardDetails, contact: BillingContact,
                               amount: Decimal) -> Cart:
        async def send(cert: EncryptionCertificate) -> Cart:
            body = bodies.card_payment(cart_id, card, encrypt_card(cert, card), contact, amount)
            return await self._payment("card payment", event_id, cart_id, body)
        return await self._encrypted(send)

    async def add_invoice_payment(self, event_id: str, cart_id: str, reference: str, contact: BillingContact,
                                  amount: Decimal) -> Cart:
        return await self._payment("invoice payment", event_id, cart_id,
                                   bodies.invoice_payment(cart_id, reference, contact, amount))

    async def add_wallet_payment(self, event_id: str, cart_id: str, wallet: WalletToken | str, cvv: str,
                                 contact: BillingContact, amount: Decimal) -> Cart:
        token = wallet.token if isinstance(wallet, WalletToken) else wallet
        return await self._payment("wallet payment", event_id, cart_id,
                                   bodies.wallet_payment(cart_id, token, cvv, contact, amount))

    async def add_member_payment(self, event_id: str, cart_id: str, member: Member, billing_method_id: str,
                                 cvv: str, amount: Decimal) -> Cart:
        """Pay with one of the member's saved methods (members choose one every time)."""
        async def send(cert: EncryptionCertificate) -> Cart:
            body = bodies.member_payment(cart_id, billing_method_id, encrypt_cvv(cert, cvv), amount)
            return await self._as_member(member, lambda headers: self._payment(
                "member payment", event_id, cart_id, body, headers=headers))
        return await self._encrypted(send)

    async def member_billing_methods(self, cart_id: str, member: Member) -> tuple[BillingMethod, ...]:
        async def call(headers: Headers) -> tuple[BillingMethod, ...]:
            response = await self._path.cart_call("member billing methods", "GET", "/member/billing", cart_id,
                                                  params={"cart_id": cart_id}, headers=headers, idempotent=True)
            return BillingMethod.list_from_json(json_body(response))
        return await self._as_member(member, call)

    async def add_member_billing_method(self, cart_id: str, member: Member, card: CardDetails,
                                        contact: BillingContact) -> BillingMethod:
        async def send(cert: EncryptionCertificate) -> BillingMethod:
            body = bodies.member_billing_method(cart_id, card, encrypt_card(cert, card), contact)

            async def call(headers: Headers) -> BillingMethod:
                response = await self._path.cart_call("add member billing method", "POST", "/member/billing",
                                                      cart_id, json_payload=body, headers=headers)
                return BillingMethod.from_json(json_body(response).get("billing_method"))
            return await self._as_member(member, call)
        return await self._encrypted(send)

    async def _as_member(self, member: Member, call: Callable[[Headers], Awaitable[T]]) -> T:
        """Run ``call`` with the member's bearer token; renew it once if the service calls it invalid."""
        token = member if isinstance(member, str) else await member.access_token()
        try:
            return await call({"Authorization": f"Bearer {token}"})
        except InvalidApiKey as exc:
            if isinstance(member, str):
                raise SignInRequired(http_status=exc.http_status, server_message=exc.server_message) from None
            first = exc
        await member.refresh(stale=token)
        try:
            return await call({"Authorization": f"Bearer {await member.access_token()}"})
        except InvalidApiKey:
            raise SignInRequired(http_status=first.http_status, server_message=first.server_message) from None

    async def wallet_token(self, card: CardDetails, contact: BillingContact, *,
                           channel: str = bodies.WALLET_CHANNEL) -> WalletToken:
        """Exchange a card for an accountless wallet token (the wallet service, not the Partner API)."""
        response = await self._path.request("wallet token", "POST", "/token", base=self._path.config.wallet_base_url,
                                            key_param="apiKey",
                                            json_payload=bodies.wallet_token_request(card, contact, channel=channel))
        return WalletToken.from_json(json_body(response))
