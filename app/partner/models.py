"""Typed, immutable views of the Partner API's JSON (partner-api.md sections 3 and 4): the one
import path for the client's models (``from app.partner.models import Cart``).

Every model is a frozen dataclass built by ``from_json``. The rules, everywhere:

- money is ``Decimal``, parsed through ``Decimal(str(x))`` so ``25.1`` never becomes a binary float;
- absent keys are normal (a badly set-up event lacks ``onsale``, an order ticket lacks
  ``barcode_id``): they become ``None``, ``0`` or an empty tuple, never a ``KeyError``;
- ids (events, ticket types, price levels, areas, places, billing methods) are kept as strings,
  so ``"000002040006"`` keeps its leading zeros; seat numbers are strings too;
- date-times are timezone-aware.

The models that carry card data or tokens (``CardDetails``, ``TokenSet``) mask them in ``repr``.
Request bodies the client sends are built by ``to_json`` methods on the request-side models.

The models live in private modules by topic — ``_models_events`` (inventory, details, event id),
``_models_captcha``,
``_models_availability``, ``_models_cart`` (reserve request, cart, shipping), ``_models_payment``
(certificate, card and its issuers, contact, billing methods, wallet, OAuth tokens),
``_models_orders`` (commit, orders) and ``_models_base`` (polling, quota, the parsing helpers) —
and only the names in ``__all__`` are public (``tests/partner/test_exported_members.py`` pins
them). Nothing outside ``app.partner`` imports a ``_models_*`` module.
"""

from __future__ import annotations

from app.partner._models_availability import (
    Availability,
    InventoryArea,
    InventoryRow,
    Offer,
    OfferCharge,
    TicketAvailability,
)
from app.partner._models_base import (
    PollingAnswer,
    PollingProgress,
    Quota,
    QuotaStatus,
    ServerError,
)
from app.partner._models_captcha import CaptchaInfo, CaptchaPage
from app.partner._models_cart import (
    Cart,
    CartArea,
    CartCharge,
    CartItem,
    CartTicket,
    ReserveRequest,
    SeatRef,
    ShippingOption,
    TicketRequest,
    Totals,
)
from app.partner._models_events import (
    Area,
    AreaGroup,
    EventDetails,
    EventNote,
    EventOffer,
    EventSummary,
    Presale,
    PriceDetail,
    PriceLevel,
    PriceRange,
    Quantities,
    TicketPrice,
    TicketType,
    Venue,
    VenueImage,
    event_id_from_json,
)
from app.partner._models_orders import (
    CommitResult,
    Order,
    OrderCharge,
    OrderDelivery,
    OrderTicket,
    UnredeemedOrder,
)
from app.partner._models_payment import (
    ISSUER_CODES,
    Address,
    BillingContact,
    BillingMethod,
    CardDetails,
    EncryptionCertificate,
    MemberInfo,
    TokenSet,
    WalletToken,
    issuer_code,
    mask_card_number,
)

__all__ = [
    "ISSUER_CODES",
    "Address",
    "Area",
    "AreaGroup",
    "Availability",
    "BillingContact",
    "BillingMethod",
    "CaptchaInfo",
    "CaptchaPage",
    "CardDetails",
    "Cart",
    "CartArea",
    "CartCharge",
    "CartItem",
    "CartTicket",
    "CommitResult",
    "EncryptionCertificate",
    "EventDetails",
    "EventNote",
    "EventOffer",
    "EventSummary",
    "InventoryArea",
    "InventoryRow",
    "MemberInfo",
    "Offer",
    "OfferCharge",
    "Order",
    "OrderCharge",
    "OrderDelivery",
    "OrderTicket",
    "PollingAnswer",
    "PollingProgress",
    "Presale",
    "PriceDetail",
    "PriceLevel",
    "PriceRange",
    "Quantities",
    "Quota",
    "QuotaStatus",
    "ReserveRequest",
    "SeatRef",
    "ServerError",
    "ShippingOption",
    "TicketAvailability",
    "TicketPrice",
    "TicketRequest",
    "TicketType",
    "TokenSet",
    "Totals",
    "UnredeemedOrder",
    "Venue",
    "VenueImage",
    "WalletToken",
    "event_id_from_json",
    "issuer_code",
    "mask_card_number",
]
