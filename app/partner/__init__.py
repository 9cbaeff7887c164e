"""The Ticketmaster Partner API client: asyncio + httpx, no Qt.

``PartnerClient`` (client.py) speaks the protocol of partner-api.md, with its parts as objects of
their own: ``payments`` (payments.py), ``resume`` (resume.py), ``oauth`` (oauth.py), all sending
through one ``RequestPath`` (requestpath.py: quota, 202 polling, 429 back-off, retries, error
mapping). ``PartnerConfig`` (config.py) says where and with which credentials; answers are models
(import them from ``app.partner.models``, the only public path) and failures are types (errors.py).
See each module's docstring for its one concern.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# httpx imports its command-line client (``httpx._main``) whenever click is installed — uvicorn, the
# sandbox's server, brings it — and that loads click and pygments only to find rich missing: 30-40 ms
# of start-up for a tool the app never runs. A ``None`` entry makes that import fail at once, and
# httpx then keeps its own stand-in for the tool (Python's documented meaning of ``None`` there).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from app.partner.client import PartnerClient
    from app.partner.config import PartnerConfig

# Loaded when first asked for (PEP 562): ``app.partner.masking`` alone — all the sandbox's process
# needs for its log — must not bring in the client and httpx (~80 ms of its start).
_EXPORTS = {"PartnerClient": "app.partner.client", "PartnerConfig": "app.partner.config"}
__all__ = ["PartnerClient", "PartnerConfig"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
