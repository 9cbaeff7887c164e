"""The embedded sandbox as a station's backend: the factories the front ends hand to ``Station``.

``Station(sandbox=factory)`` lets a station whose backend is "sandbox" start the embedded sandbox
(``app.sandbox``) on a free loopback port; the core only knows the seam
(``app.checkout.backends.LocalSandbox``), never the sandbox itself. Two ways to run it:

- ``embedded_sandbox`` — on a thread of this process (``app.sandbox.EmbeddedSandbox``). The command
  line (``python -m app.cli``) and the tests use it; the sandbox's modules are imported only when
  it is called.
- ``SandboxProcess`` — in a child process: the same executable started with ``--sandbox-child``
  (``python -m app --sandbox-child``; in the packaged app ``boxoffice --sandbox-child``, see
  ``app.sandboxchild``). The window uses it by default (``WindowSandboxes``): the sandbox's
  imports, fixtures and answers (a stadium's availability is 1.5 MB of JSON) then run on the other
  core instead of holding the window's GIL. The child reads its stdin until end of file, so it ends
  with the window even when the window is killed; ``stop()`` closes that pipe, then terminates.
  ``BOXOFFICE_SANDBOX_IN_PROCESS=1`` makes the window use ``embedded_sandbox`` instead.

This module imports only the standard library at run time, so ``python -m app`` can launch the
child before it imports Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.checkout.backends import LocalSandbox

log = logging.getLogger(__name__)

CHILD_FLAG = "--sandbox-child"
IN_PROCESS_ENV = "BOXOFFICE_SANDBOX_IN_PROCESS"


def embedded_sandbox(state_file: Path | None = None) -> LocalSandbox:
    """A not yet started embedded sandbox on 127.0.0.1 and a free port (``start()`` binds it); with
    ``state_file`` it remembers its orders, members and port there (``app.sandbox.memory``)."""
    from app.sandbox import EmbeddedSandbox, SandboxConfig  # only when the sandbox is the backend

    return EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0,
                                         state_file=str(state_file) if state_file is not None else None))


@dataclass(frozen=True)
class ChildCredentials:
    """The credentials the child sandbox said it accepts (its JSON line)."""

    api_key: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


def child_command() -> list[str]:
    """This executable with the child's flag: the bundle's own binary when frozen (PyInstaller)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "app", CHILD_FLAG]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):  # ``-m app`` finds this very package, wherever it was started
        source_root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (source_root, env.get("PYTHONPATH", "")) if p)
    return env


class SandboxProcess:
    """The embedded sandbox in a child process (``LocalSandbox``): ``launch()`` starts the process and
    returns at once; ``start()`` (blocking) waits for its JSON line; ``stop()`` ends it."""

    def __init__(self, *, start_timeout: float = 60.0, stop_timeout: float = 3.0) -> None:
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.base_url = ""
        self.port = 0
        self._config: ChildCredentials | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def config(self) -> ChildCredentials:
        if self._config is None:
            raise RuntimeError("the sandbox is not started")
        return self._config

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def partner_base(self) -> str:
        return self.base_url + "/partners/v1"

    def launch(self) -> SandboxProcess:
        """Start the child (it builds its fixtures while this process goes on); idempotent."""
        with self._lock:
            if self._process is None:
                self._process = subprocess.Popen(
                    child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_child_env(),
                    # Its own session: Ctrl+C or a closed terminal reach the window, which releases
                    # held seats through the sandbox before it closes it.
                    start_new_session=os.name == "posix",
                )
        return self

    def start(self, timeout: float | None = None) -> str:
        """Launch if needed and wait until the child listens; its base URL. Raises ``RuntimeError``
        (the same as the in-process sandbox) when it cannot start."""
        self.launch()
        if self.base_url:
            return self.base_url
        process = self._process
        assert process is not None and process.stdout is not None
        box: list[bytes] = []
        reader = threading.Thread(target=lambda: box.append(process.stdout.readline()),  # type: ignore[union-attr]
                                  name="sandbox-hello", daemon=True)
        reader.start()
        reader.join(self.start_timeout if timeout is None else timeout)
        if not box:
            log.error("the sandbox process did not start listening in time")
            self.stop()
            raise RuntimeError("sandbox did not start listening in time")
        try:
            hello = json.loads(box[0])
            credentials = ChildCredentials(str(hello["api_key"]), str(hello["client_id"]),
                                           str(hello["client_secret"]), tuple(hello["redirect_uris"]))
            base_url, port = str(hello["base_url"]), int(hello["port"])
        except (ValueError, KeyError, TypeError):
            code = process.poll()
            log.error("the sandbox process did not start (exit code %s)", code)
            self.stop()
            raise RuntimeError(f"sandbox failed to start: the sandbox process ended ({code})") from None
        self._config, self.base_url, self.port = credentials, base_url, port
        log.info("embedded sandbox in process %s at %s", process.pid, base_url)
        return base_url

    def stop(self, timeout: float | None = None) -> None:
        """End the child: close its stdin (it stops by itself), then TERM, then KILL; idempotent."""
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        wait = self.stop_timeout if timeout is None else timeout
        if process.poll() is None:
            if not self.base_url:  # still starting: nothing in it to finish
                process.terminate()
            elif process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(wait)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def whitelist(self, *, captcha_domains: list[str] | None = None,
                  logo_hosts: list[str] | None = None) -> Any:
        """Replace the account's whitelists through the documented control ``POST /_sandbox/account``;
        answers the account."""
        import http.client

        if not self.port:
            raise RuntimeError("the sandbox is not started")
        changes = {k: v for k, v in (("captcha_domains", captcha_domains), ("logo_hosts", logo_hosts)) if v is not None}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)  # loopback: never a proxy
        try:
            connection.request("POST", "/_sandbox/account", body=json.dumps(changes),
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"the sandbox refused the whitelist ({response.status})")
        return json.loads(body)


class WindowSandboxes:
    """The window's sandbox factory (``Station(sandbox=…)``): a child process by default — the one
    launched early by ``python -m app`` first, a fresh one for every later call — or, with
    ``BOXOFFICE_SANDBOX_IN_PROCESS=1``, the in-process ``embedded_sandbox``. Either way the window's
    sandbox remembers its orders, members and port in the station's data folder
    (``StationPaths.sandbox_state_file``); the command line's starts afresh with every command."""

    def __init__(self, *, launch_now: bool = True, in_process: bool | None = None) -> None:
        self.in_process = os.environ.get(IN_PROCESS_ENV) == "1" if in_process is None else in_process
        self._spare: SandboxProcess | None = None
        if launch_now and not self.in_process:
            self._spare = SandboxProcess().launch()

    def __call__(self) -> LocalSandbox:
        if self.in_process:
            from app.storage.paths import station_paths

            return embedded_sandbox(station_paths().ensure().sandbox_state_file)
        spare, self._spare = self._spare, None
        return spare if spare is not None else SandboxProcess()

    def release_spare(self) -> None:
        """Stop the child launched early if nobody took it (the station's backend is not the sandbox)."""
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.stop()
