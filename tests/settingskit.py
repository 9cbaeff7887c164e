"""Helpers for the settings tests (core and window): a keychain at the edge, station folders, the
credentials of the live test sandbox as a *custom* backend, and a closed port.

``MemoryKeychain`` stands in for the operating system's keychain (the one true edge: tests never
reach the real one); everything behind it — SecretStore, the settings file, the station — is real.
"""

from __future__ import annotations

import socket
from pathlib import Path

import keyring.backend

from app.checkout.backends import Credentials
from app.storage import SecretStore, Settings, StationPaths, StationStorage

SANDBOX_KEY = "sandbox-api-key"
SANDBOX_SECRET = "sandbox-secret"
REDIRECT = "http://localhost/oauth/callback"


class MemoryKeychain(keyring.backend.KeyringBackend):
    """A keychain in memory (priority 1): what the OS keychain would hold, inspectable by tests."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


def storage_at(home: Path, keychain: keyring.backend.KeyringBackend | None = None) -> StationStorage:
    paths = StationPaths.under(home)
    return StationStorage(paths, secret_store=SecretStore(paths.secrets_file, backend=keychain or MemoryKeychain()))


def custom_settings(base_url: str, **changes) -> Settings:
    """The test sandbox reached as a *custom* backend (as a test team's shared sandbox would be)."""
    values = dict(backend="custom", custom_partner_url=base_url + "/partners/v1", oauth_client_id="sandbox-client",
                  redirect_uri=REDIRECT)
    values.update(changes)
    return Settings(**values)


def good_credentials(**changes) -> Credentials:
    values = dict(api_key=SANDBOX_KEY, client_secret=SANDBOX_SECRET)
    values.update(changes)
    return Credentials(**values)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
