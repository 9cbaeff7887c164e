"""Transport security: HTTPS required except on loopback, TLS always verified (a custom CA bundle
can be trusted), and secrets never reach logs or exchange records."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest

from app.partner import PartnerClient, PartnerConfig
from app.partner.config import require_secure_url
from app.partner.errors import InsecureConnection, ServiceUnreachable
from app.partner.masking import MaskingFilter
from tests.browserkit import browser_sign_in
from tests.partner.partnerkit import CONTACT, TEST_CARD, TEST_EVENT, client_for, pay_and_commit, reserve_two, run


@pytest.mark.parametrize("url", [
    "https://app.ticketmaster.com/partners/v1", "http://127.0.0.1:8765/partners/v1", "http://127.8.9.10/x",
    "http://localhost:1/x", "http://[::1]:8765/x",
])
def test_allowed_addresses(url):
    require_secure_url(url)


@pytest.mark.parametrize("url", [
    "http://app.ticketmaster.com/partners/v1", "http://192.168.1.20:8765/x", "http://10.0.0.1/x",
    "ftp://127.0.0.1/x", "http://localhost.evil.com/x", "not a url",
])
def test_refused_addresses(url):
    with pytest.raises(InsecureConnection):
        require_secure_url(url)


def test_client_refuses_plain_http_to_another_machine():
    with pytest.raises(InsecureConnection) as caught:
        PartnerClient(PartnerConfig(partner_base_url="http://tickets.example.com/partners/v1", api_key="k"))
    assert "https://" in caught.value.user_message and caught.value.action.name == "CHECK_SETTINGS"


def test_tls_is_verified_and_a_custom_ca_bundle_is_trusted(tls_server):
    base, ca_bundle = tls_server
    config = PartnerConfig(partner_base_url=base + "/partners/v1", api_key="k")

    async def scenario():
        async with PartnerClient(config) as untrusting:
            with pytest.raises(ServiceUnreachable) as caught:
                await untrusting.events()
        async with PartnerClient(replace(config, ca_bundle=ca_bundle)) as trusting:
            events = await trusting.events()
        return caught.value, events

    error, events = run(scenario())
    assert "could not be verified" in error.user_message
    assert [e.event_id for e in events] == ["0B004D43F86C478F"]


SECRETS = ("sandbox-api-key", "sandbox-secret", "6011993200001006")


def test_no_secret_reaches_logs_or_exchange_records(config, caplog):
    exchanges = []
    caplog.set_level(logging.DEBUG, logger="app.partner")

    async def scenario():
        async with client_for(config, on_exchange=exchanges.append) as client:
            cart = await reserve_two(client)
            await pay_and_commit(client, TEST_EVENT, cart)
            wallet = await client.payments.wallet_token(TEST_CARD, CONTACT)
            request = client.oauth.authorization_request()
            tokens = await client.oauth.sign_in_from_callback(browser_sign_in(request.url), request)
            await client.oauth.info(tokens.access_token)
            return wallet, tokens

    wallet, tokens = run(scenario())
    records = "\n".join(json.dumps([e.url, e.request_json, e.response_json, e.response_text], default=str,
                                   ensure_ascii=False)
                        for e in exchanges)
    everything = caplog.text + records
    assert exchanges and "card payment" in {e.operation for e in exchanges}
    for secret in (*SECRETS, wallet.token, tokens.access_token, tokens.refresh_token):
        assert secret not in everything, f"a secret leaked: …{secret[-4:]}"
    leak = everything.find('"cin": "123"')
    assert leak < 0, everything[max(0, leak - 300):leak + 50]
    assert "••••1006" in records
    assert "••••" in caplog.text


def test_masking_filter_scrubs_careless_log_lines(caplog):
    logger = logging.getLogger("app.partner.careless")
    logger.addFilter(MaskingFilter())
    caplog.set_level(logging.INFO, logger="app.partner.careless")
    logger.info("paying with %s via %s", "6011 9932 0000 1006", "https://x/y?apikey=sandbox-api-key&cin=123")
    assert "6011 9932 0000 1006" not in caplog.text and "sandbox-api-key" not in caplog.text
    assert "cin=123" not in caplog.text and "••••1006" in caplog.text
