"""Request quotas with the documented ``Ratelimit-*`` headers.

``/events`` and ``/events/{id}`` share 200 requests a minute per client IP (headers Allowed, Used,
Expiry); ``/events/{id}/availability`` allows 3600 an hour per API key (Allowed, Available,
Expiry): one budget for the key, shared by every station and connection that uses it, whatever
event it asks about. Windows are fixed, start with the first request and run on the sandbox clock
(so a test can move past one); Expiry is the window's end in real UTC epoch milliseconds, which is
what a client compares with its own clock. Past the limit the answer is 429 with the same headers.
``snapshot`` is what the tester controls show of each window (keys masked).
"""

from __future__ import annotations

import threading

from .errors import TOO_MANY_REQUESTS, SandboxError

EVENTS_WINDOW = 60
AVAILABILITY_WINDOW = 3600


class Quotas:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], list[float]] = {}  # key -> [window start, used]

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def snapshot(self, bucket: str, limit: int, now: float, mask) -> list[dict]:
        """The live windows of ``bucket``: masked key, used, left and seconds until the window ends."""
        with self._lock:
            windows = [(key, entry[0], int(entry[1])) for (kind, key), entry in self._windows.items()
                       if kind == bucket]
        window = EVENTS_WINDOW if bucket == "events" else AVAILABILITY_WINDOW
        return [{"key": mask(key), "allowed": limit, "used": used, "available": max(0, limit - used),
                 "resets_in": round(start + window - now, 1)}
                for key, start, used in windows if start <= now < start + window]

    def _count(
        self, bucket: str, key: str, limit: int, window: int, now: float, offset: float
    ) -> tuple[int, int, bool]:
        with self._lock:
            entry = self._windows.get((bucket, key))
            if entry is None or now >= entry[0] + window or now < entry[0] - window:
                entry = [now, 0]
                self._windows[(bucket, key)] = entry
            allowed = entry[1] < limit
            if allowed:
                entry[1] += 1
            return int(entry[1]), int((entry[0] + window - offset) * 1000), allowed

    def events(self, client_ip: str, limit: int, now: float, offset: float) -> dict[str, str]:
        used, expiry, allowed = self._count("events", client_ip, limit, EVENTS_WINDOW, now, offset)
        headers = {
            "Ratelimit-Quota-Allowed": str(limit),
            "Ratelimit-Quota-Used": str(used),
            "Ratelimit-Expiry": str(expiry),
        }
        if not allowed:
            headers["Retry-After"] = str(max(1, int(expiry / 1000 - (now - offset)) + 1))
            raise SandboxError(TOO_MANY_REQUESTS, headers=headers)
        return headers

    def availability(self, api_key: str, limit: int, now: float, offset: float) -> dict[str, str]:
        used, expiry, allowed = self._count("availability", api_key, limit, AVAILABILITY_WINDOW, now, offset)
        headers = {
            "Ratelimit-Quota-Allowed": str(limit),
            "Ratelimit-Quota-Available": str(max(0, limit - used)),
            "Ratelimit-Expiry": str(expiry),
        }
        if not allowed:
            headers["Retry-After"] = str(max(1, int(expiry / 1000 - (now - offset)) + 1))
            raise SandboxError(TOO_MANY_REQUESTS, headers=headers)
        return headers
