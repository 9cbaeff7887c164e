"""The one worker thread that crunches an event's numbers for the window (seat-map layout,
inventory lines), so heavy pure-Python work never runs on the GUI thread — including *freeing* the
previous event's tens of thousands of objects (``let_go``).

One worker, not a pool: the map layout and the table lines queue behind each other instead of
several threads taking turns at the GIL with the GUI thread.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="event-views")
FREE_AFTER_SECONDS = 0.5


async def off_gui_thread(fn, /, *args, **kwargs):
    """Run pure-Python work on the event-views worker thread and await its result.

    It returns only once the worker has nothing else queued (say the table's lines after the map's
    layout): while the worker computes it holds the GIL most of the time, and the GUI thread's next
    steps — building the scene, then a paint that calls into Python once per item — would wait for
    the GIL at every call. Showing results when the worker is idle keeps that work uncontended."""
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(_WORKER, functools.partial(fn, *args, **kwargs))
    await loop.run_in_executor(_WORKER, _nothing)  # FIFO: everything queued before it has finished
    return result


def let_go(box: list, pieces: Callable[[Any], list] | None = None) -> None:
    """Free what ``box`` holds on the worker thread instead of the GUI thread.

    The caller puts its last references in ``box`` (and keeps none). Dropping a stadium's layout or
    table lines frees ~100,000 objects: one long stretch holding the GIL. On the worker it happens
    piece by piece — ``pieces(obj)`` returns an object's big parts, freed one per step — so the GUI
    thread gets the GIL back in between. It starts a little later (``FREE_AFTER_SECONDS``), not
    during the scene build and first paint that usually follow, which would then wait for the GIL."""
    try:
        asyncio.get_running_loop().call_later(FREE_AFTER_SECONDS, _WORKER.submit, _drop, box, pieces)
    except RuntimeError:  # no event loop running (tests, inline use): free on the worker now
        _WORKER.submit(_drop, box, pieces)


def _drop(box: list, pieces: Callable[[Any], list] | None) -> None:
    while box:
        parts = pieces(box[-1]) if pieces is not None else []
        del box[-1]
        while parts:
            del parts[-1]


def _nothing() -> None:
    return None
