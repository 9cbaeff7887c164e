"""Command-line tests: each gets its own station folder (``home``); see ``clikit`` for the runner."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "station"
