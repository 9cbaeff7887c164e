"""Every page of a sale fits a cashier's screen with the request inspector docked: at 1280×800 under
a window manager the confirmation (order number, details, the tickets' QR code and the Ticketmaster
app's under it) asked for more height than the screen had, so the window grew to 842 px tall and its
bottom (the inspector's table, the status line with backend, member and quota) went off the screen.

The window here is 1280×700, what 1366×768 leaves under a title bar and a desktop panel."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from tests.gui.windowkit import (
    TEST_EVENT,
    choose_delivery,
    fill_payment,
    find,
    open_event_by_search,
    pay_and_commit,
    reserve_best_available,
    shown,
)

WIDTH, HEIGHT = 1280, 700


def _inside(window, widget: QWidget) -> bool:
    bottom = widget.mapTo(window, QPoint(0, widget.height() - 1)).y()
    return widget.isVisible() and bottom < window.height()


def test_every_page_of_a_sale_fits_the_screen_with_the_inspector_docked(window, run, until, qtbot):
    window.resize(WIDTH, HEIGHT)
    window.inspector.toggleViewAction().trigger()  # View ▸ Request inspector, as a tester opens it
    seen: dict[str, tuple[int, int]] = {}

    async def page(name: str, action: QWidget) -> None:
        await asyncio.sleep(0.05)  # the layout requests reach the window
        seen[name] = (window.width(), window.height())
        assert _inside(window, action), name  # the page's next step is on the screen
        assert _inside(window, window.statusBar()), name
        assert _inside(window, window.inspector), name

    async def steps():
        await until(lambda: window.inspector.isVisible(), what="inspector docked")
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        await page("event", find(window, "reserveButton", QPushButton))
        flow = await reserve_best_available(window, qtbot, until, 1)
        await until(lambda: shown(flow, "shippingNextButton"), what="delivery page")
        await page("delivery", find(flow, "shippingNextButton", QPushButton))
        await choose_delivery(window, qtbot, until)
        await page("payment", find(flow, "payButton", QPushButton))
        fill_payment(qtbot, flow)
        await pay_and_commit(window, qtbot, until)
        assert shown(flow, "tmAppQr") and shown(flow, "redemptionQr")  # the tallest confirmation
        await page("confirmation", find(flow, "newSaleButton", QPushButton))
        number = find(flow, "orderNumberLabel", QLabel)
        assert _inside(window, number) and number.visibleRegion().boundingRect().height() == number.height()

    run(steps())
    assert set(seen.values()) == {(WIDTH, HEIGHT)}, seen


def test_the_scrolling_body_still_tells_the_page_how_wide_it_must_be(qtbot):
    """In its scroll area the confirmation's body must still widen the page when its words need it
    (a QScrollArea alone does not pass that on): else a wide line would be cut at the page's edge."""
    from PySide6.QtWidgets import QVBoxLayout

    from app.gui.sale.pagebase import ScrollsDown

    page = QWidget()
    qtbot.addWidget(page)
    body = QWidget()
    line = QLabel("short", body)
    QVBoxLayout(body).addWidget(line)
    QVBoxLayout(page).addWidget(ScrollsDown(body, page))
    page.show()
    qtbot.wait(20)
    narrow = page.minimumSizeHint().width()
    line.setText("a line with no place to wrap, " * 4)
    needed = line.minimumSizeHint().width()
    qtbot.waitUntil(lambda: page.minimumSizeHint().width() >= needed > narrow)
