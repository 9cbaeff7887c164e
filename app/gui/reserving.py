"""Holding seats: one reserve through a ``CheckoutSession``, with captcha and waiting line.

``Reserver.start(...)`` creates a sale on the station, solves the captcha first when the event asks
for one (and again when the service refuses a token), reserves, and reports progress as Qt
signals: ``busyChanged(text or None)``, ``waiting(seconds, round)`` while the service polls, then
``reserved(session)`` once a cart is held. ``cancel()`` abandons the sale: a reserve still polling
is stopped and its cart deleted by the engine. Failures are raised out of the task started with
``spawn`` (so they are logged and shown by the caller's ``on_error``); the sale is abandoned first
so nothing stays held.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from app.checkout.events import CheckoutState, PollingUpdate
from app.gui.asyncutil import spawn
from app.partner import errors as perr
from app.partner.models import ReserveRequest

log = logging.getLogger("boxoffice.gui.reserve")

CaptchaSolver = Callable[[str], Awaitable[str | None]]  # event id → token, None when cancelled
MAX_CAPTCHA_ATTEMPTS = 3


class Reserver(QObject):
    busyChanged = Signal(object)  # str while working, None when idle
    waiting = Signal(float, int)  # seconds until next try, polling round
    reserved = Signal(object)  # CheckoutSession with a held cart

    def __init__(self, station, solve_captcha: CaptchaSolver, parent=None) -> None:
        super().__init__(parent)
        self.station = station
        self._solve_captcha = solve_captcha
        self._session = None
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(
        self, event_id: str, event_name: str, request: ReserveRequest, *, captcha_required: bool,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> asyncio.Task:
        if self.running:
            raise RuntimeError("a reserve is already running")
        self._task = spawn(
            self._run(event_id, event_name, request, captcha_required),
            context=f"reserving seats for {event_id}", on_error=on_error,
        )
        return self._task

    def cancel(self) -> asyncio.Task | None:
        """Stop: abandon the sale (the engine deletes a cart the server may have made)."""
        session = self._session
        if session is None:
            if self._task is not None and not self._task.done():
                self._task.cancel()  # still in the captcha step: nothing is held
            return None
        return spawn(session.abandon(), context="cancelling the reservation")

    async def _run(self, event_id: str, event_name: str, request: ReserveRequest, captcha_required: bool) -> None:
        token: str | None = None
        try:
            if captcha_required:
                self.busyChanged.emit("Security check: waiting for the captcha to be solved…")
                token = await self._solve_captcha(event_id)
                if token is None:
                    return
            for attempt in range(1, MAX_CAPTCHA_ATTEMPTS + 1):
                session = self.station.new_sale(event_id, event_name=event_name)
                self._session = session
                unsubscribe = session.subscribe(self._on_session_event)
                self.busyChanged.emit(f"Holding {request.quantity} seat{'s' if request.quantity != 1 else ''}…")
                try:
                    await session.reserve(request, captcha_token=token)
                except (perr.CaptchaRequired, perr.InvalidCaptcha):
                    await self._abandon_quietly(session)
                    if attempt == MAX_CAPTCHA_ATTEMPTS:
                        raise
                    self.busyChanged.emit("The service asks for a (new) security check…")
                    token = await self._solve_captcha(event_id)
                    if token is None:
                        return
                    continue
                except perr.PollingCancelled:
                    return
                except BaseException:
                    await self._abandon_quietly(session)
                    raise
                finally:
                    unsubscribe()
                if session.state is CheckoutState.RESERVED:
                    self._session = None
                    self.reserved.emit(session)
                return
        finally:
            self._session = None
            self.busyChanged.emit(None)

    async def _abandon_quietly(self, session) -> None:
        try:
            await session.abandon()
        except Exception:  # the failure being reported matters more; recovery cleans up later
            log.exception("abandoning a failed reserve failed")

    def _on_session_event(self, event) -> None:
        if isinstance(event, PollingUpdate):
            progress = event.progress
            self.waiting.emit(float(progress.seconds_until_next_try), int(progress.round))
