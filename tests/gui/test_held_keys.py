"""A held Enter or Esc acts once (``app.gui.heldkeys``). The keyboard's auto-repeat is delivered
here as the platform delivers it (``windowkit.platform_key``), through Qt's shortcut map and then to
the focused widget.

The defect, seen in the real window under Xvfb: holding Enter for 1.5 s in the ZIP code field paid,
placed the order on the review page that came up, and started a new sale. The journal held a second
order that the cashier never reviewed. With the auto-repeat flag heeded, the same thing still
happened 3 times in 4 while the machine was busy: Qt's X11 plugin then reported some repeats as a
plain release and press. Both halves of such a pair carry one and the same time.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton

from app.checkout.states import CheckoutState
from tests.gui.windowkit import (
    TEST_EVENT,
    choose_delivery,
    fill_payment,
    find,
    hold_key,
    keep_holding,
    open_event_by_search,
    platform_key,
    press_key,
    reserve_best_available,
    shown,
)

REPEATS = 6  # a key held for a quarter of a second past the keyboard's repeat delay


@pytest.mark.parametrize("flagged", [True, False], ids=["repeats-marked", "repeats-unmarked-under-load"])
def test_enter_held_from_the_last_payment_field_pays_and_stops_at_the_review(window, run, until, qtbot,
                                                                           sandbox_control, flagged):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until)
        await choose_delivery(window, qtbot, until)
        fill_payment(qtbot, flow)
        await until(find(flow, "payButton", QPushButton).isEnabled, 10, what="ready to pay")
        find(flow, "postalCode", QLineEdit).setFocus()

        platform_key(Qt.Key.Key_Return, press=True)  # Enter goes down in the ZIP code field: it pays
        commit = find(flow, "commitButton", QPushButton)
        await until(lambda: shown(flow, "commitButton") and commit.isEnabled(), 30, what="review page")
        assert QApplication.focusWidget() is commit

        await keep_holding(Qt.Key.Key_Return, REPEATS, flagged=flagged)  # still down as the review comes up
        platform_key(Qt.Key.Key_Return, press=False)
        await asyncio.sleep(0.5)  # a commit sent by a repeat would be on its way by now
        assert flow.session.state is CheckoutState.PAID
        assert shown(flow, "commitButton") and commit.isEnabled()
        assert sandbox_control.state()["orders"] == []

        press_key(Qt.Key.Key_Return)  # a press of its own places the order
        await until(lambda: find(flow, "orderNumberLabel", QLabel).text(), 60, what="order number shown")
        number = find(flow, "orderNumberLabel", QLabel).text()
        assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [number]

    run(steps())


@pytest.mark.parametrize("flagged", [True, False], ids=["repeats-marked", "repeats-unmarked-under-load"])
def test_esc_held_during_a_sale_asks_once_whether_to_cancel(window, run, until, qtbot, sandbox_control, flagged):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until)
        await choose_delivery(window, qtbot, until)
        find(flow, "cardNumber", QLineEdit).setFocus()

        platform_key(Qt.Key.Key_Escape, press=True)
        question = flow.findChild(QPushButton, "keepSellingButton")
        await until(lambda: flow.keys.question.is_open(), 10, what="the cancel question")
        box = flow.findChild(QMessageBox, "cancelSaleQuestion")
        await until(lambda: QGuiApplication.focusWindow() is box.windowHandle(), 10, what="the question has the keys")
        # An odd number more: each would flip the question.
        await keep_holding(Qt.Key.Key_Escape, REPEATS - 1, flagged=flagged, otherwise=window)
        platform_key(Qt.Key.Key_Escape, press=False, otherwise=window)
        await asyncio.sleep(0.2)
        assert flow.keys.question.is_open()
        assert flow.session.state is CheckoutState.SHIPPING_CHOSEN
        assert len(sandbox_control.state()["held_carts"]) == 1  # the seats are still held

        question.click()  # Keep selling
        await until(lambda: not flow.keys.question.is_open(), 10, what="question answered")
        assert flow.session.state is CheckoutState.SHIPPING_CHOSEN

    run(steps())


def test_held_backspace_still_repeats_and_held_enter_still_breaks_lines_in_an_editor(qtbot):
    line = QLineEdit("12345")
    qtbot.addWidget(line)
    line.show()
    line.activateWindow()
    line.setFocus()
    line.end(False)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    hold_key(Qt.Key.Key_Backspace, 3)
    assert line.text() == "1"

    notes = QPlainTextEdit()
    qtbot.addWidget(notes)
    notes.show()
    notes.activateWindow()
    notes.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes)
    hold_key(Qt.Key.Key_Return, 3)
    assert notes.toPlainText() == "\n" * 4


def test_the_app_itself_makes_held_keys_act_once():
    """``python -m app`` builds its QApplication with ``make_application``: in a fresh process (the
    suite's own application has the filter from its conftest), that application has it."""
    script = ("from app.__main__ import make_application\n"
              "from app.gui.heldkeys import HeldKeysActOnce\n"
              "print(len(make_application().findChildren(HeldKeysActOnce)))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "1"
