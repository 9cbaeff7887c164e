"""The session's exchanges with the service, kept for the request inspector: a bounded log that
observers can follow, a filter in a tester's words, and the two ways to take an exchange elsewhere —
a ``curl`` command line and a HAR 1.2 document (the format browsers' developer tools open).

Everything here works on ``Exchange`` records, which the HTTP layer masks before anyone sees them
(``app.partner.masking``): card numbers, CVVs, the API key, tokens and secrets never reach the log,
so they cannot reach a curl line or a HAR file either.
"""

from __future__ import annotations

import json
import shlex
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from app.partner.masking import Exchange

Observer = Callable[[Exchange], None]


class ExchangeLog:
    """The last ``limit`` exchanges, oldest first. ``subscribe`` returns the way to unsubscribe; an
    observer that raises is dropped from that call only (a broken inspector never breaks a sale).

    Nothing is recorded until ``start_recording()`` (the inspector does it when first shown): a
    cashier's station that never opens it spends nothing on parsing and masking bodies."""

    def __init__(self, limit: int = 500) -> None:
        self._items: deque[Exchange] = deque(maxlen=limit)
        self.recording_since: datetime | None = None
        self._observers: list[Observer] = []
        self._cleared: list[Callable[[], None]] = []

    @property
    def recording(self) -> bool:
        return self.recording_since is not None

    def start_recording(self) -> None:
        if self.recording_since is None:
            self.recording_since = datetime.now(UTC)

    def append(self, exchange: Exchange) -> None:
        self._items.append(exchange)
        for observer in list(self._observers):
            try:
                observer(exchange)
            except Exception:  # the observer's own fault, never the sale's
                continue

    def clear(self) -> None:
        self._items.clear()
        for callback in list(self._cleared):
            callback()

    def subscribe(self, observer: Observer, *, on_clear: Callable[[], None] | None = None) -> Callable[[], None]:
        self._observers.append(observer)
        if on_clear is not None:
            self._cleared.append(on_clear)

        def unsubscribe() -> None:
            if observer in self._observers:
                self._observers.remove(observer)
            if on_clear is not None and on_clear in self._cleared:
                self._cleared.remove(on_clear)

        return unsubscribe

    def __iter__(self) -> Iterator[Exchange]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def limit(self) -> int:
        return self._items.maxlen or 0


def outcome(exchange: Exchange) -> str:
    """``200``, or why there was no answer (``failed: NetworkUnreachable``)."""
    return str(exchange.status) if exchange.status is not None else f"failed: {exchange.error or 'no answer'}"


def matches(exchange: Exchange, query: str) -> bool:
    """Whether every word of ``query`` appears in the exchange's method, operation, URL or outcome
    (case-insensitive): ``"post 4"`` finds failed POSTs, ``"poll"`` the polling rounds."""
    haystack = " ".join((exchange.method, exchange.operation, exchange.url, outcome(exchange))).lower()
    return all(word in haystack for word in query.lower().split())


def body_text(value: Any) -> str:
    """A recorded body, pretty-printed (JSON) or as it was (text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def curl_command(exchange: Exchange) -> str:
    """The exchange as a ``curl`` command line, secrets as masked as in the log: a tester pastes it,
    puts the real key back, and replays the call."""
    parts = ["curl", "-X", exchange.method, shlex.quote(exchange.url)]
    for name, value in exchange.request_headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if exchange.request_json is not None:
        if not any(name.lower() == "content-type" for name in exchange.request_headers):
            parts += ["-H", shlex.quote("content-type: application/json")]
        parts += ["--data-raw", shlex.quote(json.dumps(exchange.request_json, ensure_ascii=False, default=str))]
    return " ".join(parts)


def _pairs(mapping: Any) -> list[dict[str, str]]:
    return [{"name": str(k), "value": str(v)} for k, v in dict(mapping or {}).items()]


def _query(url: str) -> list[dict[str, str]]:
    from urllib.parse import parse_qsl, urlsplit

    return [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)]


def har_entry(exchange: Exchange) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": exchange.method,
        "url": exchange.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _pairs(exchange.request_headers),
        "queryString": _query(exchange.url),
        "headersSize": -1,
        "bodySize": -1,
    }
    if exchange.request_json is not None:
        text = json.dumps(exchange.request_json, ensure_ascii=False, default=str)
        request["postData"] = {"mimeType": "application/json", "text": text}
        request["bodySize"] = len(text.encode())
    content_type = next((v for k, v in exchange.response_headers.items() if k.lower() == "content-type"), "")
    if exchange.response_json is not None:
        text = json.dumps(exchange.response_json, ensure_ascii=False, default=str)
        content_type = content_type or "application/json"
    else:
        text = exchange.response_text or ""
    response: dict[str, Any] = {
        "status": exchange.status or 0,
        "statusText": "" if exchange.status is not None else outcome(exchange),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _pairs(exchange.response_headers),
        "content": {"size": len(text.encode()), "mimeType": content_type, "text": text},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": len(text.encode()) if text else -1,
    }
    entry: dict[str, Any] = {
        "startedDateTime": exchange.started_at.isoformat(timespec="milliseconds"),
        "time": round(exchange.duration_ms, 3),
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": round(exchange.duration_ms, 3), "receive": 0},
        "comment": exchange.operation,
    }
    if exchange.error:
        entry["_error"] = exchange.error  # HAR's custom fields start with an underscore
    return entry


def har_document(exchanges: Iterable[Exchange], *, creator: str, version: str) -> dict[str, Any]:
    """A HAR 1.2 document of ``exchanges`` (already masked)."""
    return {"log": {"version": "1.2", "creator": {"name": creator, "version": version},
                    "entries": [har_entry(e) for e in exchanges]}}
