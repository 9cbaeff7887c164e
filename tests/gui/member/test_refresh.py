"""A signed-in member's tokens renewed without the cashier noticing, and a renewal refused: the
window asks to sign in again and the sale keeps its cart."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox

from tests.gui.member.memberkit import (
    answer_consent,
    fill_sign_in_form,
    pay_with_saved_card,
    sign_in_dialog,
    signed_in,
    to_member_payment,
)
from tests.gui.windowkit import find


def test_an_expired_token_is_renewed_silently_and_the_member_pays(window, run, until, qtbot, sandbox_control):
    sandbox_control.scenario(token_lifetime=5)

    async def steps():
        await signed_in(window, until)
        sandbox_control.advance_clock(30)  # the provider's clock: the 5-second token is long gone
        flow = await to_member_payment(window, qtbot, until)
        pay_with_saved_card(qtbot, flow)
        await until(lambda: flow.stack.currentWidget() is flow.review, 30, "the review page")
        return await pay_and_commit_from_review(flow, qtbot, until)

    order = run(steps())
    assert order == sandbox_control.state()["orders"][0]["order_number"]
    tokens = [r for r in sandbox_control.log(500) if r["path"].endswith("/oauth/token")]
    assert len(tokens) >= 2 and all(r["status"] == 200 for r in tokens)  # the code, then renewals
    assert find(window, "toolbar_member").text() != "Sign in"  # still signed in


async def pay_and_commit_from_review(flow, qtbot, until) -> str:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    qtbot.mouseClick(find(flow, "commitButton", QPushButton), Qt.MouseButton.LeftButton)
    await until(lambda: flow.stack.currentWidget() is flow.confirmation, 60, "the confirmation page")
    return find(flow, "orderNumberLabel", QLabel).text()


def test_a_refused_renewal_asks_to_sign_in_again_and_keeps_the_cart(window, run, until, qtbot, sandbox_control):
    async def steps():
        await signed_in(window, until)
        flow = await to_member_payment(window, qtbot, until)
        cart_id = flow.session.cart_id
        # The provider ends every sign-in: the token is refused, and so is the renewal.
        sandbox_control.scenario(revoke_member_tokens=True)
        pay_with_saved_card(qtbot, flow)
        box = await until(lambda: window.findChild(QMessageBox, "memberSignInLost"), 30, "asked to sign in again")
        assert "Sign the member in again; the sale is kept" in box.text()
        assert find(window, "toolbar_member").text() == "Sign in"
        assert find(window, "memberStatus", QLabel).text() == "Member: not signed in"
        assert window.sale_flow is flow and flow.session.cart_id == cart_id and flow.session.state.holds_cart
        box.button(QMessageBox.StandardButton.Yes).click()
        dialog = await until(sign_in_dialog, 30, "the sign-in dialog")
        await fill_sign_in_form(dialog, until)
        await answer_consent(dialog, until)
        await until(lambda: flow.payment.member_list.count() > 0, 30, "the saved cards listed again")
        from PySide6.QtCore import Qt

        qtbot.mouseClick(find(flow, "method_member"), Qt.MouseButton.LeftButton)  # picked again: no default
        pay_with_saved_card(qtbot, flow)
        await until(lambda: flow.stack.currentWidget() is flow.review, 30, "the review page")
        return cart_id

    run(steps())
