"""Station storage: settings (platformdirs or $BOXOFFICE_HOME), secrets (keyring), journal (SQLite)."""

from .journal import Journal, OpenCart, OrderRecord, RecoveryEntry
from .paths import HOME_VARIABLE, StationPaths, station_paths
from .secrets import API_KEY, CLIENT_SECRET, REFRESH_TOKEN, SecretStore, mask
from .settings import Endpoints, Settings, SettingsFile
from .store import StationStorage

__all__ = [
    "API_KEY",
    "CLIENT_SECRET",
    "HOME_VARIABLE",
    "REFRESH_TOKEN",
    "Endpoints",
    "Journal",
    "OpenCart",
    "OrderRecord",
    "RecoveryEntry",
    "SecretStore",
    "Settings",
    "SettingsFile",
    "StationPaths",
    "StationStorage",
    "mask",
    "station_paths",
]
