"""What every command of ``python -m app.cli`` shares: exit codes, bad input, output, and signals.

``InputProblem`` is bad input (exit 2), raised before anything is sent. ``emit`` prints a result
as text or JSON, ``say`` one plain line on stderr. ``StopSignals`` makes Ctrl+C, TERM (what
``timeout`` and service managers send) and HUP (a closed terminal) all stop a command the same
way: the running command is cancelled, so a sale releases its seats and the station closes
properly; a second signal while it closes is ignored. While an order is being placed the stop
waits (``StopSignals.deferred``): a commit is never cut off halfway, so it is known whether it sold.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import signal
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_CAPTCHA, EXIT_IN_DOUBT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
STOP_SIGNALS = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s)


class InputProblem(Exception):
    """Something the user typed cannot be used; ``str()`` says what."""


class Interrupted(Exception):
    """A stop signal ended the command (after it released what it held)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one plain line, never the usage dump
        raise InputProblem(f"{message} (see --help)")


# ----- output ----------------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "raw"}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def emit(args, data: Any, text_lines: list[str]) -> None:
    if args.json:
        print(json.dumps(jsonable(data), indent=2, ensure_ascii=False))
    else:
        print("\n".join(text_lines))


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ----- signals ---------------------------------------------------------------------------------
class StopSignals:
    """INT, TERM and HUP cancel the command's task (see the module docstring)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._task: asyncio.Task | None = None
        self._deferring = 0
        self._closing = False

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # e.g. not the main thread
                loop.add_signal_handler(signum, self._on_signal, signum)

    def remove(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)

    def _on_signal(self, signum: int) -> None:
        if self.received is not None or self._closing:
            return  # already stopping: let the seats be released
        self.received = signum
        if not self._deferring and self._task is not None:
            self._task.cancel()

    def closing(self) -> None:
        """From here on the station is closing: further signals change nothing."""
        self._closing = True

    @contextlib.asynccontextmanager
    async def deferred(self):
        """A stop signal inside this block waits for the block to end (an order being placed)."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1

    def check(self) -> None:
        """Raise ``Interrupted`` if a signal came while it was deferred."""
        if self.received is not None:
            raise Interrupted(self.received)
