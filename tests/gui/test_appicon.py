"""The Box Office icon: on the window at every size a desktop asks for, and the committed PNGs
are the SVG as drawn today (so an edited SVG cannot ship with stale pictures)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from app.gui import style
from app.gui.resources import resource_path


def test_the_window_carries_the_box_office_icon_at_every_size(window):
    icon = window.windowIcon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(n, n) for n in style.ICON_SIZES} <= sizes
    # Not Qt's default: the 64 px picture is the ticket's blue.
    image = icon.pixmap(QSize(64, 64)).toImage()
    centre = image.pixelColor(22, 40)
    assert (centre.red(), centre.green(), centre.blue()) == (0x1F, 0x4E, 0x8C)


def test_the_pngs_are_the_svg_as_drawn_today(qapp):
    renderer = QSvgRenderer(str(resource_path("icons", "boxoffice.svg")))
    assert renderer.isValid()
    for size in style.ICON_SIZES:
        drawn = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        drawn.fill(Qt.GlobalColor.transparent)
        painter = QPainter(drawn)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        committed = QImage(str(resource_path("icons", f"boxoffice-{size}.png")))
        assert committed.size() == drawn.size(), size
        assert committed.convertToFormat(drawn.format()) == drawn, (
            f"boxoffice-{size}.png differs from boxoffice.svg: run python packaging/render_icons.py")
