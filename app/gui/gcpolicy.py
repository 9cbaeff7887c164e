"""When Python's garbage collector may run while the window is up.

A *full* collection walks every object the collector tracks while holding the GIL. Once a stadium's
60,000-seat availability is in memory (its models, layout and table lines: a few hundred thousand
objects) one full collection took up to 52 ms on the stadium page (``benchmarks/gui_stall.py``
counts them) — the window's longest stall. Three steps keep collections off the cashier's path:

- ``hold_during_start_up()`` — first thing, before the heavy imports — switches the collector off
  while the window is being built: start-up creates hundreds of thousands of objects that all live
  for the whole run, and collecting them over and over was 60–80 ms of a 0.8 s start-up here
  (about 150 collections, two of them full);
- ``settle_after_start_up()`` — once the events are listed and painted, while the cashier reads
  them — collects once, moves everything built so far (it lives for the whole run) out of the
  collector's reach (``gc.freeze``), switches the collector back on, and
- makes full collections wait for ``FULL_AFTER`` younger collections instead of Python's 10, so a
  stadium load no longer sets one off. Python still runs them (Python also waits until the objects
  promoted since the last one are a quarter of those it already holds): cyclic garbage is still
  collected, only later. Objects without cycles are freed the moment they are dropped, as always.

``resume()`` switches the collector back on without settling, for a start-up that never reached
the list (no backend, closed early); it and ``settle_after_start_up`` may be called more than once.
"""

from __future__ import annotations

import gc

FULL_AFTER = 100  # second-generation collections before a full one (Python's default is 10)
SETTLE_DELAY_MS = 250  # after the list is painted: the one collection waits until the cashier reads it

_settled = False


def hold_during_start_up() -> None:
    gc.disable()


def resume() -> None:
    gc.enable()


def settle_after_start_up() -> None:
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_AFTER)
    gc.enable()


def settle_soon() -> None:
    """``settle_after_start_up`` ``SETTLE_DELAY_MS`` from now, on the Qt event loop: the list's first
    paint comes before the collection."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(SETTLE_DELAY_MS, settle_after_start_up)
