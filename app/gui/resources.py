"""Where the window's own files are: ``resources/`` beside ``app/`` in the source tree, and the same
folder inside a frozen (PyInstaller) bundle. ``resource_path("style", "boxoffice.qss")``.

The sandbox's fixtures and page templates are not here: they are package data of ``app.sandbox``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's boot loader in a frozen app
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
