"""One sale's trace in the journal: what is written when, and what a journal that cannot be written
means for the sale (part of ``CheckoutSession``, by composition).

The rule, whatever the fault (locked by another program, disk full, folder read-only):

- **Nothing starts that the journal cannot trace.** The "reserving" row is written before a reserve
  is sent and the "committing" mark before a commit is sent; when either cannot be written, the
  request is not sent and ``JournalUnwritable`` says what was (not) done — no seats held, or the
  order not placed with the seats still held.
- **Nothing the service accepted is turned into a failure.** The completed order is written with
  its cart row closed, in one transaction; when that fails the order goes to the station's backlog
  (a spool file beside the journal, or memory: ``app.storage.backlog``), the sale completes anyway
  and ``completed`` returns the sentence that tells the cashier the station's record will catch up.
- Every other write (the cart id, the seats held, "abandoned", a closed row) is best effort: when
  it fails it is logged and the sale goes on; start-up recovery copes with a row a step behind.
  The reserve's answer (the cart id, the seats and total held) is written once the sale's next
  request has left, while its answer is awaited (the HTTP layer's ``when_sent``), rather than before
  that request is sent: the write costs 40-100 µs with the caches cold, and a sale on loopback spends
  ~0.5 ms in the engine. When no request follows it is written after ``HELD_WRITE_WAIT_SECONDS``.
  Writes keep their order: every other write, and ``flush()``, makes a waiting one first.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.storage.backlog import SPOOL_NAME, JournalBacklog
from app.storage.journal import Journal, OrderRecord
from app.storage.journalfaults import JournalError

from .errors import CheckoutError

log = logging.getLogger(__name__)
# The longest the reserve's answer waits for the sale's next request to leave before it is written
# anyway (a crash in between leaves recovery a row without its cart id).
HELD_WRITE_WAIT_SECONDS = 0.005
# How long the order's write waits for another process's transaction before the backlog takes it.
ORDER_WRITE_WAIT_SECONDS = 2.0


class JournalUnwritable(CheckoutError):
    """The journal could not be written, so a request was not sent; ``user_message`` says what that
    means for the sale (``consequence``) and what is wrong with the journal (``cause``)."""

    action = "retry"

    def __init__(self, consequence: str, cause: JournalError) -> None:
        self.consequence = consequence
        self.cause = cause
        super().__init__(f"{consequence} {cause.user_message}")

    @property
    def user_message(self) -> str:
        return str(self)


_WHY = {"locked": "it is in use by another program", "full": "the disk is full", "read_only": "it is read-only",
        "folder": "its path is a folder", "corrupt": "it is damaged"}


def catch_up_note(cause: JournalError, on_disk: bool) -> str:
    """What the cashier is told when a completed order could not be written to the journal."""
    where = ("It is kept beside the journal and will be added" if on_disk
             else "Box Office keeps it and will add it")
    return (f"The station's record of this sale will catch up: the journal could not be written just now "
            f"({_WHY.get(cause.kind, 'a disk error')}). {where} as soon as the journal can be written. "
            "The sale itself is done.")


class SaleRecord:
    """The journal row of one sale (``row``), written through one journal and one backlog."""

    def __init__(
        self, journal: Journal, backlog: JournalBacklog | None, *, on_kept: Callable[[], None] | None = None,
        when_sent: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.journal = journal
        self.backlog = (
            backlog
            if backlog is not None
            else JournalBacklog(lambda: journal, Path(journal.path).with_name(SPOOL_NAME))
        )
        self.row: int | None = None
        self._on_kept = on_kept
        self._waiting: list[tuple[str, Callable[[], None]]] = []  # updates made a little later (``update``)
        self._turn: asyncio.Handle | None = None
        self._when_sent = when_sent  # runs work once the client's next request has left

    # ----- writes that decide whether a request may be sent ----------------------------------
    def started(self, event_id: str, *, asked: str, **columns: Any) -> None:
        """The "reserving" row, before the reserve leaves. Raises ``JournalUnwritable``."""
        self.flush()
        try:
            self.row = self.journal.cart_started(event_id, process_id=os.getpid(), seats=asked, **columns)
        except JournalError as exc:
            raise JournalUnwritable("No seats were held.", exc) from None

    def committing(self, *, seats: str, grand_total: Decimal | None, currency_code: str,
                   details: Mapping[str, str] | None = None) -> None:
        """The "committing" mark, before the commit leaves, with what the receipt and the shift go by
        (``details``: how it was paid…, for an order a later start finds). Raises ``JournalUnwritable``."""
        if self.row is None:
            return
        self.flush()
        try:
            self.journal.cart_update(self.row, state="committing", seats=seats, grand_total=grand_total,
                                     currency_code=currency_code, details=details)
        except JournalError as exc:
            raise JournalUnwritable(
                "The order was not placed: nothing was charged and the seats are still held. "
                "Place it again in a moment.",
                exc,
            ) from None

    # ----- best-effort writes -----------------------------------------------------------------
    def _quietly(self, what: str, write: Callable[[], None]) -> bool:
        try:
            write()
            return True
        except JournalError as exc:
            log.warning("the journal could not record %s (%s); the sale goes on", what, exc.kind)
            return False

    def update(self, what: str, *, soon: bool = False, **changes: Any) -> None:
        """Change the open row; ``soon``: once the next request has left (``when_sent``), at the latest
        after ``HELD_WRITE_WAIT_SECONDS`` (at once where no loop runs)."""
        if self.row is None:
            return
        write = functools.partial(self.journal.cart_update, self.row, **changes)
        try:
            loop = asyncio.get_running_loop() if soon else None
        except RuntimeError:
            loop = None
        if loop is None:
            self.flush()
            self._quietly(what, write)
            return
        self._waiting.append((what, write))
        if self._turn is not None:
            return
        self._turn = loop.call_later(HELD_WRITE_WAIT_SECONDS, self.flush)
        if self._when_sent is not None:
            self._when_sent(self.flush)  # a no-op by then if the deadline or another write came first

    def flush(self) -> None:
        """Make the updates still waiting (``update(soon=True)``), in the order they were asked."""
        if self._turn is not None:
            self._turn.cancel()
            self._turn = None
        while self._waiting:
            what, write = self._waiting.pop(0)
            self._quietly(what, write)

    def closed(self) -> None:
        """The cart holds nothing any more (deleted, expired): the row goes."""
        self.flush()
        if self.row is not None:
            row, self.row = self.row, None
            self._quietly("a closed cart", lambda: self.journal.cart_closed(row))

    def hand_to_recovery(self) -> None:
        """A delete failed: the row stays as "abandoned" for the station to delete later."""
        self.flush()
        if self.row is not None:
            row, self.row = self.row, None
            self._quietly("an abandoned cart", lambda: self.journal.cart_state(row, "abandoned"))

    def recovery_note(self, kind: str, detail: str, **columns: Any) -> None:
        self.flush()
        self._quietly("a recovery note", lambda: self.journal.log_recovery(kind, detail, **columns))

    # ----- the completed order ----------------------------------------------------------------
    async def completed(self, record: OrderRecord) -> str | None:
        """Write the order and close the row; None when written, else the catch-up sentence.

        When the journal is free the write is made at once, here (a short transaction that waits
        for nobody: no worker thread, no extra turns of the loop). When it is busy (another thread
        of this program, or another process's transaction) the write waits for it on a worker
        thread, at most ``ORDER_WRITE_WAIT_SECONDS``, so the window's loop never waits for a lock;
        that write is shielded: the order is sold, so a cancelled caller still gets it recorded
        (or kept) once the write ends."""
        self.flush()
        row, self.row = self.row, None
        try:
            if self.journal.order_completed_at_once(row, record):
                return None
        except JournalError as exc:
            return self._keep(row, record, exc)
        write = asyncio.ensure_future(
            asyncio.to_thread(self.journal.order_completed, row, record, wait=ORDER_WRITE_WAIT_SECONDS)
        )
        try:
            await asyncio.shield(write)
        except asyncio.CancelledError:
            write.add_done_callback(lambda done: self._keep_if_failed(done, row, record))
            raise
        except JournalError as exc:
            return self._keep(row, record, exc)
        return None

    def _keep_if_failed(self, done: asyncio.Future[None], row: int | None, record: OrderRecord) -> None:
        exc = None if done.cancelled() else done.exception()
        if isinstance(exc, JournalError):
            self._keep(row, record, exc)

    def _keep(self, row: int | None, record: OrderRecord, exc: JournalError) -> str:
        log.error(
            "the completed order %s could not be written to the journal (%s); it is kept for later",
            record.order_number or "(number not received)",
            exc.kind,
        )
        on_disk = self.backlog.keep(row, record)
        if self._on_kept is not None:
            self._on_kept()
        return catch_up_note(exc, on_disk)
