"""The two steps of a sale that move money: sending the payment and placing the order.

``take_payment(page, session, member)`` takes what the payment page holds right now (the card
fields are empty before anything is sent) and starts the engine's call; ``send_payment(page,
taken)`` awaits it and puts the page back the way each refusal needs: a refused security code
keeps the card and asks for the code again, any other decline leaves nothing of the card, a
missing field is asked for at that field. Other errors are raised for the flow's banner.

``place_order(session, review)`` commits once; when the answer is lost, ``settle_in_doubt`` keeps
the review locked on "Checking whether the order went through…" while the engine settles it by the
core's one settle policy (``app.checkout.settle``: bounded, never a second commit) and shows its
answer: the order (returned), "did not go through, seats still held" (the review is usable again:
placing it again is the cashier's call), the hold ran out (the flow shows the released page), or
"still not known" with "Check again" (the review stays locked). None unless there is an order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from app.checkout.cash import cash_summary, change_due
from app.checkout.errors import CashNotEnough, CommitNotSettled
from app.checkout.session import CardSaved
from app.checkout.settle import DoubtOutcome
from app.gui.errors import describe
from app.gui.formatting import format_money
from app.gui.sale.payment import CARD, CASH, INVOICE, PaymentPage
from app.partner import errors as perr
from app.partner.models import BillingContact, CommitResult

log = logging.getLogger(__name__)
CHECKING_SENTENCE = "Checking whether the order went through…"
NO_ANSWER_YET = "The ticketing service did not answer; asking again."


@dataclass
class TakenPayment:
    """A payment on its way: the engine's call, the masked summary (``Discover ••••1006``), the buyer,
    and — only while the call runs — the card number, to put back if just the code is refused."""

    call: Awaitable[Any] = field(repr=False)
    summary: str
    buyer: BillingContact
    number: str | None = field(default=None, repr=False)
    note: str = ""  # said after the payment went through (a new card saved to the member's account, or not)
    change: str = ""  # cash: the change to give back, as shown ("$12.34"); empty for no change or no cash


def take_payment(page: PaymentPage, session, member) -> TakenPayment:
    """Start the payment the page holds; raises ``SignInRequired`` for a saved card without a member."""
    mode = page.mode()
    if mode == CARD:
        save = page.save_card_wanted() and bool(member)
        card, contact, summary = page.take_card_payment()
        call = session.pay_card_and_save(card, contact, member) if save else session.pay_card(card, contact)
        taken = TakenPayment(call, summary, contact, card.number)
        del card  # only the pending call (and the number in ``taken``) hold the card now
        return taken
    if mode == CASH:
        tendered, contact = page.cash_details()
        due, currency = session.cart.unpaid, session.cart.currency
        change = change_due(tendered, due)
        return TakenPayment(session.pay_cash(tendered, contact), cash_summary(tendered, due, currency), contact,
                            change=format_money(change, currency) if change else "")
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
        answer = await taken.call
    except perr.InvalidSecurityCode as exc:
        page.set_busy(False)
        page.ask_security_code_again(describe(exc).sentence, taken.number)
        return False
    except perr.PaymentError as exc:
        page.set_busy(False)
        page.show_declined(describe(exc).sentence)
        return False
    except CashNotEnough as exc:  # the amount due changed under the cashier's eyes: nothing was sent
        page.set_busy(False)
        page.show_cash_problem(str(exc))
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
    if isinstance(answer, CardSaved):
        taken.note = answer.problem or "The card was saved to the member's account."
    return True


async def place_order(session, review) -> CommitResult | None:
    """Commit once; an answer that was lost is settled (``settle_in_doubt``), never sent again."""
    try:
        return await session.commit()
    except CommitNotSettled:
        return await settle_in_doubt(session, review)


async def settle_in_doubt(session, review) -> CommitResult | None:
    """Settle a commit in doubt by the core's policy and show its answer on the review page."""
    review.lock(CHECKING_SENTENCE)
    report = await session.settle_in_doubt(on_retry=lambda _tries, _error: review.lock(
        f"{CHECKING_SENTENCE} {NO_ANSWER_YET}"))
    if report.outcome is DoubtOutcome.SOLD:
        return report.result
    if report.outcome is DoubtOutcome.NOT_SOLD_SEATS_HELD:
        review.unlock()
        review.status.setText(f"{report.sentence} The seats are still held; place it again when ready.")
    elif report.outcome is DoubtOutcome.STILL_UNKNOWN:
        review.show_still_unknown(report.sentence)
    return None  # NOT_SOLD_HOLD_OVER: the flow hears HoldExpired and shows the released page
