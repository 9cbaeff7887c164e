"""Changing the backend or its credentials while the station runs: no restart, nothing lost."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import httpx
import pytest

from app.checkout.station import SaleStillOpen, Station
from app.partner.errors import ServiceUnreachable
from app.partner.models import ReserveRequest
from app.storage import Settings
from tests.conftest import daytime_embedded_sandbox
from tests.settingskit import MemoryKeychain, custom_settings, good_credentials, storage_at

TEST_EVENT = "000051048D991EE7"


@pytest.fixture
def keychain():
    return MemoryKeychain()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "station"


def test_embedded_to_custom_and_back_without_a_restart(fresh_sandbox, sandbox_control, home, keychain):
    storage = storage_at(home, keychain)
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    async def steps():
        await station.start()
        embedded_url = station.sandbox.base_url
        assert station.backend_label == f"Embedded sandbox at {embedded_url}"
        assert len(await station.counter.events()) > 0

        assert await station.apply_settings(custom_settings(fresh_sandbox.base_url), good_credentials()) is True
        assert station.sandbox is None
        assert station.backend_label == f"Custom: {fresh_sandbox.base_url}/partners/v1"
        assert len(await station.counter.events()) > 0
        with pytest.raises(httpx.ConnectError):  # the embedded sandbox was stopped
            async with httpx.AsyncClient() as http:
                await http.get(embedded_url + "/")
        seen = [r for r in sandbox_control.log(50) if r["path"].endswith("/partners/v1/events")]
        assert seen, "the custom backend (the test sandbox) got the events request"

        await station.apply_settings(dataclasses.replace(station.settings, backend="sandbox"))
        assert station.sandbox is not None and station.sandbox.base_url != fresh_sandbox.base_url
        assert len(await station.counter.events()) > 0
        await station.close()

    asyncio.run(steps())
    saved = (home / "config" / "settings.json").read_text()
    assert json.loads(saved)["backend"] == "sandbox"
    assert "sandbox-api-key" not in saved and "sandbox-secret" not in saved
    assert keychain.items[("boxoffice", "api_key")] == "sandbox-api-key"
    assert keychain.items[("boxoffice", "client_secret")] == "sandbox-secret"


def test_an_open_sale_blocks_the_switch_and_nothing_changes(fresh_sandbox, home):
    storage = storage_at(home)
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    async def steps():
        await station.start()
        before = station.backend_label
        sale = station.new_sale(TEST_EVENT)
        ticket = (await station.availability(TEST_EVENT)).offers[0].ticket_type_id
        await sale.reserve(ReserveRequest.simple(ticket, 1))
        with pytest.raises(SaleStillOpen, match="Finish it or cancel it"):
            await station.apply_settings(custom_settings(fresh_sandbox.base_url), good_credentials())
        assert station.backend_label == before
        await sale.abandon()
        await station.apply_settings(custom_settings(fresh_sandbox.base_url), good_credentials())
        assert station.backend_label.startswith("Custom:")
        await station.close()

    asyncio.run(steps())
    assert not (home / "config" / "settings.json").read_text().count("sandbox-api-key")


def test_a_backend_that_cannot_be_set_up_changes_nothing(fresh_sandbox, home):
    storage = storage_at(home)
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    async def steps():
        await station.start()
        before = station.backend_label
        with pytest.raises(Exception, match="API key"):
            await station.apply_settings(custom_settings(fresh_sandbox.base_url), good_credentials(api_key=""))
        assert station.backend_label == before and station.sandbox is not None
        assert len(await station.counter.events()) > 0
        await station.close()

    asyncio.run(steps())
    assert not (home / "config" / "settings.json").exists()


def test_the_sandbox_account_whitelists_what_the_settings_ask(home):
    storage = storage_at(home)
    storage.save_settings(Settings(captcha_domain="tickets.example.org", logo_url="https://cdn.example/logo.png"))
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    async def steps():
        await station.start()
        account = httpx.get(station.sandbox.base_url + "/_sandbox/account").json()
        assert account["captcha_domains"] == ["tickets.example.org"] and account["logo_hosts"] == ["cdn.example"]
        in_place = await station.apply_settings(dataclasses.replace(station.settings, sandbox_whitelists_logo=False,
                                                                    sandbox_whitelists_captcha_domain=False))
        assert in_place is False  # the same sandbox, the same client: saved in place
        account = httpx.get(station.sandbox.base_url + "/_sandbox/account").json()
        assert account["captcha_domains"] == [] and account["logo_hosts"] == []
        await station.close()

    asyncio.run(steps())


def test_a_custom_backend_that_is_down_still_switches_and_says_so_when_used(home):
    """Setting up a client sends nothing: a host that is down is found by Test connection, or
    by the first call, never by a crash of the switch."""
    storage = storage_at(home)
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    async def steps():
        await station.start()
        await station.apply_settings(custom_settings("http://127.0.0.1:9"), good_credentials())
        with pytest.raises(ServiceUnreachable):
            await station.counter.events()
        await station.close()

    asyncio.run(steps())
