"""The seat map: a zoomable, pannable view of a venue's sections and seats to pick exact places.

``SeatMapView`` (objectName ``seatMap``) shows an availability answer. The geometry is computed
by ``layout.compute_layout`` (pure Python): ``await view.load(availability)`` runs it on a
worker thread, ``set_availability`` runs it inline (tests, small events). Only scene building —
one item per section — happens on the GUI thread, and after ``load`` it is spread over a few turns
of the event loop (items made a batch at a time, the legend, then the swap to the new scene), so
the window keeps answering while a 60,000-seat stadium arrives; the map shown meanwhile stays
usable, and a newer load or message drops an unfinished one. A new answer for the same venue in the
same shape (a refresh, the same event after a sale) reuses the items shown.

Picking (the mouse gestures are ``mousepicking``'s): click a free seat to pick / unpick it; drag a
rectangle to pick every free seat in it; ``selectionChanged(list)`` carries the picked place ids in
picking order, never more than the limit set by ``set_selectable_limit`` (``limitReached(n)`` tells
when a pick was refused).
Navigation: wheel or ``+``/``-`` to zoom, ``0`` to fit, drag with the middle button or hold Space
and drag to pan, scroll bars. Each event opens fitted: the whole venue, clear of the legend and the
zoom bar; a refresh of the same event keeps the zoom. Zoomed out, sections are blocks with free counts; zoomed in,
seats.
With ``show_names=False`` (``locRowSeatRestrict``) no row or seat name is drawn or told. The
legend, the zoom buttons and the sentence shown instead of a map are ``mapoverlays``'.
"""

from __future__ import annotations

import asyncio
import logging
import time

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QToolTip, QWidget

from app.gui.offthread import let_go, off_gui_thread
from app.gui.seatmap.items import SEAT_DETAIL_PX, MapColours, SectionItem, StageItem, describe_seat
from app.gui.seatmap.layout import PITCH, TAKEN, SeatMapLayout, compute_layout
from app.gui.seatmap.mapoverlays import MapOverlays
from app.gui.seatmap.mousepicking import MousePicking
from app.gui.seatmap.navigation import ZoomPanView
from app.gui.seatmap.picks import Picks

log = logging.getLogger(__name__)
BUILD_BATCH = 40  # section items made per turn of the event loop while a load builds a new map


