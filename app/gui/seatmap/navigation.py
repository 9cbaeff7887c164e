"""Zooming and panning a QGraphicsView the way a cashier expects, independent of what it shows.

``ZoomPanView``: wheel (Shift+wheel scrolls), ``+``/``-`` keys, ``0`` or ``F`` to fit, drag with the
middle button or hold Space and drag to pan, scroll bars. Zoom is bounded between half the "fit"
scale and ``MAX_PIXELS_PER_SEAT`` screen pixels per seat pitch. ``fit()`` shows all the content as
large as it can be drawn without any floating overlay on top of it (a subclass names the overlays'
rectangles in ``_fit_obstacles``): the content goes into the largest free rectangle beside, below or
between them (``free_rect_for``).
"""

from __future__ import annotations

from itertools import product

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.gui.seatmap.layout import PITCH

ZOOM_STEP = 1.25
MAX_PIXELS_PER_SEAT = 64.0
GAP = 6.0  # pixels kept between the content and the viewport's edge or an overlay


def free_rect_for(size: tuple[float, float], area: QRectF, obstacles: list[QRectF]) -> tuple[float, QRectF]:
    """(scale, rectangle): where content of ``size`` is drawn largest inside ``area`` without touching
    any of ``obstacles`` (all in viewport pixels), centred in the free rectangle that allows it."""
    width, height = size
    inner = area.adjusted(GAP, GAP, -GAP, -GAP)
    grown = [o.adjusted(-GAP, -GAP, GAP, GAP) for o in obstacles if not o.isEmpty()]
    lefts = [inner.left()] + [o.right() for o in grown]
    rights = [inner.right()] + [o.left() for o in grown]
    tops = [inner.top()] + [o.bottom() for o in grown]
    bottoms = [inner.bottom()] + [o.top() for o in grown]
    best_scale, best = 0.0, QRectF()
    for left, right, top, bottom in product(lefts, rights, tops, bottoms):
        if right - left < 1 or bottom - top < 1 or left < inner.left() or right > inner.right() \
                or top < inner.top() or bottom > inner.bottom():
            continue
        free = QRectF(left, top, right - left, bottom - top)
        if any(free.intersects(o) for o in grown):
            continue
        scale = min(free.width() / width, free.height() / height)
        if scale > best_scale:
            best_scale, best = scale, free
    if best_scale <= 0:
        return 0.0, QRectF()
    drawn = QRectF(0, 0, width * best_scale, height * best_scale)
    drawn.moveCenter(best.center())
    return best_scale, drawn


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

    def _fit_obstacles(self) -> list[QRectF]:
        """Rectangles (viewport pixels) of overlays the fitted content must stay clear of."""
        return []

    def fit(self) -> None:
        """Show all the content, as large as it fits without any overlay covering part of it."""
        if self._content is None:
            return
        bounds = self._content
        area = QRectF(self.viewport().rect())
        scale, drawn = free_rect_for((bounds.width(), bounds.height()), area, self._fit_obstacles())
        if scale <= 0:
            return
        # A scene rectangle a little smaller than the viewport (so rounding never calls for scroll
        # bars, whose coming and going would resize the viewport and refit, again and again), placed
        # so the content lands on ``drawn``; the view centres it (the pixel it leaves on each side).
        rect = QRectF(bounds.left() - (drawn.left() - area.left() - 1) / scale,
                      bounds.top() - (drawn.top() - area.top() - 1) / scale,
                      (area.width() - 2) / scale, (area.height() - 2) / scale)
        self.setSceneRect(rect)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())
        self._fit_scale = self.transform().m11()

    def is_fitted(self) -> bool:
        """True while the view shows what ``fit()`` showed (no zoom since)."""
        return self._content is not None and abs(self.transform().m11() - self._fit_scale) < 1e-9

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
        was_fitted = self.is_fitted()
        super().resizeEvent(event)
        if was_fitted:
            self.fit()
