"""What the sale's engine says, shown on the flow: ``SessionWatch`` owns the subscription to the
``CheckoutSession``'s events and the hold clock's ticker.

Every cart answer updates the cart pane and the amount due; an expired hold shows the released page;
polling shows "Waiting in line — next try in N s" on the current page; a commit in doubt locks the
review page with the checking sentence; a sale that ended elsewhere (the window closing) closes the
cancel question and empties the card fields. The ticker counts the hold down on the pane four times
a second. ``stop()`` ends both (the sale is over); ``stop_clock()`` only the ticker (nothing is held).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from app.checkout.notices import CartUpdated, CommitInDoubt, HoldExpired, PollingUpdate, StateChanged
from app.gui.sale.steps import CHECKING_SENTENCE

if TYPE_CHECKING:
    from app.gui.sale.flow import SaleFlow


class SessionWatch:
    """Listens to ``flow.session`` and shows its events on ``flow``; starts at once."""

    def __init__(self, flow: SaleFlow) -> None:
        self._flow = flow
        self._unsubscribe = flow.session.subscribe(self._on_session_event)
        # Deleted without ending (the window closing): stop listening; captures no reference to the flow.
        flow.destroyed.connect(lambda *_args, unsubscribe=self._unsubscribe: unsubscribe())
        self._ticker = QTimer(flow)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()

    def stop_clock(self) -> None:
        self._ticker.stop()

    def stop(self) -> None:
        """The sale is over: no more clock, no more events."""
        self._ticker.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def tick(self) -> None:
        self._flow.pane.set_hold(self._flow.session.seconds_left(), self._flow.session.hold_length)

    def _on_session_event(self, event) -> None:
        flow = self._flow
        if isinstance(event, StateChanged):
            # "Cancel sale" only while there is a cart to release and nothing is being committed.
            flow.pane.cancel_button.setEnabled(flow.can_cancel())
            if event.new.terminal:  # abandoned from elsewhere too (e.g. the window closing)
                flow.cancel_question.dismiss()
                flow.clear_card()
        elif isinstance(event, CartUpdated):
            flow.pane.set_cart(event.cart)
            flow.pages.set_amount(event.cart)
        elif isinstance(event, HoldExpired):
            flow.show_released()
        elif isinstance(event, PollingUpdate):
            seconds = max(0, round(event.progress.seconds_until_next_try))
            self._status(f"Waiting in line — next try in {seconds} s")
        elif isinstance(event, CommitInDoubt):
            flow.review.lock(CHECKING_SENTENCE)

    def _status(self, text: str) -> None:
        flow = self._flow
        page = flow.stack.currentWidget()
        if page is flow.shipping:
            flow.shipping.status.setText(text)
        elif page is flow.payment:
            flow.payment.hint.setText(text)
        elif page is flow.review:
            flow.review.status.setText(text)
