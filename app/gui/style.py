"""The window's style sheet, in one place (``resources/style/boxoffice.qss``), applied once to the
whole application; widgets never carry inline style sheets.

``apply(app)`` sets it (``python -m app`` and the test suite both do, so tests see what a cashier
sees). A widget's state that changes its look (the hold countdown's last minute) is a dynamic
property the sheet selects on: ``set_state(widget, "warning", True)``.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtWidgets import QApplication, QWidget

from app.gui.resources import resource_path


@cache
def style_sheet() -> str:
    return resource_path("style", "boxoffice.qss").read_text(encoding="utf-8")


def apply(app: QApplication) -> None:
    app.setStyleSheet(style_sheet())


def set_state(widget: QWidget, name: str, on: bool) -> None:
    """Set the dynamic property ``name`` and re-polish, so the style sheet's ``[name="true"]`` rules
    take (or stop taking) effect at once."""
    widget.setProperty(name, on)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
