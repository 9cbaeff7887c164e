"""The station's secrets: Partner API key, OAuth client secret and the member's refresh token.

They go to the operating system's keychain through ``keyring`` (service name ``boxoffice``).
When no usable keychain exists (keyring falls back to its ``fail`` or ``null`` backend, or the
keychain refuses to work), they go to ``secrets.json`` in the config folder instead, a file with
mode 0600 (readable only by the user), and ``fallback_notice`` holds the sentence the app shows.

Secret values are never logged; ``mask`` gives the form that may be shown (``••••1006``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import keyring
import keyring.errors

from .settings import atomic_write_text

SERVICE = "boxoffice"
API_KEY = "api_key"
CLIENT_SECRET = "client_secret"
REFRESH_TOKEN = "refresh_token"
SECRET_NAMES: tuple[str, ...] = (API_KEY, CLIENT_SECRET, REFRESH_TOKEN)

FALLBACK_NOTICE = (
    "Secrets are stored in a file readable only by you, because no system keychain was found."
)

log = logging.getLogger(__name__)


def mask(value: str | None, keep: int = 4) -> str:
    """``••••`` plus the last ``keep`` characters (nothing of short values)."""
    if not value:
        return ""
    return "••••" + (value[-keep:] if len(value) > keep * 2 else "")


def _keychain_usable(backend: keyring.backend.KeyringBackend) -> bool:
    names = {f"{type(b).__module__}.{type(b).__name__}" for b in _flatten(backend)}
    unusable = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
    return bool(names - unusable)


def _flatten(backend: keyring.backend.KeyringBackend) -> list[keyring.backend.KeyringBackend]:
    inner = getattr(backend, "backends", None)
    if inner:
        return list(inner)
    return [backend]


class SecretStore:
    """Get, set and delete named secrets; keychain when possible, a 0600 file otherwise."""

    def __init__(self, fallback_file: Path, *, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._fallback_file = Path(fallback_file)
        self._backend = backend if backend is not None else keyring.get_keyring()
        self.fallback_in_use = not _keychain_usable(self._backend)
        if self.fallback_in_use:
            log.info("no usable system keychain; secrets go to %s", self._fallback_file)

    @property
    def fallback_notice(self) -> str | None:
        """The sentence to show the user while secrets live in the file, else None."""
        return FALLBACK_NOTICE if self.fallback_in_use else None

    def get(self, name: str) -> str | None:
        self._check(name)
        if not self.fallback_in_use:
            try:
                return self._backend.get_password(SERVICE, name)
            except keyring.errors.KeyringError as exc:
                self._switch_to_file(exc)
        return self._read_file().get(name)

    def set(self, name: str, value: str) -> None:
        self._check(name)
        if not value:
            self.delete(name)
            return
        if not self.fallback_in_use:
            try:
                self._backend.set_password(SERVICE, name, value)
                return
            except keyring.errors.KeyringError as exc:
                self._switch_to_file(exc)
        data = self._read_file()
        data[name] = value
        self._write_file(data)

    def delete(self, name: str) -> None:
        self._check(name)
        if not self.fallback_in_use:
            try:
                self._backend.delete_password(SERVICE, name)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as exc:
                self._switch_to_file(exc)
            else:
                return
        data = self._read_file()
        if data.pop(name, None) is not None:
            self._write_file(data)

    @staticmethod
    def _check(name: str) -> None:
        if name not in SECRET_NAMES:
            raise ValueError(f"unknown secret name {name!r}")

    def _switch_to_file(self, exc: Exception) -> None:
        log.warning("system keychain failed (%s); secrets go to the protected file", type(exc).__name__)
        self.fallback_in_use = True

    def _read_file(self) -> dict[str, str]:
        try:
            data = json.loads(self._fallback_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("the secrets file could not be read; it is treated as empty")
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if k in SECRET_NAMES and isinstance(v, str)}

    def _write_file(self, data: dict[str, str]) -> None:
        atomic_write_text(self._fallback_file, json.dumps(data, indent=2, sort_keys=True) + "\n", mode=0o600)
        os.chmod(self._fallback_file, 0o600)
