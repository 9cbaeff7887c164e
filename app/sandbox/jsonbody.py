"""Big JSON answers encoded in steps, so the sandbox never holds the GIL for one long stretch.

``json.dumps`` of a stadium's availability answer (1.5 MB) is one C call that holds the GIL for
~20 ms. The embedded sandbox runs on a thread of the window's process (``python -m app``), so
for that long the window could not paint or react (measured by ``benchmarks/gui_stall.py``).
``dumps_in_steps`` writes the same bytes ``JSONResponse`` would — compact separators, UTF-8 as is,
no NaN — but encodes containers down to ``depth`` levels one value at a time, and the GIL can pass
to another thread between values. ``SteppedJSONResponse`` is ``JSONResponse`` rendered that way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse

# What starlette's JSONResponse.render uses.
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode


def dumps_in_steps(value: Any, depth: int = 5) -> str:
    """``json.dumps(value)`` with JSONResponse's options, encoded value by value ``depth`` levels deep."""
    parts: list[str] = []
    _encode(value, depth, parts.append)
    return "".join(parts)


def _encode(value: Any, depth: int, out: Callable[[str], None]) -> None:
    if depth <= 0 or not isinstance(value, dict | list | tuple) or not value:
        out(_ENCODE(value))
    elif isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):  # json's key conversions: let it do them
            out(_ENCODE(value))
            return
        out("{")
        for index, (key, item) in enumerate(value.items()):
            out(("," if index else "") + _ENCODE(key) + ":")
            _encode(item, depth - 1, out)
        out("}")
    else:
        out("[")
        for index, item in enumerate(value):
            if index:
                out(",")
            _encode(item, depth - 1, out)
        out("]")


class SteppedJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps_in_steps(content).encode("utf-8")
