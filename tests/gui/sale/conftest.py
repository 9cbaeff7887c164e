"""Sale-page test set-up on top of tests/gui/conftest.py.

Each test's qasync loop is kept referenced after it is closed. Why: a closed qasync loop still owns
a QObject (its timer object) with Qt timers pending (e.g. a hold-expiry ``call_later``). If Python's
garbage collector frees that loop while running on another thread (the sandbox's server thread, a
``to_thread`` worker), the QObject is destroyed off the GUI thread, its timers are never
unregistered, and the next test's event loop crashes delivering a timer event to freed memory.
Kept alive, the closed loop's timers fire on the GUI thread and qasync kills them there.
"""

from __future__ import annotations

import pytest

_CLOSED_LOOPS: list = []


@pytest.fixture(autouse=True)
def keep_closed_qasync_loops(request):
    if "qloop" not in request.fixturenames:
        yield
        return
    qloop = request.getfixturevalue("qloop")
    yield
    _CLOSED_LOOPS.append(qloop.loop)
