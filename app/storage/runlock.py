"""Which station runs are alive: one lock file per run, held for as long as the run lives.

Every running station (window or command line) takes an exclusive lock on
``<data>/runs/<run_id>.lock``. The operating system drops the lock when the process ends, however
it ends (crash, kill -9). Start-up recovery asks ``is_alive(run_id)`` before touching a cart
another run journaled: a cart of a live run (a second window on the same station folder) is left
alone; a cart of a dead run is cleaned up. Works across processes and within one process.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False


class RunLock:
    """Held by one running station; ``release()`` (or process exit) frees it."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / "runs"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.run_id = uuid.uuid4().hex
        self._path = self.folder / f"{self.run_id}.lock"
        self._fd: int | None = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(self._fd):
            raise RuntimeError("could not lock a fresh run file")

    def is_alive(self, run_id: str) -> bool:
        """True when the run that wrote ``run_id`` still holds its lock."""
        if not run_id:
            return False
        if run_id == self.run_id:
            return self._fd is not None
        path = self.folder / f"{run_id}.lock"
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            return not _try_lock(fd)
        finally:
            os.close(fd)  # closing drops our probe lock, if we took it

    def forget(self, run_id: str) -> None:
        """Remove the lock file of a dead run once nothing of it is left to recover."""
        if run_id and run_id != self.run_id and not self.is_alive(run_id):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / f"{run_id}.lock").unlink()

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()
