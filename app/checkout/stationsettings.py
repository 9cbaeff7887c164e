"""The settings panel's side of the station: trying, saving and the partner's logo.

The settings panel drives ``Station.test_connection(settings, credentials)``, which tries values
that are not saved yet (``connectiontest``: ``app.partner.probe``, with a temporary embedded
sandbox when the sandbox is asked for and none runs); ``Station.apply_settings(settings,
credentials)``, which saves them (secrets to the keychain) and moves the station onto them without
a restart — a new client, the embedded sandbox started or stopped, the sandbox account's
whitelists set (``backends.sandbox_whitelist``), recovery run for the new backend — refused with
``SaleStillOpen`` while a sale is not finished (changes that need no new connection, such as the
station's name or the logo, are saved at once); and ``station.settings_keeper.partner_logo``, the
logo file (``logo``).

``SettingsKeeper`` owns the parts of that which need no running connection: the trial, the save
of settings and secrets together, and the logo. The move onto a new backend stays with ``Station``
(it owns the client, the sandbox and the sales).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path

from app.partner.masking import Exchange
from app.partner.probe import ProbeReport
from app.storage import API_KEY, CLIENT_SECRET, StationStorage
from app.storage.settings import Settings

from .backends import Credentials, LocalSandbox, SandboxFactory, StationSetupError
from .connectiontest import try_settings
from .logo import cached_logo


class SaleStillOpen(StationSetupError):
    """The backend cannot change while a sale is unfinished (its cart lives on the old one)."""

    def __init__(self) -> None:
        super().__init__("A sale is still open. Finish it or cancel it (releasing its seats) before changing the "
                         "backend or its credentials.")


class SettingsKeeper:
    """Tries, saves and fetches for the settings panel, over ``storage``; ``factory`` starts a
    temporary embedded sandbox for a trial; exchanges of a trial go to ``on_exchange`` while
    ``recording()`` says so."""

    def __init__(self, storage: StationStorage, factory: SandboxFactory | None,
                 on_exchange: Callable[[Exchange], None], recording: Callable[[], bool]) -> None:
        self._storage = storage
        self._factory = factory
        self._on_exchange = on_exchange
        self._recording = recording

    async def test_connection(self, settings: Settings, credentials: Credentials | None,
                              running: LocalSandbox | None) -> ProbeReport:
        """Try ``settings`` with ``credentials`` (nothing is saved, no seat held), on ``running``
        when the sandbox is asked for and one runs; see ``connectiontest``."""
        return await try_settings(settings, credentials, secrets=self._storage.secrets, running=running,
                                  factory=self._factory, on_exchange=self._on_exchange,
                                  record_exchanges=self._recording)

    async def save(self, settings: Settings, credentials: Credentials | None) -> None:
        """Save ``settings`` and ``credentials`` (the keychain) together, off the loop;
        ``StationSetupError`` with a plain sentence when they cannot be."""
        await asyncio.to_thread(self._save, settings, credentials)

    def _save(self, settings: Settings, credentials: Credentials | None) -> None:
        secrets = ({API_KEY: credentials.api_key.strip(), CLIENT_SECRET: credentials.client_secret}
                   if credentials else {})
        try:
            self._storage.save_together(settings, secrets)
        except OSError as exc:
            raise StationSetupError(f"The settings could not be saved ({exc.strerror or exc}). Nothing was changed."
                                    ) from None

    async def partner_logo(self, formats: Iterable[str], url: str | None = None) -> Path | None:
        """The logo file for ``url`` (default: the settings' logo URL), None when there is none;
        ``logo.LogoProblem`` with a plain sentence when it cannot be had."""
        settings = self._storage.settings
        url = (settings.logo_url if url is None else url).strip()
        if not url:
            return None
        return await cached_logo(url, self._storage.paths.logo_dir, formats=formats,
                                 timeout=settings.request_timeout_seconds, ca_bundle=settings.ca_bundle or None,
                                 https_proxy=settings.https_proxy)
