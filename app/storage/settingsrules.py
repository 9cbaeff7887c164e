"""What each setting may hold, in plain words: the one check behind both ``settings.json`` loading
and the settings panel.

``check(name, value)`` answers ``(the value to use, None)`` when ``value`` suits setting ``name``,
else ``(None, rule)`` where ``rule`` says what it must be (``"must be an https:// address …"``).
Loading a file puts the rule into its notice (and uses the default); the panel shows it at the field
(``sentence(rule)``). ``validate(values, api_key=…)`` checks a whole form at once — each field, then
what depends on several (a custom backend needs its Partner API address; a production or custom
backend needs an API key) — and gives either the new ``Settings`` or every problem by field.

The rules: URLs are http(s) with a host; a backend or logo address is https:// unless it points at
this computer (loopback: plain http is allowed there and only there); the redirect URI is an
http(s) address without a ``#`` part (RFC 6749 3.1.2); the captcha domain is a bare host name; names
are 1–64 characters; numbers are finite and in range; the HTTPS proxy is ``system``, ``none`` or a
proxy URL; a CA bundle is a file that exists. No secret is a setting: the API key is checked here
only so the panel and the station agree on what "missing" means.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

BACKENDS: tuple[str, ...] = ("sandbox", "production", "custom")
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")

# Numbers: (lowest, highest) accepted, in seconds.
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "availability_cache_seconds": (0.0, 300.0),
    "request_timeout_seconds": (1.0, 300.0),
    "max_polling_seconds": (1.0, 3600.0),
    "max_quota_wait_seconds": (0.0, 300.0),
}
# Whole numbers: (lowest, highest) accepted.
COUNT_RANGES: dict[str, tuple[int, int]] = {
    "availability_stations_per_key": (1, 1000),
}
# The commit body's optional tracking object (partner-api.md 3.9, 3.13): setting → key sent.
TRACKING_FIELDS: dict[str, str] = {
    "tracking_shared_id": "shared_id",
    "tracking_sub_id1": "sub_id1",
    "tracking_sub_id2": "sub_id2",
    "tracking_sub_id3": "sub_id3",
}
TRACKING_MAX = 32  # "32 chars max" each, as documented for /tracking
SECURE_URLS = ("custom_partner_url", "custom_oauth_url", "custom_wallet_url", "logo_url")
NAMES = ("station_user", "station_name")
MAX_TEXT = 2000
MAX_NAME = 64

# The example each address's rule gives (the rule speaks only of what was typed: empty is checked apart).
_SECURE_EXAMPLES = {
    "custom_partner_url": "https://partners.example/partners/v1",
    "custom_oauth_url": "https://partners.example/oauth",
    "custom_wallet_url": "https://partners.example/wallet/v1",
    "logo_url": "https://partner.example/logo.png",
}
_RULES = {
    "backend": "must be “sandbox”, “production” or “custom”",
    "redirect_uri": "must be an http(s) address without a # part, such as http://localhost/oauth/callback",
    "captcha_domain": "must be a host name such as boxoffice.example (no https://, no path)",
    "names": f"must be a name of 1 to {MAX_NAME} characters",
    "https_proxy": "must be “system”, “none” or a proxy address such as http://proxy.example:3128",
    "ca_bundle": "must be empty or the path of a certificate file that exists",
    "text": "must be a line of text",
    "bool": "must be true or false",
    "partner_url_needed": "must be filled in for a custom backend",
    "api_key_needed": "must be filled in: the backend refuses every call without the partner's API key",
    "api_key_shape": "must be one word, without spaces",
}


def is_loopback_host(host: str | None) -> bool:
    """127.0.0.0/8, ::1, localhost and *.localhost: this computer."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_parts(value: str) -> tuple[str, str] | None:
    """(scheme, host) of an http(s) URL with a host, else None."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname


def is_url(value: str) -> bool:
    return _url_parts(value) is not None


def is_secure_url(value: str) -> bool:
    """An https:// URL, or an http:// one to this computer."""
    parts = _url_parts(value)
    return parts is not None and (parts[0] == "https" or is_loopback_host(parts[1]))


def sentence(rule: str) -> str:
    """A rule as the panel shows it at its field: ``Must be …`` with a full stop."""
    return rule[:1].upper() + rule[1:] + ("" if rule.endswith(".") else ".")


