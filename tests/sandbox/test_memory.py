"""The sandbox's memory (``SandboxConfig.state_file``): what one run sold, signed in and saved is
there in the next run on the same file, on the same port; a reset forgets it; one sandbox at a time
holds a file; an unreadable file is kept aside. Real servers on loopback, real files."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat

import httpx
import pytest

from app.sandbox import EmbeddedSandbox, SandboxConfig
from tests.browserkit import API_KEY, CLIENT_ID, CLIENT_SECRET, member_tokens
from tests.conftest import SandboxControl, daytime_everywhere
from tests.sandbox.sandboxkit import NEXT_YEAR, TEST_CARD_EVENT, TEST_PURCHASE, PartnerApi, assert_error

MASTERCARD = "5555555555554444"


@contextlib.contextmanager
def running(state_file, **config):
    """A sandbox on its own free port (or the remembered one) with its clock at a daytime hour."""
    server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0, state_file=str(state_file), **config))
    server.start()
    control = SandboxControl(server.base_url)
    control.scenario(now=daytime_everywhere())
    api = PartnerApi(server)
    try:
        yield server, api, control
    finally:
        api.close()
        control.close()
        server.stop()


def refreshed(base_url: str, refresh_token: str) -> httpx.Response:
    return httpx.post(f"{base_url}/oauth/token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": refresh_token,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})


def save_card(api: PartnerApi, access_token: str) -> None:
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    card = {"issuer": "MC", "number": api.encrypt(MASTERCARD), "encryption_key": api.certificate()["id"],
            "expire_month": 12, "expire_year": NEXT_YEAR}
    added = api.call("POST", "/member/billing", headers={"Authorization": f"Bearer {access_token}"},
                     json={"cart_id": cart_id, "billing_method": {"type": "CC", "card": card}})
    assert added.status_code == 200, added.text
    api.call("DELETE", f"/events/{TEST_CARD_EVENT}/cart", params={"cart_id": cart_id})


def saved_cards(api: PartnerApi, access_token: str) -> set[tuple[str, str]]:
    listed = api.get("/member/billing", headers={"Authorization": f"Bearer {access_token}"})
    assert listed.status_code == 200, listed.text
    return {(m["card"]["issuer"], m["card"]["number"]) for m in listed.json()["data"]}


def test_the_next_run_knows_the_orders_their_seats_the_member_and_the_port(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    with running(state_file) as (first, api, control):
        order = api.buy(TEST_PURCHASE, 2)
        tickets = api.get("/orders", params={"order_token": order["order_token"]}).json()["tickets"]
        tokens = member_tokens(first.base_url)
        save_card(api, tokens["access_token"])
        sold_then = control.state()["seats_sold"][TEST_PURCHASE]
        free_then = api.get(f"/events/{TEST_PURCHASE}/availability").json()
        port = first.port

    with running(state_file) as (second, api, control):
        assert second.port == port  # the redemption links on the receipts keep working
        again = api.get("/orders", params={"order_token": order["order_token"]})
        assert again.status_code == 200 and again.json()["tickets"] == tickets
        redeem = httpx.get(order["redemption_url"])
        assert redeem.status_code == 200 and order["order_number"] in redeem.text
        assert control.state()["seats_sold"][TEST_PURCHASE] == sold_then == 2
        assert api.get(f"/events/{TEST_PURCHASE}/availability").json() == free_then
        renewed = refreshed(second.base_url, tokens["refresh_token"])
        assert renewed.status_code == 200, renewed.text
        assert saved_cards(api, renewed.json()["access_token"]) == {("DISCOVER", "1006"), ("MC", "4444")}
        # and it goes on remembering: a redemption in this run is there in the next one
        assert httpx.post(order["redemption_url"]).status_code == 200

    with running(state_file) as (third, api, control):
        assert "Redeemed." in httpx.get(order["redemption_url"]).text
        assert refreshed(third.base_url, tokens["refresh_token"]).status_code == 200


def test_the_file_holds_no_token_and_is_readable_only_by_its_owner(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    with running(state_file) as (server, api, _control):
        tokens = member_tokens(server.base_url)
        api.buy(TEST_PURCHASE, 1)
    text = state_file.read_text()
    assert tokens["refresh_token"] not in text and tokens["access_token"] not in text
    assert API_KEY not in text and MASTERCARD not in text
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o600
    assert json.loads(text)["orders"]


def test_a_reset_forgets_the_past_runs(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    with running(state_file) as (server, api, control):
        order = api.buy(TEST_PURCHASE, 2)
        tokens = member_tokens(server.base_url)
    with running(state_file) as (server, api, control):
        control.reset()
    with running(state_file) as (server, api, control):
        assert_error(api.get("/orders", params={"order_token": order["order_token"]}), 404, 404)
        assert control.state()["seats_sold"][TEST_PURCHASE] == 0
        assert refreshed(server.base_url, tokens["refresh_token"]).status_code == 400


def test_a_revoked_sign_in_stays_revoked(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    with running(state_file) as (server, _api, control):
        tokens = member_tokens(server.base_url)
        control.scenario(revoke_member_tokens=True)
    with running(state_file) as (server, _api, _control):
        assert refreshed(server.base_url, tokens["refresh_token"]).status_code == 400


def test_one_sandbox_at_a_time_holds_the_file(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    with running(state_file) as (holder, holder_api, _control):
        kept = holder_api.buy(TEST_PURCHASE, 1)
        with running(state_file) as (second, api, _control2):
            assert second.port != holder.port
            assert_error(api.get("/orders", params={"order_token": kept["order_token"]}), 404, 404)
            lost = api.buy(TEST_PURCHASE, 1)  # sold by a sandbox without a memory: not written down
        also_kept = holder_api.buy(TEST_PURCHASE, 1)
    with running(state_file) as (_server, api, _control):
        for order in (kept, also_kept):
            assert api.get("/orders", params={"order_token": order["order_token"]}).status_code == 200
        assert_error(api.get("/orders", params={"order_token": lost["order_token"]}), 404, 404)


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": 1, "seed": 2, "orders": []}), "[]",
                                     json.dumps({"format": 1, "seed": 1, "orders": [], "billing": ["x"]})])
def test_an_unusable_file_is_kept_aside_and_the_sandbox_starts_afresh(tmp_path, content):
    state_file = tmp_path / "sandbox-state.json"
    state_file.write_text(content)
    with running(state_file) as (_server, api, control):
        assert control.state()["orders"] == []
        api.buy(TEST_PURCHASE, 1)
    assert (tmp_path / "sandbox-state.json.unreadable").read_text() == content
    assert len(json.loads(state_file.read_text())["orders"]) == 1


def test_a_taken_port_is_not_waited_for(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    with running(state_file) as (first, _api, _control):
        port = first.port
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with running(state_file) as (second, api, _control):
            assert second.port != port
            assert api.get("/events").status_code == 200
    with running(state_file) as (third, _api, _control):
        assert third.port == second.port  # the port it listened on last


def test_a_sandbox_started_on_one_thread_and_stopped_on_another_lets_go_of_its_file(tmp_path):
    """The station starts its sandbox on a worker thread and stops it from another one."""
    import threading

    state_file = tmp_path / "sandbox-state.json"
    server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0, state_file=str(state_file)))
    starter = threading.Thread(target=server.start)
    starter.start()
    starter.join()
    control = SandboxControl(server.base_url)
    control.scenario(now=daytime_everywhere())
    control.close()
    api = PartnerApi(server)
    order = api.buy(TEST_PURCHASE, 1)
    api.close()
    server.stop()
    with running(state_file) as (_server, api, _control):
        assert api.get("/orders", params={"order_token": order["order_token"]}).status_code == 200
