"""Picking seats with the mouse on the seat map: a click picks or unpicks the seat under it (zoomed
out, it zooms into the section), a left-button drag draws a rubber band and picks every free seat
in it, and the pointer is a hand over what a click acts on. ``SeatMapView`` hands its mouse events
here and keeps what a click means (``click_at``, ``pick_in``, ``clickable_at``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QRubberBand

if TYPE_CHECKING:
    from app.gui.seatmap.view import SeatMapView


class MousePicking:
    """The press → drag → release of one left-button gesture on one seat map."""

    def __init__(self, view: SeatMapView) -> None:
        self._view = view
        self._press: QPoint | None = None
        self._band: QRubberBand | None = None

    def _picking(self) -> bool:
        return self._view.dragMode() == QGraphicsView.DragMode.NoDrag  # not while Space pans

    def press(self, event: QMouseEvent) -> bool:
        """True when the press starts a pick (the view then leaves it alone)."""
        if event.button() == Qt.MouseButton.LeftButton and self._picking():
            self._press = event.position().toPoint()
            event.accept()
            return True
        return False

    def move(self, event: QMouseEvent) -> bool:
        if self._press is None:
            return False
        pos = event.position().toPoint()
        if self._band is None and (pos - self._press).manhattanLength() >= QApplication.startDragDistance():
            self._band = QRubberBand(QRubberBand.Shape.Rectangle, self._view.viewport())
            self._band.show()
        if self._band is not None:
            self._band.setGeometry(QRect(self._press, pos).normalized())
        return True

    def release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        press, self._press = self._press, None
        if self._band is not None:
            rect = self._band.geometry()
            self._band.hide()
            self._band.deleteLater()
            self._band = None
            self._view.pick_in(rect)
        else:
            self._view.click_at(press)
        return True

    def hover(self, event: QMouseEvent) -> None:
        """A pointing hand over what a click acts on (only while no button is held)."""
        if event.buttons() != Qt.MouseButton.NoButton or not self._picking():
            return
        viewport = self._view.viewport()
        if self._view.clickable_at(event.position().toPoint()):
            viewport.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            viewport.unsetCursor()
