"""The station's non-secret settings: which backend it talks to and the options around it.

Settings live as JSON in ``settings.json`` of the config folder (see ``paths``). Writes are
atomic (a temporary file in the same folder, flushed, then renamed over the old one), so a crash
never leaves half a file. A file that cannot be read as settings is not fatal: it is moved aside
to ``settings.json.corrupt-<time>``, defaults are used, and a plain notice says so. Every value is
checked when the file is loaded (type, range, a finite number, the shape of URLs and host names):
one that does not fit falls back to its default, with a notice naming the setting, what it must
be and the default used. Unknown keys are ignored. What each setting may hold is decided in one
place, ``settingsrules``: the settings panel checks its fields with the same rules.

Secrets (API key, OAuth client secret, refresh token) are never stored here: see ``secrets``.

Affiliate tracking (``tracking_shared_id``, ``tracking_sub_id1``…``3``) is what a partner signed up
for Impact Radius reporting sends with every commit (``tracking`` in the commit body): each at most
32 visible characters, no spaces; ``tracking_problem`` is the one check, for the file and the
settings panel's fields alike. ``availability_stations_per_key`` says how many stations share this
station's API key, so its availability budget is its share of the key's hourly quota.
"""

from __future__ import annotations

import contextlib
import dataclasses
import getpass
import json
import math
import os
import socket
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import settingsrules
from .settingsrules import BACKENDS, HOST_NAME, NUMBER_RANGES, TRACKING_FIELDS, TRACKING_MAX, tracking_problem

Backend = Literal["sandbox", "production", "custom"]
__all__ = ["BACKENDS", "NUMBER_RANGES", "TRACKING_FIELDS", "TRACKING_MAX", "Backend", "Endpoints", "Settings",
           "SettingsFile", "check_setting", "tracking_problem"]

PRODUCTION_PARTNER_URL = "https://app.ticketmaster.com/partners/v1"
PRODUCTION_OAUTH_URL = "https://oauth.ticketmaster.com/oauth"
PRODUCTION_WALLET_URL = "https://payment.ticketmaster.com/wallet/v1"


def _default_station_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "station"


def _default_station_name() -> str:
    """The computer's name: what tells one counter's receipts from another's until someone names it."""
    try:
        return socket.gethostname() or "station"
    except OSError:
        return "station"


@dataclass(frozen=True)
class Endpoints:
    """The three base URLs a backend is reached at."""

    partner_base_url: str
    oauth_base_url: str
    wallet_base_url: str


