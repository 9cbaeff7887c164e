"""A signed-in member at the payment page: their saved cards (none picked for them), only the
security code asked, and a new card saved to their account when the cashier ticks it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton

from tests.gui.member.memberkit import pay_with_saved_card, signed_in, to_member_payment
from tests.gui.windowkit import (
    TEST_EVENT,
    choose_delivery,
    fill_payment,
    find,
    open_event_by_search,
    reserve_best_available,
    shown,
)


def member_posts(sandbox_control, method: str) -> list[dict]:
    return [r for r in sandbox_control.log(500) if r["path"].endswith("/member/billing") and r["method"] == method]


def test_member_pays_with_a_saved_card_picked_and_only_its_code_typed(window, run, until, qtbot, sandbox_control):
    async def steps():
        await signed_in(window, until)
        flow = await to_member_payment(window, qtbot, until)
        saved = flow.payment.member_list
        assert saved.count() == 1 and saved.currentItem() is None  # no default: the cashier picks
        label = saved.item(0).text()
        assert label.startswith("Discover ••••1006") and label.rstrip().endswith(", US")  # {"id": 840} → US
        assert not shown(flow, "cardNumber") and shown(flow, "memberCvv") and not shown(flow, "firstName")
        pay_button = find(flow, "payButton", QPushButton)
        qtbot.mouseClick(pay_button, Qt.MouseButton.LeftButton)  # nothing picked: it says so, sends nothing
        assert "saved card" in find(flow, "paymentHint", QLabel).text().lower()
        assert flow.stack.currentWidget() is flow.payment
        pay_with_saved_card(qtbot, flow)
        assert find(flow, "memberCvv", QLineEdit).text() == ""
        await until(lambda: flow.stack.currentWidget() is flow.review, 30, "the review page")
        assert "••••1006" in find(flow, "reviewPayment", QLabel).text()
        qtbot.mouseClick(find(flow, "commitButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.confirmation, 60, "the confirmation page")
        return find(flow, "orderNumberLabel", QLabel).text()

    order = run(steps())
    assert order == sandbox_control.state()["orders"][0]["order_number"]
    payments = [r for r in sandbox_control.log(500) if r["path"].endswith("/cart/payment")]
    assert payments and payments[-1]["status"] == 200


def test_a_new_card_is_saved_to_the_members_account_when_ticked(window, run, until, qtbot, sandbox_control):
    async def steps():
        await signed_in(window, until)
        await open_event_by_search(window, qtbot, until, TEST_EVENT, TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        await choose_delivery(window, qtbot, until)
        await until(lambda: shown(flow, "method_member"), 30, "the member's cards offered")
        save = find(flow, "saveCardToMember", QCheckBox)
        assert save.isVisible() and not save.isChecked()  # offered, never ticked for the member
        fill_payment(qtbot, flow)
        save.setChecked(True)
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, 30, "the review page")
        await until(lambda: "saved to the member's account" in find(flow, "commitStatus", QLabel).text(), 10,
                    "the card saved said")
        assert "••••1006" in find(flow, "reviewPayment", QLabel).text()

    run(steps())
    added = member_posts(sandbox_control, "POST")
    assert len(added) == 1 and added[0]["status"] == 200
    assert "6011993200001006" not in str(added[0])  # the card went encrypted, and the log masks it


def test_without_a_member_no_card_is_offered_for_saving(window, run, until, qtbot, sandbox_control):
    async def steps():
        await open_event_by_search(window, qtbot, until, TEST_EVENT, TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        await choose_delivery(window, qtbot, until)
        assert not shown(flow, "method_member") and not shown(flow, "saveCardToMember")
        fill_payment(qtbot, flow)
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, 30, "the review page")

    run(steps())
    assert member_posts(sandbox_control, "POST") == []


def tab_into(widget) -> None:
    """The keyboard focus arriving by Tab (sent to the widget: the test window need not be active)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))


def test_moving_into_the_saved_cards_picks_none(window, run, until, qtbot, sandbox_control):
    """Tabbing into the list puts Qt's cursor on the first card; that is no choice: the cashier
    picks one (click, or Space) every time."""
    async def steps():
        await signed_in(window, until)
        flow = await to_member_payment(window, qtbot, until)
        saved = flow.payment.member_list
        tab_into(saved)
        assert saved.currentItem() is not None  # Qt's cursor sits on the first card
        from tests.gui.windowkit import type_into

        type_into(qtbot, flow, "memberCvv", "123")
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        assert "saved card" in find(flow, "paymentHint", QLabel).text().lower()
        assert flow.stack.currentWidget() is flow.payment
        tab_into(saved)
        qtbot.keyClick(saved, Qt.Key.Key_Space)  # the cashier picks the card under the cursor
        type_into(qtbot, flow, "memberCvv", "123")
        qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
        await until(lambda: flow.stack.currentWidget() is flow.review, 30, "the review page")

    run(steps())
