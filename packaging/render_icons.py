"""Render ``resources/icons/boxoffice.svg`` to the PNG sizes a desktop entry and the window use.

Run after changing the SVG: ``python packaging/render_icons.py``. The PNGs are committed, so the
app never needs Qt's SVG plugin to show its icon (and the bundle can leave it out).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "boxoffice.svg"))
    if not renderer.isValid():
        print("render_icons: boxoffice.svg is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = ICONS / f"boxoffice-{size}.png"
        if not image.save(str(target), "PNG"):
            print(f"render_icons: could not write {target}", file=sys.stderr)
            return 1
        print(f"wrote {target.relative_to(ICONS.parents[1])}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
