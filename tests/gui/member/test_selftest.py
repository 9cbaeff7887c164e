"""``python -m app --selftest`` and ``--version``, run as a user (or the packaged app) runs them:
in their own process, from a folder that is not the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import __version__


def run_app(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "QTWEBENGINE_CHROMIUM_FLAGS")}
    env["BOXOFFICE_HOME"] = str(tmp_path / "home")
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def test_selftest_signs_in_buys_with_a_saved_card_and_says_ok(tmp_path):
    done = run_app(tmp_path, "--selftest")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "selftest ok"
    said = "\n".join(lines)
    assert "member signed in through the web view: member@example.com" in said
    assert "bought one ticket with the member's saved card: order " in said
    assert "main window opened and closed" in said
    assert "Traceback" not in done.stderr
    # The station's own folder got no journal, settings or secrets from the self-test.
    home = tmp_path / "home"
    kept = {p.name for p in home.rglob("*") if p.is_file()}
    assert kept <= {"boxoffice.log"}, kept
    assert "sandbox-api-key" not in (home / "logs" / "boxoffice.log").read_text()


def test_version_prints_the_version(tmp_path):
    done = run_app(tmp_path, "--version")
    assert done.returncode == 0 and done.stdout.strip() == f"Box Office {__version__}"


def test_a_selftest_that_cannot_finish_says_why_in_one_line(tmp_path):
    done = run_app(tmp_path, "--selftest", "--timeout", "0.05")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "selftest failed: it did not finish within 0.05 seconds"
    assert "Traceback" not in done.stderr and "selftest ok" not in done.stdout


def test_the_selftest_buys_where_the_venue_is_awake(station, run, sandbox_control):
    """At 00:30 in New York the sandbox refuses the test event's sales (its nightly maintenance), as
    the service would: the self-test then buys in Los Angeles, and in New York again by day."""
    from datetime import UTC, datetime

    from app.gui.selftest import TEST_EVENT, awake_test_event

    new_york_night = datetime(2026, 12, 2, 5, 30, tzinfo=UTC)  # 00:30 EST, 21:30 PST
    assert run(awake_test_event(station, new_york_night)) == "2000527EE48A9334"
    assert run(awake_test_event(station, datetime(2026, 12, 2, 18, 0, tzinfo=UTC))) == TEST_EVENT
