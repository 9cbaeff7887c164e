"""Station storage: settings (platformdirs or $BOXOFFICE_HOME), secrets (keyring), journal (SQLite).

The names below load with their module on first use (PEP 562): the sandbox's process, which needs
only ``paths`` and ``logfiles``, does not open SQLite or read settings code to start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .journal import Journal, OpenCart, OrderRecord, RecoveryEntry
    from .paths import HOME_VARIABLE, StationPaths, station_paths
    from .secrets import API_KEY, CLIENT_SECRET, REFRESH_TOKEN, SecretStore, mask
    from .settings import Endpoints, Settings, SettingsFile
    from .store import StationStorage

_EXPORTS = {
    **dict.fromkeys(("Journal", "OpenCart", "OrderRecord", "RecoveryEntry"), "journal"),
    **dict.fromkeys(("HOME_VARIABLE", "StationPaths", "station_paths"), "paths"),
    **dict.fromkeys(("API_KEY", "CLIENT_SECRET", "REFRESH_TOKEN", "SecretStore", "mask"), "secrets"),
    **dict.fromkeys(("Endpoints", "Settings", "SettingsFile"), "settings"),
    "StationStorage": "store",
}
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
