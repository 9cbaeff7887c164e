"""The one worker thread that crunches an event's numbers for the window (seat-map layout,
inventory lines), so heavy pure-Python work never runs on the GUI thread.

One worker, not a pool: the map layout and the table lines queue behind each other instead of
several threads taking turns at the GIL with the GUI thread.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="event-views")


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


def _nothing() -> None:
    return None
