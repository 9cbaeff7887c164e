"""Secrets: keychain when one exists, else a 0600 file and a sentence saying so."""

from __future__ import annotations

import stat

import keyring.backend
import keyring.backends.null
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


def test_station_storage_tells_the_user_about_the_fallback(tmp_path):
    storage = StationStorage(StationPaths.under(tmp_path))  # tests run with the null keyring backend
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
