"""The seat map's scene items: one ``SectionItem`` per section (it paints all its seats itself, so a
60,000-seat stadium is ~120 items, not 60,000), the stage / field, and the colours they share.

Level of detail comes from the painter's transform: below ``SEAT_DETAIL_PX`` screen pixels per seat
a section is one block with its name and free count; above it, seats come from one small image
per section (a pixel grid of 5 × 5 per seat, 4 × 4 of them coloured, scaled without smoothing so
seats stay crisp squares with their aisles), then row labels, then seat numbers as the cashier
zooms in. Labels are
drawn upright and at a fixed pixel size whatever the section's rotation and the zoom.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPalette, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from app.gui.seatmap.layout import PITCH, SEAT, TAKEN, SeatMapLayout, SectionLayout

SEAT_DETAIL_PX = 4.5  # screen pixels per seat pitch from which seats are drawn one by one
ROW_LABEL_PX = 13.0  # … from which row names are drawn
SEAT_NUMBER_PX = 26.0  # … from which seat numbers are drawn inside the seats
BACK_BAND = 2.6 * PITCH  # behind the back row: where the section's name goes (inside the ring gap)

PRICE_COLOURS = ("#1f77b4", "#e8830c", "#2ca02c", "#c23b8f", "#8c6bb1", "#17a2b8",
                 "#b8a41c", "#8c564b", "#d62728", "#3b4cc0")
UNKNOWN_LEVEL_COLOUR = "#4f9d8f"
SEAT_PIXELS = 5  # image pixels per seat pitch in a section's seat image; the last one is the aisle
# A seat kind (signed byte: NO_LEVEL -2, TAKEN -1, palette index 0…) → colour-table index (0 = aisle).
_KIND_TO_INDEX = bytes(((b if b < 128 else b - 256) + 3) & 0xFF for b in range(256))


def price_colour(kind: int) -> QColor:
    """The colour of a price-level palette index (cycles after ten levels)."""
    return QColor(PRICE_COLOURS[kind % len(PRICE_COLOURS)] if kind >= 0 else UNKNOWN_LEVEL_COLOUR)


class MapColours:
    """Colours derived from the widget palette, so the map follows the light / dark theme."""

    def __init__(self, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        self.background = base
        self.text = palette.color(QPalette.ColorRole.Text)
        self.taken = QColor("#4a4d52") if dark else QColor("#d3d5d9")
        self.taken_block = QColor("#3a3d42") if dark else QColor("#e6e7ea")
        self.selected_fill = QColor("#ffffff") if dark else QColor("#15171a")
        self.selected_ring = palette.color(QPalette.ColorRole.Highlight)
        self.stage = QColor("#5a5f66") if dark else QColor("#6b7079")
        self.field = QColor("#2f6b3a") if dark else QColor("#5f9e6b")
        self.stage_text = QColor("#ffffff")
        self._seat_table: list[int] | None = None

    def seat_colour_table(self) -> list[int]:
        """The seat images' colour table: aisle (transparent), unknown level, taken, price levels."""
        if self._seat_table is None:
            self._seat_table = [0, price_colour(-2).rgba(), self.taken.rgba()] + \
                [price_colour(k).rgba() for k in range(253)]
        return self._seat_table


def _upright_text(painter: QPainter, centre: QPointF, angle: float, lod: float, lines: list[tuple[str, QFont]],
                  colour: QColor, turn: float | None = None) -> None:
    """Draw lines of text centred on ``centre`` (item coordinates) at fixed pixel sizes: upright on
    screen, or — with ``turn`` — along the item's own axis turned by ``turn`` degrees.

    Upright text is drawn from a small cached picture of it, placed on whole device pixels: a map
    frame shows the same few hundred labels again and again, and laying text out is the costly part."""
    if turn is None:
        key = tuple((line, font.pixelSize(), font.bold()) for line, font in lines)
        dpr = painter.device().devicePixelRatioF()
        pixmap, width, height = _text_pixmap(key, colour.rgba(), dpr)
        spot = painter.worldTransform().map(centre)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(QPointF(round(spot.x() - width / 2), round(spot.y() - height / 2)), pixmap)
        painter.restore()
        return
    painter.save()
    painter.translate(centre)
    painter.rotate(turn)
    painter.scale(1.0 / lod, 1.0 / lod)
    painter.setPen(colour)
    metrics = [_metrics(font) for _, font in lines]
    y = -sum(m.height() for m in metrics) / 2
    for (line, font), m in zip(lines, metrics, strict=False):
        painter.setFont(font)
        width = _text_width(line, font.pixelSize(), font.bold())
        painter.drawText(QPointF(-width / 2, y + m.ascent()), line)
        y += m.height()
    painter.restore()


