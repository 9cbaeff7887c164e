"""The house plan's import rules, checked on the source: the core (``app/partner``,
``app/checkout``, ``app/storage``, ``app/sandbox``) imports no Qt; the sandbox imports nothing from
the client; the checkout and the client never import the sandbox (it is reached only through the
seam, ``app.checkout.backends``); the GUI never talks HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(room: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import in ``app/<room>``, lazy ones inside functions too."""
    found = []
    for path in sorted((ROOT / "app" / room).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((str(path.relative_to(ROOT)), node.module))
            elif isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
    return found


def breaking(room: str, *forbidden: str) -> list[tuple[str, str]]:
    return [(f, m) for f, m in imports_of(room) if any(m == p or m.startswith(p + ".") for p in forbidden)]


@pytest.mark.parametrize("room", ["partner", "checkout", "storage", "sandbox"])
def test_the_core_imports_no_qt_and_no_window(room):
    assert breaking(room, "PySide6", "qasync", "app.gui") == []


@pytest.mark.parametrize("room", ["partner", "checkout", "storage"])
def test_the_engine_reaches_the_sandbox_only_through_the_seam(room):
    assert breaking(room, "app.sandbox", "app.embedded") == []


def test_the_sandbox_shares_no_code_with_the_client():
    assert breaking("sandbox", "app.partner", "app.checkout") == []


def test_the_window_never_talks_http():
    assert breaking("gui", "httpx", "httpcore") == []


def test_the_look_lives_in_one_style_sheet():
    """No widget carries an inline style sheet: the look is resources/style/boxoffice.qss, applied
    once by app.gui.style."""
    calls = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "setStyleSheet":
                calls.append(str(path.relative_to(ROOT)))
    assert calls == ["app/gui/style.py"]
