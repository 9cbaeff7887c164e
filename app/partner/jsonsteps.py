"""``json.loads`` in steps: a big answer decoded value by value, so the GIL passes between them.

``json.loads`` of a stadium's 1.5 MB availability answer is one C call that holds the GIL for
15–45 ms and freezes the GUI thread meanwhile, even when it runs on a worker thread.
``loads_in_steps(body, depth=N)`` walks the outer ``N`` levels in Python and hands every deeper
value to the C decoder on its own; its result and its errors (``json.JSONDecodeError``, message and
position) are exactly ``json.loads``'s. ``Availability.from_body`` uses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.decoder import JSONDecodeError
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
# The C string scanner json.loads itself uses (typeshed does not declare it).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _skip(s: str, i: int) -> int:
    """The index after the white space at ``i`` (the pattern matches the empty string too)."""
    space = _SPACE.match(s, i)
    return space.end() if space is not None else i


def loads_in_steps(body: bytes | str, *, depth: int) -> Any:
    """``json.loads(body)``, with objects and arrays less than ``depth`` levels deep walked in
    Python and every deeper value decoded by the C decoder on its own. The result and the errors
    (``json.JSONDecodeError``) are json.loads's; the GIL can pass to another thread between values.
    For an availability answer depth 5 makes each inventory row one step (event → tickets → ticket
    → inventory → row)."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode(json.detect_encoding(body), "surrogatepass")
    if body.startswith("\ufeff"):
        raise JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", body, 0)
    value, end = _value(body, _skip(body, 0), depth)
    end = _skip(body, end)
    if end != len(body):
        raise JSONDecodeError("Extra data", body, end)
    return value


def _value(s: str, i: int, depth: int) -> tuple[Any, int]:
    char = s[i:i + 1]
    if depth > 0 and char == "{":
        return _object(s, i + 1, depth - 1)
    if depth > 0 and char == "[":
        return _array(s, i + 1, depth - 1)
    try:
        return _DECODER.raw_decode(s, i)
    except StopIteration as stop:  # the C scanner's "no value here"
        raise JSONDecodeError("Expecting value", s, stop.value) from None


def _object(s: str, i: int, depth: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    i = _skip(s, i)
    if s[i:i + 1] == "}":
        return result, i + 1
    while True:
        if s[i:i + 1] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
        key, i = _scanstring(s, i + 1)
        i = _skip(s, i)
        if s[i:i + 1] != ":":
            raise JSONDecodeError("Expecting ':' delimiter", s, i)
        value, i = _value(s, _skip(s, i + 1), depth)
        result[key] = value
        i = _skip(s, i)
        char = s[i:i + 1]
        if char == "}":
            return result, i + 1
        if char != ",":
            raise JSONDecodeError("Expecting ',' delimiter", s, i)
        i = _skip(s, i + 1)


def _array(s: str, i: int, depth: int) -> tuple[list[Any], int]:
    result: list[Any] = []
    i = _skip(s, i)
    if s[i:i + 1] == "]":
        return result, i + 1
    while True:
        value, i = _value(s, i, depth)
        result.append(value)
        i = _skip(s, i)
        char = s[i:i + 1]
        if char == "]":
            return result, i + 1
        if char != ",":
            raise JSONDecodeError("Expecting ',' delimiter", s, i)
        i = _skip(s, i + 1)