_TEXT_PAD = 2  # pixels around a label picture, for antialiasing beyond the text's advance


@lru_cache(maxsize=2048)
def _text_pixmap(lines: tuple[tuple[str, int, bool], ...], rgba: int, dpr: float) -> tuple[QPixmap, float, float]:
    """Centred lines of text on a transparent picture; returns it with its size in device-independent pixels."""
    widths = [_text_width(line, pixels, bold) for line, pixels, bold in lines]
    metrics = [_font_and_metrics(pixels, bold)[1] for _, pixels, bold in lines]
    width = max(widths) + 2 * _TEXT_PAD
    height = sum(m.height() for m in metrics) + 2 * _TEXT_PAD
    pixmap = QPixmap(max(1, math.ceil(width * dpr)), max(1, math.ceil(height * dpr)))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setPen(QColor.fromRgba(rgba))
    y = _TEXT_PAD
    for (line, pixels, bold), line_width, m in zip(lines, widths, metrics, strict=False):
        painter.setFont(_font_and_metrics(pixels, bold)[0])
        painter.drawText(QPointF((width - line_width) / 2, y + m.ascent()), line)
        y += m.height()
    painter.end()
    return pixmap, width, height


def _blend(colour: QColor, background: QColor, share: float) -> QColor:
    """``share`` of ``colour`` over ``background``, as an opaque colour."""
    return QColor(round(colour.red() * share + background.red() * (1 - share)),
                  round(colour.green() * share + background.green() * (1 - share)),
                  round(colour.blue() * share + background.blue() * (1 - share)))


@lru_cache(maxsize=64)
def _font_and_metrics(pixels: int, bold: bool) -> tuple[QFont, QFontMetricsF]:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font, QFontMetricsF(font)


def _pixel_font(pixels: float, bold: bool = False) -> QFont:
    """A font of a whole number of pixels (cached: painting asks for the same few sizes)."""
    return _font_and_metrics(max(1, round(pixels)), bold)[0]


@lru_cache(maxsize=4096)
def _text_width(text: str, pixels: int, bold: bool) -> float:
    return _font_and_metrics(pixels, bold)[1].horizontalAdvance(text)


def _metrics(font: QFont) -> QFontMetricsF:
    return _font_and_metrics(font.pixelSize(), font.bold())[1]


def describe_seat(layout: SeatMapLayout, s: SectionLayout, seat: int, *, picked: bool, names: dict[str, str]) -> str:
    """Tooltip text for a seat (``seat`` ≥ 0) or its whole section (``seat`` = -1); row and seat
    names only when the layout may show them."""
    if seat < 0:
        if s.general_admission:
            free = "" if s.ga_available is None else f", {s.ga_available:,} free"
            return f"Section {s.name}: general admission (standing){free}"
        return f"Section {s.name}: {s.available:,} free seat{'s' if s.available != 1 else ''}"
    where = f"Section {s.name}"
    if layout.show_names:
        where += f", row {s.row_names[s.seat_row[seat]]}, seat {s.seat_name[seat]}"
    kind = s.seat_kind[seat]
    if kind == TAKEN:
        return f"{where}: taken"
    level = next((lv for lv in layout.price_levels if lv.index == kind), None)
    state = "picked" if picked else "free"
    if s.seat_place[seat] is None:
        state = "free (cannot be picked here)"
    name = names.get(level.id or "", f"price level {level.id}") if level else "price level unknown"
    return f"{where}: {state}, {name}"


