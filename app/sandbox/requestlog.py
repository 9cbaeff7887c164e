"""The tester's request log and the outermost ASGI guard around every sandbox request.

``RequestLog`` keeps the most recent requests (time, method, path, masked query, status,
duration). ``GuardMiddleware`` records each request, refuses bodies over ``MAX_BODY`` before
they are read, and turns any exception a handler did not expect into the documented error body,
so no client ever sees a traceback. Query values that are secrets (api keys, tokens, codes) are
masked to their last four characters; ``cart_id`` and plain selectors are kept.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from .errors import BODY_TOO_LARGE, error_body, is_oauth_path, oauth_error_body

MAX_BODY = 64 * 1024
LOG_SIZE = 2000
_PLAIN_KEYS = {"cart_id", "event_id", "limit", "days_from_purchase", "days_before_event", "shared_id",
               "sub_id1", "sub_id2", "sub_id3", "response_type", "scope", "redirect_uri", "client_id", "callback"}
# Reading the log or the state is the tester looking, not traffic: it stays out of the log.
_UNLOGGED = {"/_sandbox/log", "/_sandbox/state"}
logger = logging.getLogger("app.sandbox")


def mask(value: str) -> str:
    return "••••" + value[-4:] if len(value) > 4 else "••••"


def masked_query(query: str) -> str:
    """The query string with every secret value masked, readable (not percent-encoded)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return "&".join(f"{k}={v if k in _PLAIN_KEYS else mask(v)}" for k, v in pairs)


def masked_path(path: str) -> str:
    """Tokens that travel in the path (``/oauth/info/<token>``) are masked too."""
    if path.startswith("/oauth/info/"):
        return "/oauth/info/" + mask(path[len("/oauth/info/"):])
    return path


class RequestLog:
    """Recent requests, secrets masked; with ``echo`` each one is also printed (standalone runs)."""

    def __init__(self, echo: bool = False) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=LOG_SIZE)
        self.echo = echo

    def add(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)
        if self.echo:
            query = "?" + entry["query"] if entry["query"] else ""
            print(f'{entry["time"]} {entry["method"]} {entry["path"]}{query} {entry["status"]} '
                  f'{entry["duration_ms"]} ms', flush=True)

    def recent(self, limit: int) -> list[dict]:
        with self._lock:
            entries = list(self._entries)
        return entries[-limit:] if limit > 0 else []

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class CommitDropped(Exception):
    """Raised after a commit was recorded, to make uvicorn drop the connection mid-answer."""


async def _send_json(send, status: int, body: dict) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def _too_large(path: str) -> dict:
    if is_oauth_path(path):
        return oauth_error_body("invalid_request", BODY_TOO_LARGE[0])
    return error_body(*BODY_TOO_LARGE)


class GuardMiddleware:
    def __init__(self, app, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0, "started": False}

        async def tracking_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
            await send(message)

        try:
            length = dict(scope.get("headers") or []).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
                await _send_json(tracking_send, 413, _too_large(scope.get("path", "")))
            else:
                await self.app(scope, _capped(receive), tracking_send)
        except CommitDropped:
            status["code"] = 0
            raise
        except BodyTooLarge:
            if not status["started"]:
                await _send_json(tracking_send, 413, _too_large(scope.get("path", "")))
        except Exception:  # the documented body instead of a traceback, whatever went wrong
            logger.exception("sandbox handler failed on %s %s", scope.get("method"), masked_path(scope.get("path", "")))
            if status["started"]:
                raise
            await _send_json(tracking_send, 400, error_body("Invalid input data type", 10002, 400))
        finally:
            if scope.get("path") not in _UNLOGGED:
                self.log.add({
                    "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    "method": scope.get("method", ""),
                    "path": masked_path(scope.get("path", "")),
                    "query": masked_query(scope.get("query_string", b"").decode("latin-1")),
                    "status": status["code"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                })


class BodyTooLarge(Exception):
    """A body without Content-Length grew past MAX_BODY while being read."""


def _capped(receive):
    """Stop reading a body without Content-Length once it passes MAX_BODY."""
    seen = {"bytes": 0}

    async def wrapped():
        message = await receive()
        if message["type"] == "http.request":
            seen["bytes"] += len(message.get("body", b""))
            if seen["bytes"] > MAX_BODY:
                raise BodyTooLarge()
        return message

    return wrapped
