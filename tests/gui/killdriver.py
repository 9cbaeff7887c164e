"""The real window in a process of its own, driven like a cashier to one step of a sale and then
killed with SIGKILL (``python -m tests.gui.killdriver STEP BASE_URL``) — or, with STEP ``recover``,
started again on the same station folder to print what its start-up report says and exit.

It builds the window as ``python -m app`` does (the captcha scheme, shared GL contexts, the style,
a qasync loop, a started ``Station`` and ``MainWindow``), against the sandbox at BASE_URL (so the
held carts outlive the killed process, as they do on the real service). Steps: ``reserved`` (seats
held), ``delivery`` (delivery chosen), ``paid`` (payment on the cart, the review shown),
``committing`` (Place order pressed, the sandbox's answer delayed, killed while it is on its way).
Prints ``at STEP`` just before the kill, so the test knows where it died.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import httpx

API_KEY = "sandbox-api-key"
STEPS = ("reserved", "delivery", "paid", "committing")


class Keys:
    """What ``tests.gui.windowkit``'s helpers ask of pytest-qt's ``qtbot``, from QTest."""

    @staticmethod
    def keyClicks(widget, text: str) -> None:  # qtbot's names
        from PySide6.QtTest import QTest

        QTest.keyClicks(widget, text)

    @staticmethod
    def keyClick(widget, key, modifier=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(widget, key, modifier or Qt.KeyboardModifier.NoModifier)


async def until(predicate, timeout: float = 60.0, what: str = ""):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            print(f"gave up waiting for {what}", flush=True)
            raise SystemExit(3)
        await asyncio.sleep(0.02)


def die(step: str) -> None:
    print(f"at {step}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


async def drive(window, step: str, base_url: str) -> None:
    from PySide6.QtWidgets import QPushButton

    from tests.gui.windowkit import (
        TEST_EVENT,
        choose_delivery,
        click,
        event_page_ready,
        fill_payment,
        find,
        reserve_best_available,
        shown,
    )

    keys = Keys()
    await window.station.start()
    await window.load_events()
    window.open_event(TEST_EVENT)
    await event_page_ready(window, until, TEST_EVENT)
    await reserve_best_available(window, keys, until, 2)
    if step == "reserved":
        die(step)
    await choose_delivery(window, keys, until)
    if step == "delivery":
        die(step)
    flow = window.sale_flow
    fill_payment(keys, flow)
    pay = find(flow, "payButton", QPushButton)
    await until(pay.isEnabled, what="Pay enabled")
    click(keys, pay)
    await until(lambda: shown(flow, "commitButton") and find(flow, "commitButton").isEnabled(), what="review")
    if step == "paid":
        die(step)
    httpx.post(base_url + "/_sandbox/scenario", json={"latency_ms": 1500}).raise_for_status()
    click(keys, find(flow, "commitButton", QPushButton))
    await asyncio.sleep(0.5)  # the commit is on its way; its answer is not
    die(step)


async def report(window) -> None:
    from app.gui.startreport import show_start_report

    await window.station.start()
    box = show_start_report(window, window.station)
    print(box.text() if box is not None else "(no report)", flush=True)
    await window.shutdown()


def main(argv: list[str]) -> int:
    step, base_url = argv
    from app.__main__ import make_application

    app = make_application()  # as ``python -m app`` makes it
    import qasync

    from app.checkout.backends import BackendOverrides
    from app.checkout.station import Station
    from app.gui.mainwindow import MainWindow

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    station = Station(overrides=BackendOverrides(base_url=base_url, api_key=API_KEY))
    # The window's clock reads a weekday afternoon, as the window tests' does: with the real clock, a run
    # between 23:30 and 02:00 New York time met the test event's nightly maintenance (no sale to kill).
    from tests.gui.windowkit import AFTERNOON

    window = MainWindow(station, clock=lambda: AFTERNOON)
    window.resize(1280, 800)
    window.show()
    with loop:
        loop.run_until_complete(report(window) if step == "recover" else drive(window, step, base_url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
