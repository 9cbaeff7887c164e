"""Test-wide set-up: headless Qt, an isolated station folder and one live sandbox on loopback.

Every test runs against a real sandbox server (uvicorn on 127.0.0.1, a free port) started once per
session; tests that change its state take ``fresh_sandbox`` so they start from the fixtures.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

# Qt must be headless before any Qt module is imported by a test module.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.webenginecontext.debug=false")
# Every run gets its own station folder: settings, journal, logs never touch the tester's own.
_HOME = tempfile.mkdtemp(prefix="boxoffice-test-home-")
os.environ["BOXOFFICE_HOME"] = _HOME
# Never reach a real keychain from tests.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

import httpx  # noqa: E402
import pytest  # noqa: E402

VECTORS = Path(__file__).resolve().parents[1].parent / "shared" / "vectors"


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """The documented request/response examples, read in place from ../shared/vectors."""
    if not VECTORS.is_dir():
        pytest.skip(f"reference vectors not present at {VECTORS} (they live beside the project, never in it)")
    return VECTORS


@pytest.fixture(scope="session")
def station_home() -> Path:
    return Path(_HOME)


@pytest.fixture(scope="session")
def sandbox():
    from app.sandbox import EmbeddedSandbox, SandboxConfig

    server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0))
    server.start()
    # Its clock at a daytime hour every fixture venue is awake from the start (``fresh_sandbox`` pins
    # it again after each reset): a test on the shared sandbox must not depend on the hour CI runs at.
    control = SandboxControl(server.base_url)
    control.scenario(now=daytime_everywhere())
    control.close()
    yield server
    server.stop()


class SandboxControl:
    """Thin helper over the sandbox's tester controls under /_sandbox/."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._http = httpx.Client(base_url=base_url, timeout=30)

    def reset(self) -> None:
        """Fixtures and the default scenario back, the clock at a daytime hour every venue is awake
        (a reset alone puts the real clock back: between 00:00 and 02:00 New York time the test event
        would be in its nightly maintenance)."""
        self._http.post("/_sandbox/reset").raise_for_status()
        self.scenario(now=daytime_everywhere())

    def scenario(self, **changes) -> dict:
        response = self._http.post("/_sandbox/scenario", json=changes)
        response.raise_for_status()
        return response.json()

    def advance_clock(self, seconds: float) -> dict:
        """Move the sandbox clock forward from wherever it is now (fresh_sandbox pins it to daytime)."""
        current = self._http.get("/_sandbox/scenario")
        current.raise_for_status()
        offset = float(current.json().get("clock_offset_seconds", 0.0))
        return self.scenario(clock_offset_seconds=offset + seconds)

    def state(self) -> dict:
        response = self._http.get("/_sandbox/state")
        response.raise_for_status()
        return response.json()

    def log(self, limit: int = 200) -> list[dict]:
        response = self._http.get("/_sandbox/log", params={"limit": limit})
        response.raise_for_status()
        return response.json()["requests"]

    def close(self) -> None:
        self._http.close()


@pytest.fixture
def sandbox_control(sandbox):
    control = SandboxControl(sandbox.base_url)
    yield control
    control.close()


def daytime_everywhere() -> str:
    """18:00 UTC today: outside 00:00-02:00 local time in every fixture time zone (summer or winter).

    The sandbox clock is real time by default, so without this a test touching an event whose
    host is in its nightly maintenance right now would fail with 20001 at those hours.
    """
    today = datetime.now(UTC).replace(hour=18, minute=0, second=0, microsecond=0)
    return today.isoformat()


def daytime_embedded_sandbox():
    """The station's embedded sandbox (``app.embedded.embedded_sandbox``'s server on a free port),
    its clock started at ``daytime_everywhere()``.

    For ``Station(..., sandbox=daytime_embedded_sandbox)`` in tests that touch events: the station's
    own sandbox otherwise keeps the real clock, and a fixture venue is in its nightly maintenance
    at some hour of every UTC day (Sydney's from 13:00 to 15:00 UTC in December), so such a test
    would fail with 20001 depending on when CI runs. Tests of the real factory keep using it.
    """
    from app.sandbox import EmbeddedSandbox, SandboxConfig

    return EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0, scenario={"now": daytime_everywhere()}))


@pytest.fixture
def fresh_sandbox(sandbox, sandbox_control):
    """The sandbox back at its fixtures and default scenario, its clock at a daytime hour.

    Tests that move the clock themselves set ``now`` or ``clock_offset_seconds`` afterwards.
    """
    sandbox_control.reset()
    sandbox_control.scenario(now=daytime_everywhere())
    return sandbox


@pytest.fixture
def fault_proxy(fresh_sandbox):
    """A ``tests.faultproxykit.FaultProxy`` in front of the fresh sandbox (stopped afterwards)."""
    from tests.faultproxykit import FaultProxy

    proxy = FaultProxy(fresh_sandbox.base_url).start()
    yield proxy
    proxy.stop()
