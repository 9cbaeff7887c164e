"""The window's embedded sandbox in a child process (``app.embedded.SandboxProcess``): real processes,
real HTTP. It starts and answers, its account whitelists through the control endpoint, ``stop()``
leaves no process, and it ends with its parent even when the parent is killed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from app.embedded import SandboxProcess

ROOT = Path(__file__).resolve().parents[1]


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie waiting for its parent counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return not alive(pid)


def sandbox_children_of(home: Path) -> list[int]:
    """Running ``--sandbox-child`` processes started for the station folder ``home``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--sandbox-child" in cmdline and f"BOXOFFICE_HOME={home}".encode() in environ and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("BOXOFFICE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_the_child_answers_whitelists_through_its_control_and_stop_leaves_no_process(home):
    sandbox = SandboxProcess()
    base_url = sandbox.start()
    pid = sandbox.pid
    assert pid is not None and pid != os.getpid()
    try:
        assert sandbox.config.api_key == "sandbox-api-key"
        assert sandbox.config.client_id == "sandbox-client"
        assert "http://localhost/oauth/callback" in sandbox.config.redirect_uris
        with httpx.Client(base_url=base_url, trust_env=False) as http:
            events = http.get("/partners/v1/events", params={"apikey": sandbox.config.api_key})
            assert events.status_code == 200 and events.json()["events"]
            account = sandbox.whitelist(captcha_domains=["tickets.example"], logo_hosts=[])
            assert account["captcha_domains"] == ["tickets.example"]
            assert http.get("/_sandbox/account").json()["logo_hosts"] == []
    finally:
        sandbox.stop()
    assert not alive(pid)
    sandbox.stop()  # a second stop is harmless
    log = (home / "logs" / "sandbox.log").read_text()
    assert "listening" in log and "sandbox-api-key" not in log


def test_a_child_that_does_not_start_in_time_is_refused_and_ended(home):
    sandbox = SandboxProcess(start_timeout=0.001)
    with pytest.raises(RuntimeError, match="did not start"):
        sandbox.start()
    assert not sandbox_children_of(home)


def test_the_child_ends_when_its_parent_is_killed(home):
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import time
            from app.embedded import SandboxProcess
            sandbox = SandboxProcess()
            sandbox.start()
            print(sandbox.pid, flush=True)
            time.sleep(600)
        """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert gone_within(child, 5)
    finally:
        parent.kill()
        parent.wait()


def test_the_window_runs_its_sandbox_in_a_child_that_dies_with_the_killed_window(home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("BOXOFFICE_SANDBOX_IN_PROCESS", None)
    window = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    log = home / "logs" / "boxoffice.log"
    try:
        deadline = time.monotonic() + 90
        started = None
        while time.monotonic() < deadline and started is None:
            started = re.search(r"embedded sandbox in process (\d+) at (\S+)", log.read_text() if log.exists() else "")
            time.sleep(0.1)
        assert started, "the window did not start its sandbox"
        child = int(started.group(1))
        assert alive(child) and sandbox_children_of(home) == [child]
        assert httpx.get(started.group(2) + "/_sandbox/account", trust_env=False).status_code == 200
        window.send_signal(signal.SIGKILL)
        window.wait(10)
        assert gone_within(child, 5)
        assert "Traceback" not in window.stderr.read()
    finally:
        window.kill()
        window.wait()


def test_a_screenshot_run_leaves_no_sandbox_process_and_nothing_on_the_terminal(home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("BOXOFFICE_SANDBOX_IN_PROCESS", None)
    done = subprocess.run([sys.executable, "-m", "app", "--screenshot", str(home.parent / "x.png")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "embedded sandbox in process" in (home / "logs" / "boxoffice.log").read_text()
    assert not sandbox_children_of(home)
    noise = [line for line in done.stderr.splitlines() if "sandbox" in line.lower() or "uvicorn" in line.lower()]
    assert noise == []
    # The child's one JSON line went to the window, not to the terminal.
    assert done.stdout.strip().splitlines() == [f"Saved {home.parent / 'x.png'}"]


def test_the_window_sandbox_remembers_sales_and_the_member_from_one_run_to_the_next(home):
    """What a tester sees on restarting Box Office: the member is still signed in (from the refresh
    token the keychain kept, which the sandbox's memory still knows), yesterday's orders are found, and
    the receipts' redemption links answer on the same port."""
    import asyncio

    from app.checkout.station import Station
    from app.embedded import WindowSandboxes
    from app.storage import StationPaths, StationStorage
    from tests.browserkit import MEMBER_EMAIL, browser_sign_in
    from tests.conftest import SandboxControl, daytime_everywhere
    from tests.sandbox.sandboxkit import TEST_PURCHASE, PartnerApi

    async def one_run(order: dict | None = None):
        """One start of the station; the first signs the member in and sells, the next looks."""
        station = Station(StationStorage(StationPaths.under(home)),
                          sandbox=WindowSandboxes(launch_now=False, in_process=False))
        await station.start(recover=False)
        sandbox = station.sandbox
        control = SandboxControl(sandbox.base_url)
        control.scenario(now=daytime_everywhere())
        control.close()
        api = PartnerApi(sandbox)
        try:
            if order is None:
                request = await station.members.begin()
                member = await station.members.finish(browser_sign_in(request.url), request)
                sold = await asyncio.to_thread(api.buy, TEST_PURCHASE, 2)
                return sandbox.port, member.email, sold
            member = await station.members.restore()
            found = await asyncio.to_thread(api.get, "/orders", params={"order_token": order["order_token"]})
            return sandbox.port, member.email if member else None, found.status_code
        finally:
            api.close()
            await station.close()

    port, email, order = asyncio.run(one_run())
    assert email == MEMBER_EMAIL
    assert asyncio.run(one_run(order)) == (port, MEMBER_EMAIL, 200)
    assert (home / "data" / "sandbox-state.json").exists()
