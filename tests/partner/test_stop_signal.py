"""A caller stops waiting for a polled call with a StopSignal as with an asyncio.Event: the call
raises PollingCancelled at once while its work goes on to its end and is handed over."""

import asyncio

import pytest

from app.partner.errors import PollingCancelled
from app.partner.polling import StopSignal, run_polled


@pytest.mark.parametrize("kind", [StopSignal, asyncio.Event])
def test_stopping_to_wait_hands_over_the_work_that_goes_on(kind):
    async def scenario():
        finished = asyncio.Event()
        handed: list[asyncio.Task] = []

        async def work(progress):
            await finished.wait()
            return "answer"

        stop = kind()
        call = asyncio.ensure_future(run_polled(work, operation="reserve", limit_seconds=30, cancel=stop,
                                                on_abandoned=handed.append))
        await asyncio.sleep(0.01)
        assert not call.done()
        stop.set()
        with pytest.raises(PollingCancelled):
            await call
        assert len(handed) == 1 and not handed[0].done()  # still running
        finished.set()
        assert await handed[0] == "answer"

        async def quick(progress):
            return "quick"

        assert await run_polled(quick, operation="x", limit_seconds=30, cancel=kind()) == "quick"
        never = asyncio.Event()

        async def endless(progress):
            await never.wait()

        already = kind()
        already.set()
        with pytest.raises(PollingCancelled):
            await run_polled(endless, operation="x", limit_seconds=30, cancel=already)

    asyncio.run(scenario())


def test_a_stop_signal_is_an_event_that_is_set_once():
    async def scenario():
        signal = StopSignal()
        heard: list[str] = []
        signal.listen(lambda: heard.append("first"))
        waiter = asyncio.ensure_future(signal.wait())
        await asyncio.sleep(0)
        signal.set()
        signal.set()
        await asyncio.wait_for(waiter, 1)
        signal.listen(lambda: heard.append("late"))  # already set: heard at once
        return heard, signal.is_set()

    assert asyncio.run(scenario()) == (["first", "late"], True)
