"""A sale's errors, each a plain sentence with one action: ``SaleErrors`` owns the flow's error banner
and the retry its action runs.

A hold that ran out (or a cart the service no longer knows) is not an error to read: the flow shows
its released page instead. Otherwise the banner says the sentence (``app.gui.errors``) and offers the
one action: Retry runs the step that failed again, "Pick other seats" asks whether to cancel the sale,
"Sign in again" asks the window to sign the member in (the sale keeps its cart); any other action
puts the cursor back on the current page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.checkout.states import CheckoutState
from app.gui.errorbanner import ErrorBanner
from app.gui.errors import ActionKind
from app.partner import errors as perr

if TYPE_CHECKING:
    from app.gui.sale.flow import SaleFlow


class SaleErrors:
    """Shows ``flow``'s errors in ``banner`` and answers the banner's action."""

    def __init__(self, flow: SaleFlow) -> None:
        self._flow = flow
        self._retry: Callable[[], object] | None = None
        self.banner = ErrorBanner(flow)
        self.banner.actionRequested.connect(self._on_action)

    def show(self, exc: BaseException, retry: Callable[[], object] | None = None) -> None:
        """``exc`` in words with its action; ``retry`` is what Retry does (None: no retry)."""
        if self._flow.session.state is CheckoutState.EXPIRED or isinstance(exc, perr.InvalidCart):
            self._flow.show_released()
            return
        self._retry = retry
        self.banner.show_error(exc)

    def _on_action(self, action: ActionKind) -> None:
        flow = self._flow
        retry, self._retry = self._retry, None
        if action in (ActionKind.RETRY, ActionKind.WAIT_AND_RETRY) and retry is not None:
            retry()
        elif action is ActionKind.PICK_OTHER_SEATS and flow.can_cancel():
            flow.request_cancel()
        elif action is ActionKind.SIGN_IN_AGAIN:
            flow.signInRequested.emit()  # the window signs the member in; this sale keeps its cart
        else:
            page = flow.stack.currentWidget()
            if hasattr(page, "focus_first"):
                page.focus_first()
