"""The tester's sandbox controls, through the sandbox's own control endpoints (no window)."""

from __future__ import annotations

import asyncio
import re
import socket

import pytest

from app.checkout.sandboxcontrols import CONTROLS, SandboxControlError, SandboxControls, effect_of


def test_every_choice_is_a_value_the_sandbox_takes(fresh_sandbox, sandbox_control):
    controls = SandboxControls(fresh_sandbox.base_url)

    async def steps():
        for control in CONTROLS:
            for choice in control.choices:
                said = await controls.set(control.key, choice.value)
                assert said == choice.effect
                assert (await controls.scenario())[control.key] == choice.value
        assert (await controls.reset()).startswith("Everything goes back")
        return await controls.state()

    state = asyncio.run(steps())
    assert state.held_carts == () and state.orders == ()
    assert sandbox_control.state()["scenario"]["latency_ms"] == 0


def test_a_refusal_and_a_silent_sandbox_are_sentences(fresh_sandbox):
    async def refused():
        await SandboxControls(fresh_sandbox.base_url).set("hold_time", 0)

    with pytest.raises(SandboxControlError, match=r"^The sandbox refused: Scenario key hold_time must be"):
        asyncio.run(refused())

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

    async def silent():
        await SandboxControls(f"http://127.0.0.1:{port}").state()

    with pytest.raises(SandboxControlError, match="did not answer"):
        asyncio.run(silent())


def test_only_a_sandbox_on_this_machine():
    with pytest.raises(ValueError):
        SandboxControls("https://partner.example/partners/v1")
    assert effect_of("latency_ms", 777) == "Latency: 777."


def _said_seconds(text: str) -> int:
    """The first duration a menu line states, in seconds: "4 min 59 s", "60 s", "60 min"."""
    spans = [m for m in re.finditer(r"(?:(\d+) min)?(?: ?(\d+) s\b)?", text) if m.group(0).strip()]
    assert spans, f"no duration in {text!r}"
    minutes, seconds = (int(g or 0) for g in spans[0].groups())
    return minutes * 60 + seconds


@pytest.mark.parametrize("key", ["hold_time", "token_lifetime"])
def test_a_duration_choice_says_the_time_the_sandbox_will_use(key):
    control = next(c for c in CONTROLS if c.key == key)
    for choice in control.choices:
        assert _said_seconds(choice.label) == choice.value, choice.label
        assert _said_seconds(choice.effect) == choice.value, choice.effect
