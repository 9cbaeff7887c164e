"""Personal data never reaches a log in clear: names as initials, email as a•••@domain, street and
phone hidden — in the command line's --verbose log and in the window's log file (which is 0600)."""

from __future__ import annotations

import stat
import subprocess
import sys

from tests.cli.clikit import EVENT, ROOT, cli, environment

ADA = ["--first-name", "Augusta", "--last-name", "Lovelace", "--email", "augusta.lovelace@example.com",
       "--phone", "+44 20 7946 0958", "--address", "12 Analytical Engine Street", "--city", "London",
       "--country", "GB", "--postal-code", "N1 9GU"]
CARD = ["--card-number", "6011993200001006", "--cvv", "123", "--expiry", "12/2031"]
PERSONAL = ("Augusta", "Lovelace", "augusta.lovelace", "7946 0958", "79460958", "Analytical Engine", "N1 9GU")


def test_the_verbose_log_masks_the_buyer(home, fresh_sandbox):
    done = cli(home, "--verbose", "buy", EVENT, "--quantity", "1", *CARD, *ADA, backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert "card payment" in done.stderr  # the payment request was logged...
    for value in PERSONAL:  # ...without the buyer in it
        assert value not in done.stderr, value
    assert "a•••@example.com" in done.stderr and '"first_name": "A."' in done.stderr


def test_the_window_log_file_is_private_and_masked(tmp_path):
    script = (
        "import logging\n"
        "from app.__main__ import configure_logging\n"
        "from app.partner.masking import mask_json\n"
        "path = configure_logging(verbose=True)\n"
        "logging.getLogger('app.partner.http').debug('request %s', mask_json({'payment': {'first_name': 'Augusta',"
        " 'email_address': 'augusta.lovelace@example.com', 'address': {'line1': '12 Analytical Engine Street'}}}))\n"
        "logging.getLogger('app.gui').warning('careless line about augusta.lovelace@example.com')\n"
        "print(path)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment(tmp_path / "station"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    log_file = tmp_path / "station" / "logs" / "boxoffice.log"
    assert done.stdout.strip() == str(log_file)
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    text = log_file.read_text()
    assert "a•••@example.com" in text and "'first_name': 'A.'" in text
    for value in PERSONAL:
        assert value not in text + done.stderr, value
