"""The application's look, in one place: the style sheet (``resources/style/boxoffice.qss``),
applied once to the whole application (widgets never carry inline style sheets), and the app's icon
(``resources/icons/boxoffice-*.png``, drawn from ``boxoffice.svg`` by ``packaging/render_icons.py``).

``apply(app)`` sets both (``python -m app`` and the test suite both do, so tests see what a cashier
sees). A widget's state that changes its look (the hold countdown's last minute) is a dynamic
property the sheet selects on: ``set_state(widget, "warning", True)``.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from app.gui.resources import resource_path, resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@cache
def style_sheet() -> str:
    return resource_path("style", "boxoffice.qss").read_text(encoding="utf-8")


def app_icon() -> QIcon:
    """The Box Office icon at every rendered size (PNG: no SVG plugin needed); empty when the
    resources are missing, which leaves Qt's default icon rather than failing."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resources_dir() / "icons" / f"boxoffice-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


def apply(app: QApplication) -> None:
    app.setStyleSheet(style_sheet())
    app.setWindowIcon(app_icon())


def set_state(widget: QWidget, name: str, on: bool) -> None:
    """Set the dynamic property ``name`` and re-polish, so the style sheet's ``[name="true"]`` rules
    take (or stop taking) effect at once."""
    widget.setProperty(name, on)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
