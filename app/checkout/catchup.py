"""Completed orders the journal could not take yet: written at start-up, retried while the station
runs, tried once more when it closes (the backlog itself is ``app.storage.backlog``).

``JournalCatchUp(backlog)``: ``replay()`` writes what an earlier run left and returns the sentences
to show; ``schedule()`` (also the sale's ``on_order_kept``) retries every ``CATCH_UP_SECONDS`` until
nothing waits; ``close()`` stops retrying and makes one last try (the spool waits for the next start).
"""

from __future__ import annotations

import asyncio

from app.storage.backlog import JournalBacklog

CATCH_UP_SECONDS = 2.0  # between tries to write kept orders into the journal


class JournalCatchUp:
    def __init__(self, backlog: JournalBacklog) -> None:
        self.backlog = backlog
        self.notices: list[str] = []
        self._task: asyncio.Task[None] | None = None

    async def replay(self) -> None:
        """Orders an earlier run could not write to the journal go there now (or wait on)."""
        written = await asyncio.to_thread(self.backlog.flush)
        left = len(self.backlog)
        if written:
            self.notices.append(
                f"{written} sale{'s' if written != 1 else ''} that could not be written to the journal when "
                f"{'they were' if written != 1 else 'it was'} made {'are' if written != 1 else 'is'} now in it."
            )
        if left:
            self.notices.append(
                f"{left} completed sale{'s' if left != 1 else ''} still wait{'' if left != 1 else 's'} to be written "
                "to the journal; the station keeps trying."
            )
            self.schedule()

    def schedule(self) -> None:
        """Retry writing kept orders into the journal every few seconds until none is left."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while len(self.backlog):
            await asyncio.sleep(CATCH_UP_SECONDS)
            await asyncio.to_thread(self.backlog.flush)

    @property
    def waiting(self) -> int:
        """Completed orders the journal has not taken yet (kept in the spool or in memory)."""
        return len(self.backlog)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if len(self.backlog):
            await asyncio.to_thread(self.backlog.flush)  # one last try; the spool waits for the next start
