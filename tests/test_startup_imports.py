"""What importing the window loads: nothing the first screen does not use (each costs start-up time,
``benchmarks/startup.py``). Each check runs in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def loaded_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    script = f"import sys; {statement}; print([m for m in {modules!r} if sys.modules.get(m) is not None])"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    return eval(done.stdout.strip())  # a list of names printed by the line above


def test_the_client_does_not_load_the_httpx_command_line_tool_s_libraries():
    # httpx imports its command-line client when click is installed (uvicorn brings it), which
    # loads click and pygments before finding rich missing: 30-40 ms for a tool the app never runs.
    assert loaded_after("import app.partner.client, httpx; httpx.Client().close()",
                        ("click", "pygments", "httpx._main")) == []


def test_the_window_starts_without_the_event_page_and_the_seat_map():
    # Loaded, and the page built, once the events are listed (tests/gui/test_open_event.py).
    assert loaded_after("import app.gui.mainwindow",
                        ("app.gui.event.page", "app.gui.seatmap.view", "cryptography.x509")) == []


def test_the_sandbox_process_s_log_needs_neither_the_client_nor_the_journal():
    # The window's sandbox child logs masked through these two; it starts ~80 ms sooner without
    # the client's httpx and the journal's SQLite.
    assert loaded_after("import app.partner.masking, app.storage.logfiles, app.storage.paths",
                        ("httpx", "app.partner.client", "sqlite3", "app.storage.journal")) == []
    assert loaded_after("from app.partner import PartnerClient; from app.storage import Journal",
                        ("app.partner.client", "app.storage.journal")) == ["app.partner.client", "app.storage.journal"]
