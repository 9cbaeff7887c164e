"""Holding seats: one reserve through a ``CheckoutSession``, with captcha and waiting line.

``Reserver.start(...)`` creates a sale on the station, solves the captcha first when the event asks
for one (and again when the service refuses a token), reserves, and reports progress as Qt
signals: ``busyChanged(text or None)``, ``waiting(seconds, round)`` while the service polls, then
``reserved(session)`` once a cart is held. When the cart holds other seats than the ones picked
(the engine's ``seat_difference``), the cashier is asked first — "Keep these seats" or "Release
them" (``otherSeatsDialog``, release is the default) — and released seats end the reserve with
``OtherSeatsReleased``. ``cancel()`` abandons the sale: a reserve still polling is stopped and its
cart deleted by the engine. Failures are raised out of the task started with
``spawn`` (so they are logged and shown by the caller's ``on_error``); the sale is abandoned first
so nothing stays held.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from app.checkout.notices import PollingUpdate
from app.checkout.seats import OtherSeatsReleased
from app.checkout.states import CheckoutState
from app.gui.asyncutil import spawn
from app.partner import errors as perr
from app.partner.models import ReserveRequest

log = logging.getLogger(__name__)

CaptchaSolver = Callable[[str], Awaitable[str | None]]  # event id → token, None when cancelled
SeatsQuestion = Callable[[str], Awaitable[bool]]  # the difference in words → keep them?
MAX_CAPTCHA_ATTEMPTS = 3


class Reserver(QObject):
    busyChanged = Signal(object)  # str while working, None when idle
    waiting = Signal(float, int)  # seconds until next try, polling round
    reserved = Signal(object)  # CheckoutSession with a held cart

    def __init__(self, station, solve_captcha: CaptchaSolver, parent=None, *,
                 keep_other_seats: SeatsQuestion | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self._solve_captcha = solve_captcha
        self._keep_other_seats = keep_other_seats or self._ask_about_other_seats
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
                session = self.station.new_sale(event_id, event_name=event_name, hide_row_seat=self._hide_row_seat())
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
                if session.state is CheckoutState.RESERVED and session.seat_difference is not None:
                    await self._agree_on_seats(session)
                if session.state is CheckoutState.RESERVED:
                    self._session = None
                    self.reserved.emit(session)
                return
        finally:
            self._session = None
            self.busyChanged.emit(None)

    def _hide_row_seat(self) -> bool:
        """The page that owns this reserver shows the event's availability: it says whether row and
        seat names may be shown (``locRowSeatRestrict``)."""
        availability = getattr(self.parent(), "availability", None)
        return bool(getattr(availability, "loc_row_seat_restrict", False))

    async def _agree_on_seats(self, session) -> None:
        """Other seats than the picked ones are held: keep them only when the cashier says so."""
        difference = session.seat_difference
        hide = session.hide_row_seat
        self.busyChanged.emit("Other seats than the ones picked are held: keep them?")
        keep = await self._keep_other_seats(difference.sentence(hide_names=hide))
        if keep and session.state is CheckoutState.RESERVED:
            session.accept_seats()
            return
        await self._abandon_quietly(session)
        raise OtherSeatsReleased(difference, hide_names=hide, hint="Pick other seats, or try again.")

    async def _ask_about_other_seats(self, sentence: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        parent = self.parent()
        box = QMessageBox(QMessageBox.Icon.Question, "Other seats held",
                          f"{sentence}\n\nKeep them only if the buyer agrees.",
                          QMessageBox.StandardButton.NoButton, parent.window() if parent is not None else None)
        box.setObjectName("otherSeatsDialog")
        keep = box.addButton("Keep these seats", QMessageBox.ButtonRole.AcceptRole)
        keep.setObjectName("keepOtherSeatsButton")
        release = box.addButton("Release them", QMessageBox.ButtonRole.RejectRole)
        release.setObjectName("releaseOtherSeatsButton")
        box.setDefaultButton(release)
        box.setEscapeButton(release)
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        box.buttonClicked.connect(lambda button: answer.done() or answer.set_result(button is keep))
        box.finished.connect(lambda _result: answer.done() or answer.set_result(False))
        box.open()
        try:
            return await answer
        finally:
            box.deleteLater()

    async def _abandon_quietly(self, session) -> None:
        try:
            await session.abandon()
        except Exception:  # the failure being reported matters more; recovery cleans up later
            log.exception("abandoning a failed reserve failed")

    def _on_session_event(self, event) -> None:
        if isinstance(event, PollingUpdate):
            progress = event.progress
            self.waiting.emit(float(progress.seconds_until_next_try), int(progress.round))
