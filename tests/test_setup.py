"""The set-up a fresh machine needs, as the README tells it and ``.ci/run`` does it.

A real window (the xcb platform plugin, not the offscreen one the tests use) needs more system
libraries than the tests do; on Debian these packages provide them.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What Qt's xcb platform plugin links against beyond libxcb itself (PySide6 6.11, Debian package names).
XCB_WINDOW_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-randr0",
                       "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libx11-xcb1", "libxkbcommon-x11-0")


def apt_packages() -> set[str]:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"apt-get install (.*?)>/dev/null", script, re.S).group(1)
    return {word for word in command.replace("\\\n", " ").split() if not word.startswith("-")}


def test_ci_installs_what_a_real_window_needs():
    missing = [name for name in XCB_WINDOW_PACKAGES if name not in apt_packages()]
    assert missing == []


def test_the_readme_names_the_libraries_a_real_window_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Two commands"):readme.index("## The window")]
    for name in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"):
        assert name in setup, name


def test_ci_lints_then_type_checks_before_the_tests():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lint, types, tests = (script.index(step) for step in (".venv/bin/ruff check", ".venv/bin/mypy", "-m pytest"))
    assert lint < types < tests
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    mypy = config[config.index("[tool.mypy]"):]
    assert "strict = true" in mypy and all(f'"app/{room}"' in mypy for room in ("partner", "checkout", "storage"))
