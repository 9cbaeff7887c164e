"""Real file-system faults for journal tests: a database another connection holds locked, a small
tmpfs filled to the brim, files made immutable (read-only even for root).

These are the operating system's own failures, not mocks: SQLite and the spool see EBUSY-like
locks, ENOSPC and EPERM exactly as on a cashier's machine. Mounting needs CAP_SYS_ADMIN and
``chattr +i`` needs CAP_LINUX_IMMUTABLE (root here); where they are missing the test is skipped
and says so, while the locked-database tests run everywhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest


@contextlib.contextmanager
def exclusive_lock(journal: Path):
    """A second connection holding ``BEGIN EXCLUSIVE`` on the journal until the block ends."""
    blocker = sqlite3.connect(journal, isolation_level=None, timeout=10)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        yield blocker
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()


class Locker:
    """Takes the exclusive lock on demand (e.g. from a listener) and lets it go on ``release``."""

    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self._blocker: sqlite3.Connection | None = None

    def lock(self) -> None:
        if self._blocker is None:
            self._blocker = sqlite3.connect(self.journal, isolation_level=None, timeout=10)
            self._blocker.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        if self._blocker is not None:
            self._blocker.execute("ROLLBACK")
            self._blocker.close()
            self._blocker = None


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1m"):
    """A tmpfs of ``size`` mounted on ``folder`` for the block (skips where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command: the full-disk case needs a small tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not permitted'}); "
                    "the full-disk case needs CAP_SYS_ADMIN")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write a filler file until the disk under ``folder`` has no byte left; returns it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


def require_immutable_files(folder: Path) -> None:
    """Skip (saying why) unless ``chattr +i`` works here: it is how a file is made read-only even for root."""
    probe = folder / ".immutable-probe"
    folder.mkdir(parents=True, exist_ok=True)
    probe.write_text("x")
    if shutil.which("chattr") is None:
        pytest.skip("no chattr command: the read-only case needs immutable files")
    result = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, text=True)
    subprocess.run(["chattr", "-i", str(probe)], capture_output=True)
    probe.unlink()
    if result.returncode != 0:
        pytest.skip(f"cannot make files immutable here ({result.stderr.strip()}); "
                    "the read-only case needs CAP_LINUX_IMMUTABLE")


def make_immutable(*paths: Path) -> None:
    """``chattr +i``: no process (root included) may write these files or create files in these folders."""
    for path in paths:
        subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)


def release_immutable(*paths: Path) -> None:
    for path in paths:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
