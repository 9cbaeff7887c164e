"""The sandbox's captcha service: site key, challenge page, solution tokens.

``GET /partners/v1/captcha`` answers JSON (is a captcha required for this event, which site key)
or, for ``Accept: text/html``, a page on which a person ticks "I am not a robot" and answers a
small sum. The page asks the sandbox for a token (``POST /partners/v1/captcha/solve``, with
CORS for whitelisted origins only) and hands it to the widget callback named by
``data-callback``, whose default navigates to ``ticketmaster-g-recaptcha-response://<token>``.
A page loaded under a domain that is not whitelisted shows the real widget's invalid-domain
error instead. Tokens are mixed-case, single-use and expire after two minutes.
"""

from __future__ import annotations

import hashlib
import html
import json
import secrets
import string
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from importlib import resources
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .common import read_json
from .config import SandboxConfig
from .errors import INVALID_API_KEY, INVALID_INPUT, NOT_FOUND, SandboxError, error_body

TOKEN_PREFIX = "03A"
TOKEN_LIFETIME = timedelta(seconds=120)
CHALLENGE_LIFETIME = timedelta(minutes=10)
MAX_CHALLENGES = 2000
MAX_TOKENS = 5000
MAX_SOLVE_BODY = 4096
INVALID_DOMAIN = "ERROR for site owner: Invalid domain for site key"
INVALID_SITE_KEY = "ERROR for site owner: Invalid site key"
_TOKEN_ALPHABET = string.ascii_letters + string.digits + "_-"


def _new_token() -> str:
    """A reCAPTCHA-shaped token that always mixes upper and lower case letters."""
    while True:
        body = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(36))
        if any(c.islower() for c in body) and any(c.isupper() for c in body):
            return TOKEN_PREFIX + body


def _hostname_of(origin: str | None) -> str | None:
    if not origin:
        return None
    try:
        return (urlsplit(origin).hostname or "").lower() or None
    except ValueError:
        return None


