"""The sandbox partner account's whitelists, and a sample partner logo.

Upstream, a developer account whitelists the domain(s) captcha pages may be shown under and the
logo URLs the sign-in page may show (partner-api.md 3.5, 4 and 5). The sandbox keeps both in its
configuration (``SandboxConfig.captcha_domains`` and ``logo_hosts``), which the captcha and OAuth
services read on every request, so a change takes effect at once. ``Whitelist.apply(changes)``
validates every value first (host names only), then replaces the lists given; a reset of the
sandbox leaves the account as it is (an account is not fixture data).

Tester controls: ``GET /_sandbox/account`` shows the whitelists (and the registered redirect URIs),
``POST /_sandbox/account`` with ``{"captcha_domains": [...], "logo_hosts": [...]}`` replaces either
list (an empty list whitelists nothing). ``GET /_sandbox/logo.png`` is a small sample logo a tester
may use as the partner logo URL (whitelist ``127.0.0.1`` to see it on the sign-in page).
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .common import ok, read_json
from .config import SandboxConfig
from .errors import INVALID_INPUT, SandboxError

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")
LISTS = ("captcha_domains", "logo_hosts")
MAX_HOSTS = 20


class Whitelist:
    """The account's whitelists, kept in the sandbox's configuration (see the module docstring)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self._lock = threading.Lock()

    def view(self) -> dict:
        with self._lock:
            return {"captcha_domains": list(self.config.captcha_domains), "logo_hosts": list(self.config.logo_hosts),
                    "redirect_uris": list(self.config.redirect_uris)}

    def apply(self, changes: object) -> dict:
        """Replace the lists in ``changes`` after checking all of them; answers the account."""
        if not isinstance(changes, dict):
            raise SandboxError(INVALID_INPUT, "The account must be a JSON object")
        checked: dict[str, tuple[str, ...]] = {}
        for key, value in changes.items():
            if key not in LISTS:
                raise SandboxError(INVALID_INPUT, f"Unknown account key {str(key)[:60]!r}; use captcha_domains "
                                                  "or logo_hosts")
            if (not isinstance(value, list) or len(value) > MAX_HOSTS
                    or not all(isinstance(h, str) and _HOST.match(h.strip().lower()) for h in value)):
                raise SandboxError(INVALID_INPUT, f"Account key {key} must be a list of host names "
                                                  "such as boxoffice.example")
            checked[key] = tuple(dict.fromkeys(h.strip().lower() for h in value))
        with self._lock:
            if "captcha_domains" in checked:
                self.config.captcha_domains = checked["captcha_domains"]
            if "logo_hosts" in checked:
                self.config.logo_hosts = checked["logo_hosts"]
        return self.view()


def _png(width: int, height: int, pixel) -> bytes:
    """A truecolour PNG drawn by ``pixel(x, y) -> (r, g, b)`` (zlib and struct only)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


@cache
def sample_logo() -> bytes:
    """A 120×40 sample logo: a dark blue tile with a lighter ticket stub on it."""
    def pixel(x: int, y: int) -> tuple[int, int, int]:
        stub = 12 <= x <= 52 and 10 <= y <= 29 and not (x in (32, 33) and y % 4 < 2)
        return (120, 190, 255) if stub else (2, 72, 148)

    return _png(120, 40, pixel)


def routes(whitelist: Whitelist) -> list[Route]:
    async def account(request: Request) -> Response:
        if request.method == "GET":
            return ok(whitelist.view())
        return ok(whitelist.apply(await read_json(request)))

    async def logo(request: Request) -> Response:
        return Response(sample_logo(), media_type="image/png", headers={"Cache-Control": "no-store"})

    return [
        Route("/_sandbox/account", account, methods=["GET", "POST"]),
        Route("/_sandbox/logo.png", logo, methods=["GET"]),
    ]
