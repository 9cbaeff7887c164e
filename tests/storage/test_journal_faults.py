"""The journal's own faults, said in plain words: damaged (set aside, a new journal started), a path
that is a folder, locked by another connection, read-only, a full disk. Files are 0600."""

from __future__ import annotations

import stat

import pytest

from app.storage import Journal, StationPaths, StationStorage
from app.storage.journalfaults import JournalError
from tests.diskkit import exclusive_lock, fill, make_immutable, release_immutable, require_immutable_files, small_disk


def test_a_damaged_journal_is_set_aside_and_a_new_one_started(tmp_path):
    path = tmp_path / "data" / "journal.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database at all " * 200)
    journal = Journal(path)
    journal.cart_started("E1")
    (notice,) = journal.notices
    kept = [p for p in path.parent.iterdir() if p.name.startswith("journal.sqlite3.corrupt-")]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    assert kept[0].name in notice and "new, empty journal" in notice
    assert [c.event_id for c in journal.open_carts()] == ["E1"]
    journal.close()
    storage = StationStorage(StationPaths.under(tmp_path / "other"))
    (storage.paths.journal_file).write_bytes(b"garbage" * 100)
    _ = storage.journal
    assert any("damaged" in n for n in storage.notices)


def test_a_journal_path_that_is_a_folder_is_said_plainly_and_left_alone(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.mkdir()
    (path / "keep-me").write_text("x")
    with pytest.raises(JournalError) as refused:
        Journal(path)
    assert refused.value.kind == "folder" and "is a folder" in refused.value.user_message
    assert (path / "keep-me").read_text() == "x"


def test_a_locked_journal_says_another_program_holds_it(tmp_path):
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path, busy_timeout=0.2)
    with exclusive_lock(path):
        with pytest.raises(JournalError) as refused:
            journal.cart_started("E1")
        assert journal.open_carts() == []  # reading still works
    assert refused.value.kind == "locked" and "in use by another program" in refused.value.user_message
    journal.cart_started("E1")  # and writing once the lock is gone


def test_a_read_only_journal_folder_is_said_plainly(tmp_path):
    require_immutable_files(tmp_path)
    folder = tmp_path / "data"
    Journal(folder / "journal.sqlite3").close()
    for extra in folder.iterdir():
        if extra.name != "journal.sqlite3":
            extra.unlink()
    make_immutable(folder / "journal.sqlite3", folder)
    try:
        with pytest.raises(JournalError) as refused:
            Journal(folder / "journal.sqlite3")
    finally:
        release_immutable(folder / "journal.sqlite3", folder)
    assert refused.value.kind == "read_only" and "read-only" in refused.value.user_message


def test_a_full_disk_is_said_plainly(tmp_path):
    with small_disk(tmp_path / "small", "1m") as disk:
        journal = Journal(disk / "journal.sqlite3")
        fill(disk)
        with pytest.raises(JournalError) as refused:
            journal.cart_started("E1")
        journal.close()
    assert refused.value.kind == "full" and "is full" in refused.value.user_message


def test_journal_and_its_companions_are_readable_only_by_their_owner(tmp_path):
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    journal.cart_started("E1")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    journal.close()
    assert modes["journal.sqlite3"] == 0o600 and modes.get("journal.sqlite3-wal", 0o600) == 0o600
    assert modes.get("journal.sqlite3-shm", 0o600) == 0o600
