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
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, Qt

from app.gui import asyncutil

# Before the QApplication exists (pytest-qt creates it at the first GUI test), as ``python -m app``
# does: QtWebEngine needs shared GL contexts. The web dialogs register the captcha's scheme
# themselves, as in the app.
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

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

        Then, still inside the same run, give the window's own tasks (started with ``spawn``) up to
        ``SETTLE_SECONDS`` to finish. Qt events get processed outside the running loop afterwards
        (qasync's last ``processEvents`` in ``run_until_complete``, pytest-qt between test and
        teardown), and an HTTP call stepped there fails for want of a running loop.
        """

        async def steps_then_settle():
            try:
                return await asyncio.wait_for(awaitable, timeout)
            finally:
                await self._settle()

        return self.loop.run_until_complete(steps_then_settle())

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


@pytest.fixture(autouse=True)
def app_style(qapp):
    """The application's style sheet, applied as ``python -m app`` applies it: tests see what a
    cashier sees."""
    from app.gui import style

    style.apply(qapp)


@pytest.fixture(autouse=True)
def held_keys_act_once(qapp):
    """A held Enter or Esc acts once, as ``python -m app`` makes it (``app.gui.heldkeys``)."""
    from app.gui import heldkeys

    heldkeys.install(qapp)


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


@pytest.fixture
def open_window(station, qloop):
    """``open_window(clock=None)`` → a shown MainWindow on ``station``; shut down and destroyed afterwards.

    Destroyed explicitly (``shiboken6.delete``) at teardown, on the GUI thread and outside any
    event: left to Python's garbage collector, a window could be freed in the middle of a Qt event
    or from another thread, which crashes.
    """
    import shiboken6

    from app.gui.mainwindow import MainWindow

    windows = []

    def factory(clock=None):
        kwargs = {"clock": clock} if clock is not None else {}
        window = MainWindow(station, **kwargs)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()  # keyboard shortcuts go to the active window only
        windows.append(window)
        return window

    yield factory
    for window in windows:
        if shiboken6.isValid(window):
            if window.isVisible():
                qloop.run(window.shutdown())
            shiboken6.delete(window)


@pytest.fixture
def window(open_window, run):
    """A shown main window whose clock reads a weekday afternoon (``AFTERNOON``), events loaded."""
    from tests.gui.windowkit import AFTERNOON

    window = open_window(lambda: AFTERNOON)
    run(window.load_events())
    return window


@pytest.fixture
def awake_sandbox(fresh_sandbox, sandbox_control):
    """The live sandbox, reset, its clock at a daytime hour every venue is awake (fresh_sandbox pins
    it); reset again afterwards so a seat-map test leaves no scenario behind."""
    yield fresh_sandbox
    sandbox_control.reset()
