"""The sandbox's Starlette application: every route, the documented error body for every failure.

``build_app(config)`` (or ``build_app(config, context)``) assembles the Partner API (catalog,
carts, billing, orders, polling), the captcha, OAuth and wallet services and the tester controls
over one shared ``SandboxContext``.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import account, billing, cart_api, catalog, controls, orders
from .config import SandboxConfig
from .context import SandboxContext
from .errors import METHOD_NOT_ALLOWED, NOT_FOUND, SandboxError, error_body, is_oauth_path
from .gate import make_partner_gate
from .oauth import OAuthFailure
from .requestlog import GuardMiddleware


async def _sandbox_error(request: Request, exc: SandboxError) -> JSONResponse:
    if is_oauth_path(request.url.path):  # the OAuth service answers in its own error shape
        return OAuthFailure.for_status(exc.kind[2], exc.message or exc.kind[0]).response(exc.headers)
    return exc.response()


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """404/405 and the like: the documented body (OAuth's shape under /oauth/); OPTIONS on a route
    that does not handle it itself answers what the route allows."""
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and request.method == "OPTIONS":
        allowed = [m.strip() for m in headers.get("Allow", "").split(",") if m.strip()]
        return Response(status_code=204, headers={"Allow": ", ".join([*allowed, "OPTIONS"])})
    if exc.status_code == 405:
        message, code, status = METHOD_NOT_ALLOWED
        headers["Allow"] = ", ".join(
            [m.strip() for m in headers.get("Allow", "").split(",") if m.strip()] + ["OPTIONS"]
        )
    elif exc.status_code == 404:
        message, code, status = NOT_FOUND
    else:
        message, code, status = str(exc.detail), exc.status_code, exc.status_code
    if is_oauth_path(request.url.path):
        words = {
            405: f"{request.method} is not allowed here; use {headers.get('Allow', 'another method')}.",
            404: "There is no such OAuth endpoint.",
        }.get(status, message)
        return OAuthFailure.for_status(status, words).response(headers)
    return JSONResponse(error_body(message, code, status), status_code=status, headers=headers)


async def _index(request: Request) -> JSONResponse:
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "name": "Box Office Partner API sandbox",
            "partner_base": base + "/partners/v1",
            "oauth_base": base + "/oauth",
            "wallet_base": base + "/wallet/v1",
            "controls": base + "/_sandbox/state",
        }
    )


def build_app(config: SandboxConfig | None = None, context: SandboxContext | None = None) -> Starlette:
    context = context or SandboxContext(config or SandboxConfig())
    partner = make_partner_gate(context)
    context.captcha.set_gate(partner)  # captcha calls get the api key check, latency and transient faults too
    routes = [Route("/", _index, methods=["GET"])]
    routes += catalog.routes(context, partner)
    routes += cart_api.routes(context, partner)
    routes += billing.routes(context, partner)
    routes += orders.routes(context, partner)
    routes += context.captcha.routes()
    routes += context.oauth.routes()
    routes += context.wallet.routes()
    routes += controls.routes(context)
    routes += account.routes(context.whitelist)
    app = Starlette(
        routes=routes,
        middleware=[Middleware(GuardMiddleware, log=context.log)],
        exception_handlers={SandboxError: _sandbox_error, HTTPException: _http_error},
    )
    # A trailing slash is a different path (404), as upstream: no 307 redirects to guess what was meant.
    app.router.redirect_slashes = False
    app.state.context = context
    return app
