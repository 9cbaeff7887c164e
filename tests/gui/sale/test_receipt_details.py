"""What the receipt of a sale made in the window says about it: who bought, when (at the venue and
at this station), at which station and by which cashier (both from the station's settings)."""

from __future__ import annotations

import dataclasses
import time

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from app.gui.sale.receipt import save_receipt_pdf
from tests.gui.sale.salekit import pdf_text
from tests.gui.windowkit import (
    TEST_EVENT,
    choose_delivery,
    click,
    find,
    open_event_by_search,
    reserve_best_available,
    shown,
    type_into,
)


@pytest.fixture
def named_station(station):
    before = station.settings
    station.storage.save_settings(dataclasses.replace(before, station_name="Box 3 (north door)", station_user="alice"))
    yield station
    station.storage.save_settings(before)


@pytest.fixture
def station_in_berlin(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_receipt_names_buyer_time_station_and_cashier(named_station, station_in_berlin, window, run, until,
                                                          qtbot, tmp_path):
    async def steps():
        await open_event_by_search(window, qtbot, until, "test purchase", TEST_EVENT)
        flow = await reserve_best_available(window, qtbot, until, 1)
        await choose_delivery(window, qtbot, until)
        click(qtbot, find(flow, "method_invoice"))
        type_into(qtbot, flow, "invoiceReference", "5")
        for name, text in (("firstName", "Ada"), ("lastName", "Lovelace"), ("email", "ada@example.com")):
            type_into(qtbot, flow, name, text)
        click(qtbot, find(flow, "payButton", QPushButton))
        await until(lambda: shown(flow, "commitButton") and find(flow, "commitButton").isEnabled(), 30,
                    what="review page")
        click(qtbot, find(flow, "commitButton", QPushButton))
        await until(lambda: shown(flow, "orderNumberLabel") and find(flow, "orderNumberLabel", QLabel).text(), 60,
                    what="order confirmation")
        # The window's clock reads 26 Nov 2026, 15:00 UTC: 10:00 in New York, 16:00 in Berlin.
        expected = ["Buyer: Ada Lovelace",
                    "Sold Thu 26 Nov 2026, 10:00 AM EST at the venue (4:00 PM CET at this station)",
                    "Station: Box 3 (north door) · Cashier: alice"]
        details = " ".join(find(flow, "confirmationDetails", QLabel).text().split())  # 10:00\u202fAM → 10:00 AM
        pdf = tmp_path / "receipt.pdf"
        save_receipt_pdf(flow.confirmation.receipt, str(pdf))
        text = " ".join(pdf_text(pdf).split())
        for line in expected:
            assert line in details, (line, details)
            assert line in text, (line, text)

    run(steps())
