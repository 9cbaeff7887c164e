"""Sign-in on a station whose settings the provider refuses, or cannot be reached: a plain
sentence in the dialog, nobody signed in."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from app.checkout.backends import overrides_for
from tests.gui.member.memberkit import dialog_message, open_sign_in


@pytest.fixture(params=["unregistered", "unreachable"])
def station(request, fresh_sandbox, qloop):
    """A station on the live sandbox whose redirect URI is not registered, or whose OAuth address
    answers nothing (a closed port)."""
    from app.checkout.station import Station

    overrides = overrides_for(fresh_sandbox)
    if request.param == "unregistered":
        overrides = dataclasses.replace(overrides, redirect_uri="http://localhost/not-registered")
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        overrides = dataclasses.replace(overrides, oauth_url=f"http://127.0.0.1:{port}/oauth")
    station = Station(overrides=overrides)
    qloop.run(station.start())
    station.case = request.param
    yield station
    qloop.run(station.close())


def test_a_refused_or_unreachable_sign_in_is_said_plainly(window, run, until):
    expected = {"unregistered": "not registered", "unreachable": "could not be reached"}[window.station.case]

    async def steps():
        dialog = await open_sign_in(window, until)
        await until(lambda: expected in dialog_message(dialog), 30, f"the reason ({expected})")
        assert "http://localhost/not-registered" in dialog_message(dialog) or expected == "could not be reached"
        assert window.station.member is None

    run(steps())
