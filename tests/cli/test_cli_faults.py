"""A journal or settings file the station cannot use: one plain sentence (what is wrong, what to
do), the file kept, never "Unexpected problem"."""

from __future__ import annotations

import json

from tests.cli.clikit import CARD, EVENT, cli, one_plain_line
from tests.diskkit import exclusive_lock, fill, make_immutable, release_immutable, require_immutable_files, small_disk


def make_journal(home, backend) -> None:
    done = cli(home, "orders", backend=backend)
    assert done.returncode == 0, done.stderr


def test_a_damaged_journal_is_set_aside_and_the_command_goes_on(home, fresh_sandbox):
    data = home / "data"
    data.mkdir(parents=True)
    (data / "journal.sqlite3").write_bytes(b"not a database " * 500)
    done = cli(home, "--json", "orders", backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"orders": []}
    assert "damaged" in one_plain_line(done.stderr) and "Unexpected problem" not in done.stderr
    kept = [p for p in data.iterdir() if p.name.startswith("journal.sqlite3.corrupt-")]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")


def test_a_journal_path_that_is_a_folder(home, fresh_sandbox):
    (home / "data" / "journal.sqlite3").mkdir(parents=True)
    done = cli(home, "orders", backend=fresh_sandbox)
    assert done.returncode == 1
    assert "is a folder" in one_plain_line(done.stderr)
    assert (home / "data" / "journal.sqlite3").is_dir()


def test_a_locked_journal_holds_no_seats_and_says_who_to_ask(home, fresh_sandbox, sandbox_control):
    make_journal(home, fresh_sandbox)
    with exclusive_lock(home / "data" / "journal.sqlite3"):
        done = cli(home, "buy", EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox)
    assert done.returncode == 1
    line = one_plain_line(done.stderr)
    assert line.startswith("No seats were held.") and "in use by another program" in line
    assert sandbox_control.state()["held_carts"] == []


def test_a_read_only_journal(home, fresh_sandbox):
    make_journal(home, fresh_sandbox)
    require_immutable_files(home)
    data = home / "data"
    for extra in ("journal.sqlite3-wal", "journal.sqlite3-shm"):
        (data / extra).unlink(missing_ok=True)
    make_immutable(data / "journal.sqlite3", data)
    try:
        done = cli(home, "orders", backend=fresh_sandbox)
    finally:
        release_immutable(data / "journal.sqlite3", data)
    assert done.returncode == 1
    assert "read-only" in one_plain_line(done.stderr)


def test_a_full_disk_holds_no_seats(tmp_path, fresh_sandbox, sandbox_control):
    with small_disk(tmp_path / "small", "2m") as disk:
        home = disk / "station"
        make_journal(home, fresh_sandbox)
        filler = fill(disk)
        done = cli(home, "buy", EVENT, "--quantity", "1", *CARD, backend=fresh_sandbox)
        filler.unlink()
    assert done.returncode == 1
    assert "is full. Free some space" in one_plain_line(done.stderr)  # found when the journal is opened
    assert sandbox_control.state()["held_carts"] == []


def test_a_nan_timeout_in_the_settings_is_replaced_with_a_notice(home, fresh_sandbox):
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text('{"request_timeout_seconds": NaN, "max_polling_seconds": -3}')
    done = cli(home, "--json", "events", backend=fresh_sandbox)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events"]
    notices = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(notices) == 2 and all("the default" in n for n in notices)
    assert "request_timeout_seconds" in notices[0] + notices[1] and "Traceback" not in done.stderr
    assert (home / "config" / "settings.json").exists()