class SeatMapView(ZoomPanView):
    """Sections and seats of one event; click or drag to pick places."""

    selectionChanged = Signal(list)
    limitReached = Signal(int)
    layoutShown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatMap")
        self.setAccessibleName("Seat map")
        self.setAccessibleDescription(
            "Click a free seat to pick it, drag to pick several; "
            "wheel or plus / minus to zoom, 0 to fit, middle button or Space to pan."
        )
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(320, 240))
        self._layout: SeatMapLayout | None = None
        self._items: list[SectionItem] = []
        self._picks = Picks()
        self._to_prepare: list[SectionItem] = []
        self._names: dict[str, str] = {}
        self._generation = 0
        self._building: SeatMapLayout | None = None  # the layout a load is making items for
        self._mouse = MousePicking(self)
        self._colours = MapColours(self.palette())
        self.setBackgroundBrush(self._colours.background)
        self.overlays = MapOverlays(self)  # the legend, the zoom buttons, the sentence instead of a map
        self.show_message("No seat map yet.")

    # --- loading ----------------------------------------------------------------------------------
    def set_availability(self, availability, *, show_names: bool = True) -> None:
        """Compute the layout inline and show it (tests, small events)."""
        self.show_layout(compute_layout(availability, show_names=show_names))

    async def load(self, availability, *, show_names: bool = True, level_names: dict[str, str] | None = None) -> bool:
        """Compute the layout on a worker thread, then show it. False if a newer load superseded it
        (or the map was emptied meanwhile: ``show_message``, ``show_layout``).
        ``level_names`` name the legend's price levels with the layout (one legend build per load;
        ``set_price_level_names`` before the load rebuilt the old event's legend first).

        The GUI thread's share is spread over a few turns of the event loop (``_show_in_turns``), so
        no single turn holds the window for long; the previous map stays shown and usable until
        the new one takes its place whole."""
        if self._layout is None:
            self.show_message("Loading the seat map…")  # a refresh keeps the current map meanwhile
        self._generation += 1
        generation = self._generation
        started = time.perf_counter()
        try:
            layout = await off_gui_thread(compute_layout, availability, show_names=show_names)
        except Exception:  # a malformed answer must not take the event page down with it
            log.exception("seat map layout failed for event %s", getattr(availability, "event_id", "?"))
            if generation == self._generation:
                self.show_message(
                    "The seat map could not be drawn for this event; the seats are still listed in the table."
                )
            return False
        if generation != self._generation:
            return False
        if not await self._show_in_turns(layout, generation, level_names):
            return False
        log.debug(
            "seat map: %d seats in %d sections shown in %.0f ms",
            layout.seat_count,
            len(layout.sections),
            (time.perf_counter() - started) * 1000,
        )
        return True

    async def _show_in_turns(self, layout: SeatMapLayout, generation: int,
                             level_names: dict[str, str] | None) -> bool:
        """``show_layout``'s work in slices, one per turn of the event loop: the section items are
        made ``BUILD_BATCH`` at a time (off the scene, so the map shown meanwhile is untouched), the
        legend is filled in a turn of its own, then the scene swaps to the new items in one go and
        paints. A refresh of the same venue reuses the items it shows. False (nothing of this
        layout shown) when a newer load or message took the map over between two turns."""

        async def next_turn() -> bool:
            await asyncio.sleep(0)
            if generation == self._generation:
                return True
            if self._building is layout:
                self._building = None
            return False

        self._building = layout
        items = self._reusable_items(layout)
        if items is None:
            items = []
            for start in range(0, len(layout.sections), BUILD_BATCH):
                if start and not await next_turn():
                    return False
                items.extend(SectionItem(section, index, self._colours, layout.show_names)
                             for index, section in enumerate(layout.sections[start:start + BUILD_BATCH], start))
            if not await next_turn():
                return False
        if level_names is not None:
            self._names = dict(level_names)
        if layout.sections:
            self.overlays.refresh_legend(layout, self._names, self._colours)
            if not await next_turn():
                return False
        self._building = None
        self._swap(layout, items)
        return True

    def _reusable_items(self, layout: SeatMapLayout) -> list[SectionItem] | None:
        """The items shown now, when ``layout`` is the same venue in the same shape (a refresh, the
        same event after a sale); None when new items are needed."""
        previous = self._layout
        if previous is None or previous.event_id != layout.event_id or previous.bounds != layout.bounds \
                or previous.show_names != layout.show_names or previous.stage_label != layout.stage_label \
                or previous.stage_rect != layout.stage_rect or len(self._items) != len(layout.sections):
            return None
        if all(item.same_shape(section) for item, section in zip(self._items, layout.sections, strict=True)):
            return self._items
        return None

    def set_price_level_names(self, names: dict[str, str]) -> None:
        """Legend names per price level id (e.g. from EventDetails.prices); default "Price level N"."""
        self._names = dict(names)
        self._refresh_legend()

    def show_layout(self, layout: SeatMapLayout) -> None:
        """Replace the scene with a computed layout at once (GUI thread; one item per section).

        A refresh of the same venue keeps the zoom, the position and every pick still free."""
        self._generation += 1  # an unfinished ``load`` of another answer stops here
        self._building = None
        items = self._reusable_items(layout)
        if items is None:
            items = [SectionItem(section, index, self._colours, layout.show_names)
                     for index, section in enumerate(layout.sections)]
        self._swap(layout, items)

    def _swap(self, layout: SeatMapLayout, items: list[SectionItem]) -> None:
        """Show ``layout`` with its section items (new ones, or the ones shown, given the new sections)."""
        previous, picks = self._layout, self._picks.places()
        # Only a refresh of the same event keeps the view; another event (even in a hall of the same
        # shape) opens fitted.
        same_venue = (
            previous is not None
            and previous.event_id == layout.event_id
            and previous.bounds == layout.bounds
            and [s.name for s in previous.sections] == [s.name for s in layout.sections]
        )
        reused = bool(items) and items is self._items
        transform = self.transform()
        scroll = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        scene = self.scene()
        self._to_prepare = []  # the items are about to go (or to get new seats)
        if not reused:
            scene.clear()
        previous = None  # the worker frees the old layout: keep no reference to it here
        self._retire()
        self._layout = layout
        if not layout.sections:
            self.show_message("This event has no seats to pick on a map.")  # drops any picks
        else:
            if reused:
                for item, section in zip(items, layout.sections, strict=True):
                    item.set_section(section)
            else:
                scene.addItem(StageItem(layout.stage_label, layout.stage_rect, self._colours))
                for item in items:
                    item.colours = self._colours  # made over a few turns: the theme may have changed since
                    scene.addItem(item)
            self._items = items
            scene.setSceneRect(QRectF(*layout.bounds))
            self._refresh_legend()
            self.overlays.show_map()
            if same_venue:  # same scene rect and transform: the scroll bars mean the same place
                self.setTransform(transform)
                self.horizontalScrollBar().setValue(scroll[0])
                self.verticalScrollBar().setValue(scroll[1])
            else:
                self.set_content_rect(QRectF(*layout.bounds))
                self.fit()
            self._picks.keep_known(layout.locate)
            self._sync_items()
            self._to_prepare = list(self._items)
            QTimer.singleShot(0, self, self._prepare_some)
        if layout.sections and self.selected_places() != picks:
            self.selectionChanged.emit(self.selected_places())
        self.layoutShown.emit()

    def _retire(self) -> None:
        """Drop the shown layout and its items; the worker frees the layout a section at a time."""
        self._items = []  # ~120 item wrappers (the scene already deleted their C++ side)
        if self._layout is not None:
            let_go([self._layout], lambda held: [held.place_index, *held.sections])
            self._layout = None

    def _prepare_some(self) -> None:
        """Build a few sections' seat images per idle moment, so the first zoom into seats is smooth."""
        batch, self._to_prepare = self._to_prepare[:6], self._to_prepare[6:]
        for item in batch:
            item.prepare_seats()
        if self._to_prepare:
            QTimer.singleShot(0, self, self._prepare_some)

    def show_message(self, text: str) -> None:
        """Empty the map and show a sentence instead (loading, no map, map not allowed); an
        unfinished ``load`` stops."""
        self._generation += 1
        self._building = None
        self._to_prepare = []
        self.scene().clear()
        self._retire()
        if self._picks.clear():
            self.selectionChanged.emit([])
        self.overlays.hide_controls()
        self.set_content_rect(None)
        self.overlays.say(text)

    def message(self) -> str:
        """The sentence shown instead of a map, or "" when a map is shown."""
        return self.overlays.message()

    layout_data = property(lambda self: self._layout, doc="The SeatMapLayout shown, or None.")
    building = property(lambda self: self._building,
                        doc="The SeatMapLayout a load is getting ready to show (the map shown stays meanwhile).")

    # --- selection --------------------------------------------------------------------------------
    def selected_places(self) -> list[str]:
        return self._picks.places()

    def clear_selection(self) -> None:
        if self._picks.clear():
            self._picks_changed()

    def set_selectable_limit(self, limit: int | None) -> None:
        """At most ``limit`` picked places (None or 0: no limit); extra picks are dropped, newest first."""
        if self._picks.set_limit(limit):
            self._picks_changed()

    def select_places(self, places: list[str], *, replace: bool = False) -> list[str]:
        """Pick these place ids (unknown or taken ones are ignored); returns the places picked now."""
        if self._layout is None:
            return []
        if replace:
            self._picks.clear()
        added, refused = self._picks.add(places, self._layout.locate)
        if refused:
            self.limitReached.emit(self._picks.limit)
        self._picks_changed()
        if added:
            self._ensure_visible(added)
        return added

    def _toggle(self, place: str) -> None:
        self._after_pick(*self._picks.toggle(place, self._layout.locate))

    def _pick_many(self, places: list[str]) -> None:
        self._after_pick(*self._picks.add(places, self._layout.locate))

    def _after_pick(self, changed, refused) -> None:
        if refused:
            self.limitReached.emit(self._picks.limit)
        if changed:
            self._picks_changed()

    def _picks_changed(self) -> None:
        self._sync_items()
        self.selectionChanged.emit(self.selected_places())

    def _sync_items(self) -> None:
        per_section = self._picks.per_section()
        for item in self._items:
            seats = per_section.get(item.index, set())
            if seats != item.selected:
                item.set_selected_seats(seats)

    # --- geometry helpers (also for tests and the shell) ------------------------------------------
    def place_viewport_pos(self, place: str) -> QPoint | None:
        """Where a place's seat is drawn in viewport coordinates (None if unknown)."""
        found = self._layout.locate(place) if self._layout is not None else None
        if found is None:
            return None
        section, seat = found
        return self.mapFromScene(self._items[section].seat_scene_pos(seat))

    def zoom_to_place(self, place: str, pixels_per_seat: float = 24.0) -> None:
        """Centre a place's seat, zoomed in so single seats are drawn."""
        found = self._layout.locate(place) if self._layout is not None else None
        if found is None:
            return
        section, seat = found
        self.set_pixels_per_seat(pixels_per_seat)
        self.centerOn(self._items[section].seat_scene_pos(seat))

    def showing_seats(self) -> bool:
        """True when single seats are drawn, False when sections are drawn as blocks."""
        return self.transform().m11() * PITCH >= SEAT_DETAIL_PX

    def describe_at(self, pos: QPoint) -> str:
        """Tooltip text for a viewport point: the seat (or section) under it."""
        hit = self._hit(pos)
        if hit is None:
            return ""
        item, seat = hit
        return describe_seat(
            self._layout,
            item.section,
            seat if self.showing_seats() else -1,
            picked=item.section.seat_place[seat] in self._picks if seat >= 0 else False,
            names=self._names,
        )

    def _hit(self, pos: QPoint) -> tuple[SectionItem, int] | None:
        scene_pos = self.mapToScene(pos)
        for item in self.scene().items(scene_pos):
            if isinstance(item, SectionItem) and (seat := item.hit(scene_pos)) is not None:
                return item, seat
        return None

    def _places_in(self, rect: QRect) -> list[str]:
        polygon = self.mapToScene(rect)
        items = sorted(
            (i for i in self.scene().items(polygon.boundingRect()) if isinstance(i, SectionItem)), key=lambda i: i.index
        )
        return [place for item in items for place in item.places_in(polygon)]

    def _ensure_visible(self, places: list[str]) -> None:
        points = [self._items[sec].seat_scene_pos(seat) for sec, seat in map(self._layout.locate, places)]
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        self.ensureVisible(QRectF(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1), 20, 20)

    # --- picking with the mouse (app.gui.seatmap.mousepicking) -----------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._mouse.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._mouse.move(event):
            super().mouseMoveEvent(event)
            self._mouse.hover(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._mouse.release(event):
            super().mouseReleaseEvent(event)

    def click_at(self, pos: QPoint) -> None:
        """What a left click at ``pos`` does: pick or unpick a free seat; zoomed out, zoom into the
        section clicked."""
        hit = self._hit(pos)
        if hit is None:
            return
        item, seat = hit
        if seat < 0 or not self.showing_seats():
            if not item.section.general_admission:
                self._zoom_into(item)
            return
        place = item.section.seat_place[seat]
        if place is not None and item.section.seat_kind[seat] != TAKEN:
            self._toggle(place)

    def pick_in(self, rect: QRect) -> None:
        """A rectangle dragged over the map: pick every free seat in it."""
        self._pick_many(self._places_in(rect))

    def clickable_at(self, pos: QPoint) -> bool:
        """Whether a click at ``pos`` acts: on a free seat, or on a section block to zoom into."""
        hit = self._hit(pos) if self._layout is not None else None
        if hit is None:
            return False
        item, seat = hit
        if not self.showing_seats():
            return not item.section.general_admission
        return seat >= 0 and item.section.seat_place[seat] is not None

    def _zoom_into(self, item: SectionItem) -> None:
        """A click on a zoomed-out section zooms to that section."""
        self.zoom_to_rect(item.sceneBoundingRect().adjusted(-PITCH * 3, -PITCH * 3, PITCH * 3, PITCH * 3))

    # --- overlays and tooltips --------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.describe_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """The system switched between light and dark: recolour the map to match."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "overlays"):
            self._colours = MapColours(self.palette())
            self.setBackgroundBrush(self._colours.background)
            for item in self.scene().items():
                if isinstance(item, (SectionItem, StageItem)):
                    item.colours = self._colours
                    item.update()
            self._refresh_legend()

    def _refresh_legend(self) -> None:
        self.overlays.refresh_legend(self._layout, self._names, self._colours)

    def resizeEvent(self, event) -> None:
        self.overlays.place()
        super().resizeEvent(event)

    def _fit_obstacles(self) -> list[QRectF]:
        return self.overlays.obstacles()
