"""The Ticketmaster Partner API client: asyncio + httpx, no Qt.

``PartnerClient`` (client.py) speaks the protocol of partner-api.md, with its parts as objects of
their own: ``payments`` (payments.py), ``resume`` (resume.py), ``oauth`` (oauth.py), all sending
through one ``RequestPath`` (requestpath.py: quota, 202 polling, 429 back-off, retries, error
mapping). ``PartnerConfig`` (config.py) says where and with which credentials; answers are models
(import them from ``app.partner.models``, the only public path) and failures are types (errors.py).
See each module's docstring for its one concern.
"""

import sys

# httpx imports its command-line client (``httpx._main``) whenever click is installed — uvicorn, the
# sandbox's server, brings it — and that loads click and pygments only to find rich missing: 30-40 ms
# of start-up for a tool the app never runs. A ``None`` entry makes that import fail at once, and
# httpx then keeps its own stand-in for the tool (Python's documented meaning of ``None`` there).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from app.partner.client import PartnerClient  # noqa: E402  (after the line above)
from app.partner.config import PartnerConfig  # noqa: E402

__all__ = ["PartnerClient", "PartnerConfig"]