class SectionItem(QGraphicsItem):
    """All seats of one section, painted in batches; hit-testing goes through the layout's cell grid."""

    def __init__(self, section: SectionLayout, index: int, colours: MapColours, show_names: bool) -> None:
        super().__init__()
        self.section = section
        self.index = index
        self.colours = colours
        self.show_names = show_names
        self.selected: set[int] = set()
        self._image: tuple[MapColours, QImage] | None = None
        self._block_fill: tuple[MapColours, QColor] | None = None
        w, h = section.width, section.height
        self._body = QRectF(-w / 2, -h / 2, w, h)
        self._bounds = self._body.adjusted(-2.2 * PITCH, -1.2 * PITCH, 2.2 * PITCH, BACK_BAND + 0.2 * PITCH)
        self.setPos(section.centre_x, section.centre_y)
        self.setRotation(section.angle)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptHoverEvents(False)

    def same_shape(self, section: SectionLayout) -> bool:
        """Whether ``section`` sits exactly where this item's section does, at the same size: a new
        answer for the same venue can then reuse the item (``set_section``)."""
        s = self.section
        return (s.name, s.columns, len(s.row_names), s.centre_x, s.centre_y, s.angle, s.general_admission) == (
            section.name, section.columns, len(section.row_names), section.centre_x, section.centre_y,
            section.angle, section.general_admission)

    def set_section(self, section: SectionLayout) -> None:
        """Show a new answer's seats for the same section (``same_shape``): its pictures are made anew."""
        self.section = section
        self._image = None
        self._block_fill = None
        self.update()

    # --- geometry -------------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def seat_rect(self, seat: int) -> QRectF:
        x, y = self.section.seat_centre(seat)
        return QRectF(x - SEAT / 2, y - SEAT / 2, SEAT, SEAT)

    def seat_scene_pos(self, seat: int) -> QPointF:
        x, y = self.section.seat_centre(seat)
        return self.mapToScene(QPointF(x, y))

    def hit(self, scene_pos: QPointF) -> int | None:
        """The seat under a scene point, -1 on the section but off any seat, None off the section."""
        local = self.mapFromScene(scene_pos)
        s = self.section
        if not s.general_admission and (abs(local.x()) > s.width / 2 + 2 or abs(local.y()) > s.height / 2 + 2):
            return None
        return s.seat_at(local.x(), local.y())

    def places_in(self, scene_polygon: QPolygonF) -> list[str]:
        """Place ids of the free seats whose centre lies inside a scene polygon, in grid order."""
        local = self.mapFromScene(scene_polygon)
        box = local.boundingRect()
        s = self.section
        found = []
        for seat in s.seats_in_box(box.left(), box.top(), box.right(), box.bottom()):
            place = s.seat_place[seat]
            if place is not None and s.seat_kind[seat] != TAKEN and \
                    local.containsPoint(QPointF(*s.seat_centre(seat)), Qt.FillRule.OddEvenFill):
                found.append(place)
        return found

    def prepare_seats(self) -> None:
        """Build the seat image now rather than at the first zoomed-in paint."""
        self._seat_image()

    def _seat_image(self) -> QImage:
        """The section's seats as one image, SEAT_PIXELS per seat pitch (built once per palette).

        Built with a handful of C-level byte operations per row of seats: no Python object per seat."""
        c = self.colours
        if self._image is None or self._image[0] is not c:
            s = self.section
            cols, rows = s.columns, len(s.row_names)
            width = cols * SEAT_PIXELS
            stride = (width + 3) & ~3
            indices = s.seat_kind.tobytes().translate(_KIND_TO_INDEX)
            aisle = bytes(stride)
            data = bytearray()
            for r in range(rows):
                line = bytearray(stride)
                row = indices[r * cols:(r + 1) * cols]
                for offset in range(SEAT_PIXELS - 1):
                    line[offset:width:SEAT_PIXELS] = row
                data += line * (SEAT_PIXELS - 1)
                data += aisle
            image = QImage(bytes(data), width, rows * SEAT_PIXELS, stride, QImage.Format.Format_Indexed8)
            image.setColorTable(c.seat_colour_table())
            # Converted once (this also copies the pixels out of ``data``): painting never converts.
            self._image = (c, image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied))
        return self._image[1]

    def set_selected_seats(self, seats: set[int]) -> None:
        self.selected = seats
        self.update()

    # --- painting -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        pixels_per_seat = lod * PITCH
        if self.section.general_admission:
            self._paint_block(painter, lod, general_admission=True)
        elif pixels_per_seat < SEAT_DETAIL_PX:
            self._paint_block(painter, lod)
        else:
            self._paint_seats(painter, option, lod, pixels_per_seat)

    def _paint_block(self, painter: QPainter, lod: float, general_admission: bool = False) -> None:
        s, c = self.section, self.colours
        if self._block_fill is None or self._block_fill[0] is not c:  # once per palette
            if s.available or general_admission:
                fill = _blend(price_colour(s.main_kind), c.background, 0.78 if general_admission else 0.7)
            else:
                fill = c.taken_block
            self._block_fill = (c, fill)  # opaque: an opaque fill is much faster than a translucent one
        fill = self._block_fill[1]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRect(self._body)
        if self.selected:
            pen = QPen(c.selected_fill, 3)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._body)
        screen = min(s.width, s.height) * lod, max(s.width, s.height) * lod
        if screen[0] < 12 or screen[1] < 18:
            return
        # Upright text across a block: a block lying (nearly) flat offers its width, else its depth.
        lying_flat = abs(math.sin(math.radians(s.angle))) < 0.5
        room = (s.width if lying_flat else s.height) * lod * 0.9
        name_font = _pixel_font(min(13.0, max(9.0, screen[0] * 0.45)), bold=True)
        if _text_width(s.name, name_font.pixelSize(), True) > room * 1.3:
            return
        lines = [(s.name, name_font)]
        detail = f"{s.available:,} free"
        if general_admission:
            detail = "Standing" if s.ga_available is None else f"{s.ga_available:,} free · standing"
        if self.selected:
            detail = f"{len(self.selected)} picked"
        detail_font = _pixel_font(10)
        if screen[0] >= 30 and _text_width(detail, 10, False) <= room:
            lines.append((detail, detail_font))
        text = QColor("#ffffff") if (s.available or general_admission) else c.text
        _upright_text(painter, QPointF(0, 0), s.angle, lod, lines, text)

    def _paint_seats(self, painter: QPainter, option: QStyleOptionGraphicsItem, lod: float, pixels: float) -> None:
        s, c = self.section, self.colours
        # A seat's square starts one scene unit into its pitch: the image's first pixel column is seat.
        offset = (PITCH - SEAT) / 2
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # crisp squares, not a blur
        painter.drawImage(QRectF(self._body.left() + offset, self._body.top() + offset,
                                 self._body.width(), self._body.height()), self._seat_image())
        if self.selected:
            ring = QPen(c.selected_ring, 2.0)
            ring.setCosmetic(True)
            painter.setPen(ring if pixels >= 9 else Qt.PenStyle.NoPen)
            painter.setBrush(c.selected_fill)
            painter.drawRects([self.seat_rect(i) for i in self.selected])
        if pixels >= ROW_LABEL_PX and self.show_names:
            font = _pixel_font(min(12.0, pixels * 0.62), bold=True)
            off_r = (len(s.row_names) - 1) / 2
            x = s.width / 2 + 1.1 * PITCH
            for r, name in enumerate(s.row_names):
                y = (r - off_r) * PITCH
                for side in ((-x, x) if s.row_names_both_sides else (-x,)):
                    _upright_text(painter, QPointF(side, y), s.angle, lod, [(name, font)], c.text)
        if pixels >= SEAT_NUMBER_PX and self.show_names:
            self._paint_seat_numbers(painter, option.exposedRect, lod, pixels)
        self._paint_section_label(painter, lod, pixels)

    def _paint_section_label(self, painter: QPainter, lod: float, pixels: float) -> None:
        """The section's name in the band behind its back row, along the row (never upside down),
        only at a size that stays inside the band — so it never runs over a neighbouring section."""
        s = self.section
        size = round(min(15.0, max(9.0, pixels * 1.1)))
        height = _font_and_metrics(size, True)[1].height() / lod
        if height > BACK_BAND * 0.95:
            return
        for label in (f"Section {s.name}", s.name):
            if _text_width(label, size, True) / lod <= s.width + 2 * PITCH:
                break
        else:
            return
        upright = 0.0 if -90.0 <= ((s.angle + 180.0) % 360.0) - 180.0 <= 90.0 else 180.0
        _upright_text(painter, QPointF(0, s.height / 2 + BACK_BAND / 2), s.angle, lod,
                      [(label, _pixel_font(size, bold=True))], self.colours.text, turn=upright)

    def _paint_seat_numbers(self, painter: QPainter, exposed: QRectF, lod: float, pixels: float) -> None:
        s = self.section
        font = _pixel_font(min(13.0, pixels * 0.42))
        white, dark = QColor("#ffffff"), self.colours.text
        for i in s.seats_in_box(exposed.left(), exposed.top(), exposed.right(), exposed.bottom()):
            kind = s.seat_kind[i]
            colour = self.colours.background if i in self.selected else dark if kind == TAKEN else white
            x, y = s.seat_centre(i)
            _upright_text(painter, QPointF(x, y), s.angle, lod, [(s.seat_name[i], font)], colour)


