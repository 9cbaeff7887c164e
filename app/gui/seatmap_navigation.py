"""Zooming and panning a QGraphicsView the way a cashier expects, independent of what it shows.

``ZoomPanView``: wheel (Shift+wheel scrolls), ``+``/``-`` keys, ``0`` or ``F`` to fit, drag with the
middle button or hold Space and drag to pan, scroll bars. Zoom is bounded between half the "fit"
scale and ``MAX_PIXELS_PER_SEAT`` screen pixels per seat pitch. ``fit()`` may keep the content
beside a floating overlay (a subclass names the room it needs in ``_fit_reserves``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.gui.seatmap_layout import PITCH

ZOOM_STEP = 1.25
MAX_PIXELS_PER_SEAT = 64.0


class ZoomPanView(QGraphicsView):
    """A graphics view with bounded zoom, fit-to-content and mouse / keyboard panning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._content: QRectF | None = None
        self._fit_scale = 1.0
        self._pan_from: QPoint | None = None

    def set_content_rect(self, rect: QRectF | None) -> None:
        """What ``fit()`` shows whole (None: nothing to show)."""
        self._content = rect
        if rect is not None:
            self.setSceneRect(rect)

    def _fit_reserves(self) -> list[tuple[float, float]]:
        """Room (left, top) in pixels an overlay would like kept free; fit tries each option."""
        return []

    def fit(self) -> None:
        """Show all the content, beside or below an overlay when that costs little room."""
        if self._content is None:
            return
        bounds = self._content
        area = self.viewport().rect()
        choices = [(0.0, 0.0, 0.85)] + [(left, top, 1.0) for left, top in self._fit_reserves()]
        best = None
        for left, top, preference in choices:  # covering content with an overlay costs 15 %
            scale = min((area.width() - left - 6) / bounds.width(), (area.height() - top - 6) / bounds.height())
            if scale > 0 and (best is None or scale * preference > best[0]):
                best = (scale * preference, scale, left, top)
        if best is None:
            return
        _, scale, left, top = best
        rect = bounds.adjusted(-left / scale, -top / scale, 0, 0)
        self.setSceneRect(rect)
        self.resetTransform()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._fit_scale = self.transform().m11()

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    def set_pixels_per_seat(self, pixels: float) -> None:
        """Zoom so a seat pitch covers ``pixels`` screen pixels (within the zoom bounds)."""
        self._zoom_by(pixels / PITCH / self.transform().m11())

    def zoom_to_rect(self, rect: QRectF) -> None:
        """Show ``rect`` (scene coordinates) as large as the zoom bounds allow."""
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > MAX_PIXELS_PER_SEAT / PITCH:
            self.set_pixels_per_seat(MAX_PIXELS_PER_SEAT)

    def _zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        target = min(max(current * factor, self._fit_scale * 0.5), MAX_PIXELS_PER_SEAT / PITCH)
        if abs(target - current) > 1e-9:
            self.scale(target / current, target / current)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self._zoom_by(ZOOM_STEP ** (delta / 120))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._zoom_by(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._zoom_by(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_F):
            self.fit()
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
        else:
            super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self.setDragMode(QGraphicsView.DragMode.NoDrag)  # Space released elsewhere
        super().focusOutEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        delta = pos - self._pan_from
        self._pan_from = pos
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def resizeEvent(self, event) -> None:
        was_fitted = self._content is not None and abs(self.transform().m11() - self._fit_scale) < 1e-9
        super().resizeEvent(event)
        if was_fitted:
            self.fit()
