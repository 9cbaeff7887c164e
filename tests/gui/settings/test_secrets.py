"""Where the panel's secrets go: the keychain (the only mock, at the edge), never the settings file,
never a log; and plainly said when they must go to a file only the user can read instead."""

from __future__ import annotations

import json
import logging
import stat

import keyring.backends.null
import keyring.errors
import pytest
from PySide6.QtWidgets import QPushButton

from tests.gui.settings.settingskit import open_dialog, open_with_keys, said, save, type_field
from tests.gui.windowkit import click, find
from tests.settingskit import MemoryKeychain

NEW_KEY = "partner-key-7Q2xZ9"
NEW_SECRET = "client-secret-W4k8pL"


class BreakingKeychain(MemoryKeychain):
    """A keychain that works until it is ``broken`` (a locked or crashed keychain daemon)."""

    def __init__(self) -> None:
        super().__init__()
        self.broken = False

    def set_password(self, service, username, password):
        if self.broken:
            raise keyring.errors.KeyringError("the keychain daemon went away")
        super().set_password(service, username, password)


@pytest.fixture
def app_log(home, monkeypatch):
    """The log file as ``python -m app --verbose`` writes it (its handlers and filters), in ``home``."""
    from app.__main__ import configure_logging

    monkeypatch.setenv("BOXOFFICE_HOME", str(home))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    path = configure_logging(verbose=True)
    yield path
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)


def every_file_under(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_saved_secrets_are_in_the_keychain_and_in_no_file_or_log(app_log, panel_station, panel_window, keychain,
                                                                  home, qtbot, run, until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        assert said(dialog, "secretsWhere") == ("Secrets are kept in the system keychain (settingskit MemoryKeychain), "
                                                "not in the settings file.")
        type_field(qtbot, dialog, "api_key", NEW_KEY)
        type_field(qtbot, dialog, "client_secret", NEW_SECRET)
        type_field(qtbot, dialog, "station_name", "Box 3")
        click(qtbot, find(dialog, "testConnectionButton", QPushButton))  # the typed key goes over the wire
        await until(lambda: said(dialog, "connectionResult").startswith("127.0.0.1 answered"), 30,
                    what="the test's answer")
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved")

    run(steps())
    assert keychain.items[("boxoffice", "api_key")] == NEW_KEY
    assert keychain.items[("boxoffice", "client_secret")] == NEW_SECRET
    saved = (home / "config" / "settings.json").read_text()
    assert json.loads(saved)["station_name"] == "Box 3"
    for path in every_file_under(home):  # settings, journal, logo, spool: none holds a secret
        data = path.read_bytes()
        assert NEW_KEY.encode() not in data and NEW_SECRET.encode() not in data, path
    logged = app_log.read_text()
    assert "apikey=••••2xZ9" in logged  # the requests with the new key were logged, the key masked
    assert NEW_KEY not in logged and NEW_SECRET not in logged


@pytest.mark.parametrize("keychain", [keyring.backends.null.Keyring()])
def test_without_a_keychain_the_panel_says_the_secrets_go_to_a_user_only_file(panel_station, panel_window, home,
                                                                              qtbot, run, until):
    window = panel_window(panel_station)
    secrets_file = home / "config" / "secrets.json"

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        where = said(dialog, "secretsWhere")
        assert where.startswith(f"Secrets are kept in {secrets_file}, a file only you can read, because no system "
                                "keychain was found.")
        type_field(qtbot, dialog, "api_key", NEW_KEY)
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved")

    run(steps())
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert json.loads(secrets_file.read_text())["api_key"] == NEW_KEY
    assert NEW_KEY not in (home / "config" / "settings.json").read_text()


@pytest.mark.parametrize("keychain", [BreakingKeychain()])
def test_a_keychain_that_fails_while_saving_is_said_and_the_secret_kept_in_the_file(panel_station, panel_window,
                                                                                   keychain, home, qtbot, run,
                                                                                   until):
    window = panel_window(panel_station)

    async def steps():
        dialog = await open_with_keys(window, qtbot, until)
        keychain.broken = True
        type_field(qtbot, dialog, "api_key", NEW_KEY)
        save(qtbot, dialog)
        await until(lambda: open_dialog(window) is None, 30, what="saved")
        message = window.statusBar().currentMessage()
        assert "Secrets are stored in a file readable only by you" in message, message
        dialog = await open_with_keys(window, qtbot, until)
        assert "because the system keychain refused to work" in said(dialog, "secretsWhere")
        dialog.close()

    run(steps())
    assert json.loads((home / "config" / "secrets.json").read_text())["api_key"] == NEW_KEY
