"""Cash at the counter from the command line (``buy --cash``): the same rules as the payment page
(``app.checkout.cash``), the change printed, the invoice's reference the receipt number."""

from __future__ import annotations

import json

from tests.cli.clikit import EVENT, cli

BUYER = ["--first-name", "Jo", "--last-name", "Tester", "--email", "jo@example.com"]


def test_cash_sells_prints_the_change_and_sends_the_receipt_number(home, fresh_sandbox, sandbox_control):
    done = cli(home, "--json", "buy", EVENT, "--quantity", "1", "--cash", "1,000", *BUYER, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    (order,) = sandbox_control.state()["orders"]
    (payment,) = order["payments"]
    assert payment["type"] == "INVOICE" and payment["reference"] == out["receipt_number"]
    due = float(payment["amount"])
    assert f"Change due: USD {1000 - due:,.2f}." in done.stderr


def test_too_little_cash_releases_the_seats_and_pays_nothing(home, fresh_sandbox, sandbox_control):
    done = cli(home, "buy", EVENT, "--quantity", "2", "--cash", "1", *BUYER, backend=fresh_sandbox)
    assert done.returncode == 1, done.stdout
    line = done.stderr.strip().splitlines()[-1]  # after "Held: …" and "Delivery: …"
    assert line.startswith("--cash: That is USD ") and "short of the USD" in line and "seats were released" in line
    state = sandbox_control.state()
    assert state["orders"] == [] and state["held_carts"] == []
    assert not [r for r in sandbox_control.log(limit=200) if r["path"].endswith("/payment")]


def test_what_is_not_an_amount_is_refused_before_anything_is_held(home, fresh_sandbox, sandbox_control):
    done = cli(home, "buy", EVENT, "--quantity", "1", "--cash", "ten dollars", *BUYER, backend=fresh_sandbox)
    assert done.returncode != 0
    assert "--cash: Type the amount received in figures, like 100 or 87.50." in done.stderr
    both = cli(home, "buy", EVENT, "--quantity", "1", "--cash", "100", "--invoice", "4711", *BUYER,
               backend=fresh_sandbox)
    assert "--invoice and --cash are two ways of paying: give one of them." in both.stderr
    assert not [r for r in sandbox_control.log(limit=50) if r["method"] == "POST" and r["path"].endswith("/cart")]
