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
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import billing, cart_api, catalog, controls, orders
from .config import SandboxConfig
from .context import SandboxContext
from .errors import METHOD_NOT_ALLOWED, NOT_FOUND, SandboxError, error_body
from .gate import make_partner_gate
from .requestlog import GuardMiddleware


async def _sandbox_error(request: Request, exc: SandboxError) -> JSONResponse:
    return exc.response()


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 405:
        message, code, status = METHOD_NOT_ALLOWED
    elif exc.status_code == 404:
        message, code, status = NOT_FOUND
    else:
        message, code, status = str(exc.detail), exc.status_code, exc.status_code
    return JSONResponse(error_body(message, code, status), status_code=status)


async def _index(request: Request) -> JSONResponse:
    base = str(request.base_url).rstrip("/")
    return JSONResponse({"name": "Box Office Partner API sandbox", "partner_base": base + "/partners/v1",
                         "oauth_base": base + "/oauth", "wallet_base": base + "/wallet/v1",
                         "controls": base + "/_sandbox/state"})


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
    app = Starlette(
        routes=routes,
        middleware=[Middleware(GuardMiddleware, log=context.log)],
        exception_handlers={SandboxError: _sandbox_error, HTTPException: _http_error},
    )
    # A trailing slash is a different path (404), as upstream: no 307 redirects to guess what was meant.
    app.router.redirect_slashes = False
    app.state.context = context
    return app