@dataclass(frozen=True)
class Settings:
    """Everything about a station that is not secret. Frozen: change with ``dataclasses.replace``."""

    backend: Backend = "sandbox"
    # Used only when backend == "custom".
    custom_partner_url: str = ""
    custom_oauth_url: str = ""
    custom_wallet_url: str = ""
    oauth_client_id: str = ""
    redirect_uri: str = "http://localhost/oauth/callback"
    logo_url: str = ""
    captcha_domain: str = "boxoffice.example"
    station_user: str = field(default_factory=_default_station_user)  # the cashier on receipts and in the journal
    station_name: str = field(default_factory=_default_station_name)  # printed on receipts ("Box 3")
    ca_bundle: str = ""
    # An availability answer younger than this is shown again when an event is opened (Refresh asks anew).
    availability_cache_seconds: float = 60.0
    # How many stations use this station's API key: the key's hourly availability quota is shared by all.
    availability_stations_per_key: int = 1
    request_timeout_seconds: float = 20.0
    max_polling_seconds: float = 300.0
    # Longest the station waits on its own for a quota window to reopen before saying so.
    max_quota_wait_seconds: float = 10.0
    # Testers: ask for polling on every polling endpoint (X-TM-FORCE-POLLING: true).
    force_polling: bool = False
    # The proxy for https:// backends: "system" (the operating system's https proxy), "none", or a
    # proxy URL. Loopback addresses and plain http:// (loopback only) never go through a proxy.
    https_proxy: str = "system"
    # Affiliate tracking sent with every commit (empty: not sent); see TRACKING_FIELDS.
    tracking_shared_id: str = ""
    tracking_sub_id1: str = ""
    tracking_sub_id2: str = ""
    tracking_sub_id3: str = ""

    @property
    def tracking(self) -> dict[str, str]:
        """The commit's ``tracking`` object: the tracking values that are set, by their API names."""
        return {key: value for name, key in TRACKING_FIELDS.items() if (value := getattr(self, name).strip())}
    # Embedded sandbox only: whether its partner account whitelists this station's logo URL (the
    # sign-in page shows the logo) and captcha domain (the captcha works), so a tester sees both
    # outcomes without another account.
    sandbox_whitelists_logo: bool = True
    sandbox_whitelists_captcha_domain: bool = True

    def endpoints(self, sandbox_base_url: str | None = None) -> Endpoints:
        """Base URLs for this backend; the sandbox's come from the running embedded server."""
        if self.backend == "production":
            return Endpoints(PRODUCTION_PARTNER_URL, PRODUCTION_OAUTH_URL, PRODUCTION_WALLET_URL)
        if self.backend == "custom":
            if not self.custom_partner_url:
                raise ValueError("The custom backend needs a Partner API URL in the settings.")
            partner = self.custom_partner_url.rstrip("/")
            root = partner.rsplit("/partners/", 1)[0] if "/partners/" in partner else partner
            return Endpoints(
                partner,
                (self.custom_oauth_url or root + "/oauth").rstrip("/"),
                (self.custom_wallet_url or root + "/wallet/v1").rstrip("/"),
            )
        if not sandbox_base_url:
            raise ValueError("The embedded sandbox is not running.")
        root = sandbox_base_url.rstrip("/")
        return Endpoints(root + "/partners/v1", root + "/oauth", root + "/wallet/v1")

    @property
    def captcha_page_url(self) -> str:
        """``https://<captcha domain>/captcha``: the address the captcha page is shown under (its
        origin must be the domain whitelisted for this station). ValueError with a plain sentence
        when the domain is blank or not a host name."""
        domain = self.captcha_domain.strip().lower()
        if not HOST_NAME.match(domain):
            raise ValueError("The whitelisted captcha domain in Settings is missing or not a host name, "
                             "so the captcha cannot be shown.")
        return f"https://{domain}/captcha"

    def changed(self, values: Mapping[str, Any], *, api_key: str = "") -> tuple[Settings | None, dict[str, str]]:
        """These settings with ``values`` (by setting name) in their place, checked by the rules a
        loaded file goes through (``settingsrules.validate``; ``api_key`` is the key typed with them):
        ``(new settings, {})``, or ``(None, what is wrong by field name)``."""
        merged = {**self.to_json(), **values}
        result = settingsrules.validate(merged, _default_values(), api_key=api_key)
        if not result.ok:
            return None, result.problems
        return dataclasses.replace(self, **result.values), {}

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: object) -> tuple[Settings, list[str]]:
        """Build settings from parsed JSON; returns the settings and notices about ignored values."""
        notices: list[str] = []
        if not isinstance(data, dict):
            return cls(), ["The settings file did not hold settings; defaults are used."]
        defaults = cls()
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            default = getattr(defaults, f.name)
            value, rule = check_setting(f.name, data[f.name], default)
            if rule is not None:
                notices.append(f"The setting “{f.name}” in settings.json {rule} (it was {_shown(data[f.name])}); "
                               f"the default, {_shown(default)}, is used.")
                continue
            values[f.name] = value
        return cls(**values), notices


def _default_values() -> dict[str, Any]:
    """Each setting's default (their types decide how a value is checked)."""
    return Settings().to_json()


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def check_setting(name: str, value: Any, default: Any) -> tuple[Any, str | None]:
    """(the value to use, None) when ``value`` suits setting ``name``; else (None, what it must be).
    The rules are ``settingsrules.check``'s, shared with the settings panel."""
    return settingsrules.check(name, value, default)


def atomic_write_text(path: Path, text: str, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` so that readers see either the old or the new file, never half."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that readers see either the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


class SettingsFile:
    """Loads and saves ``Settings`` at one path. ``notices`` collects what the user should be told."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notices: list[str] = []

    def load(self) -> Settings:
        if not self.path.exists():
            return Settings()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            backup = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(self.path, backup)
                where = f" The unreadable file was kept as {backup.name}."
            except OSError:
                where = ""
            self.notices.append("The settings file could not be read, so defaults are used." + where)
            return Settings()
        settings, notices = Settings.from_json(data)
        self.notices.extend(notices)
        return settings

    def save(self, settings: Settings) -> None:
        atomic_write_text(self.path, json.dumps(settings.to_json(), indent=2, sort_keys=True) + "\n")
