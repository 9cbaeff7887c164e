"""TERM (what ``timeout`` sends) and HUP (a closed terminal) stop a sale like Ctrl+C: the seats are
released and the exit code is 130 — except while the order is being placed, which finishes first."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from tests.cli.clikit import CARD, EVENT, ROOT, cli_command, environment, journal_row


def start_buy(home, sandbox) -> subprocess.Popen:
    return subprocess.Popen([*cli_command(), "--base-url", sandbox.base_url, "--api-key",
                             "sandbox-api-key", "--json", "buy", EVENT, "--quantity", "2", *CARD],
                            cwd=ROOT, env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_row(buyer, home, query: str, what: str, rounds: int = 900) -> None:
    journal = home / "data" / "journal.sqlite3"
    for _ in range(rounds):
        if journal_row(journal, query):
            return
        assert buyer.poll() is None, f"the buy finished before {what}"
        time.sleep(0.05)
    buyer.kill()
    pytest.fail(f"the sale never reached {what}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_while_seats_are_held_releases_them_and_exits_130(home, fresh_sandbox, sandbox_control, signum):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=2)
    buyer = start_buy(home, fresh_sandbox)
    wait_for_row(buyer, home, "SELECT 1 FROM open_carts WHERE cart_id != '' AND state = 'reserved'", "holding seats")
    assert len(sandbox_control.state()["held_carts"]) == 1
    buyer.send_signal(signum)
    out, err = buyer.communicate(timeout=90)
    assert buyer.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err and out == ""
    assert sandbox_control.state()["held_carts"] == [] and sandbox_control.state()["orders"] == []


def test_a_stop_signal_during_a_polled_reserve_leaves_nothing_held(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=2)
    buyer = start_buy(home, fresh_sandbox)
    wait_for_row(buyer, home, "SELECT 1 FROM open_carts WHERE state = 'reserving'", "the reserve")
    time.sleep(0.5)  # the reserve is out and polling
    buyer.send_signal(signal.SIGTERM)
    _out, err = buyer.communicate(timeout=90)
    assert buyer.returncode == 130, err
    assert sandbox_control.state()["held_carts"] == []


def test_a_stop_signal_while_the_order_is_placed_lets_it_finish(home, fresh_sandbox, sandbox_control):
    sandbox_control.scenario(force_polling_rounds=2, polling_wait=2)
    buyer = start_buy(home, fresh_sandbox)
    wait_for_row(buyer, home, "SELECT 1 FROM open_carts WHERE state = 'committing'", "the commit")
    buyer.send_signal(signal.SIGTERM)
    out, err = buyer.communicate(timeout=90)
    assert buyer.returncode == 0, err
    sold = json.loads(out)
    assert [o["order_number"] for o in sandbox_control.state()["orders"]] == [sold["order_number"]]
    assert "completed first" in err
    assert sandbox_control.state()["held_carts"] == []
