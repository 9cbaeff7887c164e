"""The command line refuses exactly what the window refuses, with the window's sentences, before
anything is held: both ask the same core rules (``app.checkout.sellability``, ``cardrules``,
``quantities``). The window's side of each is in tests/gui (maintenance night, card fields, the
quantity box, a pick that strands a seat)."""

from __future__ import annotations

import json
from datetime import datetime

import httpx

from app.checkout.niterun import niterun_status
from tests.cli.clikit import CARD, EVENT, cli, cli_at, one_plain_line

BUYER = ["--first-name", "Jo", "--last-name", "Tester", "--email", "jo@example.com"]
NEW_YORK_NIGHT = "2026-11-26T06:30:00+00:00"  # 01:30 at the test event's venue in New York
NEW_YORK_LATE = "2026-11-27T04:45:00+00:00"  # 23:45 there: the night is 15 minutes away


def partner_posts(sandbox_control) -> list:
    return [r for r in sandbox_control.log(limit=1000) if r["method"] == "POST" and r["path"].startswith("/partners/")]


def test_an_event_in_its_venues_maintenance_night_is_refused(home, fresh_sandbox, sandbox_control):
    # The sandbox keeps daytime: only the station's own rule can refuse here, as the window's does.
    done = cli_at(home, NEW_YORK_NIGHT, "buy", EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert done.returncode == 1, done.stderr
    night = niterun_status("America/New_York", datetime.fromisoformat(NEW_YORK_NIGHT))
    assert one_plain_line(done.stderr) == f"{night.sentence} Nothing was held."
    assert partner_posts(sandbox_control) == [] and sandbox_control.state()["held_carts"] == []


def test_the_half_hour_before_the_night_warns_and_sells(home, fresh_sandbox, sandbox_control):
    done = cli_at(home, NEW_YORK_LATE, "--json", "buy", EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert "in 15 min; a sale started now may not finish" in done.stderr
    assert json.loads(done.stdout)["order_number"]


def test_the_events_list_marks_the_night_as_the_window_does(home, fresh_sandbox):
    done = cli_at(home, NEW_YORK_NIGHT, "events", backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith(EVENT))
    assert line.endswith("⚠ Until 02:00")
    listed = json.loads(cli_at(home, NEW_YORK_NIGHT, "--json", "events", backend=fresh_sandbox).stdout)
    assert "until 02:00 venue time" in listed["maintenance"][EVENT]


def test_an_expired_card_is_refused_with_the_payment_pages_sentence(home, fresh_sandbox, sandbox_control):
    done = cli(home, "buy", EVENT, "--quantity", "1", "--card-number", "6011993200001006", "--cvv", "123",
               "--expiry", "01/2020", *BUYER, backend=fresh_sandbox)
    assert done.returncode == 2
    assert one_plain_line(done.stderr) == "--expiry: This card expired in 01/2020: ask for another card."
    assert partner_posts(sandbox_control) == []


def test_a_card_of_a_network_not_taken_is_refused(home, fresh_sandbox, sandbox_control):
    done = cli(home, "buy", EVENT, "--quantity", "1", "--card-number", "30569309025904", "--cvv", "123",
               "--expiry", "12/2031", *BUYER, backend=fresh_sandbox)  # a Diners Club test number
    assert done.returncode == 2
    assert one_plain_line(done.stderr) == (
        "--card-number: This card type is not accepted here — use Visa, Mastercard, American Express or Discover.")
    assert partner_posts(sandbox_control) == [] and "30569309025904" not in done.stderr


def test_a_quantity_above_the_limit_is_refused(home, fresh_sandbox, sandbox_control):
    done = cli(home, "buy", EVENT, "--quantity", "11", *CARD, backend=fresh_sandbox)
    assert done.returncode == 2
    assert one_plain_line(done.stderr) == (
        "--quantity: 11 cannot be sold here: from 1 to 10 (at most 10 per sale for this ticket type).")
    assert partner_posts(sandbox_control) == []


def lone_seat_pick(sandbox) -> tuple[str, str, str]:
    """A place whose pick would leave its free neighbour alone: (place, row, the seat left alone)."""
    answer = httpx.get(f"{sandbox.partner_base}/events/{EVENT}/availability", params={"apikey": "sandbox-api-key"})
    for line in answer.json()["event"]["tickets"][0]["inventory"]:
        seats = [int(s) for s in line["seats"]]
        free = set(seats)
        for i, first in enumerate(seats[:-2]):
            if first - 1 not in free and seats[i + 1] == first + 1 and seats[i + 2] == first + 2:
                return line["places"][i + 1], line["row"], str(first)
    raise AssertionError("no run of three free seats")


def test_a_pick_that_leaves_a_single_seat_alone_is_refused(home, fresh_sandbox, sandbox_control):
    place, row, alone = lone_seat_pick(fresh_sandbox)
    done = cli(home, "buy", EVENT, "--quantity", "1", "--places", place, *CARD, backend=fresh_sandbox)
    assert done.returncode == 2, done.stderr
    assert one_plain_line(done.stderr) == (
        f"--places: These seats would leave row {row} seat {alone} alone, which this event does not allow. "
        "Pick one seat more or fewer next to them.")
    assert partner_posts(sandbox_control) == [] and sandbox_control.state()["held_carts"] == []