class StageItem(QGraphicsItem):
    """The stage (theatres) or field (stadiums) the sections face."""

    def __init__(self, label: str, rect: tuple[float, float, float, float], colours: MapColours) -> None:
        super().__init__()
        self.label = label
        self.rect = QRectF(*rect)
        self.colours = colours
        self.setZValue(-1)

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(self.colours.field if self.label == "FIELD" else self.colours.stage))
        radius = min(self.rect.width(), self.rect.height()) * 0.12
        painter.drawRoundedRect(self.rect, radius, radius)
        if self.label == "FIELD":
            pen = QPen(QColor(255, 255, 255, 150), 2)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inner = self.rect.adjusted(self.rect.width() * 0.06, self.rect.height() * 0.1,
                                       -self.rect.width() * 0.06, -self.rect.height() * 0.1)
            painter.drawRect(inner)
            painter.drawLine(QPointF(inner.center().x(), inner.top()), QPointF(inner.center().x(), inner.bottom()))
        size = round(min(28.0, max(10.0, self.rect.height() * lod * 0.35)))
        while size > 8 and _text_width(self.label, size, True) > self.rect.width() * lod * 0.85:
            size -= 1
        _upright_text(painter, self.rect.center(), 0.0, lod, [(self.label, _pixel_font(size, bold=True))],
                      self.colours.stage_text)
