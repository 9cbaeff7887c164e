"""One storage interface for a station: settings, secrets and the journal, found through ``paths``.

The window's settings panel, the command line and the checkout engine all go through
``StationStorage``; none of them needs to know where or how a value is kept. ``notices`` gathers
the sentences the user should see about storage (a corrupt settings file or journal was set aside,
secrets are in a file because no keychain exists). ``journal`` raises ``JournalError`` when the
journal cannot be used; ``backlog`` keeps completed orders the journal could not take yet.
``save_together`` saves settings and secrets as one change (the settings panel's Save).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from .backlog import JournalBacklog
from .journal import Journal
from .paths import StationPaths, station_paths
from .secrets import SecretStore
from .settings import Settings, SettingsFile

log = logging.getLogger(__name__)


class StationStorage:
    """Settings + secrets + journal of one station folder."""

    def __init__(self, paths: StationPaths | None = None, *, secret_store: SecretStore | None = None) -> None:
        self.paths = (paths or station_paths()).ensure()
        self._settings_file = SettingsFile(self.paths.settings_file)
        self.secrets = secret_store or SecretStore(self.paths.secrets_file)
        self._settings: Settings | None = None
        self._journal: Journal | None = None
        self.backlog = JournalBacklog(lambda: self.journal, self.paths.spool_file)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._settings_file.load()
        return self._settings

    def save_settings(self, settings: Settings) -> None:
        self._settings_file.save(settings)
        self._settings = settings

    def save_together(self, settings: Settings, secrets: Mapping[str, str]) -> None:
        """Save ``secrets`` (by name; "" deletes) and ``settings`` as one change: when the settings
        file cannot be written (``OSError``), the secrets are put back as they were first, so the
        station never holds new credentials for its old settings."""
        store = self.secrets
        old: dict[str, str] = {}
        try:
            for name, value in secrets.items():
                old[name] = store.get(name) or ""
                store.set(name, value)
            self.save_settings(settings)
        except OSError:
            for name, value in old.items():
                try:
                    store.set(name, value)
                except OSError:
                    log.warning("the secret %s could not be put back after a failed save", name)
            raise

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = Journal(self.paths.journal_file)
        return self._journal

    @property
    def notices(self) -> list[str]:
        """Plain sentences about storage the user should be told (may be empty)."""
        _ = self.settings  # loading may add a notice
        found = list(self._settings_file.notices)
        if self._journal is not None:
            found.extend(self._journal.notices)
        if self.secrets.resolved and self.secrets.fallback_notice:  # said once secrets are in use
            found.append(self.secrets.fallback_notice)
        return found

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
