"""The Ticketmaster Partner API client: asyncio + httpx, no Qt.

``PartnerClient`` (client.py) speaks the protocol of partner-api.md; ``PartnerConfig`` (config.py)
says where and with which credentials; answers are models (models.py) and failures are types
(errors.py). See each module's docstring for its one concern.
"""

from app.partner.client import PartnerClient
from app.partner.config import PartnerConfig

__all__ = ["PartnerClient", "PartnerConfig"]
