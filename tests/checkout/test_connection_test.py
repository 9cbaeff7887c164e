"""Test connection: the core tries typed settings against the live sandbox, saving nothing."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from app.checkout.station import Station
from tests.conftest import daytime_embedded_sandbox
from tests.settingskit import closed_port, custom_settings, good_credentials, storage_at


@pytest.fixture
def tried(fresh_sandbox, tmp_path):
    """``tried(settings, credentials)`` → the report of a station that was never started on them."""
    storage = storage_at(tmp_path / "station")
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    def run(settings, credentials=None):
        return asyncio.run(station.test_connection(settings, credentials or good_credentials()))

    yield run
    storage.close()


def test_a_good_key_reports_the_quota_figures(fresh_sandbox, tried, tmp_path):
    report = tried(custom_settings(fresh_sandbox.base_url))
    assert report.ok, report.sentence
    assert report.sentence.startswith("Connected to 127.0.0.1.")
    assert "of 200 event requests this minute" in report.sentence
    assert "of 3600 availability requests for this API key this hour" in report.sentence
    assert report.quota.availability.allowed == 3600 and report.quota.events.allowed == 200
    assert any("knows the OAuth client id and the redirect URI" in line for line in report.lines)
    assert any("accepts the client secret" in line for line in report.lines)
    assert not (tmp_path / "station" / "config" / "settings.json").exists()  # nothing was saved


def test_a_wrong_key_is_said_plainly(fresh_sandbox, tried):
    report = tried(custom_settings(fresh_sandbox.base_url), good_credentials(api_key="not-the-key"))
    assert not report.ok and report.problem == "api_key"
    assert report.sentence == "127.0.0.1 answered, but does not accept this API key. Check the key."


def test_an_unreachable_host_is_said_plainly(tried):
    report = tried(custom_settings(f"http://127.0.0.1:{closed_port()}"))
    assert not report.ok and report.problem == "partner"
    assert report.sentence.startswith("Could not connect to 127.0.0.1.")


def test_a_tls_failure_is_said_plainly(fresh_sandbox, tried):
    """https:// to a server that speaks plain http: the handshake fails."""
    report = tried(custom_settings(fresh_sandbox.base_url.replace("http://", "https://")))
    assert not report.ok and report.problem == "partner"
    assert "secure (TLS) connection to 127.0.0.1 could not be set up" in report.sentence


def test_an_unregistered_redirect_uri_is_found_on_the_sign_in_service(fresh_sandbox, tried):
    report = tried(custom_settings(fresh_sandbox.base_url, redirect_uri="https://till.example/callback"))
    assert not report.ok and report.problem == "redirect_uri"
    assert "refuses the redirect URI https://till.example/callback" in report.sentence
    assert "not registered" in report.sentence
    assert any("accepts the API key" in line for line in report.lines)  # the key itself was fine


def test_an_unknown_client_id_and_a_wrong_secret_are_told_apart(fresh_sandbox, tried):
    unknown = tried(custom_settings(fresh_sandbox.base_url, oauth_client_id="someone-else"))
    assert unknown.problem == "oauth_client_id" and "does not know the OAuth client id someone-else" in unknown.sentence
    wrong = tried(custom_settings(fresh_sandbox.base_url), good_credentials(client_secret="wrong"))
    assert wrong.problem == "client_secret"
    assert wrong.sentence == "The sign-in service does not accept this OAuth client id and client secret."


def test_the_sandbox_backend_is_tried_on_a_sandbox_of_its_own_when_none_runs(tried):
    report = tried(dataclasses.replace(custom_settings("http://127.0.0.1:9"), backend="sandbox"))
    assert report.ok, report.sentence


def test_a_test_can_be_cancelled_and_leaves_nothing_running(fresh_sandbox, sandbox_control, tmp_path):
    sandbox_control.scenario(latency_ms=3000)
    storage = storage_at(tmp_path / "station")
    station = Station(storage, sandbox=daytime_embedded_sandbox)

    async def steps():
        task = asyncio.ensure_future(station.test_connection(custom_settings(fresh_sandbox.base_url),
                                                             good_credentials()))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(steps())
    storage.close()
