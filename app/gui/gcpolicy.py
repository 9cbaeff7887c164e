"""When Python's garbage collector may run while the window is up.

A *full* collection walks every object the collector tracks while holding the GIL. Once a stadium's
60,000-seat availability is in memory (its models, layout and table lines: a few hundred thousand
objects) one full collection took up to 52 ms on the stadium page (``benchmarks/gui_stall.py``
counts them) — the window's longest stall. Two steps keep it rare and short:

- ``settle_after_start_up()`` — once the events are listed — moves everything built so far (it lives
  for the whole run) out of the collector's reach (``gc.freeze``), and
- makes full collections wait for ``FULL_AFTER`` younger collections instead of Python's 10, so a
  stadium load no longer sets one off. Python still runs them (Python also waits until the objects
  promoted since the last one are a quarter of those it already holds): cyclic garbage is still
  collected, only later. Objects without cycles are freed the moment they are dropped, as always.
"""

from __future__ import annotations

import gc

FULL_AFTER = 100  # second-generation collections before a full one (Python's default is 10)


def settle_after_start_up() -> None:
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_AFTER)
