"""The seat map alone, shown at a fixed size (the map tests share it)."""

from __future__ import annotations

import pytest

from app.gui.seatmap.view import SeatMapView


@pytest.fixture
def seat_map(qtbot):
    view = SeatMapView()
    qtbot.addWidget(view)
    view.resize(900, 650)
    view.show()
    qtbot.waitExposed(view)
    return view
