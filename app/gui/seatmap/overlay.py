"""Widgets floating over the seat map: the price-level legend and the zoom buttons.

They are children of the view itself (not of its viewport), so scrolling the map never drags them.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QToolButton, QWidget

from app.gui.formatting import format_money
from app.gui.seatmap.items import MapColours, price_colour
from app.gui.seatmap.layout import PriceLevelInfo


def _swatch(colour: QColor, outline: QColor | None = None) -> QLabel:
    """A 12 px square of the colour with a darker (or the given) border, drawn once as a picture."""
    picture = QPixmap(12, 12)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(outline if outline is not None else colour.darker(130), 2))
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(1, 1, 10, 10), 2, 2)
    painter.end()
    swatch = QLabel()
    swatch.setFixedSize(12, 12)
    swatch.setPixmap(picture)
    return swatch


def _price_span(low, high, currency) -> str:
    if low is None:
        return ""
    if high is None or high == low:
        return format_money(low, currency)
    return f"{format_money(low, currency)} – {format_money(high, currency)}"


def _level_tip(level: PriceLevelInfo) -> str:
    return f"{', '.join(level.offer_names)} · {level.available:,} free"


class _Panel(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        palette = self.palette()
        window = QColor(palette.color(QPalette.ColorRole.Window))
        window.setAlpha(235)
        palette.setColor(QPalette.ColorRole.Window, window)
        self.setPalette(palette)


class SeatMapLegend(_Panel):
    """Colour → price level with its price span per ticket (fees included); taken and picked seats."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("seatMapLegend")
        self.setAccessibleName("Seat map legend")
        font = self.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        self.setFont(font)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(6, 4, 6, 4)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(1)
        self._shown: tuple | None = None  # what the legend's widgets show (``set_levels``)
        self._level_labels: list[QLabel] = []

    def set_levels(self, levels: tuple[PriceLevelInfo, ...], names: dict[str, str], colours: MapColours,
                   has_seats: bool = True) -> None:
        """Fill the legend. When only the free counts moved (the same event again, after a sale or a
        refresh) the widgets stay and only their tooltips change: rebuilding the ~40 widgets of a
        stadium's legend cost ~3 ms of the GUI thread in the page's first frames."""
        shown = (tuple((level.index, names.get(level.id or "", f"Price level {level.id}"),
                        _price_span(level.total_min, level.total_max, level.currency)) for level in levels),
                 colours.taken.rgba(), colours.selected_fill.rgba(), colours.selected_ring.rgba(), has_seats)
        if shown == self._shown:
            for label, level in zip(self._level_labels, levels, strict=True):
                label.setToolTip(_level_tip(level))
            return
        self._shown = shown
        self._level_labels = []
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        row = 0
        for level, (_, name, price) in zip(levels, shown[0], strict=True):
            self._grid.addWidget(_swatch(price_colour(level.index)), row, 0)
            label = QLabel(f"<b>{name}</b>")
            label.setToolTip(_level_tip(level))
            self._level_labels.append(label)
            self._grid.addWidget(label, row, 1)
            price_label = QLabel(price)
            price_label.setToolTip("Per ticket, fees included")
            self._grid.addWidget(price_label, row, 2, Qt.AlignmentFlag.AlignRight)
            row += 1
        if has_seats:
            states = QWidget()
            line = QHBoxLayout(states)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(6)
            line.addWidget(_swatch(colours.taken))
            line.addWidget(QLabel("Taken"))
            line.addSpacing(8)
            line.addWidget(_swatch(colours.selected_fill, colours.selected_ring))
            line.addWidget(QLabel("Picked"))
            line.addStretch(1)
            self._grid.addWidget(states, row, 0, 1, 3)
        for index in range(self._grid.count()):
            self._grid.itemAt(index).widget().show()  # else the size below ignores them until shown
        self.adjustSize()


class ZoomButtons(_Panel):
    """+ / − / Fit for cashiers without a wheel, and a Legend toggle; the view connects the signals."""

    zoomIn = Signal()
    zoomOut = Signal()
    fit = Signal()
    legendToggled = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("seatMapZoomBar")
        self.setAccessibleName("Seat map zoom")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(2)
        for text, name, tip, signal in (("+", "zoomInButton", "Zoom in (+)", self.zoomIn),
                                        ("−", "zoomOutButton", "Zoom out (−)", self.zoomOut),
                                        ("Fit", "zoomFitButton", "Show the whole venue (0)", self.fit)):
            button = QToolButton(self)
            button.setText(text)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRaise(True)
            button.setMinimumWidth(28)
            button.clicked.connect(signal)
            layout.addWidget(button)
        legend = QToolButton(self)
        legend.setText("Legend")
        legend.setObjectName("legendButton")
        legend.setToolTip("Show or hide the colour legend")
        legend.setAccessibleName("Show or hide the colour legend")
        legend.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        legend.setAutoRaise(True)
        legend.setCheckable(True)
        legend.setChecked(True)
        legend.toggled.connect(self.legendToggled)
        layout.addWidget(legend)
        self.adjustSize()


def place_overlays(area: QRect, legend: QWidget, zoom: QWidget, message: QWidget) -> None:
    """The legend at the top left of the viewport ``area``, the zoom bar at its top right, a
    sentence shown instead of the map across it."""
    legend.adjustSize()
    legend.move(area.left() + 8, area.top() + 8)
    zoom.adjustSize()
    zoom.move(area.right() - zoom.width() - 8, area.top() + 8)
    message.setGeometry(area.adjusted(20, 20, -20, -20))


def obstacles_in_viewport(area: QRect, overlays: tuple[QWidget, ...]) -> list[QRectF]:
    """The shown overlays in viewport pixels (they are children of the view, not of its viewport),
    for fitting the venue clear of them."""
    offset = area.topLeft()
    return [QRectF(overlay.geometry().translated(-offset)) for overlay in overlays if not overlay.isHidden()]
