"""Member sign-in and member payments against the live sandbox, plus invoice and wallet payments.

The browser part of sign-in is done with plain HTTP posts of the sandbox's own forms (the web view
that does this in the app is tested by the GUI); everything after the redirect is the client's.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.partner.errors import SignInFailed, SignInRequired
from app.partner.models import TokenSet
from app.partner.oauth import MemberSession
from tests.browserkit import browser_sign_in
from tests.partner.partnerkit import CONTACT, TEST_CARD, TEST_EVENT, client_for, reserve_two, run


async def signed_in(client) -> MemberSession:
    request = client.oauth.authorization_request()
    tokens = await client.oauth.sign_in_from_callback(browser_sign_in(request.url), request)
    return MemberSession(client.oauth, tokens)


def test_sign_in_with_state_and_pkce_then_info(config):
    async def scenario():
        async with client_for(config) as client:
            request = client.oauth.authorization_request()
            assert "code_challenge_method=S256" in request.url and f"state={request.state}" in request.url
            callback = browser_sign_in(request.url)
            assert request.is_callback(callback)
            tokens = await client.oauth.sign_in_from_callback(callback, request)
            info = await client.oauth.info(tokens.access_token)
            # A callback of some other sign-in attempt (wrong state) is refused.
            other = client.oauth.authorization_request()
            with pytest.raises(SignInFailed):
                other.code_from_callback(callback)
            return tokens, info

    tokens, info = run(scenario())
    assert tokens.access_token and tokens.refresh_token and tokens.expires_in == 3600
    assert info.email == "member@example.com" and info.user_id
    assert "access_token" not in repr(tokens) and tokens.access_token not in repr(tokens)


def test_denied_consent_is_a_plain_sign_in_failure(config):
    async def scenario():
        async with client_for(config) as client:
            request = client.oauth.authorization_request()
            with pytest.raises(SignInFailed) as caught:
                await client.oauth.sign_in_from_callback(browser_sign_in(request.url, "deny"), request)
            return caught.value

    assert "did not allow" in run(scenario()).user_message


def test_wrong_client_secret_says_check_settings(config):
    async def scenario():
        async with client_for(config) as client:
            request = client.oauth.authorization_request()
            callback = browser_sign_in(request.url)
        async with client_for(replace(config, client_secret="wrong")) as wrong:
            with pytest.raises(SignInFailed) as caught:
                await wrong.oauth.sign_in_from_callback(callback, request)
            return caught.value

    assert "Settings" in run(scenario()).user_message


def test_member_saves_a_card_and_pays_with_it(config, sandbox_control):
    exchanges = []

    async def scenario():
        async with client_for(config, on_exchange=exchanges.append) as client:
            member = await signed_in(client)
            cart = await reserve_two(client)
            saved = await client.payments.add_member_billing_method(cart.cart_id, member, TEST_CARD, CONTACT)
            methods = await client.payments.member_billing_methods(cart.cart_id, member)
            paid = await client.payments.add_member_payment(TEST_EVENT, cart.cart_id, member, saved.id, "123",
                                                            cart.unpaid)
            result = await client.commit(TEST_EVENT, cart.cart_id, source_account_id="member-hash")
            return saved, methods, paid, result

    saved, methods, paid, result = run(scenario())
    assert saved.id in [m.id for m in methods]
    assert next(m for m in methods if m.id == saved.id).card_last4 == "1006"
    assert paid.unpaid == Decimal("0") and result.order_number
    assert len(sandbox_control.state()["orders"]) == 1
    bearer = [v for e in exchanges for k, v in e.request_headers.items() if k.lower() == "authorization"]
    assert len(bearer) == 3 and all(v.startswith("Bearer ••••") for v in bearer)


def test_expired_access_token_is_renewed_once_and_transparently(config, sandbox_control, clock_base):
    async def scenario():
        async with client_for(config) as client:
            member = await signed_in(client)
            cart = await reserve_two(client)
            renewals = []
            # The station believes its token is fresh, but the service's clock says it has expired.
            stale = member.tokens
            session = MemberSession(client.oauth, stale, on_tokens_changed=renewals.append)
            sandbox_control.scenario(clock_offset_seconds=clock_base + 3700)
            methods = await client.payments.member_billing_methods(cart.cart_id, session)
            info = await session.info()
            return methods, renewals, info, stale

    methods, renewals, info, stale = run(scenario())
    assert methods and all(m.card_last4 and len(m.card_last4) == 4 for m in methods)
    assert info.email == "member@example.com"
    assert len(renewals) == 1 and renewals[0].access_token != stale.access_token
    assert renewals[0].refresh_token == stale.refresh_token  # the refresh answer omits it; it stays


def test_token_close_to_expiry_is_refreshed_before_use(config):
    async def scenario():
        async with client_for(config) as client:
            member = await signed_in(client)
            old = member.tokens
            # 3600 s granted, 3570 s of them gone: 30 s left is within the minute's margin.
            near_end = TokenSet(old.access_token, old.refresh_token, expires_in=3600,
                                obtained_at=old.obtained_at - 3570)
            session = MemberSession(client.oauth, near_end)
            token = await session.access_token()
            return old, token

    old, token = run(scenario())
    assert token != old.access_token


def test_revoked_refresh_token_means_sign_in_again(config):
    async def scenario():
        async with client_for(config) as client:
            session = MemberSession(client.oauth, TokenSet("gone", "revoked-refresh", expires_in=0))
            with pytest.raises(SignInRequired) as caught:
                await session.access_token()
            cart = await reserve_two(client)
            with pytest.raises(SignInRequired):
                await client.payments.member_billing_methods(cart.cart_id, "not-a-token")
            return caught.value

    error = run(scenario())
    assert error.action.name == "SIGN_IN_AGAIN"


def test_invoice_and_wallet_payments(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            cart = await reserve_two(client)
            invoiced = await client.payments.add_invoice_payment(TEST_EVENT, cart.cart_id, "12345", CONTACT,
                                                                 cart.unpaid)
            first = await client.commit(TEST_EVENT, cart.cart_id)
            wallet = await client.payments.wallet_token(TEST_CARD, CONTACT)
            cart = await reserve_two(client)
            paid = await client.payments.add_wallet_payment(TEST_EVENT, cart.cart_id, wallet, "123", CONTACT,
                                                            cart.unpaid)
            second = await client.commit(TEST_EVENT, cart.cart_id)
            return invoiced, first, wallet, paid, second

    invoiced, first, wallet, paid, second = run(scenario())
    assert invoiced.unpaid == Decimal("0") and paid.unpaid == Decimal("0")
    assert wallet.token.startswith("wallet-") and wallet.funding_method == "DISCOVER"
    assert wallet.token not in repr(wallet)
    assert len(sandbox_control.state()["orders"]) == 2 and first.order_number != second.order_number


def test_short_lived_token_is_not_renewed_before_every_call_and_a_lost_sign_in_is_heard(config):
    from app.partner.oauth import refresh_margin

    async def scenario():
        async with client_for(config) as client:
            member = await signed_in(client)
            fresh = TokenSet(member.tokens.access_token, member.tokens.refresh_token, expires_in=5)
            renewals = []
            session = MemberSession(client.oauth, fresh, on_tokens_changed=renewals.append)
            first = await session.access_token()  # 5 s left: not yet within a fifth of its life
            lost = []
            dead = MemberSession(client.oauth, TokenSet("gone", "revoked", expires_in=0), on_sign_in_lost=lost.append)
            with pytest.raises(SignInRequired):
                await dead.access_token()
            return fresh, first, renewals, lost

    fresh, first, renewals, lost = run(scenario())
    assert refresh_margin(fresh) == 1.0
    assert first == fresh.access_token and renewals == []
    assert len(lost) == 1 and isinstance(lost[0], SignInRequired)
