"""Small helpers every sandbox handler shares: size-limited bodies (JSON or raw), money, answers."""

from __future__ import annotations

import json
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import JSONResponse

from .errors import BODY_TOO_LARGE, INVALID_INPUT, SandboxError
from .jsonbody import SteppedJSONResponse
from .requestlog import MAX_BODY

CENT = Decimal("0.01")


def money(value: Decimal) -> float | int:
    """A Decimal amount as a JSON number with at most two decimals (57.39, 50)."""
    quantized = value.quantize(CENT)
    return int(quantized) if quantized == quantized.to_integral() else float(quantized)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The raw body, at most ``limit`` bytes: a larger one (declared or streamed) is refused (413)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise SandboxError(BODY_TOO_LARGE)
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > limit:
            raise SandboxError(BODY_TOO_LARGE)
    return bytes(raw)


async def read_json(request: Request, limit: int = MAX_BODY) -> dict:
    """The body (at most ``limit`` bytes) as a JSON object, or 10002 naming what is wrong with it."""
    raw = await read_body(request, limit)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SandboxError(INVALID_INPUT, "Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise SandboxError(INVALID_INPUT, "Request body must be a JSON object")
    return body


def query_int(request: Request, name: str, low: int = 0, high: int = 100_000) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise SandboxError(INVALID_INPUT, f"{name} must be a whole number from {low} to {high}")
    return int(value)


def as_int(value, name: str, low: int = 0, high: int = 1_000_000) -> int:
    """An integer from JSON that may arrive as a number or a digit string."""
    if isinstance(value, bool):
        raise SandboxError(INVALID_INPUT, f"{name} must be a whole number")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not low <= value <= high:
        raise SandboxError(INVALID_INPUT, f"{name} must be a whole number from {low} to {high}")
    return value


def as_str(value, name: str, max_length: int = 200) -> str:
    if not isinstance(value, str) or len(value) > max_length:
        raise SandboxError(INVALID_INPUT, f"{name} must be a string")
    return value


def ok(body, status: int = 200, headers: dict | None = None, *, in_steps: bool = False) -> JSONResponse:
    """The JSON answer; ``in_steps`` for the big ones (a stadium's availability), encoded value by
    value so the GIL passes to the window's thread meanwhile (``jsonbody``)."""
    if in_steps:
        return SteppedJSONResponse(body, status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)
