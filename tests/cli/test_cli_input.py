"""Every input the window checks at its field is checked by the command line before the first call,
with the window's own sentences, one plain line naming the option, exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.clikit import CARD, EVENT, ROOT, cli, environment, one_plain_line

BUYER = ["--first-name", "Jo", "--last-name", "Tester", "--email", "jo@example.com"]
DISCOVER = ["--card-number", "6011993200001006", "--cvv", "123"]


def partner_calls(sandbox_control) -> int:
    return sum(1 for r in sandbox_control.log(limit=1000) if r["path"].startswith("/partners/"))


@pytest.mark.parametrize("args, option, words", [
    (["--expiry", "12/99999", *DISCOVER, *BUYER], "--expiry", "Write the expiry date as on the card"),
    (["--expiry", "12/203", *DISCOVER, *BUYER], "--expiry", "Write the expiry date as on the card"),
    (["--expiry", "12/2200", *DISCOVER, *BUYER], "--expiry", "too far ahead"),
    (["--expiry", "13/2030", *DISCOVER, *BUYER], "--expiry", "between 01 and 12"),
    (["--expiry", "01/2020", *DISCOVER, *BUYER], "--expiry", "expired"),
    (["--expiry", "12/2030", "--card-number", "378282246310005", "--cvv", "123", *BUYER], "--cvv", "4 digits"),
    (["--expiry", "12/2030", "--card-number", "6011 9932 0000 1007", "--cvv", "123", *BUYER], "--card-number",
     "not valid"),
    (["--expiry", "12/2030", *DISCOVER, "--first-name", "Jo", "--last-name", "Tester", "--email", "not-an-email"],
     "--email", "looks incomplete"),
    (["--expiry", "12/2030", *DISCOVER, "--last-name", "Tester", "--email", "jo@example.com"], "--first-name",
     "Enter the first name"),
    (["--expiry", "12/2030", *DISCOVER, *BUYER, "--phone", "12"], "--phone", "too short for the billing country"),
    (["--expiry", "12/2030", *DISCOVER, *BUYER, "--address", "1 Main St", "--city", "Springfield", "--country", "ZZ"],
     "--country", "not a country code"),
    (["--expiry", "12/2030", *DISCOVER, *BUYER, "--address", "1 Main St", "--city", "Springfield", "--country",
      "US", "--region", "NY", "--postal-code", "ABCDE"], "--postal-code", "ZIP code"),
    (["--invoice", "12a", *BUYER], "--invoice", "digits only"),
    (["--invoice", "42", "--first-name", "Jo", "--last-name", "Tester"], "--email", "Enter the buyer's email"),
])
def test_bad_payment_input_is_refused_before_any_call(home, fresh_sandbox, sandbox_control, args, option, words):
    before = partner_calls(sandbox_control)
    done = cli(home, "buy", EVENT, "--quantity", "1", *args, backend=fresh_sandbox)
    assert done.returncode == 2, done.stderr
    line = one_plain_line(done.stderr)
    assert line.startswith(option + ":") and words in line, line
    assert partner_calls(sandbox_control) == before
    assert "6011993200001006" not in done.stderr


@pytest.mark.parametrize("args, words", [
    (["--quantity", "0"], "at least 1"),
    (["--quantity", "1", "--shipping", "1; DROP"], "--shipping"),
    (["--quantity", "1", "--captcha-token", "not a token"], "--captcha-token"),
    (["--quantity", "1", "--or-best-available"], "goes with --places"),
])
def test_bad_sale_options_are_refused_before_any_call(home, fresh_sandbox, sandbox_control, args, words):
    before = partner_calls(sandbox_control)
    done = cli(home, "buy", EVENT, *args, *CARD, backend=fresh_sandbox)
    assert done.returncode == 2 and words in one_plain_line(done.stderr)
    assert partner_calls(sandbox_control) == before


def test_a_malformed_event_id_is_bad_input(home, fresh_sandbox, sandbox_control):
    before = partner_calls(sandbox_control)
    done = cli(home, "buy", "../../_sandbox/reset", "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert done.returncode == 2 and "letters and digits" in one_plain_line(done.stderr)
    assert partner_calls(sandbox_control) == before


def test_a_quantity_over_the_limit_is_refused_before_seats_are_held(home, fresh_sandbox, sandbox_control):
    done = cli(home, "buy", EVENT, "--quantity", "11", *CARD, backend=fresh_sandbox)
    assert done.returncode == 2
    line = one_plain_line(done.stderr)
    assert line.startswith("--quantity: 11 cannot be sold here: from 1 to 10")
    assert not [
        r for r in sandbox_control.log(limit=500) if r["method"] == "POST" and r["path"].startswith("/partners/")
    ]


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://[::1", "not a valid"),
        ("http://192.168.1.20:8765", "must use https://"),
        ("ftp://127.0.0.1", "valid http(s)"),
    ],
)
def test_backend_urls_are_checked_plainly(home, url, words):
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--base-url", url, "--api-key", "k", "events"],
        cwd=ROOT,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    line = one_plain_line(done.stderr)
    assert line.startswith("--base-url:") and words in line and "Unexpected problem" not in line


def test_the_api_key_can_come_from_the_environment_and_help_says_so(home, fresh_sandbox):
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--base-url", fresh_sandbox.base_url, "--json", "events"],
        cwd=ROOT,
        env=environment(home, BOXOFFICE_API_KEY="sandbox-api-key"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events"]
    helped = subprocess.run(
        [sys.executable, "-m", "app.cli", "--help"],
        cwd=ROOT,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "BOXOFFICE_API_KEY" in helped.stdout and "stored" in helped.stdout


def test_the_stored_key_is_used_only_for_the_stations_own_backend(home, fresh_sandbox):
    from app.storage import API_KEY, StationPaths, StationStorage
    from app.storage.settings import Settings

    storage = StationStorage(StationPaths.under(home))
    storage.save_settings(Settings(backend="custom", custom_partner_url=fresh_sandbox.base_url + "/partners/v1"))
    storage.secrets.set(API_KEY, "sandbox-api-key")
    own = cli(home, "--json", "events", "--base-url", fresh_sandbox.base_url)
    assert own.returncode == 0, own.stderr
    elsewhere = cli(home, "events", "--base-url", fresh_sandbox.base_url.replace("127.0.0.1", "localhost"))
    assert elsewhere.returncode == 2 and "needs an API key" in one_plain_line(elsewhere.stderr)
