"""Where the station keeps its files: settings, the secrets fallback file, the journal and logs.

By default each kind of file goes to the platform's own place (platformdirs: e.g. on Linux
``~/.config/boxoffice``, ``~/.local/share/boxoffice`` and ``~/.local/state/boxoffice/log``).

One documented environment variable changes that: **``BOXOFFICE_HOME``**. When it is set, every
file of the station lives under that one folder::

    $BOXOFFICE_HOME/config/   settings.json (and secrets.json when no keychain exists)
    $BOXOFFICE_HOME/data/     journal.sqlite3 (and journal-spool.jsonl while orders wait for it),
                              logo/ (the partner logo, fetched once),
                              sandbox-state.json (what the window's embedded sandbox remembers)
    $BOXOFFICE_HOME/logs/     log files

Tests set it to a temporary folder; testers running several stations on one machine give each its
own folder; a portable install points it next to the program.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "boxoffice"
HOME_VARIABLE = "BOXOFFICE_HOME"


@dataclass(frozen=True)
class StationPaths:
    """The three folders of a station and the well-known files inside them."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def secrets_file(self) -> Path:
        return self.config_dir / "secrets.json"

    @property
    def journal_file(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def spool_file(self) -> Path:
        """Completed orders waiting for the journal (see ``backlog``)."""
        return self.data_dir / "journal-spool.jsonl"

    @property
    def sandbox_state_file(self) -> Path:
        """What the window's embedded sandbox remembers from one run to the next (``app.sandbox.memory``)."""
        return self.data_dir / "sandbox-state.json"

    @property
    def logo_dir(self) -> Path:
        """The partner logo, fetched once from its URL and kept here (see ``app.checkout.logo``)."""
        return self.data_dir / "logo"

    def ensure(self) -> StationPaths:
        """Create the folders (only readable by the user) if they do not exist yet."""
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self

    @classmethod
    def under(cls, home: Path | str) -> StationPaths:
        """All folders under one home folder (what ``BOXOFFICE_HOME`` does)."""
        root = Path(home).expanduser()
        return cls(config_dir=root / "config", data_dir=root / "data", log_dir=root / "logs")


def station_paths(environ: dict[str, str] | None = None) -> StationPaths:
    """The folders this process should use: ``$BOXOFFICE_HOME`` if set, else the platform's."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_VARIABLE, "").strip()
    if home:
        return StationPaths.under(home)
    return StationPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