def _number_rule(name: str) -> str:
    low, high = NUMBER_RANGES.get(name, (0.0, 1e9))
    return f"must be a number from {low:g} to {high:g} seconds"


def tracking_problem(value: str) -> str | None:
    """None when ``value`` may be sent as a tracking id; else the sentence to show at its field."""
    text = value.strip()
    if len(text) > TRACKING_MAX:
        return f"At most {TRACKING_MAX} characters (this has {len(text)})."
    if any(not ("!" <= ch <= "~") for ch in text):
        return "Letters, digits and punctuation only: no spaces or other characters."
    return None


def check(name: str, value: Any, default: Any) -> tuple[Any, str | None]:
    """(the value to use, None) when ``value`` suits setting ``name`` (whose default is ``default``,
    which gives its type); else (None, what it must be). Text is used as given, but checked trimmed."""
    if isinstance(default, bool):
        return (value, None) if isinstance(value, bool) else (None, _RULES["bool"])
    if isinstance(default, int):
        low_i, high_i = COUNT_RANGES.get(name, (0, 10**9))
        rule = f"must be a whole number from {low_i} to {high_i}"
        if isinstance(value, bool) or not isinstance(value, int) or not low_i <= value <= high_i:
            return None, rule
        return value, None
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, _number_rule(name)
        low, high = NUMBER_RANGES.get(name, (0.0, 1e9))
        number = float(value)
        if not math.isfinite(number) or not low <= number <= high:
            return None, _number_rule(name)
        return number, None
    if not isinstance(value, str) or len(value) > MAX_TEXT or any(ord(ch) < 32 for ch in value):
        return None, _RULES["text"]
    text = value.strip()
    if name == "backend" and value not in BACKENDS:
        return None, _RULES["backend"]
    if name in SECURE_URLS and text and not is_secure_url(text):
        return None, (f"must be an https:// address such as {_SECURE_EXAMPLES.get(name, 'https://host.example/')} "
                      "(plain http:// only for this computer)")
    if name == "redirect_uri" and not (is_url(text) and "#" not in text):
        return None, _RULES["redirect_uri"]
    if name == "captcha_domain" and not HOST_NAME.match(text.lower()):
        return None, _RULES["captcha_domain"]
    if name in NAMES and not (text and len(value) <= MAX_NAME):
        return None, _RULES["names"]
    if name in TRACKING_FIELDS and tracking_problem(value) is not None:
        return None, f"must be at most {TRACKING_MAX} letters, digits or punctuation (no spaces)"
    if name == "https_proxy" and value not in ("system", "none") and not is_url(text):
        return None, _RULES["https_proxy"]
    if name == "ca_bundle" and text and not os.path.isfile(os.path.expanduser(text)):
        return None, _RULES["ca_bundle"]
    return value, None


def check_api_key(value: str, backend: str) -> str | None:
    """What is wrong with the API key typed for ``backend`` (None: nothing). The sandbox brings its own."""
    if backend == "sandbox":
        return None
    key = value.strip()
    if not key:
        return _RULES["api_key_needed"]
    if any(ch.isspace() for ch in key):
        return _RULES["api_key_shape"]
    return None


@dataclass(frozen=True)
class Validation:
    """The outcome of ``validate``: the checked values (``values``) and every problem by field name."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(values: Mapping[str, Any], defaults: Mapping[str, Any], *, api_key: str = "") -> Validation:
    """Check every field of a form (``values`` by setting name; ``defaults`` give each one's type),
    then the rules across fields. Text fields are kept trimmed. ``api_key`` is the key typed with
    them (secrets are no settings, but a backend without its key is not a usable backend)."""
    checked: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, value in values.items():
        if name not in defaults:
            continue
        good, rule = check(name, value, defaults[name])
        if rule is not None:
            problems[name] = rule
        else:
            checked[name] = good.strip() if isinstance(good, str) else good
    backend = checked.get("backend", defaults.get("backend", "sandbox"))
    if backend == "custom" and "custom_partner_url" not in problems and not checked.get("custom_partner_url"):
        problems["custom_partner_url"] = _RULES["partner_url_needed"]
    key_problem = check_api_key(api_key, str(backend))
    if key_problem is not None:
        problems["api_key"] = key_problem
    return Validation(checked, problems)
