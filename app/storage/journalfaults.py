"""What can go wrong with the journal's file, said in plain words: ``JournalError`` and its kinds.

SQLite and the operating system report a journal that cannot be used in their own terms
(``database is locked``, ``file is not a database``, ``[Errno 30] Read-only file system``). The
journal turns each into a ``JournalError`` whose ``kind`` says what is wrong and whose
``user_message`` says, in one or two sentences, what is wrong and what to do:

``locked``      another program holds the database (a second connection inside a long
                transaction, a database viewer, a stuck process)
``full``        the disk (or the quota) holding the journal is full
``read_only``   the file or its folder cannot be written (permissions, a read-only mount)
``folder``      the journal's path is a folder, not a file
``corrupt``     the file is not a database, or a damaged one
``disk``        any other input/output failure of the disk

The file is never deleted or changed here; ``set_aside`` renames a damaged journal (with its
``-wal`` and ``-shm`` companions) so a new one can be started beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
from pathlib import Path

LOCKED, FULL, READ_ONLY, FOLDER, CORRUPT, DISK = "locked", "full", "read_only", "folder", "corrupt", "disk"

_SQLITE_KINDS = {
    "SQLITE_BUSY": LOCKED, "SQLITE_LOCKED": LOCKED, "SQLITE_FULL": FULL, "SQLITE_READONLY": READ_ONLY,
    "SQLITE_PERM": READ_ONLY, "SQLITE_NOTADB": CORRUPT, "SQLITE_CORRUPT": CORRUPT,
}
_ERRNO_KINDS = {
    errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY, errno.EISDIR: FOLDER,
}


class JournalError(Exception):
    """The journal cannot be used right now; ``str()`` / ``user_message`` say why and what to do."""

    action = "retry"

    def __init__(self, kind: str, path: Path, detail: str = "") -> None:
        self.kind = kind
        self.path = Path(path)
        self.detail = detail
        super().__init__(self.user_message)

    @property
    def user_message(self) -> str:
        path, folder = self.path, self.path.parent
        if self.kind == LOCKED:
            return (f"The station's journal ({path}) is in use by another program, so it cannot be written "
                    "just now. Close any other program that has it open (a database viewer, a Box Office "
                    "that is stuck) and try again.")
        if self.kind == FULL:
            return f"The disk that holds the station's journal ({folder}) is full. Free some space and try again."
        if self.kind == READ_ONLY:
            return (f"The station's journal ({path}) cannot be written: the file or its folder is read-only. "
                    "Make it writable, or set BOXOFFICE_HOME to a writable folder, and start again.")
        if self.kind == FOLDER:
            return (f"The station's journal should be a file, but {path} is a folder. Move that folder out "
                    "of the way and start again.")
        if self.kind == CORRUPT:
            return (f"The station's journal ({path}) is damaged. Start Box Office again: it keeps the damaged "
                    "file and begins a new journal.")
        return (f"The station's journal ({path}) could not be written because of a disk error"
                f"{' (' + self.detail + ')' if self.detail else ''}. Check the disk and try again.")


def journal_error(exc: BaseException, path: Path) -> JournalError:
    """The ``JournalError`` that says what ``exc`` (from sqlite3 or the OS) means for ``path``."""
    if isinstance(exc, JournalError):
        return exc
    if isinstance(exc, OSError):
        return JournalError(_ERRNO_KINDS.get(exc.errno or 0, DISK), path, exc.strerror or "")
    name = getattr(exc, "sqlite_errorname", "") or ""
    kind: str | None = _SQLITE_KINDS.get(name)
    if kind is None and name.startswith("SQLITE_IOERR"):
        kind = _probe_folder(path) or DISK
    if kind is None and name.startswith("SQLITE_CANTOPEN"):
        kind = FOLDER if Path(path).is_dir() else (_probe_folder(path) or DISK)
    if kind is None:
        text = str(exc).lower()
        if "locked" in text:
            kind = LOCKED
        elif "not a database" in text or "malformed" in text:
            kind = CORRUPT
        elif "readonly" in text or "read-only" in text:
            kind = READ_ONLY
        elif "full" in text:
            kind = FULL
        else:
            kind = DISK
    return JournalError(kind, path, str(exc) if kind == DISK else "")


def _probe_folder(path: Path) -> str | None:
    """Why the journal's folder (or file) cannot be written, found by trying: None when it can."""
    path = Path(path)
    if path.exists() and not os.access(path, os.W_OK):
        return READ_ONLY
    probe = path.with_name(f".{path.name}.probe-{os.getpid()}")
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        return _ERRNO_KINDS.get(exc.errno or 0, DISK)
    try:
        os.write(fd, b"x")
    except OSError as exc:
        return _ERRNO_KINDS.get(exc.errno or 0, DISK)
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return None


def is_damaged(exc: BaseException) -> bool:
    """True for SQLite's "this is not a (sound) database" errors."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    return _SQLITE_KINDS.get(name) == CORRUPT or "not a database" in str(exc) or "malformed" in str(exc)


def set_aside(path: Path) -> Path:
    """Rename a damaged journal (and its -wal/-shm files) to ``<name>.corrupt-<time>``; the new name."""
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, kept)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + suffix))
    return kept
