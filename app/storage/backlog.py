"""Completed orders the journal could not take yet: kept in a spool file (or memory), written later.

Once the service has answered a commit with an order, the sale is done, whatever the journal does.
When the journal cannot be written at that moment (locked by another program, disk full, folder
read-only), the checkout hands the order to ``JournalBacklog.keep``: it is appended to
``journal-spool.jsonl`` beside the journal (one JSON line per order, flushed to disk, readable only
by its owner) or, when even that fails, kept in memory. ``flush()`` writes what is kept into the
journal — the station retries every few seconds while anything is kept, and once more when it
closes — and ``flush()`` at the next start replays what a run left in the spool. Writing an order
twice is harmless: ``Journal.order_completed`` keeps the first and closes only that sale's cart row.

The spool holds what the journal would: order number and token, seats, totals, never card data.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .journal import Journal, OrderRecord
from .journalfaults import JournalError

log = logging.getLogger(__name__)

SPOOL_NAME = "journal-spool.jsonl"
_MONEY = ("merchandise", "fees", "delivery", "tax", "grand_total")
# A retried write gives up quickly: the next try comes a few seconds later anyway.
FLUSH_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class PendingOrder:
    row_id: int | None  # the sale's open_carts row, closed when the order is written
    record: OrderRecord


def _to_line(entry: PendingOrder) -> str:
    data = dataclasses.asdict(entry.record)
    for key in _MONEY:
        data[key] = None if data[key] is None else str(data[key])
    return json.dumps({"row": entry.row_id, "order": data}, ensure_ascii=False, sort_keys=True) + "\n"


def _from_line(line: str) -> PendingOrder | None:
    try:
        data = json.loads(line)
        order = dict(data["order"])
        for key in _MONEY:
            order[key] = None if order.get(key) in (None, "") else Decimal(order[key])
        known = {f.name for f in dataclasses.fields(OrderRecord)}
        record = OrderRecord(**{k: v for k, v in order.items() if k in known})
        row = data.get("row")
        return PendingOrder(row if isinstance(row, int) else None, record)
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return None  # e.g. the last line of a run killed while writing it


class JournalBacklog:
    """Orders waiting for the journal. Safe to use from the loop thread and a worker thread."""

    def __init__(self, journal: Callable[[], Journal], spool_path: Path) -> None:
        self._journal = journal
        self.spool_path = Path(spool_path)
        self._memory: list[PendingOrder] = []
        self._lock = threading.Lock()

    # ----- keeping -----------------------------------------------------------------------------
    def keep(self, row_id: int | None, record: OrderRecord) -> bool:
        """Keep an order the journal refused. True when it is safe on disk (the spool), False when
        only this process's memory holds it (the spool could not be written either)."""
        entry = PendingOrder(row_id, record)
        with self._lock:
            try:
                self._append(entry)
                return True
            except OSError as exc:
                log.warning("the journal spool could not be written either (%s); the order is kept in memory",
                            exc.strerror or type(exc).__name__)
                self._memory.append(entry)
                return False

    def _append(self, entry: PendingOrder) -> None:
        self.spool_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.spool_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            start = os.lseek(fd, 0, os.SEEK_END)
            data = _to_line(entry).encode("utf-8")
            try:
                if os.write(fd, data) != len(data):
                    raise OSError(28, "short write to the journal spool")
                os.fsync(fd)
            except OSError:
                self._cut_back(fd, start)  # no half line may glue itself to the next one
                raise
        finally:
            os.close(fd)

    def _cut_back(self, fd: int, size: int) -> None:
        try:
            os.ftruncate(fd, size)
            if size == 0:
                self.spool_path.unlink(missing_ok=True)
        except OSError:
            pass

    # ----- reading -----------------------------------------------------------------------------
    def _spooled(self) -> list[PendingOrder]:
        try:
            text = self.spool_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("the journal spool could not be read: %s", exc)
            return []
        return [e for e in (_from_line(line) for line in text.splitlines() if line.strip()) if e is not None]

    def pending(self) -> list[OrderRecord]:
        """Every order still waiting for the journal (spool and memory), oldest first."""
        with self._lock:
            return [e.record for e in self._spooled() + self._memory]

    def __len__(self) -> int:
        return len(self.pending())

    def source_accounts(self) -> set[str]:
        """The sales (by ``source_account_id``) whose orders wait here: sold, whatever the journal says."""
        return {r.source_account_id for r in self.pending() if r.source_account_id}

    # ----- writing to the journal --------------------------------------------------------------
    def flush(self) -> int:
        """Write what is kept into the journal; the number written. What still cannot be written
        stays (nothing raises: the next try, or the next start, goes on)."""
        with self._lock:
            spooled, memory = self._spooled(), list(self._memory)
            if not spooled and not memory:
                return 0
            try:
                journal = self._journal()
            except JournalError as exc:
                log.info("the journal is still unavailable (%s)", exc.kind)
                return 0
            written = 0
            left_spool: list[PendingOrder] = []
            left_memory: list[PendingOrder] = []
            failed = False
            for entry, left in [(e, left_spool) for e in spooled] + [(e, left_memory) for e in memory]:
                if not failed:
                    try:
                        journal.order_completed(entry.row_id, entry.record, wait=FLUSH_WAIT_SECONDS)
                        written += 1
                        continue
                    except JournalError as exc:
                        log.info("the journal still cannot take a kept order (%s)", exc.kind)
                        failed = True
                left.append(entry)
            self._memory = left_memory
            if len(left_spool) != len(spooled):
                self._rewrite(left_spool)
            if written:
                log.info("%d kept order(s) written to the journal", written)
            return written

    def _rewrite(self, entries: list[PendingOrder]) -> None:
        try:
            if not entries:
                self.spool_path.unlink(missing_ok=True)
                return
            tmp = self.spool_path.with_name(self.spool_path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, "".join(_to_line(e) for e in entries).encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.spool_path)
        except OSError as exc:  # the written orders stay in the spool too: writing them again is harmless
            log.info("the journal spool could not be shortened: %s", exc)
