"""What the sandbox remembers from one run to the next, when it is given a file
(``SandboxConfig.state_file``; the window's and the command line's embedded sandbox keep
``sandbox-state.json`` in the station's data folder).

A real Partner API keeps yesterday's orders. The embedded sandbox starts with every run of Box
Office: without a memory, the station's journal would list orders the sandbox no longer knows, a
member signed in would be signed out by every restart, and the redemption links on old receipts would
point at a port nobody listens on. With a file, the sandbox keeps there:

- the orders committed: their seats stay sold, and lookups, unredeemed orders and redemption answer
  as in the run that sold them;
- the members' refresh tokens, as SHA-256 digests (never the tokens), and the billing methods members
  saved (last four digits only, as always);
- the port it listened on, tried first at the next start.

Carts (a hold runs out within minutes), the scenario, quotas, the clock, captcha and wallet tokens
start afresh. A reset forgets everything but the port. The file is written whole after every change
(a temporary file in the same folder, then an atomic rename, so a killed sandbox leaves the old file
or the new one, never half of one; readable only by its owner).

One sandbox at a time holds a file (an operating-system lock beside it, dropped however the process
ends): a second sandbox on the same file — a second window on the same station folder — runs without
a memory and says so in its log. A file that cannot be read, or that was written for another seed
(other fixtures), is moved aside (``sandbox-state.json.unreadable``) and the sandbox starts afresh.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

FORMAT = 1


class SandboxMemory:
    """The state file of one sandbox: ``open`` (take the lock, read), ``save``, ``close``."""

    def __init__(self, path: Path, lock: FileLock) -> None:
        self.path = path
        self._lock = lock
        self._write = threading.Lock()

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> SandboxMemory | None:
        """The memory at ``path``, or None when another sandbox holds it (or its folder is unusable)."""
        file = Path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            # Not thread-local: a station starts its sandbox on a worker thread and stops it on another.
            lock = FileLock(str(file) + ".lock", mode=0o600, thread_local=False)
            lock.acquire(timeout=0)
        except Timeout:
            log.warning("another sandbox keeps %s: this one starts afresh and remembers nothing", file)
            return None
        except OSError as exc:
            log.warning("the sandbox cannot keep its memory in %s (%s): it starts afresh", file, exc)
            return None
        return cls(file, lock)

    def load(self, seed: int) -> dict:
        """What the last run left (empty when nothing, or nothing readable, was left)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("the sandbox could not read %s (%s): it starts afresh", self.path, exc)
            return {}
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a sandbox state file of this version")
            if data.get("seed") != seed:
                raise ValueError(f"written for seed {data.get('seed')!r}, this sandbox has seed {seed}")
            for key, kind in (("orders", list), ("refresh_tokens", list), ("billing", dict)):
                if not isinstance(data.get(key, kind()), kind):
                    raise ValueError(f"{key} is not a {kind.__name__}")
        except ValueError as exc:
            self._move_aside(str(exc))
            return {}
        return data

    def _move_aside(self, why: str) -> None:
        aside = self.path.with_name(self.path.name + ".unreadable")
        with contextlib.suppress(OSError):
            os.replace(self.path, aside)
        log.warning("the sandbox's memory %s is unusable (%s): kept as %s, starting afresh", self.path, why, aside)

    def save(self, data: dict) -> None:
        """Write ``data`` whole, atomically; a failure is logged and the sandbox goes on serving."""
        body = json.dumps({"format": FORMAT, **data}, separators=(",", ":"))
        with self._write:
            try:
                handle, temporary = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
                try:
                    with os.fdopen(handle, "w", encoding="utf-8") as out:
                        out.write(body)
                    os.replace(temporary, self.path)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary)
                    raise
            except OSError as exc:
                log.warning("the sandbox could not write its memory %s: %s", self.path, exc)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._lock.release()
