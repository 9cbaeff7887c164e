"""``buy --section S --row R --seats FIRST-LAST``: exact seats by row, for the seats availability lists
without place ids (the sandbox's "Spring Recital" mezzanine) — reserved by section, row, begin_seat
and end_seat, and sold exactly — and for seats with place ids alike (sent as their place ids)."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from tests.cli.clikit import CARD, cli, one_plain_line

NO_PLACES_EVENT = "3B00NOPLACES0008"


def _free_rows(home, backend, section: str):
    done = cli(home, "--json", "availability", NO_PLACES_EVENT, backend=backend)
    assert done.returncode == 0, done.stderr
    return [r for t in json.loads(done.stdout)["tickets"] for r in t["inventory"] if r["section"] == section]


def _run(rows, length: int, step: int = 1):
    for row in rows:
        numbers = [int(s) for s in row["seats"]]
        for i in range(len(numbers) - length + 1):
            if all(numbers[i + k + 1] - numbers[i + k] == step for k in range(length - 1)):
                return row, numbers[i], numbers[i + length - 1]
    raise AssertionError("no free run")


@pytest.mark.parametrize("section, step", [("202", 1), ("201", 2)])  # 201 is numbered 1, 3, 5, …
def test_seats_without_place_ids_are_sold_by_row(home, fresh_sandbox, sandbox_control, section, step):
    row, first, last = _run(_free_rows(home, fresh_sandbox, section), 2, step)
    assert not row["places"]  # listed without place ids
    done = cli(home, "--json", "buy", NO_PLACES_EVENT, "--quantity", "2", "--section", section, "--row", row["row"],
               "--seats", f"{first}-{last}", *CARD, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    sold = json.loads(done.stdout)
    (label,) = sold["seats"]
    assert f"row {row['row']}" in label and str(first) in label and str(last) in label, label
    left = {s for r in _free_rows(home, fresh_sandbox, section) if r["row"] == row["row"] for s in r["seats"]}
    assert str(first) not in left and str(last) not in left


def test_a_run_with_a_taken_seat_holds_nothing(home, fresh_sandbox, sandbox_control):
    rows = _free_rows(home, fresh_sandbox, "202")
    row = next(r for r in rows if any(int(b) - int(a) > 1 for a, b in pairwise(r["seats"])))
    numbers = [int(s) for s in row["seats"]]
    gap = next(a for a, b in pairwise(numbers) if b - a > 1)
    done = cli(home, "buy", NO_PLACES_EVENT, "--quantity", "2", "--section", "202", "--row", row["row"],
               "--seats", f"{gap}-{gap + 1}", *CARD, backend=fresh_sandbox)
    assert done.returncode == 1
    assert f"not free: {gap + 1}" in one_plain_line(done.stderr)
    assert sandbox_control.state()["held_carts"] == [] and sandbox_control.state()["orders"] == []


@pytest.mark.parametrize("args, words", [
    (["--seats", "5-6"], "--section, --row and --seats go together"),
    (["--section", "202", "--row", "A", "--seats", "six"], "is not a run of seat numbers"),
    (["--section", "202", "--row", "A", "--seats", "6-5"], "from the lower seat number to the higher"),
    (["--section", "202", "--row", "A", "--seats", "5"], "cannot hold 2 seats"),
    (["--section", "202", "--row", "A", "--seats", "5-6", "--places", "P1,P2"], "give one of them"),
])
def test_bad_runs_are_one_line_before_any_call(home, fresh_sandbox, sandbox_control, args, words):
    before = partner_calls(sandbox_control)
    done = cli(home, "buy", NO_PLACES_EVENT, "--quantity", "2", *args, *CARD, backend=fresh_sandbox)
    assert done.returncode == 2 and words in one_plain_line(done.stderr)
    assert partner_calls(sandbox_control) == before


def partner_calls(sandbox_control) -> int:
    return sum(1 for r in sandbox_control.log(limit=1000) if r["path"].startswith("/partners/"))
