"""The command line as a user runs it: a subprocess, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from tests.cli.clikit import (
    CAPTCHA_EVENT,
    CARD,
    EVENT,
    ROOT,
    cli,
    cli_command,
    environment,
    journal_row,
    one_plain_line,
)


def test_buy_prints_the_order_as_json_and_journals_it(home, fresh_sandbox, sandbox_control):
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"order_number", "order_token", "grand_total", "currency_code"} <= out.keys()
    assert out["currency_code"] == "USD" and float(out["grand_total"]) > 0
    assert out["tm_app_url"] == "ticketmaster://orders/redeem?token=" + out["order_token"]
    assert [o["order_token"] for o in sandbox_control.state()["orders"]] == [out["order_token"]]
    assert sandbox_control.state()["held_carts"] == []

    listed = cli(home, "--json", "orders", backend=fresh_sandbox)
    assert listed.returncode == 0, listed.stderr
    (order,) = json.loads(listed.stdout)["orders"]
    assert order["order_number"] == out["order_number"] and order["grand_total"] == out["grand_total"]
    assert order["event_name"] and order["seats"] and order["confirmed"] is True
    assert "6011993200001006" not in done.stdout + done.stderr + listed.stdout


def test_card_number_and_cvv_can_come_from_the_environment(home, fresh_sandbox, sandbox_control):
    args = ["buy", EVENT, "--quantity", "1", "--expiry", "12/2031", "--first-name", "Jo", "--last-name", "T",
            "--email", "jo@example.com"]
    done = cli(home, *args, backend=fresh_sandbox, BOXOFFICE_CARD_NUMBER="6011993200001006", BOXOFFICE_CVV="123")
    assert done.returncode == 0, done.stderr
    assert re.search(r"Sold: order \S+", done.stdout)
    assert re.search(r"^Open in the Ticketmaster app: ticketmaster://orders/redeem\?token=\S+$", done.stdout, re.M)
    missing = cli(home, *args, backend=fresh_sandbox)  # no tty to prompt on, nothing in the environment
    assert missing.returncode == 2
    assert "BOXOFFICE_CARD_NUMBER" in one_plain_line(missing.stderr)


@pytest.mark.parametrize("number, expected", [("6011993200001007", "not valid"), ("1234", "not accepted")])
def test_a_bad_card_number_prints_one_line_and_holds_nothing(home, fresh_sandbox, sandbox_control, number, expected):
    args = ["buy", EVENT, "--quantity", "2", "--card-number", number, "--cvv", "123", "--expiry", "12/2031",
            "--first-name", "Jo", "--last-name", "Tester", "--email", "jo@example.com"]
    done = cli(home, *args, backend=fresh_sandbox)
    assert done.returncode == 2
    assert expected in one_plain_line(done.stderr)
    assert number not in done.stderr + done.stdout
    assert sandbox_control.state()["held_carts"] == []


def test_a_declined_card_prints_one_line_and_releases_the_seats(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(next_payment_decline=20122)
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", *CARD, backend=fresh_sandbox)
    assert done.returncode == 1 and done.stdout == ""
    assert "declined" in one_plain_line(done.stderr)
    state = sandbox_control.state()
    assert state["held_carts"] == [] and state["orders"] == []


def test_captcha_events_need_the_window_or_a_token(home, fresh_sandbox, sandbox_control):
    refused = cli(home, "buy", CAPTCHA_EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert refused.returncode == 3
    assert "window" in one_plain_line(refused.stderr)
    assert sandbox_control.state()["held_carts"] == []

    with httpx.Client(base_url=fresh_sandbox.partner_base) as http:
        page = http.get("/captcha", params={"apikey": "sandbox-api-key", "event_id": CAPTCHA_EVENT},
                        headers={"Accept": "text/html"})
        a, b = map(int, re.search(r"(\d+)\s*\+\s*(\d+)", page.text).groups())
        token = http.post("/captcha/solve", headers={"Origin": "https://boxoffice.example"}, json={
            "challenge": page.headers["X-TM-CAPTCHA-V2-STOKEN"], "answer": str(a + b),
            "site_key": page.headers["X-TM-CAPTCHA-V2-SITEKEY"], "hostname": "boxoffice.example"}).json()["token"]
    sold = cli(home, "--json", "buy", CAPTCHA_EVENT, "--quantity", "1", "--captcha-token", token, *CARD,
               backend=fresh_sandbox)
    assert sold.returncode == 0, sold.stderr
    assert json.loads(sold.stdout)["order_number"]


def test_polling_progress_goes_to_stderr(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=1, polling_wait=1)
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert "Waiting for the ticketing service" in done.stderr
    assert json.loads(done.stdout)["order_token"]


@pytest.mark.parametrize("killed_while", ["reserving", "reserved"])  # reserve still polling / shipping polling
def test_a_killed_buy_leaves_no_cart_held_after_the_next_start(home, fresh_sandbox, sandbox_control, killed_while):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=3)
    buyer = subprocess.Popen([*cli_command(), "--base-url", fresh_sandbox.base_url, "--api-key",
                              "sandbox-api-key", "buy", EVENT, "--quantity", "2", *CARD],
                             cwd=ROOT, env=environment(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = home / "data" / "journal.sqlite3"
    cart_id = None
    try:
        for _ in range(600):  # wait until the cart is journaled in that state (each polled step takes ~6 s)
            row = journal_row(
                journal, f"SELECT cart_id FROM open_carts WHERE cart_id != '' AND state = '{killed_while}'"
            )
            if row:
                cart_id = row[0]
                break
            assert buyer.poll() is None, "the buy finished before it could be killed"
            time.sleep(0.1)
        assert cart_id, "the cart never reached the journal"
    finally:
        buyer.send_signal(signal.SIGKILL)
        buyer.wait(30)
    assert [c["cart_id"] for c in sandbox_control.state()["held_carts"]] == [cart_id]

    sandbox_control.scenario(force_polling_rounds=0)
    again = cli(home, "orders", backend=fresh_sandbox)
    assert again.returncode == 0, again.stderr
    assert "released" in again.stderr
    assert sandbox_control.state()["held_carts"] == []
    with sqlite3.connect(journal) as db:
        assert db.execute("SELECT COUNT(*) FROM open_carts").fetchone()[0] == 0
        logged = db.execute("SELECT kind, cart_id FROM recovery_log").fetchall()
    assert logged == [("cart_deleted", cart_id)]


def test_without_backend_options_the_embedded_sandbox_answers(home):
    done = cli(home, "--json", "events")
    assert done.returncode == 0, done.stderr
    assert EVENT in {e["event_id"] for e in json.loads(done.stdout)["events"]}


def test_input_and_service_errors_are_one_plain_line(home, fresh_sandbox):
    no_key = subprocess.run(
        [sys.executable, "-m", "app.cli", "--base-url", fresh_sandbox.base_url, "events"],
        cwd=ROOT,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert no_key.returncode == 2 and "--api-key" in one_plain_line(no_key.stderr)

    wrong_key = subprocess.run(
        [*cli_command(), "--base-url", fresh_sandbox.base_url, "--api-key", "not-the-key", "events"],
        cwd=ROOT,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wrong_key.returncode == 1 and "API key" in one_plain_line(wrong_key.stderr)

    unknown_cart = cli(home, "delete-cart", EVENT, "bm8tc3VjaC1jYXJ0", backend=fresh_sandbox)
    assert unknown_cart.returncode == 1 and "No such cart" in one_plain_line(unknown_cart.stderr)

    not_sellable = cli(
        home,
        "buy",
        "3B00NOAPI0000002",
        "--quantity",
        "1",
        "--invoice",
        "42",
        "--first-name",
        "Jo",
        "--last-name",
        "Tester",
        "--email",
        "jo@example.com",
        backend=fresh_sandbox,
    )
    assert not_sellable.returncode == 1
    assert "ticketmaster.com/event/3B00NOAPI0000002" in one_plain_line(not_sellable.stderr)

    bad_usage = cli(home, "buy", EVENT, backend=fresh_sandbox)
    assert bad_usage.returncode == 2 and "--quantity" in one_plain_line(bad_usage.stderr)


def test_a_buy_killed_while_committing_is_settled_not_sold_twice(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=3)
    buyer = subprocess.Popen(
        [
            *cli_command(),
            "--base-url",
            fresh_sandbox.base_url,
            "--api-key",
            "sandbox-api-key",
            "buy",
            EVENT,
            "--quantity",
            "2",
            *CARD,
        ],
        cwd=ROOT,
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = home / "data" / "journal.sqlite3"
    try:
        for _ in range(900):  # reserve and shipping poll ~6 s each before the commit is sent
            if journal_row(journal, "SELECT 1 FROM open_carts WHERE state = 'committing'"):
                break
            assert buyer.poll() is None, "the buy finished before it could be killed"
            time.sleep(0.1)
        else:
            pytest.fail("the sale never reached the commit")
    finally:
        buyer.send_signal(signal.SIGKILL)
        buyer.wait(30)

    sandbox_control.scenario(force_polling_rounds=0)
    again = cli(home, "--json", "orders", backend=fresh_sandbox)
    assert again.returncode == 0, again.stderr
    sold_on_server = sandbox_control.state()["orders"]
    journaled = json.loads(again.stdout)["orders"]
    assert sandbox_control.state()["held_carts"] == []
    assert len(sold_on_server) == len(journaled) <= 1  # whatever happened, the station knows it
    commits = [
        r
        for r in sandbox_control.log(limit=1000)
        if r["method"] == "PUT" and r["path"] == f"/partners/v1/events/{EVENT}/cart"
    ]
    assert len(commits) <= 1  # killed just before or after sending it; recovery never sends another


def test_read_only_commands(home, fresh_sandbox, sandbox_control):
    event = cli(home, "event", EVENT, "--json", backend=fresh_sandbox)  # options may follow the command
    assert event.returncode == 0, event.stderr
    details = json.loads(event.stdout)
    assert details["event_id"] == EVENT and details["api_transactable"] is True and details["tickets"]

    seats = cli(home, "availability", "3B00GENADMIT0006", backend=fresh_sandbox)
    assert seats.returncode == 0 and "seats available" in seats.stdout
    assert re.search(r"^  as of \d\d:\d\d:\d\d · 3,599 of 3,600 availability requests left this hour$",
                     seats.stdout, re.M), seats.stdout

    sold = json.loads(cli(home, "--json", "buy", EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox).stdout)
    order = cli(home, "--json", "orders", "--order-token", sold["order_token"], backend=fresh_sandbox)
    assert order.returncode == 0, order.stderr
    tickets = json.loads(order.stdout)["tickets"]
    assert [t["order_number"] for t in tickets] == [sold["order_number"]]
    assert tickets[0]["distance_charge"] == "0.0" and tickets[0]["is_national_vip"] is False
    said = cli(home, "orders", "--order-token", sold["order_token"], backend=fresh_sandbox)
    assert said.returncode == 0, said.stderr
    seat = f"section {tickets[0]['section']}, row {tickets[0]['row']}, seat {tickets[0]['seat_name']}"
    assert seat in said.stdout and f"barcode {tickets[0]['barcode_id']}" in said.stdout

    missing = cli(home, "orders", "--order-token", "no-such-token", backend=fresh_sandbox)
    assert missing.returncode == 1 and one_plain_line(missing.stderr)


def test_verbose_logging_masks_the_key_and_the_card(home, fresh_sandbox, sandbox_control):
    done = cli(home, "--verbose", "buy", EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert "app.partner" in done.stderr  # the requests are logged...
    for secret in ("sandbox-api-key", "6011993200001006"):  # ...but never the key or the card
        assert secret not in done.stderr + done.stdout


def test_a_lost_commit_answer_is_settled_and_reported_plainly(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(commit_fault="502")
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["confirmed"] is False and out["order_number"] == "" and out["grand_total"]
    assert "checking whether it went through" in done.stderr
    assert len(sandbox_control.state()["orders"]) == 1 and sandbox_control.state()["held_carts"] == []
    listed = json.loads(cli(home, "--json", "orders", backend=fresh_sandbox).stdout)["orders"]
    assert [o["confirmed"] for o in listed] == [False]
