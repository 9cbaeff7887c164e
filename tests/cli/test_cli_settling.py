"""A commit in doubt on the command line follows the core's settle policy (``app.checkout.settle``),
exactly as the window does (``tests/gui/sale/test_settling.py``): bounded, the same sentences, and
never a second commit. The service's faults come from a proxy in front of the sandbox."""

from __future__ import annotations

import json

from app.checkout.settle import DoubtOutcome, SettleReport
from tests.cli.clikit import CARD, EVENT, cli, journal_row

STILL_UNKNOWN = SettleReport(DoubtOutcome.STILL_UNKNOWN, tries=4).sentence
NOT_SOLD = SettleReport(DoubtOutcome.NOT_SOLD_SEATS_HELD, tries=1).sentence


def last_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.strip()][-1]


def test_a_commit_the_service_never_confirms_exits_4_and_the_next_start_settles_it(
        home, fault_proxy, sandbox_control):
    fault_proxy.lose_next_commit()  # sold, the answer lost, then the service stays unreachable
    done = cli(home, "buy", EVENT, "--quantity", "2", *CARD, backend=fault_proxy)
    assert done.returncode == 4, done.stderr
    assert last_line(done.stderr) == f"{STILL_UNKNOWN} The station checks again when it next starts."
    assert "did not answer; asking again" in done.stderr  # bounded tries, each said
    assert journal_row(home / "data" / "journal.sqlite3", "SELECT state FROM open_carts") == ("commit_in_doubt",)
    assert len(sandbox_control.state()["orders"]) == 1

    fault_proxy.heal()
    listed = cli(home, "--json", "orders", backend=fault_proxy)
    assert listed.returncode == 0, listed.stderr
    assert [o["confirmed"] for o in json.loads(listed.stdout)["orders"]] == [False]  # recorded, not sold again
    assert fault_proxy.commits_seen == 1 and len(sandbox_control.state()["orders"]) == 1
    assert sandbox_control.state()["held_carts"] == []


def test_a_commit_proven_not_carried_out_is_not_sent_again_and_the_seats_are_released(
        home, fault_proxy, sandbox_control):
    fault_proxy.refuse_next_commit()  # answered 502, never reached the service
    done = cli(home, "buy", EVENT, "--quantity", "2", *CARD, backend=fault_proxy)
    assert done.returncode == 1, done.stderr
    assert last_line(done.stderr) == f"{NOT_SOLD} Its seats were released."
    assert fault_proxy.commits_seen == 1  # the command line has nobody to ask: it does not commit again
    state = sandbox_control.state()
    assert state["orders"] == [] and state["held_carts"] == []
