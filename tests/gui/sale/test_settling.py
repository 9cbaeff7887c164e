"""A commit in doubt in the window follows the core's settle policy (``app.checkout.settle``),
exactly as the command line does (``tests/cli/test_cli_settling.py``): bounded, the same
sentences, "Check again" instead of an endless wait, and never a second commit unless the cashier
places the order again. The service's faults come from a proxy in front of the sandbox."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from app.checkout.settle import DoubtOutcome, SettlePolicy, SettleReport
from app.checkout.station import BackendOverrides, Station
from app.storage import StationPaths, StationStorage
from tests.gui.sale.salekit import MOBILE_ENTRY, open_flow, reserve, to_payment
from tests.gui.windowkit import fill_buyer, find, type_into

STILL_UNKNOWN = SettleReport(DoubtOutcome.STILL_UNKNOWN, tries=2).sentence
NOT_SOLD = SettleReport(DoubtOutcome.NOT_SOLD_SEATS_HELD, tries=1).sentence


@pytest.fixture
def proxied_station(fault_proxy, qloop, tmp_path):
    """A started station whose Partner API is the fault proxy; settling is kept short (2 tries)."""
    station = Station(StationStorage(StationPaths.under(tmp_path / "station")),
                      overrides=BackendOverrides(base_url=fault_proxy.base_url, api_key="sandbox-api-key"),
                      settle_policy=SettlePolicy(tries=2, pause_seconds=0.5))
    qloop.run(station.start())
    yield station
    qloop.run(station.close())


async def to_review(qtbot, until, station):
    flow = open_flow(qtbot, await reserve(station, quantity=1))
    await to_payment(flow, until, qtbot, MOBILE_ENTRY)
    qtbot.mouseClick(find(flow, "method_invoice"), Qt.MouseButton.LeftButton)
    type_into(qtbot, flow, "invoiceReference", "31")
    fill_buyer(qtbot, flow)
    qtbot.mouseClick(find(flow, "payButton", QPushButton), Qt.MouseButton.LeftButton)
    await until(lambda: flow.stack.currentWidget() is flow.review, what="review page")
    return flow


def test_a_commit_the_service_never_confirms_offers_check_again_then_shows_the_one_order(
        proxied_station, fault_proxy, run, until, qtbot, sandbox_control):
    async def steps():
        flow = await to_review(qtbot, until, proxied_station)
        status = find(flow, "commitStatus", QLabel)
        commit = find(flow, "commitButton", QPushButton)
        check_again = find(flow, "checkAgainButton", QPushButton)
        assert not check_again.isVisible()
        fault_proxy.lose_next_commit()  # sold, the answer lost, then the service stays unreachable
        qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
        await until(check_again.isVisible, timeout=60, what="'Check again' once the bounded tries are over")
        assert status.text() == STILL_UNKNOWN
        assert not commit.isEnabled() and not flow.can_cancel()  # no second commit, no release
        assert not find(flow, "cancelCartButton", QPushButton).isEnabled()
        assert len(sandbox_control.state()["orders"]) == 1 and fault_proxy.commits_seen == 1

        fault_proxy.heal()
        qtbot.keyClick(check_again, Qt.Key.Key_Return)  # Enter on the review page checks again
        await until(lambda: flow.stack.currentWidget() is flow.confirmation, timeout=60, what="confirmation")
        assert find(flow, "orderNumberLabel", QLabel).text() == "Number not received"
        assert fault_proxy.commits_seen == 1 and len(sandbox_control.state()["orders"]) == 1
        assert sandbox_control.state()["held_carts"] == []

    run(steps(), timeout=150)


def test_a_commit_proven_not_carried_out_keeps_the_seats_until_the_cashier_places_it_again(
        proxied_station, fault_proxy, run, until, qtbot, sandbox_control):
    async def steps():
        flow = await to_review(qtbot, until, proxied_station)
        status = find(flow, "commitStatus", QLabel)
        commit = find(flow, "commitButton", QPushButton)
        fault_proxy.refuse_next_commit()  # answered 502, never reached the service
        qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
        await until(lambda: status.text().startswith(NOT_SOLD) and commit.isEnabled(), timeout=60,
                    what="'did not go through' with the order button usable again")
        assert status.text() == f"{NOT_SOLD} The seats are still held; place it again when ready."
        assert flow.can_cancel() and not find(flow, "checkAgainButton", QPushButton).isVisible()
        state = sandbox_control.state()
        assert fault_proxy.commits_seen == 1 and state["orders"] == [] and len(state["held_carts"]) == 1

        qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)  # the cashier's own decision
        await until(lambda: flow.stack.currentWidget() is flow.confirmation, timeout=60, what="confirmation")
        assert fault_proxy.commits_seen == 2 and len(sandbox_control.state()["orders"]) == 1

    run(steps(), timeout=150)
