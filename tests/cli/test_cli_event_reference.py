"""``event``, ``availability`` and ``buy`` take an event the way the window's Open event… does — an id, the venue's
event code with its host, or a pasted Ticketmaster address — listed in /events or not; anything
else is one plain line, exit 2, before any call."""

from __future__ import annotations

import json

import pytest

from tests.cli.clikit import CARD, EVENT, cli, one_plain_line

HIDDEN_EVENT = "3B00HIDDEN000003"  # not internet-enabled: absent from /events


def partner_calls(sandbox_control) -> int:
    return sum(1 for r in sandbox_control.log(limit=1000) if r["path"].startswith("/partners/"))


@pytest.mark.parametrize("typed", [
    "ESBX0001/NY1",
    "esbx0001 ny1",
    f"https://www.ticketmaster.com/sandbox-test-purchase-night/event/{EVENT}?camefrom=CFC",
    f"www.ticketmaster.com/event/{EVENT}",
])
def test_event_takes_a_venue_code_and_host_or_an_address(home, fresh_sandbox, typed):
    done = cli(home, "--json", "event", typed, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["event_id"] == EVENT


def test_an_event_missing_from_the_list_is_shown_by_its_id(home, fresh_sandbox):
    listed = json.loads(cli(home, "--json", "events", backend=fresh_sandbox).stdout)["events"]
    assert HIDDEN_EVENT not in {e["event_id"] for e in listed}
    done = cli(home, "event", HIDDEN_EVENT, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Private Rehearsal ({HIDDEN_EVENT})") and "sellable here: no" in done.stdout


def test_buy_by_venue_code_sells_that_event(home, fresh_sandbox, sandbox_control):
    done = cli(home, "--json", "buy", "ESBX0001/NY1", "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    (order,) = sandbox_control.state()["orders"]
    assert order["order_token"] == json.loads(done.stdout)["order_token"] and order["event_id"] == EVENT


@pytest.mark.parametrize("typed, words", [
    ("ESBX0001", "add its host after a space, like ESBX0001 NY1"),
    ("https://evil.example/event/000051048D991EE7", "not the address of a Ticketmaster page"),
    ("https://www.ticketmaster.com/artist/806431", "names no event id"),
    ("a b c", "names no event"),
])
def test_what_names_no_event_is_one_line_before_any_call(home, fresh_sandbox, sandbox_control, typed, words):
    before = partner_calls(sandbox_control)
    for command in (["event", typed], ["buy", typed, "--quantity", "1", *CARD]):
        done = cli(home, *command, backend=fresh_sandbox)
        assert done.returncode == 2 and words in one_plain_line(done.stderr), command
    assert partner_calls(sandbox_control) == before


def test_an_unknown_code_or_id_is_the_service_s_answer_in_one_line(home, fresh_sandbox):
    code = cli(home, "event", "ENOPE0001/NY1", backend=fresh_sandbox)
    assert code.returncode == 1
    assert one_plain_line(code.stderr) == "The ticketing service knows no event code ENOPE0001 on host NY1. " \
                                          "Check what was typed."
    unknown = cli(home, "buy", "0B00DOESNOTEXIST", "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert unknown.returncode == 1 and "knows no event 0B00DOESNOTEXIST" in one_plain_line(unknown.stderr)


@pytest.mark.parametrize("typed", ["ESBX0001 NY1", f"https://www.ticketmaster.com/x/event/{EVENT}"])
def test_availability_takes_an_event_as_event_and_buy_do(home, fresh_sandbox, typed):
    done = cli(home, "--json", "availability", typed, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["event_id"] == EVENT


def test_availability_of_something_that_is_no_event_is_one_line_before_any_call(home, fresh_sandbox,
                                                                                 sandbox_control):
    done = cli(home, "availability", "ESBX0001", backend=fresh_sandbox)
    assert done.returncode == 2
    assert "add its host after a space, like ESBX0001 NY1" in one_plain_line(done.stderr)
    assert partner_calls(sandbox_control) == 0
