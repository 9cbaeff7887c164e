"""Running the command line as a user does: a subprocess in its own station folder (``cli``)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENT = "000051048D991EE7"
CAPTCHA_EVENT = "3B00C4A7C0DE0001"
CARD = ["--card-number", "6011993200001006", "--cvv", "123", "--expiry", "12/2031",
        "--first-name", "Jo", "--last-name", "Tester", "--email", "jo@example.com"]


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOXOFFICE_")}
    env.update(BOXOFFICE_HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", **extra)
    return env


def cli_command() -> list[str]:
    """The command that runs ``python -m app.cli`` with the station's clock at a daytime hour (see
    ``cli``), for tests that start it with ``Popen``; the CLI's arguments follow."""
    from tests.conftest import daytime_everywhere

    return [sys.executable, "-c", AT_SCRIPT, daytime_everywhere()]


def cli(home: Path, *args: str, backend=None, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """``python -m app.cli`` with the station's clock at a daytime hour every fixture venue is awake
    (``cli_at``; ``fresh_sandbox`` pins the sandbox's clock the same way): with the real clock, a run
    of the suite between 23:30 and 02:00 New York time saw the nightly-maintenance warning or refusal
    on every sale of the New York test event. Tests about the clock itself use ``cli_at``."""
    from tests.conftest import daytime_everywhere

    return cli_at(home, daytime_everywhere(), *args, backend=backend, timeout=timeout, **env)


# ``python -m app.cli`` as it runs at ``argv[1]`` (an ISO instant): the station's clock for the sale rules,
# as the window tests hand the window its clock.
AT_SCRIPT = ("import sys; from datetime import datetime; from app.cli import main; "
             "now = datetime.fromisoformat(sys.argv[1]); sys.exit(main(sys.argv[2:], clock=lambda: now))")


def cli_at(home: Path, when: str, *args: str, backend=None, timeout: float = 120, **env: str):
    """``cli`` with the station's clock at ``when`` (the sandbox keeps its own clock)."""
    target = ["--base-url", backend.base_url, "--api-key", "sandbox-api-key"] if backend is not None else []
    return subprocess.run([sys.executable, "-c", AT_SCRIPT, when, *target, *args], cwd=ROOT,
                          env=environment(home, **env), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def journal_row(journal: Path, query: str):
    """One row from the journal another process is writing (None while it is still being created)."""
    if not journal.exists():
        return None
    try:
        with sqlite3.connect(journal, timeout=5) as db:
            return db.execute(query).fetchone()
    except sqlite3.OperationalError:  # the schema is not there yet
        return None


def one_plain_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]
