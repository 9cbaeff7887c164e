"""Journal: open carts from reserve to close, orders with decimal totals, recovery entries."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal

from app.storage import Journal, OrderRecord


def test_database_runs_in_wal_mode_and_has_no_card_columns(tmp_path):
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for table in ("orders", "open_carts", "recovery_log")
               for row in db.execute(f"PRAGMA table_info({table})")}
    assert not {c for c in columns if "card" in c or "cvv" in c or "cin" in c}


def test_cart_follows_the_checkout_until_closed(tmp_path):
    with Journal(tmp_path / "j.sqlite3") as journal:
        row = journal.cart_started("000051048D991EE7", event_name="Test show", station_user="till-1", process_id=42)
        assert journal.open_carts()[0].state == "reserving" and journal.open_carts()[0].cart_id == ""
        journal.cart_identified(row, "bzJV/x+=")
        journal.cart_state(row, "paid")
        (cart,) = journal.open_carts()
        assert (cart.cart_id, cart.state, cart.process_id) == ("bzJV/x+=", "paid", 42)
        journal.cart_closed(row)
        assert journal.open_carts() == []


def test_orders_keep_money_as_decimal_and_are_recorded_once(tmp_path):
    with Journal(tmp_path / "j.sqlite3") as journal:
        order = OrderRecord(order_number="35-46145/LA1", order_token="tok-1", event_id="E1",
                            grand_total=Decimal("57.39"), currency_code="USD", cart_id="c1",
                            seats="207 A 2-4", fees=Decimal("0.10"))
        journal.record_order(order)
        journal.record_order(order)
        (stored,) = journal.orders()
        assert stored.grand_total == Decimal("57.39") and stored.fees == Decimal("0.10")
        assert stored.merchandise is None and stored.confirmed
        assert journal.order_for_cart("c1").order_number == "35-46145/LA1"
        assert journal.order_by_token("tok-1").seats == "207 A 2-4"
        assert journal.order_by_token("nope") is None


def test_recovery_log_reads_oldest_first(tmp_path):
    with Journal(tmp_path / "j.sqlite3") as journal:
        journal.log_recovery("cart_deleted", "first", cart_id="a")
        journal.log_recovery("cart_deleted", "second", cart_id="b")
        assert [e.detail for e in journal.recovery_log()] == ["first", "second"]


def test_two_connections_and_many_threads_share_the_journal(tmp_path):
    path = tmp_path / "j.sqlite3"
    first, second = Journal(path), Journal(path)

    def sell(n):
        for i in range(20):
            first.record_order(OrderRecord(order_number=f"{n}-{i}", order_token=f"t{n}-{i}", event_id="E",
                                           grand_total=Decimal("1.00"), currency_code="USD"))

    threads = [threading.Thread(target=sell, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(second.orders(limit=1000)) == 80
    first.close()
    second.close()


def test_order_completed_stores_the_order_and_closes_its_cart_together(tmp_path):
    with Journal(tmp_path / "j.sqlite3") as journal:
        row = journal.cart_started("E1")
        journal.cart_update(row, state="committing", cart_id="c9", seats="GA x 2", grand_total=Decimal("10.50"),
                            currency_code="EUR")
        (cart,) = journal.open_carts()
        assert (cart.state, cart.cart_id, cart.seats, cart.grand_total, cart.currency_code) == (
            "committing", "c9", "GA x 2", "10.50", "EUR")
        journal.order_completed(row, OrderRecord(order_number="1-2/X", order_token="t9", event_id="E1",
                                                 grand_total=Decimal("10.50"), currency_code="EUR", cart_id="c9"))
        assert journal.open_carts() == []
        assert journal.order_for_cart("c9").order_number == "1-2/X"


def test_an_order_is_written_at_once_only_when_nobody_holds_the_journal(tmp_path):
    """``order_completed_at_once`` never waits: with another connection holding the journal it
    writes nothing and says so (the checkout then waits on a worker thread), else it writes."""
    from tests.diskkit import exclusive_lock

    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        row = journal.cart_started("E1")
        journal.cart_update(row, state="committing", cart_id="c9")
        order = OrderRecord(order_number="1-2/X", order_token="t9", event_id="E1", grand_total=Decimal("10.50"),
                            currency_code="EUR", cart_id="c9")
        with exclusive_lock(path):
            assert journal.order_completed_at_once(row, order) is False
        assert [c.cart_id for c in journal.open_carts()] == ["c9"]
        assert journal.order_for_cart("c9") is None
        assert journal.order_completed_at_once(row, order) is True
        assert journal.open_carts() == []
        assert journal.order_for_cart("c9").order_number == "1-2/X"
