"""Work the window does after start-up instead of while the cashier waits: the garbage collector settled
once the events are listed (what was built is frozen; full collections, which stall the window, made
rare). Each runs in a fresh interpreter: it changes process-wide state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(script: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    return done.stdout.split()


def test_settling_freezes_what_was_built_and_makes_full_collections_wait():
    frozen, full_after = run(
        "import gc; from app.gui import gcpolicy; before = gc.get_threshold(); "
        "gcpolicy.settle_after_start_up(); "
        "print(gc.get_freeze_count() > 0, gc.get_threshold() == (before[0], before[1], gcpolicy.FULL_AFTER))"
    )
    assert (frozen, full_after) == ("True", "True")
