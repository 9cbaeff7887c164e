"""The Ticketmaster Partner API client: asyncio + httpx, no Qt.

``PartnerClient`` (client.py) speaks the protocol of partner-api.md, with its parts as objects of
their own: ``payments`` (payments.py), ``resume`` (resume.py), ``oauth`` (oauth.py), all sending
through one ``RequestPath`` (requestpath.py: quota, 202 polling, 429 back-off, retries, error
mapping). ``PartnerConfig`` (config.py) says where and with which credentials; answers are models
(import them from ``app.partner.models``, the only public path) and failures are types (errors.py).
See each module's docstring for its one concern.
"""

from app.partner.client import PartnerClient
from app.partner.config import PartnerConfig

__all__ = ["PartnerClient", "PartnerConfig"]
