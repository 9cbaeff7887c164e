"""The signed-in member's saved cards for one sale: listed on the payment page when the sale
starts, and again whenever a member signs in or out while the seats are held (``changed``); hidden
when nobody is signed in. ``member`` is the sale's member source: a MemberSession, a bearer token, a
function answering the current one, or None."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.checkout.states import CheckoutState
from app.gui.asyncutil import spawn

S = CheckoutState


class MemberCards:
    """Asks the sale (``session.member_billing_methods``) and tells the payment page (``page()``)."""

    def __init__(self, member, session, page: Callable[[], object], on_error: Callable[[BaseException], None]) -> None:
        self._member = member
        self._session = session
        self._page = page
        self._on_error = on_error

    def member(self):
        """The signed-in member now (None when nobody is)."""
        return self._member() if callable(self._member) else self._member

    async def load(self, *, hide_when_nobody: bool = True) -> None:
        member = self.member()
        if not member:
            if hide_when_nobody:
                self._page().set_member_methods(None)
            return
        methods = await self._session.member_billing_methods(member)
        if self.member() is member:  # the member did not change again while their cards came
            self._page().set_member_methods(tuple(methods))

    def changed(self) -> asyncio.Task | None:
        """A member signed in or out: list the new member's cards, or hide them (while seats are held)."""
        if self._session.state not in (S.RESERVED, S.SHIPPING_CHOSEN):
            return None
        return spawn(self.load(), context="sale: loading the member's saved cards", on_error=self._on_error)
