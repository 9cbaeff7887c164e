"""The station's secrets: Partner API key, OAuth client secret and the member's refresh token.

They go to the operating system's keychain through ``keyring`` (service name ``boxoffice``).
When no usable keychain exists (keyring falls back to its ``fail`` or ``null`` backend, or the
keychain refuses to work), they go to ``secrets.json`` in the config folder instead, a file with
mode 0600 (readable only by the user), and ``fallback_notice`` holds the sentence the app shows.

``keyring`` is imported, and the keychain looked up, only when a secret is first read or written
(or ``location`` asked): importing it costs tens of milliseconds (on Linux it also loads its macOS
backend), which a station on the embedded sandbox never needs to pay at start-up. ``location`` is
the sentence the settings panel shows: where the secrets are kept.

The API is four calls on named secrets — ``get``, ``set`` (an empty value deletes), ``delete`` —
for ``API_KEY``, ``CLIENT_SECRET`` and ``REFRESH_TOKEN`` (the member sign-in keeps its refresh
token with ``set(REFRESH_TOKEN, …)`` and forgets it with ``delete(REFRESH_TOKEN)``).

Secret values are never logged; ``mask`` gives the form that may be shown (``••••1006``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import atomic_write_text

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "boxoffice"
API_KEY = "api_key"
CLIENT_SECRET = "client_secret"
REFRESH_TOKEN = "refresh_token"
SECRET_NAMES: tuple[str, ...] = (API_KEY, CLIENT_SECRET, REFRESH_TOKEN)

FALLBACK_NOTICE = (
    "Secrets are stored in a file readable only by you, because no system keychain was found."
)
FAILOVER_NOTICE = (
    "Secrets are stored in a file readable only by you, because the system keychain refused to work."
)

log = logging.getLogger(__name__)
_UNUSABLE = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}


def mask(value: str | None, keep: int = 4) -> str:
    """``••••`` plus the last ``keep`` characters (nothing of short values)."""
    if not value:
        return ""
    return "••••" + (value[-keep:] if len(value) > keep * 2 else "")


def _usable(backend: KeyringBackend) -> list[KeyringBackend]:
    """The real keychains behind ``backend`` (keyring's chainer holds several), without fail/null."""
    inner = getattr(backend, "backends", None)
    found = list(inner) if inner else [backend]
    return [b for b in found if f"{type(b).__module__}.{type(b).__name__}" not in _UNUSABLE]


def _keyring_error() -> type[Exception]:
    import keyring.errors

    return keyring.errors.KeyringError


class SecretStore:
    """Get, set and delete named secrets; keychain when possible, a 0600 file otherwise.

    ``backend`` replaces the keychain keyring would pick (tests hand in a memory, null or fail
    backend: never the real OS keychain)."""

    def __init__(self, fallback_file: Path, *, backend: KeyringBackend | None = None) -> None:
        self._fallback_file = Path(fallback_file)
        self._given = backend
        self._backend: KeyringBackend | None = None
        self._fallback = False
        self._failed_over = False

    @property
    def resolved(self) -> bool:
        """Whether the keychain has been looked up yet (a secret was used, or ``location`` asked)."""
        return self._backend is not None

    def _keychain(self) -> KeyringBackend:
        if self._backend is None:
            if self._given is not None:
                backend = self._given
            else:
                import keyring  # first use only: see the module docstring

                backend = keyring.get_keyring()
            self._backend = backend
            self._fallback = not _usable(backend)
            if self._fallback:
                log.info("no usable system keychain; secrets go to %s", self._fallback_file)
        return self._backend

    @property
    def fallback_in_use(self) -> bool:
        self._keychain()
        return self._fallback

    @property
    def fallback_notice(self) -> str | None:
        """The sentence to show the user while secrets live in the file (and why), else None."""
        if not self.fallback_in_use:
            return None
        return FAILOVER_NOTICE if self._failed_over else FALLBACK_NOTICE

    @property
    def location(self) -> str:
        """Where the secrets are kept, in a sentence (the settings panel shows it)."""
        if self.fallback_in_use:
            why = ("the system keychain refused to work" if self._failed_over
                   else "no system keychain was found")
            return (f"Secrets are kept in {self._fallback_file}, a file only you can read, because {why}. "
                    "Anyone who can sign in as you on this computer can read them.")
        names = ", ".join(str(getattr(b, "name", type(b).__name__)) for b in _usable(self._keychain()))
        return f"Secrets are kept in the system keychain ({names}), not in the settings file."

    def get(self, name: str) -> str | None:
        self._check(name)
        if not self.fallback_in_use:
            try:
                return self._keychain().get_password(SERVICE, name)
            except _keyring_error() as exc:
                self._switch_to_file(exc)
        return self._read_file().get(name)

    def set(self, name: str, value: str) -> None:
        self._check(name)
        if not value:
            self.delete(name)
            return
        if not self.fallback_in_use:
            try:
                self._keychain().set_password(SERVICE, name, value)
                return
            except _keyring_error() as exc:
                self._switch_to_file(exc)
        data = self._read_file()
        data[name] = value
        self._write_file(data)

    def delete(self, name: str) -> None:
        self._check(name)
        if not self.fallback_in_use:
            import keyring.errors

            try:
                self._keychain().delete_password(SERVICE, name)
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
        self._fallback = True
        self._failed_over = True

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
