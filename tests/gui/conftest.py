"""GUI test set-up: a qasync loop per test, a loop exception handler that fails the test, helpers.

Per ../shared/notes/qt-async-webengine.md: ``qtbot.waitUntil`` alone does not run the asyncio loop
as "running", so a test writes its steps as a coroutine and runs it with ``run(steps())``
(``loop.run_until_complete`` under a timeout). ``until(predicate)`` waits, inside such a coroutine,
for the window to show something (bounded; the timeout is a failure, never a timing assertion).

Exceptions raised in async slots and asyncio callbacks are recorded by the loop's exception handler
and fail the test at teardown, even when the app also showed them to the cashier (see
``app.gui.asyncutil``). A test that provokes one on purpose calls ``qloop.take_errors()``.

``station`` gives a started ``app.checkout.Station`` talking to the session's live sandbox, after
the sandbox was reset to its fixtures (``fresh_sandbox``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, Qt

from app.gui import asyncutil
from app.gui.captcha import register_captcha_scheme

# Both must happen before the QApplication exists (pytest-qt creates it at the first GUI test):
# QtWebEngine needs shared GL contexts, and the captcha's custom scheme must be registered.
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
register_captcha_scheme()

log = logging.getLogger("tests.gui")
SETTLE_SECONDS = 10.0
# Closed qasync loops are kept referenced for the whole session. A loop's timer object has no Qt
# parent; if Python's cyclic GC freed it on another thread (the sandbox's, an executor's), its Qt
# timers could not be unregistered and a later timer event would hit freed memory (a segfault).
_CLOSED_LOOPS: list = []


class LoopHelper:
    """The test's qasync loop plus what its exception handler recorded."""

    def __init__(self, loop: qasync.QEventLoop) -> None:
        self.loop = loop
        self.errors: list[dict[str, Any]] = []
        loop.set_exception_handler(self._handle)

    def _handle(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        self.errors.append(context)
        exc = context.get("exception")
        log.error("loop exception: %s", context.get("message"), exc_info=exc)

    def run(self, awaitable: Awaitable[Any], timeout: float = 90.0) -> Any:
        """Run ``awaitable`` to completion on the qasync loop (bounded by ``timeout`` seconds).

        Then give the window's own tasks (started with ``spawn``) up to ``SETTLE_SECONDS`` to
        finish: pytest-qt processes Qt events between the test and its teardown, outside the
        running loop, and an HTTP call stepped there fails.
        """
        result = self.loop.run_until_complete(asyncio.wait_for(awaitable, timeout))
        self.loop.run_until_complete(self._settle())
        return result

    async def _settle(self) -> None:
        deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
        while asyncutil.pending_tasks() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    def take_errors(self) -> list[dict[str, Any]]:
        taken, self.errors = self.errors, []
        return taken


async def until(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    """Wait on the running loop until ``predicate()`` is truthy; returns its value, else fails."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"gave up waiting for: {what or getattr(predicate, '__name__', 'condition')}")
        await asyncio.sleep(0.02)


@pytest.fixture
def qloop(qapp):
    # A closing dialog must not quit the application (and so stop the loop mid-test).
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    helper = LoopHelper(loop)
    previous_reporter = asyncutil.set_error_reporter(None)
    try:
        yield helper
        loop.run_until_complete(asyncutil.cancel_all_pending())
    finally:
        asyncutil.set_error_reporter(previous_reporter)
        loop.close()
        _CLOSED_LOOPS.append(loop)
        asyncio.set_event_loop(None)
    if helper.errors:
        messages = "; ".join(
            f"{c.get('message')}: {c.get('exception')!r}" for c in helper.errors
        )
        pytest.fail(f"exceptions reached the event loop: {messages}")


@pytest.fixture
def run(qloop):
    """``run(coro, timeout=90)`` — run test steps on the qasync loop."""
    return qloop.run


@pytest.fixture(name="until")
def until_fixture():
    """The ``until(predicate, timeout=30, what="")`` coroutine helper, as a fixture."""
    return until


@pytest.fixture
def station(fresh_sandbox, qloop):
    """A started Station on the live test sandbox (reset to its fixtures), closed afterwards."""
    from app.checkout.station import Station

    station = Station.for_sandbox(fresh_sandbox)
    qloop.run(station.start())
    yield station
    qloop.run(station.close())
