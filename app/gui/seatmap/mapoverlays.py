"""What floats over the seat map, and when: ``MapOverlays`` owns the view's price-level legend, its
zoom buttons and the sentence shown instead of a map.

With a map shown, the zoom buttons show and the legend too unless the cashier hid it ("Legend" on
the zoom bar; a fitted map then takes the room the legend frees, or makes room for it). With a
sentence shown (loading, no map, map not allowed), both hide. The widgets themselves, and where they
sit in the viewport, are ``overlay``'s; the view asks ``obstacles()`` what fitting must keep clear of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLabel

from app.gui.seatmap.overlay import SeatMapLegend, ZoomButtons, obstacles_in_viewport, place_overlays

if TYPE_CHECKING:
    from app.gui.seatmap.view import SeatMapView


class MapOverlays:
    """The legend, zoom buttons and message of ``view`` (children of the view, not its viewport)."""

    def __init__(self, view: SeatMapView) -> None:
        self._view = view
        self.legend = SeatMapLegend(view)
        self.legend.hide()
        self.zoom = ZoomButtons(view)
        self.zoom.zoomIn.connect(view.zoom_in)
        self.zoom.zoomOut.connect(view.zoom_out)
        self.zoom.fit.connect(view.fit)
        self.zoom.legendToggled.connect(self._show_legend)
        self._legend_wanted = True
        self.zoom.hide()
        self._message = QLabel(view)
        self._message.setObjectName("seatMapMessage")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)

    def show_map(self) -> None:
        """A map is shown (its legend already filled): the sentence goes, the legend and zoom come."""
        self._message.hide()
        self.legend.setVisible(self._legend_wanted)
        self.zoom.show()
        self.place()

    def hide_controls(self) -> None:
        """No map: the legend and the zoom buttons go (``say`` then gives the sentence)."""
        self.legend.hide()
        self.zoom.hide()

    def say(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()
        self.place()

    def message(self) -> str:
        """The sentence shown instead of a map, or "" when a map is shown."""
        return self._message.text() if not self._message.isHidden() else ""

    def refresh_legend(self, layout, names: dict[str, str], colours) -> None:
        if layout is not None:
            self.legend.set_levels(layout.price_levels, names, colours, layout.seat_count > 0)
            self.place()

    def _show_legend(self, shown: bool) -> None:
        view = self._view
        fitted = view.is_fitted()
        self._legend_wanted = shown
        self.legend.setVisible(shown and view.layout_data is not None)
        if fitted:
            view.fit()  # the venue takes the room the legend frees, or makes room for it

    def obstacles(self) -> list[QRectF]:
        return obstacles_in_viewport(self._view.viewport().geometry(), (self.legend, self.zoom))

    def place(self) -> None:
        place_overlays(self._view.viewport().geometry(), self.legend, self.zoom, self._message)
