"""``buy`` for a venue that forbids row and seat names (``locRowSeatRestrict``): the command line
says what is held and sold by section and count, as the window does — never a row or a seat."""

from __future__ import annotations

import json

from tests.cli.clikit import CARD, EVENT, cli


def _two_places(home, backend):
    done = cli(home, "--json", "availability", EVENT, backend=backend)
    assert done.returncode == 0, done.stderr
    line = next(r for t in json.loads(done.stdout)["tickets"] for r in t["inventory"] if len(r["places"]) >= 2)
    return line["section"], line["places"][:2]


def test_a_sale_on_a_restricted_venue_names_sections_only(home, fresh_sandbox, sandbox_control):
    section, places = _two_places(home, fresh_sandbox)
    sandbox_control.scenario(restrict_flags={EVENT: {"locRowSeatRestrict": True}})

    plain = cli(home, "buy", EVENT, "--quantity", "2", "--places", ",".join(places), *CARD, backend=fresh_sandbox)
    assert plain.returncode == 0, plain.stderr
    said = plain.stdout + plain.stderr
    held = next(line for line in said.splitlines() if line.startswith("Held: "))
    sold = next(line for line in said.splitlines() if line.startswith("Seats: "))
    assert held.startswith(f"Held: Section {section}, 2 seats — cart "), held
    assert sold == f"Seats: Section {section}, 2 seats"
    assert "row" not in said.lower()

    section, places = _two_places(home, fresh_sandbox)
    as_json = cli(home, "--json", "buy", EVENT, "--quantity", "2", "--places", ",".join(places), *CARD,
                  backend=fresh_sandbox)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["seats"] == [f"Section {section}, 2 seats"]


def test_an_order_looked_up_by_its_token_names_no_row_or_seat_for_a_restricted_venue(home, fresh_sandbox,
                                                                                       sandbox_control):
    section, places = _two_places(home, fresh_sandbox)
    sandbox_control.scenario(restrict_flags={EVENT: {"locRowSeatRestrict": True}})
    sold = cli(home, "--json", "buy", EVENT, "--quantity", "2", "--places", ",".join(places), *CARD,
               backend=fresh_sandbox)
    assert sold.returncode == 0, sold.stderr
    token = json.loads(sold.stdout)["order_token"]

    looked_up = cli(home, "orders", "--order-token", token, backend=fresh_sandbox)
    assert looked_up.returncode == 0, looked_up.stderr
    tickets = [line for line in looked_up.stdout.splitlines() if line.startswith("  ")]
    assert len(tickets) == 2 and all(f"section {section}" in line for line in tickets), looked_up.stdout
    assert "row" not in looked_up.stdout.lower() and "seat " not in looked_up.stdout.lower(), looked_up.stdout

    as_json = cli(home, "--json", "orders", "--order-token", token, backend=fresh_sandbox)
    assert as_json.returncode == 0, as_json.stderr
    shown = json.loads(as_json.stdout)["tickets"]
    assert len(shown) == 2 and all(t["section"] == section for t in shown), shown
    assert all(t["row"] is None and t["seat_name"] is None and t["seat_id"] is None for t in shown), shown
