"""One call at a time per cart, and no lock kept once nobody holds or waits for it."""

import asyncio

import pytest

from app.partner.cartlock import CartLocks


def test_calls_on_one_cart_take_turns_and_leave_no_lock_behind():
    locks = CartLocks()
    order: list[str] = []

    async def call(name: str, cart_id: str) -> None:
        async with locks.hold(cart_id):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    async def scenario() -> None:
        await asyncio.gather(call("a", "c1"), call("b", "c1"), call("other", "c2"))
        assert not locks.busy("c1") and locks._locks == {} and locks._users == {}

        async with locks.hold("c1"):
            waiting = asyncio.ensure_future(call("late", "c1"))
            await asyncio.sleep(0)
            waiting.cancel()  # stops waiting for the lock
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert locks.busy("c1")
        assert locks._locks == {} and locks._users == {}

        with pytest.raises(ValueError):
            async with locks.hold("c3"):
                raise ValueError("the call failed")
        assert not locks.busy("c3") and locks._locks == {}

    asyncio.run(scenario())
    assert order.index("a out") < order.index("b in") and "late in" not in order
