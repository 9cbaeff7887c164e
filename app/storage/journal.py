"""The station's journal: every cart it opened, every order it completed, and what recovery did.

One SQLite database (WAL mode) in the data folder, shared by the window and the command line
(several processes may open it; writes are short transactions with a busy timeout). Three tables:

``open_carts``
    One row per purchase attempt from the moment a reserve is sent until the cart is closed
    (committed, deleted, expired). ``cart_id`` is empty while a reserve is still being answered;
    ``state`` is written at the moments recovery needs it: ``reserving`` (sent), ``reserved`` (with
    the cart id, seats and total), ``committing`` / ``commit_in_doubt`` (with what is being bought);
    ``abandoned`` when a delete failed. Shipping and payment steps are not written (fewer writes
    per sale); recovery treats every state before ``committing`` alike. A row still here at start-up was left by a
    crash: recovery cleans it up.
``orders``
    One row per completed order: number, token, event, seats, totals (decimal strings), currency,
    redemption URL, time (UTC, ISO 8601), station user, and the cart it came from. A commit whose
    answer was lost but which the server shows went through is recorded with ``confirmed = 0``.
``recovery_log``
    What the station did on its own: carts deleted at start-up, commits settled after a fault.

No card data ever reaches this file: there is no column for it, and callers pass none. The file
(and SQLite's ``-wal``/``-shm`` beside it) is readable only by its owner (0600).

Faults come out as ``JournalError`` (see ``journalfaults``): a locked, full or read-only journal,
or a path that is a folder, is said in plain words and the file is left as it is. A journal that is
not a database (or a damaged one) is set aside as ``journal.sqlite3.corrupt-<time>`` when it is
opened and a new one is started; ``notices`` then says so.
The object is safe to share between threads and asyncio tasks: one connection, one lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .journalfaults import FOLDER, JournalError, is_damaged, journal_error, set_aside
from .journalrecords import (
    ADDED_COLUMNS,
    SCHEMA,
    OpenCart,
    OrderRecord,
    RecoveryEntry,
    Shift,
    detail_text,
    money_from_text,
    money_text,
    utc_now,
)

__all__ = ["BUSY_TIMEOUT_SECONDS", "Journal", "OpenCart", "OrderRecord", "RecoveryEntry", "Shift", "utc_now"]

# How long a write waits for another process's transaction on the journal (they take milliseconds).
BUSY_TIMEOUT_SECONDS = 2.0


class Journal:
    """The journal database. Open with ``Journal(path)``; ``close()`` when done.

    Raises ``JournalError`` (from the constructor and from every method) when the file cannot be
    used; ``notices`` lists what the user should be told about opening it (a damaged file set aside)."""

    def __init__(self, path: Path | str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = Path(path)
        self.notices: list[str] = []
        self._busy_timeout = busy_timeout
        self._lock = threading.Lock()
        memory = str(path) == ":memory:"
        if not memory:
            self._prepare_file()
        try:
            self._db = self._connect()
        except (sqlite3.Error, OSError) as exc:
            if memory or not is_damaged(exc):
                raise journal_error(exc, self.path) from None
            try:
                kept = set_aside(self.path)
                self._prepare_file()
                self._db = self._connect()
            except (sqlite3.Error, OSError) as again:
                raise journal_error(again, self.path) from None
            self.notices.append(
                f"The station's journal could not be read (the file was damaged), so a new, empty journal was "
                f"started. The old file was kept as {kept.name} in {kept.parent}; the orders recorded before "
                "are in it."
            )
        if not memory:
            self._tighten_modes()

    def _prepare_file(self) -> None:
        """The folder exists and the file is there, readable only by its owner (never a folder)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_dir():
                raise JournalError(FOLDER, self.path)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as exc:
            raise journal_error(exc, self.path) from None

    def _tighten_modes(self) -> None:
        for name in (self.path.name, self.path.name + "-wal", self.path.name + "-shm"):
            # Not there yet, or not ours to change: SQLite copies the main file's mode.
            with contextlib.suppress(OSError):
                os.chmod(self.path.with_name(name), 0o600)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=self._busy_timeout, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA busy_timeout={int(self._busy_timeout * 1000)}")
            # Durable across a crash of the program (what recovery needs); only a power cut may
            # lose the last moments. Spares an fsync per write on the purchase path.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            _add_missing_columns(db)
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except sqlite3.Error as exc:
                raise journal_error(exc, self.path) from None

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[sqlite3.Row]:
        with self._lock:
            try:
                return iter(self._db.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise journal_error(exc, self.path) from None

    # ----- carts -----------------------------------------------------------------------------
    def cart_started(
        self,
        event_id: str,
        *,
        event_name: str = "",
        source_account_id: str = "",
        station_user: str = "",
        process_id: int = 0,
        run_id: str = "",
        backend: str = "",
        seats: str = "",
    ) -> int:
        """A reserve is about to be sent; returns the row id that follows this attempt.

        ``run_id`` names the running station (see ``runlock``) so start-up recovery can tell a
        cart left by a crashed run from one a live window is still selling; ``backend`` names the
        server that holds the cart (its Partner API URL, or ``embedded`` for the embedded sandbox);
        ``seats`` says what is being asked for until the answer says what is held."""
        now = utc_now()
        cursor = self._execute(
            "INSERT INTO open_carts (event_id, event_name, source_account_id, state, opened_at,"
            " updated_at, station_user, process_id, run_id, backend, seats)"
            " VALUES (?, ?, ?, 'reserving', ?, ?, ?, ?, ?, ?, ?)",
            (event_id, event_name, source_account_id, now, now, station_user, process_id, run_id, backend, seats),
        )
        assert cursor.lastrowid is not None  # an INSERT always names its row
        return cursor.lastrowid

    def cart_update(
        self,
        row_id: int,
        *,
        state: str | None = None,
        cart_id: str | None = None,
        seats: str | None = None,
        grand_total: Decimal | None = None,
        currency_code: str | None = None,
        details: Mapping[str, str] | None = None,
    ) -> None:
        """Record what changed about an open cart, in one write: its state, the id the server gave
        it, and what it holds (seats, total) from its latest answer; ``details``: the sale's
        ``DETAIL_KEYS`` (how it is paid, the buyer's name…), never card data beyond the last four."""
        changes: dict[str, str] = {"updated_at": utc_now()}
        if state is not None:
            changes["state"] = state
        if cart_id is not None:
            changes["cart_id"] = cart_id
        if seats is not None:
            changes["seats"] = seats
        if grand_total is not None:
            changes["grand_total"] = money_text(grand_total)
        if currency_code is not None:
            changes["currency_code"] = currency_code
        if details is not None:
            changes["details"] = detail_text(details)
        columns = ", ".join(f"{name} = ?" for name in changes)  # names are this method's own
        self._execute(f"UPDATE open_carts SET {columns} WHERE id = ?", (*changes.values(), row_id))

    def cart_identified(self, row_id: int, cart_id: str) -> None:
        """The server named the cart (from a reserve answer or its polling URL)."""
        self.cart_update(row_id, cart_id=cart_id)

    def cart_state(self, row_id: int, state: str) -> None:
        self.cart_update(row_id, state=state)

    def cart_closed(self, row_id: int) -> None:
        """The cart no longer holds anything on the server (committed, deleted or expired)."""
        self._execute("DELETE FROM open_carts WHERE id = ?", (row_id,))

    def open_carts(self) -> list[OpenCart]:
        return [OpenCart(**dict(row)) for row in self._rows("SELECT * FROM open_carts ORDER BY id")]

    # ----- orders ----------------------------------------------------------------------------
    def order_completed(self, row_id: int | None, order: OrderRecord, *, wait: float | None = None) -> None:
        """Store the order and close its cart in one transaction (a crash leaves both or neither).

        Idempotent: an order already stored (same token or cart) is kept, and the cart row is
        closed only if it is still this sale's (same ``source_account_id``), so writing the same
        order again later (see ``backlog``) is harmless. ``wait``: the longest this write waits
        for another process's transaction (default: the journal's busy timeout)."""
        with self._lock:
            try:
                self._write_order(row_id, order, wait)
            except sqlite3.Error as exc:
                raise journal_error(exc, self.path) from None

    def order_completed_at_once(self, row_id: int | None, order: OrderRecord) -> bool:
        """``order_completed`` if it can be done without waiting at all: False (nothing written)
        when another thread of this program is using the journal or another connection holds its
        write lock, so the caller can wait for it elsewhere (the checkout: on a worker thread,
        never on the window's loop). Raises ``JournalError`` for any other fault."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            self._write_order(row_id, order, 0.0)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY" and not self._db.in_transaction:
                return False  # another connection's transaction: not begun here, try again with a wait
            raise journal_error(exc, self.path) from None
        except sqlite3.Error as exc:
            raise journal_error(exc, self.path) from None
        finally:
            self._lock.release()
        return True

    def _write_order(self, row_id: int | None, order: OrderRecord, wait: float | None) -> None:
        """The order's transaction; the caller holds ``_lock``."""
        if wait is not None:
            self._db.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(self._INSERT_ORDER, self._order_values(order))
                if row_id is not None:
                    self._db.execute(
                        "DELETE FROM open_carts WHERE id = ? AND source_account_id = ?",
                        (row_id, order.source_account_id),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        finally:
            if wait is not None:
                self._db.execute(f"PRAGMA busy_timeout={int(self._busy_timeout * 1000)}")

    def record_order(self, order: OrderRecord) -> None:
        """Store a completed order (idempotent per order token and per cart)."""
        self._execute(self._INSERT_ORDER, self._order_values(order))

    _INSERT_ORDER = (
        "INSERT OR IGNORE INTO orders (order_number, order_token, event_id, event_name, cart_id,"
        " source_account_id, seats, merchandise, fees, delivery, tax, grand_total, currency_code,"
        " redemption_url, completed_at, station_user, confirmed, details, shift_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " COALESCE(?, (SELECT id FROM shifts WHERE closed_at = '' ORDER BY id DESC LIMIT 1), 0))"
    )

    @staticmethod
    def _order_values(order: OrderRecord) -> tuple[Any, ...]:
        return (
            order.order_number,
            order.order_token,
            order.event_id,
            order.event_name,
            order.cart_id,
            order.source_account_id,
            order.seats,
            money_text(order.merchandise),
            money_text(order.fees),
            money_text(order.delivery),
            money_text(order.tax),
            money_text(order.grand_total),
            order.currency_code,
            order.redemption_url,
            order.completed_at or utc_now(),
            order.station_user,
            int(order.confirmed),
            detail_text(order.details),
            order.shift_id or None,
        )

    def orders(self, limit: int = 100) -> list[OrderRecord]:
        """The most recent orders, newest first."""
        return [self._order(row) for row in self._rows("SELECT * FROM orders ORDER BY id DESC LIMIT ?", (limit,))]

    def order_for_cart(self, cart_id: str) -> OrderRecord | None:
        rows = list(self._rows("SELECT * FROM orders WHERE cart_id = ? AND cart_id != ''", (cart_id,)))
        return self._order(rows[0]) if rows else None

    def order_by_token(self, order_token: str) -> OrderRecord | None:
        rows = list(self._rows("SELECT * FROM orders WHERE order_token = ? AND order_token != ''", (order_token,)))
        return self._order(rows[0]) if rows else None

    @staticmethod
    def _order(row: sqlite3.Row) -> OrderRecord:
        data = dict(row)
        data.pop("id")
        for key in ("merchandise", "fees", "delivery", "tax", "grand_total"):
            data[key] = money_from_text(data[key])
        data["confirmed"] = bool(data["confirmed"])
        try:
            details = json.loads(data.get("details") or "{}")
        except ValueError:
            details = {}
        data["details"] = details if isinstance(details, dict) else {}
        return OrderRecord(**data)

    def orders_of_shift(self, shift_id: int) -> list[OrderRecord]:
        """A shift's orders, oldest first."""
        return [self._order(row) for row in self._rows("SELECT * FROM orders WHERE shift_id = ? ORDER BY id",
                                                        (shift_id,))]

    # ----- shifts ----------------------------------------------------------------------------
    def open_shift(self, *, station_name: str = "", opened_by: str = "") -> Shift:
        """The shift open now, opening one when none is."""
        current = self.current_shift()
        if current is not None:
            return current
        self._execute("INSERT INTO shifts (opened_at, station_name, opened_by) VALUES (?, ?, ?)",
                      (utc_now(), station_name, opened_by))
        opened = self.current_shift()
        assert opened is not None
        return opened

    def current_shift(self) -> Shift | None:
        rows = list(self._rows("SELECT * FROM shifts WHERE closed_at = '' ORDER BY id DESC LIMIT 1"))
        return Shift(**dict(rows[0])) if rows else None

    def close_shift(self, shift_id: int) -> Shift:
        """Close the shift (its orders stay its own); returns it as closed."""
        self._execute("UPDATE shifts SET closed_at = ? WHERE id = ? AND closed_at = ''", (utc_now(), shift_id))
        return self.shift(shift_id)

    def shift(self, shift_id: int) -> Shift:
        rows = list(self._rows("SELECT * FROM shifts WHERE id = ?", (shift_id,)))
        if not rows:
            raise KeyError(shift_id)
        return Shift(**dict(rows[0]))

    def shifts(self, limit: int = 50) -> list[Shift]:
        return [Shift(**dict(row)) for row in self._rows("SELECT * FROM shifts ORDER BY id DESC LIMIT ?", (limit,))]

    # ----- recovery log ----------------------------------------------------------------------
    def log_recovery(
        self, kind: str, detail: str, *, event_id: str = "", cart_id: str = "", order_number: str = ""
    ) -> None:
        self._execute(
            "INSERT INTO recovery_log (time, kind, event_id, cart_id, order_number, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (utc_now(), kind, event_id, cart_id, order_number, detail),
        )

    def recovery_log(self, limit: int = 100) -> list[RecoveryEntry]:
        """The most recent recovery entries, oldest first among them."""
        rows = list(
            self._rows(
                "SELECT time, kind, event_id, cart_id, order_number, detail FROM recovery_log ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        )
        return [RecoveryEntry(**dict(row)) for row in reversed(rows)]


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Bring a journal made by an earlier version up to the current tables (``ADDED_COLUMNS``)."""
    for table, column, declaration in ADDED_COLUMNS:
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
