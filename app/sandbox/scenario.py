"""The tester's scenario: knobs that make the sandbox misbehave on purpose.

``Scenario.merge(changes)`` validates every key and value before changing anything, so a typo in
``POST /_sandbox/scenario`` is answered with an error naming the key instead of being ignored.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from .errors import INVALID_INPUT, SandboxError

DEFAULT_HOLD_TIME = 299
DEFAULT_REQUIRED_PAYMENT_FIELDS = ("first_name", "last_name", "email_address")
DECLINE_CODES = (20122, 20129, 20152)
COMMIT_FAULTS = ("drop", "502", "504")

DEFAULTS: dict = {
    "force_polling_rounds": 0,
    "polling_wait": 1,
    "auto_polling": False,
    "latency_ms": 0,
    "transient_error_rate": 0.0,
    "niterun": False,
    "quota_events_per_minute": 200,
    "quota_availability_per_hour": 3600,
    "captcha_required": False,
    "next_payment_decline": None,
    "hold_time": DEFAULT_HOLD_TIME,
    "token_lifetime": 3600,
    "commit_fault": None,
    "required_payment_fields": list(DEFAULT_REQUIRED_PAYMENT_FIELDS),
    "clock_offset_seconds": 0.0,
    "restrict_flags": {},
}
RESTRICT_FLAGS = ("seatLocationMapRestrict", "locRowSeatRestrict", "locXnumAddescRestrict")
# Keys that act once and are not stored as a setting.
ACTIONS = ("rotate_site_key", "now", "revoke_member_tokens")


def _int(key: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SandboxError(INVALID_INPUT, f"Scenario key {key} must be a whole number from {low} to {high}")
    return value


def _bool(key: str, value) -> bool:
    if not isinstance(value, bool):
        raise SandboxError(INVALID_INPUT, f"Scenario key {key} must be true or false")
    return value


def _validate(key: str, value):
    if key in ("force_polling_rounds",):
        return _int(key, value, 0, 100)
    if key == "polling_wait":
        return _int(key, value, 0, 600)
    if key == "latency_ms":
        return _int(key, value, 0, 60_000)
    if key in ("quota_events_per_minute", "quota_availability_per_hour"):
        return _int(key, value, 0, 10_000_000)
    if key == "hold_time":
        return _int(key, value, 1, 86_400)
    if key == "token_lifetime":
        return _int(key, value, 1, 86_400 * 30)
    if key in ("auto_polling", "niterun", "captcha_required", "rotate_site_key", "revoke_member_tokens"):
        return _bool(key, value)
    if key == "transient_error_rate":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise SandboxError(INVALID_INPUT, "Scenario key transient_error_rate must be a number from 0 to 1")
        return float(value)
    if key == "next_payment_decline":
        if value is not None and (isinstance(value, bool) or value not in DECLINE_CODES):
            raise SandboxError(INVALID_INPUT, "Scenario key next_payment_decline must be 20122, 20129, 20152 or null")
        return value
    if key == "commit_fault":
        if value is not None and value not in COMMIT_FAULTS:
            raise SandboxError(INVALID_INPUT, 'Scenario key commit_fault must be "drop", "502", "504" or null')
        return value
    if key == "required_payment_fields":
        if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 100 for v in value):
            raise SandboxError(INVALID_INPUT, "Scenario key required_payment_fields must be a list of field names")
        return list(value)
    if key == "clock_offset_seconds":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > 10 * 366 * 86_400:
            raise SandboxError(INVALID_INPUT, "Scenario key clock_offset_seconds must be a number of seconds")
        return float(value)
    if key == "restrict_flags":
        valid = isinstance(value, dict) and all(
            isinstance(event_id, str) and isinstance(flags, dict)
            and all(name in RESTRICT_FLAGS and isinstance(flag, bool) for name, flag in flags.items())
            for event_id, flags in value.items())
        if not valid:
            raise SandboxError(INVALID_INPUT, "Scenario key restrict_flags must map event ids to "
                                              "{" + ", ".join(f'"{n}": true|false' for n in RESTRICT_FLAGS) + "}")
        return {event_id: dict(flags) for event_id, flags in value.items()}
    if key == "now":
        if not isinstance(value, str):
            raise SandboxError(INVALID_INPUT, "Scenario key now must be an ISO-8601 date and time")
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise SandboxError(INVALID_INPUT, "Scenario key now must be an ISO-8601 date and time") from None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    raise SandboxError(INVALID_INPUT, f"Unknown scenario key {str(key)[:60]!r}")


class Scenario:
    """Current scenario values; thread-safe reads and validated, all-or-nothing merges."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values = dict(DEFAULTS)
        self._values["required_payment_fields"] = list(DEFAULT_REQUIRED_PAYMENT_FIELDS)

    def validate(self, changes) -> dict:
        if not isinstance(changes, dict):
            raise SandboxError(INVALID_INPUT, "Scenario must be a JSON object")
        return {key: _validate(key, value) for key, value in changes.items()}

    def apply(self, validated: dict) -> None:
        with self._lock:
            for key, value in validated.items():
                if key not in ACTIONS:
                    self._values[key] = value

    def reset(self) -> None:
        with self._lock:
            self._values = dict(DEFAULTS)
            self._values["required_payment_fields"] = list(DEFAULT_REQUIRED_PAYMENT_FIELDS)

    def get(self, key: str):
        with self._lock:
            return self._values[key]

    def take(self, key: str):
        """Read a once-only value (next_payment_decline, commit_fault) and clear it."""
        with self._lock:
            value = self._values[key]
            self._values[key] = None
            return value

    def snapshot(self) -> dict:
        with self._lock:
            values = dict(self._values)
        values["required_payment_fields"] = list(values["required_payment_fields"])
        values["restrict_flags"] = {k: dict(v) for k, v in values["restrict_flags"].items()}
        return values
