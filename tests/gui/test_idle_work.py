"""Work the window does after start-up instead of while the cashier waits: the first sale's buyer-rule
libraries loaded by the warm-up (not at import), and the garbage collector settled once the events
are listed (what was built is frozen; full collections, which stall the window, made rare).
Each runs in a fresh interpreter: both change process-wide state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pycountry", "email_validator", "phonenumbers", "cryptography.x509")


def run(script: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    return done.stdout.split()


def test_the_warm_up_loads_what_the_first_payment_page_checks_with_and_importing_it_loads_nothing():
    before, after = run(
        "import sys; import app.gui.warmup as w; import app.partner.client; import app.checkout.station; "
        f"print(any(m in sys.modules for m in {HEAVY!r})); w.warm_up(); "
        f"print(all(m in sys.modules for m in {HEAVY!r}))"
    )
    assert (before, after) == ("False", "True")


def test_the_warm_up_runs_on_a_worker_thread_once_the_loop_lets_it():
    script = f"""
import asyncio, sys, threading
import app.gui.warmup as w
names = []
original = w.warm_up
w.warm_up = lambda: (names.append(threading.current_thread().name), original())
async def main():
    w.warm_up_later(0.01)
    print(names == [])
    while not names or threading.active_count() > 1:
        await asyncio.sleep(0.01)
asyncio.run(asyncio.wait_for(main(), 60))
print(names, all(m in sys.modules for m in {HEAVY!r}))
"""
    assert run(script) == ["True", "['warm-up']", "True"]


def test_settling_freezes_what_was_built_and_makes_full_collections_wait():
    frozen, full_after = run(
        "import gc; from app.gui import gcpolicy; before = gc.get_threshold(); "
        "gcpolicy.settle_after_start_up(); "
        "print(gc.get_freeze_count() > 0, gc.get_threshold() == (before[0], before[1], gcpolicy.FULL_AFTER))"
    )
    assert (frozen, full_after) == ("True", "True")


def test_the_collector_is_off_while_the_window_is_built_and_back_on_once_settled_or_resumed():
    seen = run(
        "import gc; from app.gui import gcpolicy; gcpolicy.hold_during_start_up(); print(gc.isenabled()); "
        "gcpolicy.settle_after_start_up(); print(gc.isenabled(), gc.get_freeze_count() > 0); "
        "gcpolicy.hold_during_start_up(); gcpolicy.resume(); print(gc.isenabled())"
    )
    assert seen == ["False", "True", "True", "True"]


def test_the_window_starts_without_the_sale_pages_and_the_orders_window_and_the_warm_up_loads_them():
    rooms = ("app.gui.sale.flow", "app.gui.orders.window", "app.gui.sale.receipt", "segno", "csv")
    before, after = run(
        "import sys; import app.gui.mainwindow; import app.gui.warmup as w; "
        f"print(any(m in sys.modules for m in {rooms!r})); w.warm_up(); "
        f"print(all(m in sys.modules for m in {rooms!r}))"
    )
    assert (before, after) == ("False", "True")
