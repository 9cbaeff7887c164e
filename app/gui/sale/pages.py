"""The sale flow's pages after delivery, built lazily: ``SalePages`` owns the stack they live in and
the payment, review and confirmation pages.

Each page is built when first needed, and ahead of that one per 30 ms once the flow has started
and again once the delivery options are shown (``build_ahead``): building them all with the flow
took 20-40 ms in one slice of the GUI loop right after the reserve. A page is styled when built,
not in the slice that first shows it; ``wire`` (the flow's) connects each page's signals as it is
built.
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
        self._review: ReviewPage | None = None
        self._confirmation: ConfirmationPage | None = None

    @property
    def payment(self) -> PaymentPage:
        if self._payment is None:
            page = self._payment = self._add(PaymentPage(self._parent))
            cart = self._cart()
            if cart is not None:
                page.set_amount(cart.unpaid, cart.currency)
        return self._payment

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

    def build_ahead(self, *, all_left: bool = False) -> None:
        """Build the next page not built yet (then the next, 30 ms later); ``all_left``: all of them now."""
        for name in LATER_PAGES:
            if getattr(self, "_" + name) is None:
                getattr(self, name)
                if not all_left:
                    QTimer.singleShot(30, self._parent, self.build_ahead)
                    return

    def set_amount(self, cart) -> None:
        """The amount due changed: the payment page shows it (once built; it takes it when built)."""
        if self._payment is not None:
            self._payment.set_amount(cart.unpaid, cart.currency)

    def clear_card(self) -> None:
        """Empty the card fields (when the payment page exists)."""
        if self._payment is not None:
            self._payment.clear_secrets()
