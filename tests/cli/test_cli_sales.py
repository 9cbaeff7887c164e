"""The command line's sales when something is off: exact seats taken, a journal that cannot be written."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time

import httpx

from tests.cli.clikit import CARD, EVENT, ROOT, cli, cli_command, environment, journal_row, one_plain_line

API_KEY = "sandbox-api-key"


def free_places(sandbox, count: int = 2) -> tuple[str, list[str], list[str]]:
    """A ticket type and ``count`` free place ids in one row, with their seat numbers."""
    answer = httpx.get(f"{sandbox.partner_base}/events/{EVENT}/availability", params={"apikey": API_KEY}).json()
    tickets = answer["event"]["tickets"][0]
    for line in tickets["inventory"]:
        if len(line["places"]) >= count:
            return tickets["offers"][0]["ticketTypeId"], line["places"][:count], [str(s) for s in line["seats"][:count]]
    raise AssertionError("no row with enough free seats")


def hold_elsewhere(sandbox, ticket: str, places: list[str]) -> str:
    """Another buyer holds these places (a cart made straight on the service)."""
    answer = httpx.post(f"{sandbox.partner_base}/events/{EVENT}/cart", params={"apikey": API_KEY},
                        json={"reserve": {"tickets": [{"id": ticket, "quantity": len(places)}], "places": places}})
    answer.raise_for_status()
    return answer.json()["cart_id"]


def test_exact_seats_already_taken_are_refused_and_nothing_is_sold(home, fresh_sandbox, sandbox_control):
    ticket, places, _ = free_places(fresh_sandbox)
    other = hold_elsewhere(fresh_sandbox, ticket, places)
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", "--places", ",".join(places), *CARD,
               backend=fresh_sandbox)
    assert done.returncode == 1, done.stdout
    assert "not free" in one_plain_line(done.stderr) and done.stdout == ""
    state = sandbox_control.state()
    assert state["orders"] == [] and [c["cart_id"] for c in state["held_carts"]] == [other]


def test_or_best_available_sells_other_seats_and_says_which(home, fresh_sandbox, sandbox_control):
    ticket, places, _numbers = free_places(fresh_sandbox)
    hold_elsewhere(fresh_sandbox, ticket, places)
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", "--places", ",".join(places), "--or-best-available",
               *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["seats"] and all(s.startswith("Section ") for s in out["seats"])
    assert "not free" in done.stderr and "best available seats are asked for instead" in done.stderr
    assert len(sandbox_control.state()["orders"]) == 1


def test_buy_json_lists_the_seats_sold(home, fresh_sandbox, sandbox_control):
    _ticket, places, numbers = free_places(fresh_sandbox)
    done = cli(home, "--json", "buy", EVENT, "--quantity", "2", "--places", ",".join(places), *CARD,
               backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    (seats,) = json.loads(done.stdout)["seats"]
    assert f"seats {numbers[0]}–{numbers[1]}" in seats


def test_places_that_are_not_free_seats_are_refused_before_anything_is_held(home, fresh_sandbox, sandbox_control):
    unknown = cli(home, "buy", EVENT, "--quantity", "1", "--places", "NOTAPLACE0000000", *CARD, backend=fresh_sandbox)
    assert unknown.returncode == 1 and "NOTAPLACE0000000" in one_plain_line(unknown.stderr)
    _, places, _ = free_places(fresh_sandbox)
    miscounted = cli(home, "buy", EVENT, "--quantity", "3", "--places", ",".join(places), *CARD, backend=fresh_sandbox)
    assert miscounted.returncode == 2 and "--quantity" in one_plain_line(miscounted.stderr)
    assert sandbox_control.state()["held_carts"] == []
    assert not [
        r for r in sandbox_control.log(limit=500) if r["method"] == "POST" and r["path"].startswith("/partners/")
    ]


def test_a_journal_locked_during_the_commit_still_shows_the_order(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(latency_ms=700)  # room to take the lock between the mark and the answer
    buyer = subprocess.Popen(
        [
            *cli_command(),
            "--base-url",
            fresh_sandbox.base_url,
            "--api-key",
            API_KEY,
            "--json",
            "buy",
            EVENT,
            "--quantity",
            "2",
            *CARD,
        ],
        cwd=ROOT,
        env=environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    journal = home / "data" / "journal.sqlite3"
    blocker = None
    try:
        for _ in range(3000):
            if journal_row(journal, "SELECT 1 FROM open_carts WHERE state = 'committing'"):
                blocker = sqlite3.connect(journal, isolation_level=None, timeout=10)
                blocker.execute("BEGIN EXCLUSIVE")
                break
            assert buyer.poll() is None, "the buy finished before the journal could be locked"
            time.sleep(0.01)
        out, err = buyer.communicate(timeout=120)
    finally:
        if buyer.poll() is None:
            buyer.kill()
        if blocker is not None:
            blocker.execute("ROLLBACK")
            blocker.close()
    assert blocker is not None, "the sale never reached the commit"
    assert buyer.returncode == 0, err
    sold = json.loads(out)
    assert sold["order_number"] and sold["journal_recorded"] is False
    assert "record of this sale will catch up" in err and "Unexpected problem" not in err
    assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [sold["order_number"]]

    sandbox_control.scenario(latency_ms=0)
    listed = cli(home, "--json", "orders", backend=fresh_sandbox)  # the next start writes the kept order
    assert listed.returncode == 0, listed.stderr
    assert [o["order_number"] for o in json.loads(listed.stdout)["orders"]] == [sold["order_number"]]
    assert "now in it" in listed.stderr
    with sqlite3.connect(journal) as db:
        assert db.execute("SELECT order_number FROM orders").fetchall() == [(sold["order_number"],)]
        assert db.execute("SELECT COUNT(*) FROM open_carts").fetchone()[0] == 0


def test_a_buy_killed_before_the_reserve_answered_is_reported_with_what_it_asked_for(
    home, fresh_sandbox, sandbox_control
):
    sandbox_control.scenario(latency_ms=2500)  # the reserve is out for 2.5 s, and never polls
    buyer = subprocess.Popen(
        [
            *cli_command(),
            "--base-url",
            fresh_sandbox.base_url,
            "--api-key",
            API_KEY,
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
        for _ in range(600):
            if journal_row(journal, "SELECT 1 FROM open_carts WHERE state = 'reserving'"):
                break
            assert buyer.poll() is None, "the buy finished before it could be killed"
            time.sleep(0.02)
        else:
            raise AssertionError("the reserve was never journaled")
        time.sleep(0.3)  # the request is on its way
    finally:
        buyer.kill()
        buyer.wait(30)
    with sqlite3.connect(journal) as db:
        (asked,) = db.execute("SELECT seats FROM open_carts WHERE state = 'reserving' AND cart_id = ''").fetchone()
    assert asked == "asked for 2 seats, best available"
    for _ in range(100):  # the service finishes the reserve the dead run sent
        if sandbox_control.state()["held_carts"]:
            break
        time.sleep(0.1)
    sandbox_control.scenario(latency_ms=0)
    again = cli(home, "orders", backend=fresh_sandbox)
    assert again.returncode == 0, again.stderr
    report = one_plain_line(again.stderr)
    assert "Sandbox Test Purchase Night" in report and "asked for 2 seats, best available" in report
    assert "sent at" in report and "released by the service when the hold runs out" in report
    with sqlite3.connect(journal) as db:
        assert db.execute("SELECT COUNT(*) FROM open_carts").fetchone()[0] == 0
        assert db.execute("SELECT kind FROM recovery_log").fetchall() == [("reserve_interrupted",)]
