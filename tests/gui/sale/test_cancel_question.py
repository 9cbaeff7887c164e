""""Cancel this sale?": where it appears, what Enter and Esc do there, and what releases the seats.

The safe answer (keep selling) is the default; releasing the seats takes a deliberate choice (a
click, or moving to that button first).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from tests.gui.sale.salekit import open_flow, reserve
from tests.gui.windowkit import TEST_EVENT, click, find, open_event_by_search, reserve_best_available, shown


def held(sandbox_control) -> list:
    return sandbox_control.state()["held_carts"]


def focused():
    return QApplication.focusWidget()


def near_the_middle(button: QPushButton, window) -> bool:
    """The question's answer sits in the middle of the window, where the cashier looks (not in a corner)."""
    centre = button.mapToGlobal(button.rect().center())
    middle = window.frameGeometry().center()
    return (abs(centre.x() - middle.x()) <= window.width() // 4
            and abs(centre.y() - middle.y()) <= window.height() // 4)


async def ask_with_esc(flow, qtbot, until) -> QPushButton:
    focus = focused()
    target = focus if focus is not None and flow.isAncestorOf(focus) else flow.stack.currentWidget()
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    keep = find(flow, "keepSellingButton", QPushButton)
    await until(lambda: keep.isVisible() and focused() is not None and focused().window() is keep.window(),
                what="the cancel question, active")
    return keep


def test_esc_then_enter_keeps_the_sale(station, run, until, qtbot, sandbox_control):
    async def steps():
        session = await reserve(station)
        flow = open_flow(qtbot, session)
        await until(lambda: flow.shipping.option_ids(), what="delivery options listed")
        cancelled = []
        flow.cancelled.connect(lambda: cancelled.append(True))
        keep = await ask_with_esc(flow, qtbot, until)
        assert focused() is keep  # the safe answer has the focus
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        await until(lambda: not keep.isVisible(), what="the question answered")
        assert cancelled == [] and len(held(sandbox_control)) == 1
        assert flow.stack.currentWidget() is flow.shipping

        # Esc twice: asked, then "keep selling" again.
        keep = await ask_with_esc(flow, qtbot, until)
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
        await until(lambda: not keep.isVisible(), what="the question dismissed")
        assert cancelled == [] and len(held(sandbox_control)) == 1

        # A deliberate choice: move to "Release the seats", then Enter.
        keep = await ask_with_esc(flow, qtbot, until)
        release = find(flow, "confirmCancelButton", QPushButton)
        for _ in range(4):
            if focused() is release:
                break
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is release
        qtbot.keyClick(release, Qt.Key.Key_Return)
        await until(lambda: cancelled, what="the sale cancelled")
        assert held(sandbox_control) == []

    run(steps())


def test_the_question_appears_over_the_middle_of_the_sale_window(station, run, until, qtbot):
    async def steps():
        session = await reserve(station)
        flow = open_flow(qtbot, session)
        flow.move(40, 30)
        await until(lambda: flow.shipping.option_ids(), what="delivery options listed")
        click(qtbot, find(flow, "cancelCartButton", QPushButton))
        keep = find(flow, "keepSellingButton", QPushButton)
        await until(keep.isVisible, what="the cancel question")
        assert near_the_middle(keep, flow.window()) and near_the_middle(find(flow, "confirmCancelButton"), flow)
        click(qtbot, keep)

    run(steps())


def test_in_the_window_the_question_is_centred_and_a_hold_running_out_closes_it(
        window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(hold_time=4)

    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 2)
        click(qtbot, find(flow, "cancelCartButton", QPushButton))
        keep = find(flow, "keepSellingButton", QPushButton)
        await until(keep.isVisible, what="the cancel question")
        assert near_the_middle(keep, window) and near_the_middle(find(flow, "confirmCancelButton"), window)
        # The hold runs out while the cashier looks at the question: it goes, the release is said.
        await until(lambda: shown(flow, "releasedMessage"), 30, what="the released page")
        assert not keep.isVisible()
        back = find(flow, "backToEventButton", QPushButton)
        await until(lambda: focused() is back, what="the keyboard on 'Back to the event'")
        await until(lambda: held(sandbox_control) == [], 10, what="the cart gone on the server")
        await flow.session.wait_for_cleanup()

    run(steps())
