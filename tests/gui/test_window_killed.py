"""The real window killed (SIGKILL) at each step of a sale, then started again on the same station:
nothing stays held, an order the service took is in the journal exactly once, and the start-up
report says in one dialog what was done (``tests/gui/killdriver.py`` drives the window)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from app.gui.startreport import INTRO
from tests.cli.clikit import ROOT, environment
from tests.gui.windowkit import TEST_EVENT


def window_process(home, step: str, base_url: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = environment(home, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "tests.gui.killdriver", step, base_url], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("step", ["reserved", "delivery", "paid", "committing"])
def test_killed_at_each_step_then_started_again(tmp_path, fresh_sandbox, sandbox_control, step):
    home = tmp_path / "station"
    killed = window_process(home, step, fresh_sandbox.base_url)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert killed.stdout.strip().splitlines()[-1] == f"at {step}"
    held = sandbox_control.state()["held_carts"]
    if step != "committing":
        assert [c["event_id"] for c in held] == [TEST_EVENT]  # the dead window left its seats held
    sandbox_control.scenario(latency_ms=0)

    again = window_process(home, "recover", fresh_sandbox.base_url)
    assert again.returncode == 0, again.stdout + again.stderr
    report = again.stdout
    assert report.startswith(INTRO) and "Traceback" not in again.stderr

    state = sandbox_control.state()
    assert state["held_carts"] == []
    with sqlite3.connect(home / "data" / "journal.sqlite3") as db:
        journaled = [row[0] for row in db.execute("SELECT order_token FROM orders")]
        open_rows = db.execute("SELECT COUNT(*) FROM open_carts").fetchone()[0]
    sold = [o["order_token"] for o in state["orders"]]
    assert len(journaled) == len(sold) <= 1 and open_rows == 0, report
    if sold:
        assert step == "committing" and "order" in report.lower()
    else:
        assert "released" in report.lower() or "not sold" in report.lower(), report


def test_a_clean_start_shows_no_report(tmp_path, fresh_sandbox):
    again = window_process(tmp_path / "station", "recover", fresh_sandbox.base_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "(no report)"
