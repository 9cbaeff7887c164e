"""Secrets: keychain when one exists, else a 0600 file and a sentence saying so."""

from __future__ import annotations

import stat

import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from app.storage import API_KEY, REFRESH_TOKEN, SecretStore, StationPaths, StationStorage, mask


class MemoryKeychain(keyring.backend.KeyringBackend):
    """Stands in for the operating system's keychain (the true edge of this module)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


def test_without_a_keychain_secrets_go_to_a_private_file(tmp_path):
    store = SecretStore(tmp_path / "secrets.json", backend=keyring.backends.null.Keyring())
    assert store.fallback_in_use
    assert "readable only by you" in store.fallback_notice

    store.set(API_KEY, "sandbox-api-key")
    store.set(REFRESH_TOKEN, "refresh-123")
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600

    again = SecretStore(tmp_path / "secrets.json", backend=keyring.backends.null.Keyring())
    assert again.get(API_KEY) == "sandbox-api-key"
    again.delete(REFRESH_TOKEN)
    assert again.get(REFRESH_TOKEN) is None
    assert "refresh-123" not in (tmp_path / "secrets.json").read_text()


def test_with_a_keychain_no_secret_file_is_written(tmp_path):
    keychain = MemoryKeychain()
    store = SecretStore(tmp_path / "secrets.json", backend=keychain)
    assert not store.fallback_in_use and store.fallback_notice is None
    store.set(API_KEY, "k-123456789")
    assert keychain.items[("boxoffice", "api_key")] == "k-123456789"
    assert store.get(API_KEY) == "k-123456789"
    assert not (tmp_path / "secrets.json").exists()


def test_station_storage_tells_the_user_about_the_fallback_once_secrets_are_used(tmp_path):
    storage = StationStorage(StationPaths.under(tmp_path))  # tests run with the null keyring backend
    assert storage.notices == []  # a station on the embedded sandbox never touches a secret
    assert storage.secrets.get(API_KEY) is None
    assert storage.notices == [
        "Secrets are stored in a file readable only by you, because no system keychain was found."
    ]


def test_unknown_secret_names_are_refused(tmp_path):
    store = SecretStore(tmp_path / "secrets.json", backend=keyring.backends.null.Keyring())
    with pytest.raises(ValueError):
        store.set("card_number", "6011993200001006")


def test_mask_keeps_only_the_last_four():
    assert mask("6011993200001006") == "••••1006"
    assert mask("abc") == "••••"
    assert mask(None) == ""


def test_the_store_says_where_secrets_are_kept(tmp_path):
    keychain = MemoryKeychain()
    in_keychain = SecretStore(tmp_path / "secrets.json", backend=keychain)
    assert in_keychain.location.startswith("Secrets are kept in the system keychain (")
    assert "not in the settings file" in in_keychain.location

    no_keychain = SecretStore(tmp_path / "secrets.json", backend=keyring.backends.fail.Keyring())
    assert no_keychain.fallback_in_use
    assert str(tmp_path / "secrets.json") in no_keychain.location
    assert "only you can read" in no_keychain.location and "no system keychain was found" in no_keychain.location


class RefusingKeychain(MemoryKeychain):
    """A keychain that exists but refuses (locked, its service gone): keyring raises KeyringError."""

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("locked")

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("locked")


def test_a_keychain_that_refuses_sends_secrets_to_the_file_and_says_so(tmp_path):
    store = SecretStore(tmp_path / "secrets.json", backend=RefusingKeychain())
    assert not store.fallback_in_use
    store.set(API_KEY, "k-123456789")
    assert store.fallback_in_use
    assert "k-123456789" in (tmp_path / "secrets.json").read_text()
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert "the system keychain refused to work" in store.location
    assert store.get(API_KEY) == "k-123456789"


def test_keyring_is_imported_only_when_a_secret_is_used():
    """``import keyring`` costs tens of ms (its macOS backend loads even on Linux): the window, the
    station and the storage must not pay it at start-up."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import app.gui.mainwindow, app.checkout.station, app.storage, app.__main__\n"
        "from app.storage import StationStorage, StationPaths\n"
        "import tempfile\n"
        "storage = StationStorage(StationPaths.under(tempfile.mkdtemp()))\n"
        "_ = storage.notices, storage.settings\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'keyring'], 'keyring imported at start-up'\n"
        "storage.secrets.get('api_key')\n"
        "assert 'keyring' in sys.modules\n"
    )
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
