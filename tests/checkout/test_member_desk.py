"""The station's member sign-in, without a window: the provider's pages walked over HTTP (as the
web view does), the core checking and exchanging, the refresh token kept until sign-out."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from app.checkout.backends import overrides_for
from app.checkout.member import MemberChanged
from app.checkout.station import Station
from app.partner.errors import SignInFailed
from app.storage import REFRESH_TOKEN, StationPaths, StationStorage
from tests.browserkit import MEMBER_EMAIL, browser_sign_in


def station_on(sandbox, folder, **changes) -> Station:
    storage = StationStorage(StationPaths.under(folder))
    return Station(storage, overrides=dataclasses.replace(overrides_for(sandbox), **changes))


def test_sign_in_keeps_the_refresh_token_restores_it_and_sign_out_forgets_it(fresh_sandbox, tmp_path):
    async def scenario():
        heard: list[MemberChanged] = []
        first = station_on(fresh_sandbox, tmp_path / "station")
        await first.start(recover=False)
        first.members.subscribe(heard.append)
        request = await first.members.begin()
        assert "code_challenge_method=S256" in request.url and request.state in request.url
        member = await first.members.finish(browser_sign_in(request.url), request)
        stored = first.storage.secrets.get(REFRESH_TOKEN)
        await first.close()
        # The next start finds the member still signed in (the keychain's refresh token).
        second = station_on(fresh_sandbox, tmp_path / "station")
        await second.start(recover=False)
        again = await second.members.restore()
        await second.members.sign_out()
        third = station_on(fresh_sandbox, tmp_path / "station")
        await third.start(recover=False)
        gone = await third.members.restore()
        left = third.storage.secrets.get(REFRESH_TOKEN)
        await second.close()
        await third.close()
        return member, heard, stored, again, gone, left

    member, heard, stored, again, gone, left = asyncio.run(scenario())
    assert member.email == MEMBER_EMAIL and [c.member for c in heard] == [member]
    assert stored and again is not None and again.email == MEMBER_EMAIL
    assert gone is None and left is None


def test_a_refused_stored_token_is_forgotten(fresh_sandbox, sandbox_control, tmp_path):
    async def scenario():
        station = station_on(fresh_sandbox, tmp_path / "station")
        await station.start(recover=False)
        request = await station.members.begin()
        await station.members.finish(browser_sign_in(request.url), request)
        station.members.forget()
        station.storage.secrets.set(REFRESH_TOKEN, "revoked-long-ago")
        restored = await station.members.restore()
        left = station.storage.secrets.get(REFRESH_TOKEN)
        await station.close()
        return restored, left

    restored, left = asyncio.run(scenario())
    assert restored is None and left is None


@pytest.mark.parametrize(("changes", "words"), [
    ({"redirect_uri": "http://localhost/elsewhere"}, "not registered"),
    ({"client_id": "unknown-app"}, "does not know the OAuth client id"),
    ({"client_id": ""}, "not set up for this backend"),
])
def test_sign_in_refused_before_any_page_opens(fresh_sandbox, tmp_path, changes, words):
    async def scenario():
        station = station_on(fresh_sandbox, tmp_path / "station", **changes)
        await station.start(recover=False)
        try:
            with pytest.raises(SignInFailed) as caught:
                await station.members.begin()
        finally:
            await station.close()
        return caught.value

    assert words in asyncio.run(scenario()).user_message