class CaptchaService:
    """Issues challenges and single-use tokens; ``verify_and_consume`` is what reserve calls."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock
        self._lock = threading.Lock()
        self._rotation = 0
        self._required_lookup: Callable[[str], bool | None] = lambda event_id: False
        self._gate: Callable[[Request], Awaitable[object]] = self._check_api_key
        self._challenges: OrderedDict[str, tuple[int, datetime]] = OrderedDict()
        self._tokens: OrderedDict[str, datetime] = OrderedDict()
        self._template = (
            resources.files("app.sandbox").joinpath("templates").joinpath("captcha.html").read_text("utf-8")
        )

    # ----- what the rest of the sandbox uses -------------------------------------------------
    @property
    def site_key(self) -> str:
        seed = f"boxoffice-sandbox-site-key:{self.config.seed}:{self._rotation}"
        return hashlib.sha256(seed.encode()).hexdigest()[:32]

    def rotate_site_key(self) -> str:
        with self._lock:
            self._rotation += 1
        return self.site_key

    def set_required_lookup(self, fn: Callable[[str], bool | None]) -> None:
        """``fn(event_id)`` → True/False, or None when the event is unknown."""
        self._required_lookup = fn

    def set_gate(self, gate: Callable[[Request], Awaitable[object]]) -> None:
        """``await gate(request)`` runs first on GET /captcha, as on every Partner API call: it checks
        the api key and applies the scenario's latency and transient faults, raising SandboxError."""
        self._gate = gate

    async def _check_api_key(self, request: Request) -> None:
        if request.query_params.get("apikey") not in self.config.api_keys:
            raise SandboxError(INVALID_API_KEY)

    def reset(self) -> None:
        with self._lock:
            self._rotation = 0
            self._challenges.clear()
            self._tokens.clear()

    def verify_and_consume(self, token: str) -> bool:
        """True once for a token this service issued and that has not expired; exact case."""
        if not isinstance(token, str) or not token:
            return False
        with self._lock:
            expires = self._tokens.pop(token, None)
        return expires is not None and self.clock() < expires

    def issue_token(self) -> str:
        token = _new_token()
        with self._lock:
            self._tokens[token] = self.clock() + TOKEN_LIFETIME
            while len(self._tokens) > MAX_TOKENS:
                self._tokens.popitem(last=False)
        return token

    def routes(self) -> list[Route]:
        return [
            Route("/partners/v1/captcha", self._captcha, methods=["GET"]),
            Route("/partners/v1/captcha/anchor", self._anchor, methods=["GET"]),
            Route("/partners/v1/captcha/solve", self._solve, methods=["POST", "OPTIONS"]),
        ]

    # ----- challenges -------------------------------------------------------------------------
    def _new_challenge(self) -> tuple[str, int, int]:
        a, b = 2 + secrets.randbelow(8), 2 + secrets.randbelow(8)
        challenge_id = secrets.token_urlsafe(18)
        with self._lock:
            self._challenges[challenge_id] = (a + b, self.clock() + CHALLENGE_LIFETIME)
            while len(self._challenges) > MAX_CHALLENGES:
                self._challenges.popitem(last=False)
        return challenge_id, a, b

    def _take_challenge(self, challenge_id: str) -> int | None:
        with self._lock:
            entry = self._challenges.pop(challenge_id, None)
        if entry is None or self.clock() >= entry[1]:
            return None
        return entry[0]

    # ----- GET /partners/v1/captcha ----------------------------------------------------------
    async def _captcha(self, request: Request) -> Response:
        try:
            await self._gate(request)
            event_id = request.query_params.get("event_id", "")
            if not event_id:
                raise SandboxError(INVALID_INPUT, "event_id is required")
            required = self._required_lookup(event_id)
            if required is None:
                raise SandboxError(NOT_FOUND, f"Unknown event {event_id[:40]}")
        except SandboxError as exc:
            return exc.response()
        challenge_id, a, b = self._new_challenge()
        site_key = self.site_key
        headers = {
            "X-TM-CAPTCHA-REQUIRED": "true" if required else "false",
            "X-TM-CAPTCHA-V2-SITEKEY": site_key,
            "X-TM-CAPTCHA-V2-STOKEN": challenge_id,
            "Cache-Control": "no-store",
        }
        if _wants_html(request.headers.get("accept", "")):
            page = self._render_page(request, site_key, challenge_id, a, b)
            return HTMLResponse(page, headers=headers)
        body = {"captcha_required": bool(required), "captcha_details": {"type": 2, "site_key": site_key}}
        return JSONResponse(body, headers=headers)

    def _render_page(self, request: Request, site_key: str, challenge_id: str, a: int, b: int) -> str:
        base = str(request.base_url).rstrip("/")
        callback = request.query_params.get("callback", "callback")
        if not callback.isidentifier():
            callback = "callback"
        settings = {
            "solveUrl": base + "/partners/v1/captcha/solve",
            "anchorUrl": base + "/partners/v1/captcha/anchor",
            "challenge": challenge_id,
        }
        values = {
            "SITE_KEY": html.escape(site_key),
            "CALLBACK": html.escape(callback),
            "QUESTION": f"{a} + {b}",
            # JSON inside <script>: make sure no "</script>" can close the element early.
            "SETTINGS": json.dumps(settings).replace("<", "\\u003c"),
        }
        return string.Template(self._template).substitute(values)

    # ----- GET /partners/v1/captcha/anchor: may this origin use this site key? ---------------
    async def _anchor(self, request: Request) -> Response:
        hostname = (request.query_params.get("co") or "").lower()
        key = request.query_params.get("k", "")
        if key != self.site_key:
            body = {"ok": False, "error": INVALID_SITE_KEY}
        elif hostname not in self._domains():
            body = {"ok": False, "error": INVALID_DOMAIN}
        else:
            body = {"ok": True}
        return JSONResponse(body, headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"})

    # ----- POST /partners/v1/captcha/solve ---------------------------------------------------
    def _domains(self) -> set[str]:
        return {d.lower() for d in self.config.captcha_domains}

    def _cors_headers(self, request: Request) -> dict[str, str]:
        origin = request.headers.get("origin")
        if _hostname_of(origin) not in self._domains():
            return {}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Allow-Private-Network": "true",
            "Access-Control-Max-Age": "600",
            "Vary": "Origin",
        }

    async def _solve(self, request: Request) -> Response:
        cors = self._cors_headers(request)
        if request.method == "OPTIONS":  # the browser's preflight: this origin may use the captcha, or why not
            if cors:
                return Response(status_code=204, headers=cors)
            return JSONResponse(
                error_body(f"{INVALID_DOMAIN}: this origin may not use the captcha", 10004, 403), status_code=403
            )
        try:
            body = await read_json(request, MAX_SOLVE_BODY)
            challenge_id, answer = body.get("challenge"), body.get("answer")
            site_key, hostname = body.get("site_key"), body.get("hostname")
            if not all(isinstance(v, str) for v in (challenge_id, answer, site_key, hostname)):
                raise SandboxError(INVALID_INPUT, "challenge, answer, site_key and hostname must be strings")
        except SandboxError as exc:
            response = exc.response()
            response.headers.update(cors)
            return response
        origin_host = _hostname_of(request.headers.get("origin"))
        hostname = hostname.lower()
        if hostname not in self._domains() or (origin_host is not None and origin_host != hostname):
            return _solve_refusal(INVALID_DOMAIN, 401, cors)
        if site_key != self.site_key:
            return _solve_refusal(INVALID_SITE_KEY, 401, cors)
        expected = self._take_challenge(challenge_id)
        if expected is None:
            return _solve_refusal("This challenge has expired. Reload the page for a new one.", 400, cors)
        if answer.strip() != str(expected):
            new_id, a, b = self._new_challenge()
            body = error_body("That answer is not right. Please try the new sum.", 10031, 400)
            body["challenge"] = {"id": new_id, "question": f"{a} + {b}"}
            return JSONResponse(body, status_code=400, headers=cors)
        return JSONResponse({"token": self.issue_token()}, headers=cors)


def _solve_refusal(message: str, status: int, cors: dict[str, str]) -> JSONResponse:
    """401/10004 for a page that may not use this site key; 400/10031 for a bad solution."""
    return JSONResponse(
        error_body(message, 10004 if status == 401 else 10031, status), status_code=status, headers=cors
    )


def _wants_html(accept: str) -> bool:
    """HTML only when the client asks for it ahead of JSON (browsers, the app's web view)."""
    best_html = best_json = -1.0
    for part in accept.lower().split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media.strip() == "text/html":
            best_html = max(best_html, q)
        elif media.strip() in ("application/json", "application/*"):
            best_json = max(best_json, q)
    return best_html > 0 and best_html >= best_json
