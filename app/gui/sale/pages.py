"""The sale flow's pages after delivery, built lazily: ``SalePages`` owns the stack they live in and
the payment, review and confirmation pages.

Each page is built when first needed, and ahead of that one per 30 ms once the flow has started
and again once the delivery options are shown (``build_ahead``): building them all with the flow
took 20-40 ms in one slice of the GUI loop right after the reserve. The payment form, ~25 ms by
itself, is built ahead a part per turn of the loop (``PaymentPage(in_parts=True)``); asked for
before its last part, it is finished there and then. A page is styled when built, not in the slice
that first shows it; ``wire`` (the flow's) connects each page's signals as it is built.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.gui.sale.confirmation import ConfirmationPage
from app.gui.sale.payment import PaymentPage
from app.gui.sale.review import ReviewPage

LATER_PAGES = ("payment", "review", "confirmation")


class SalePages:
    """The stack of ``parent``'s pages; ``cart()`` is the session's cart now (the payment page's
    amount), ``wire(page)`` connects a page just built."""

    def __init__(self, parent: QWidget, cart: Callable[[], object], wire: Callable[[QWidget], None]) -> None:
        self._parent = parent
        self._cart = cart
        self._wire = wire
        self.stack = QStackedWidget(parent)
        self._payment: PaymentPage | None = None
        self._payment_in_parts: PaymentPage | None = None  # being built ahead, a part per turn
        self._review: ReviewPage | None = None
        self._confirmation: ConfirmationPage | None = None

    @property
    def payment(self) -> PaymentPage:
        return self._payment if self._payment is not None else self._finish_payment()

    def _finish_payment(self) -> PaymentPage:
        page, self._payment_in_parts = self._payment_in_parts or PaymentPage(self._parent), None
        page.finish_building()
        self._payment = self._add(page)
        cart = self._cart()
        if cart is not None:
            page.set_amount(cart.unpaid, cart.currency)
        return page

    @property
    def review(self) -> ReviewPage:
        if self._review is None:
            self._review = self._add(ReviewPage(self._parent))
        return self._review

    @property
    def confirmation(self) -> ConfirmationPage:
        if self._confirmation is None:
            self._confirmation = self._add(ConfirmationPage(self._parent))
        return self._confirmation

    def _add(self, page):
        self.stack.addWidget(page)
        page.ensurePolished()  # styled now, not in the slice that first shows it
        self._wire(page)
        return page

    def built(self) -> tuple[str, ...]:
        """The later pages built so far, in order."""
        return tuple(name for name in LATER_PAGES if getattr(self, "_" + name) is not None)

    def building(self) -> str | None:
        """The page being built ahead a part at a time, if one is."""
        return "payment" if self._payment_in_parts is not None else None

    def build_ahead(self, *, all_left: bool = False) -> None:
        """Build the next page not built yet (then the next, 30 ms later); ``all_left``: all of them now.
        The payment page goes a part per turn of the loop (``_next_payment_part``)."""
        if all_left:
            for name in LATER_PAGES:
                getattr(self, name)
        elif self._payment is None:
            if self._payment_in_parts is None:  # else its parts are on their way already
                self._payment_in_parts = PaymentPage(self._parent, in_parts=True)
                QTimer.singleShot(0, self._parent, self._next_payment_part)
        else:
            for name in LATER_PAGES:
                if getattr(self, "_" + name) is None:
                    getattr(self, name)
                    QTimer.singleShot(30, self._parent, self.build_ahead)
                    return

    def _next_payment_part(self) -> None:
        page = self._payment_in_parts
        if page is None:  # finished meanwhile, when it was asked for
            return
        if page.build_part():
            QTimer.singleShot(0, self._parent, self._next_payment_part)
        else:
            self._finish_payment()  # into the stack, styled, wired, given the amount
            QTimer.singleShot(30, self._parent, self.build_ahead)

    def set_amount(self, cart) -> None:
        """The amount due changed: the payment page shows it (once built; it takes it when built)."""
        if self._payment is not None:
            self._payment.set_amount(cart.unpaid, cart.currency)

    def clear_card(self) -> None:
        """Empty the card fields (when the payment page exists)."""
        if self._payment is not None:
            self._payment.clear_secrets()
