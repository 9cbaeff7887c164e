"""Running coroutines from Qt slots on the qasync loop so that no exception is ever silent.

Every button handler that talks to the engine is a coroutine. Start it with ``spawn(coro)`` or
decorate the method with ``@async_slot(...)``; either way, when the coroutine fails:

1. the exception is logged with its traceback (logger ``app.gui.asyncutil``);
2. it is shown to the cashier: through the ``on_error`` callback given to ``spawn`` when there is
   one, otherwise through the window-wide reporter installed with ``set_error_reporter`` (the main
   window shows a plain sentence and one action, see ``app.gui.errors``);
3. an *unexpected* exception (a bug, not a documented engine error) is also handed to the loop's
   exception handler, marked ``"shown_to_user": True``. The app's handler just logs it; the GUI
   test fixture records it and fails the test, so a bug cannot hide behind an error banner.

``asyncio.CancelledError`` and the client's ``PollingCancelled`` are normal (the cashier cancelled,
the window closed) and are not reported.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtCore import Slot

from app.gui.errors import is_expected, is_quiet

log = logging.getLogger(__name__)

ErrorReporter = Callable[[BaseException], None]

_reporter: ErrorReporter | None = None
_live_tasks: set[asyncio.Task] = set()


def set_error_reporter(reporter: ErrorReporter | None) -> ErrorReporter | None:
    """Install the window-wide error reporter; returns the previous one (restore it when done)."""
    global _reporter
    previous, _reporter = _reporter, reporter
    return previous


def report_error(exc: BaseException, *, context: str = "", on_error: ErrorReporter | None = None) -> None:
    """Log ``exc`` with its traceback and show it; unexpected ones also reach the loop handler."""
    expected = is_expected(exc)
    what = context or "background task"
    if expected:  # a documented engine error: one line; the traceback only at debug level
        log.warning("%s failed: %s", what, exc)
        log.debug("%s failed", what, exc_info=exc)
    else:
        log.error("%s failed unexpectedly", what, exc_info=exc)
    target = on_error or _reporter
    if target is not None:
        try:
            target(exc)
        except Exception:  # the reporter itself must never take the loop down
            log.exception("showing an error failed")
    if not expected:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return
        loop.call_exception_handler(
            {"message": f"{what} failed unexpectedly", "exception": exc, "shown_to_user": True}
        )


def spawn(
    coro: Coroutine[Any, Any, Any],
    *,
    context: str = "",
    on_error: ErrorReporter | None = None,
) -> asyncio.Task:
    """Schedule ``coro`` on the running qasync loop; failures are logged and shown (see module doc).

    The task is kept referenced until it finishes, so it cannot be garbage-collected mid-flight.
    """
    task = asyncio.ensure_future(coro)
    _live_tasks.add(task)

    def _done(finished: asyncio.Task) -> None:
        _live_tasks.discard(finished)
        if finished.cancelled():
            return
        exc = finished.exception()
        if exc is not None and not is_quiet(exc):
            report_error(exc, context=context or getattr(coro, "__qualname__", ""), on_error=on_error)

    task.add_done_callback(_done)
    return task


def async_slot(*slot_types: type, context: str | None = None) -> Callable:
    """Decorator: an ``async def`` method usable as a Qt slot; each call runs it through ``spawn``.

    Like qasync's ``asyncSlot``, trailing signal arguments the coroutine does not take are dropped
    (``clicked(bool)`` may connect to ``async def on_click(self)``). Returns the task.
    """

    def decorate(fn: Callable[..., Awaitable[Any]]) -> Callable[..., asyncio.Task]:
        signature = inspect.signature(fn)

        @Slot(*slot_types)
        @functools.wraps(fn)
        def wrapper(*args: Any) -> asyncio.Task:
            while True:
                try:
                    signature.bind(*args)
                    break
                except TypeError:
                    if not args:
                        raise
                    args = args[:-1]
            return spawn(fn(*args), context=context or fn.__qualname__)

        return wrapper

    return decorate


def pending_tasks() -> list[asyncio.Task]:
    """Tasks started through ``spawn`` on the current loop that have not finished yet."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    for task in [t for t in _live_tasks if t.get_loop().is_closed()]:
        _live_tasks.discard(task)  # left behind by a loop that is gone (tests make one per test)
    return [t for t in _live_tasks if not t.done() and t.get_loop() is loop]


async def cancel_all_pending(timeout: float = 5.0) -> None:
    """Cancel every task started through ``spawn`` (except the caller's own) and wait (bounded)."""
    current = asyncio.current_task()
    pending = [t for t in pending_tasks() if t is not current]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=timeout)
