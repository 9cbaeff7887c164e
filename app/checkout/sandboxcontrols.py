"""The tester's controls of a local sandbox, in words: what each scenario setting does, the choices
a tester is offered, and the calls to the sandbox's control endpoints (``/_sandbox/scenario``,
``/_sandbox/reset``, ``/_sandbox/state``) that change or show them.

``CONTROLS`` is the table the window's Sandbox menu is built from (one place says what a choice
will do). ``SandboxControls`` talks to the sandbox over HTTP on loopback — the same documented
endpoints a tester reaches with curl — so the core still never imports the sandbox, and the window
never talks HTTP itself. ``station.sandbox_controls()`` gives one when the station sells against a
local sandbox (never for production or a custom backend).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.partner.config import is_loopback_host


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str  # the menu entry
    effect: str  # what it will do, in a tester's words (status tip, and the note after choosing)


@dataclass(frozen=True)
class Control:
    key: str  # the scenario key
    title: str
    choices: tuple[Choice, ...]  # the first one is the sandbox's default
    once: bool = False  # acts once (the next commit, the next payment) and then clears itself


def _seconds(n: int) -> str:
    """``20 s``, ``60 min``, ``4 min 59 s``: exact, as the hold clock will count it down."""
    if n < 120:
        return f"{n} s"
    minutes, seconds = divmod(n, 60)
    return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"


CONTROLS: tuple[Control, ...] = (
    Control("force_polling_rounds", "Polling", (
        Choice(0, "Answer at once", "Reserve, delivery, payment and commit answer at once."),
        Choice(2, "Make 2 polling rounds", "Reserve, delivery, payment and commit each answer \"still working\" "
                                            "twice before their answer."),
        Choice(5, "Make 5 polling rounds", "Reserve, delivery, payment and commit each answer \"still working\" "
                                            "five times before their answer."),
    )),
    Control("latency_ms", "Latency", tuple(
        Choice(ms, "No added latency" if ms == 0 else f"Add {ms} ms to every answer",
               "Answers come as fast as the sandbox can give them." if ms == 0
               else f"Every Partner API answer arrives {ms} ms late.")
        for ms in (0, 150, 500, 2000))),
    Control("transient_error_rate", "Upstream errors", tuple(
        Choice(rate, "No upstream errors" if rate == 0 else f"Answer {round(rate * 100)} % of calls with 502/504",
               "No call fails on its own." if rate == 0
               else f"About {round(rate * 100)} in 100 Partner API calls answer 502 or 504 (the station retries "
                    "the ones that are safe to repeat).")
        for rate in (0.0, 0.1, 0.3))),
    Control("niterun", "Maintenance night", (
        Choice(False, "Venues open", "Events sell as their venue's clock allows."),
        Choice(True, "Every venue in its maintenance night",
               "Every event is in its nightly maintenance: availability and sales answer \"try later\"."),
    )),
    Control("quota_events_per_minute", "Events quota", (
        Choice(200, "200 event lookups a minute (as documented)", "Event lists and details: 200 a minute."),
        Choice(5, "5 event lookups a minute", "Event lists and details: 5 a minute, then \"too many requests\"."),
    )),
    Control("quota_availability_per_hour", "Availability quota", (
        Choice(3600, "3600 availability calls an hour (as documented)", "Availability: 3600 an hour for this key."),
        Choice(10, "10 availability calls an hour", "Availability: 10 an hour for this key, then "
                                                    "\"too many requests\"."),
    )),
    Control("captcha_required", "Captcha", (
        Choice(False, "Only where the event asks", "Only events set up for it ask for a captcha."),
        Choice(True, "Ask for a captcha on every event", "Every event asks for a captcha before seats are held."),
    )),
    Control("next_payment_decline", "Next payment", (
        Choice(None, "Accept the next payment", "Payments are accepted as the test cards say."),
        Choice(20122, "Decline the next payment", "The next payment is declined: \"Payment Not Accepted\"."),
        Choice(20129, "Decline the next payment: no funds", "The next payment is declined: the card has no funds."),
        Choice(20152, "Refuse the next security code", "The next payment's security code is refused."),
    ), once=True),
    Control("commit_fault", "Next commit", (
        Choice(None, "Commit normally", "Orders are placed and answered normally."),
        Choice("drop", "Drop the answer of the next commit", "The next order is placed, but its answer is lost "
                                                            "on the way (the station must find out it sold)."),
        Choice("502", "Answer the next commit with 502", "The next order is placed, and the answer is a 502."),
        Choice("504", "Answer the next commit with 504", "The next order is placed, and the answer is a 504."),
    ), once=True),
    Control("hold_time", "Hold time", tuple(
        Choice(s, f"Hold seats {_seconds(s)}" + (" (as documented)" if s == 299 else ""),
               f"Held seats are released {_seconds(s)} after the last step of a sale.")
        for s in (299, 60, 20))),
    Control("token_lifetime", "Member tokens", tuple(
        Choice(s, f"Tokens last {_seconds(s)}" + (" (as documented)" if s == 3600 else ""),
               f"A signed-in member's access token expires after {_seconds(s)}.")
        for s in (3600, 60, 10))),
)
_BY_KEY = {control.key: control for control in CONTROLS}
ROTATE_EFFECT = "The captcha site key changes: a captcha page opened before it fails, as after a real rotation."
RESET_EFFECT = ("Everything goes back to the fixtures: held carts, orders (those of earlier runs too), sold seats and "
                "member sign-ins are gone; settings as at start.")


def control(key: str) -> Control:
    return _BY_KEY[key]


def effect_of(key: str, value: Any) -> str:
    """The sentence for ``key`` set to ``value`` (a value the table does not offer is described plainly)."""
    for choice in _BY_KEY[key].choices:
        if choice.value == value:
            return choice.effect
    return f"{_BY_KEY[key].title}: {value}."


@dataclass(frozen=True)
class SandboxState:
    """What the sandbox holds now, for the state view."""

    held_carts: tuple[Mapping[str, Any], ...]
    orders: tuple[Mapping[str, Any], ...]
    seats_sold: Mapping[str, int]
    now: str

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> SandboxState:
        sold = body.get("seats_sold") or {}
        return cls(
            held_carts=tuple(body.get("held_carts") or ()),
            orders=tuple(body.get("orders") or ()),
            seats_sold={str(k): len(v) if isinstance(v, (list, dict)) else int(v) for k, v in sold.items()},
            now=str((body.get("scenario") or {}).get("now", "")),
        )


class SandboxControlError(Exception):
    """The sandbox refused or did not answer; ``str()`` is a sentence for the tester."""


class SandboxControls:
    """The control endpoints of the sandbox at ``base_url`` (loopback only)."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        if not is_loopback_host(urlsplit(base_url).hostname):
            raise ValueError("sandbox controls are only for a sandbox on this machine")
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout

    async def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self._timeout, trust_env=False) as http:
                response = await http.request(method, path, json=body)
        except httpx.HTTPError:
            raise SandboxControlError("The sandbox did not answer. Is it still running?") from None
        if response.status_code >= 400:
            try:  # the documented error body: {"error": {"message": …, "code": …}}
                message = (response.json().get("error") or {}).get("message") or response.text
            except (ValueError, AttributeError):
                message = response.text
            raise SandboxControlError(f"The sandbox refused: {str(message)[:200]}")
        data = response.json()
        return data if isinstance(data, dict) else {}

    async def scenario(self) -> dict[str, Any]:
        return await self._call("GET", "/_sandbox/scenario")

    async def set(self, key: str, value: Any) -> str:
        """Set one scenario key; returns what it will do, in words."""
        await self._call("POST", "/_sandbox/scenario", {key: value})
        return effect_of(key, value)

    async def rotate_site_key(self) -> str:
        await self._call("POST", "/_sandbox/scenario", {"rotate_site_key": True})
        return ROTATE_EFFECT

    async def reset(self) -> str:
        await self._call("POST", "/_sandbox/reset")
        return RESET_EFFECT

    async def state(self) -> SandboxState:
        return SandboxState.from_json(await self._call("GET", "/_sandbox/state"))
