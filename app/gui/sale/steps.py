"""The two steps of a sale that move money: sending the payment and placing the order.

``take_payment(page, session, member)`` takes what the payment page holds right now (the card
fields are empty before anything is sent) and starts the engine's call; ``send_payment(page,
taken)`` awaits it and puts the page back the way each refusal needs: a refused security code
keeps the card and asks for the code again, any other decline leaves nothing of the card, a
missing field is asked for at that field. Other errors are raised for the flow's banner.

``place_order(session, review)`` commits once; when the answer is lost it keeps the review locked
on "Checking whether the order went through…" and asks the engine until it knows. It answers the
order, or None when the order did not go through (the review says so; the seats are still held).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from app.checkout.errors import CommitNotSettled
from app.checkout.states import CheckoutState
from app.gui.errors import describe
from app.gui.sale.payment import CARD, INVOICE, PaymentPage
from app.partner import errors as perr
from app.partner.models import BillingContact, CommitResult

log = logging.getLogger("boxoffice.gui.sale")
CHECKING_SENTENCE = "Checking whether the order went through…"
SETTLE_RETRY_SECONDS = 3.0


@dataclass
class TakenPayment:
    """A payment on its way: the engine's call, the masked summary (``Discover ••••1006``), the buyer,
    and — only while the call runs — the card number, to put back if just the code is refused."""

    call: Awaitable[Any] = field(repr=False)
    summary: str
    buyer: BillingContact
    number: str | None = field(default=None, repr=False)


def take_payment(page: PaymentPage, session, member) -> TakenPayment:
    """Start the payment the page holds; raises ``SignInRequired`` for a saved card without a member."""
    mode = page.mode()
    if mode == CARD:
        card, contact, summary = page.take_card_payment()
        taken = TakenPayment(session.pay_card(card, contact), summary, contact, card.number)
        del card  # only the pending call (and the number in ``taken``) hold the card now
        return taken
    if mode == INVOICE:
        reference, contact, summary = page.invoice_details()
        return TakenPayment(session.pay_invoice(reference, contact), summary, contact)
    chosen, summary = page.take_member_payment()
    if not member:
        raise perr.SignInRequired()
    method = chosen.method
    call = session.pay_member(member, method.id, chosen.cvv)
    del chosen
    buyer = BillingContact(first_name=method.first_name or "", last_name=method.last_name or "",
                           phone=method.phone or "")
    return TakenPayment(call, summary, buyer)


async def send_payment(page: PaymentPage, taken: TakenPayment) -> bool:
    """True once the payment is on the cart; False when the page now shows why it was refused.
    The page is usable again (not busy) before it shows anything."""
    try:
        await taken.call
    except perr.InvalidSecurityCode as exc:
        page.set_busy(False)
        page.ask_security_code_again(describe(exc).sentence, taken.number)
        return False
    except perr.PaymentError as exc:
        page.set_busy(False)
        page.show_declined(describe(exc).sentence)
        return False
    except perr.InvalidInput as exc:
        page.set_busy(False)
        page.clear_secrets()
        if not page.require_fields(tuple(exc.missing_fields)):
            raise
        page.hint.setText(describe(exc).sentence)
        return False
    except BaseException:
        page.set_busy(False)
        page.clear_secrets()
        raise
    finally:
        taken.number = None
        taken.call = None
    page.set_busy(False)
    return True


async def place_order(session, review) -> CommitResult | None:
    try:
        return await session.commit()
    except CommitNotSettled:
        review.lock(CHECKING_SENTENCE)
    return await _settle(session, review)


async def _settle(session, review) -> CommitResult | None:
    """Ask the engine until it knows whether the order exists; nothing else may happen first."""
    while True:
        try:
            result = await session.settle()
            break
        except perr.PartnerError as exc:
            log.warning("settling the commit failed, trying again: %s", exc)
            review.lock(f"{CHECKING_SENTENCE} (the service did not answer; next try in {SETTLE_RETRY_SECONDS:.0f} s)")
            await asyncio.sleep(SETTLE_RETRY_SECONDS)
    if result is not None:
        return result
    if session.state is CheckoutState.PAID:
        review.unlock()
        review.status.setText("The order did not go through, and the seats are still held. Place it again when ready.")
    return None
