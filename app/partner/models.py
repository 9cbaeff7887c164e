"""Typed, immutable views of the Partner API's JSON (partner-api.md sections 3 and 4).

Every model is a frozen dataclass built by ``from_json``. The rules, everywhere:

- money is ``Decimal``, parsed through ``Decimal(str(x))`` so ``25.1`` never becomes a binary float;
- absent keys are normal (a badly set-up event lacks ``onsale``, an order ticket lacks
  ``barcode_id``): they become ``None``, ``0`` or an empty tuple, never a ``KeyError``;
- ids (events, ticket types, price levels, areas, places, billing methods) are kept as strings,
  so ``"000002040006"`` keeps its leading zeros; seat numbers are strings too;
- date-times are timezone-aware.

The models that carry card data or tokens (``CardDetails``, ``TokenSet``) mask them in ``repr``.
Request bodies the client sends are built by ``to_json`` methods on the request-side models.
Bigger groups live in their own modules and are re-exported here: event, availability and cart
views in ``models_events``/``models_cart``; payment, order and member views in ``models_payment``.
"""

from __future__ import annotations

from app.partner.models_base import (
    PollingAnswer,
    PollingProgress,
    Quota,
    QuotaStatus,
    ServerError,
    money,
    money_or_none,
    parse_instant,
)
from app.partner.models_cart import (
    Cart,
    CartArea,
    CartCharge,
    CartItem,
    CartTicket,
    ReserveRequest,
    ShippingOption,
    TicketRequest,
    Totals,
)
from app.partner.models_events import (
    Area,
    AreaGroup,
    Availability,
    CaptchaInfo,
    CaptchaPage,
    EventDetails,
    EventOffer,
    EventSummary,
    InventoryArea,
    InventoryRow,
    Offer,
    OfferCharge,
    PriceDetail,
    PriceLevel,
    PriceRange,
    Presale,
    Quantities,
    TicketAvailability,
    TicketPrice,
    TicketType,
    Venue,
    event_id_from_json,
)
from app.partner.models_payment import (
    Address,
    BillingContact,
    BillingMethod,
    CardDetails,
    CommitResult,
    EncryptionCertificate,
    MemberInfo,
    Order,
    OrderCharge,
    OrderDelivery,
    OrderTicket,
    TokenSet,
    UnredeemedOrder,
    WalletToken,
    card_issuer_for,
    mask_card_number,
)

__all__ = [
    "Address", "Area", "AreaGroup", "Availability", "BillingContact", "BillingMethod",
    "CaptchaInfo", "CaptchaPage", "CardDetails", "Cart", "CartArea", "CartCharge", "CartItem",
    "CartTicket", "CommitResult", "EncryptionCertificate", "EventDetails", "EventOffer",
    "EventSummary", "InventoryArea", "InventoryRow", "MemberInfo", "Offer", "OfferCharge", "Order",
    "OrderCharge", "OrderDelivery", "OrderTicket", "PollingAnswer", "PollingProgress", "PriceDetail",
    "PriceLevel", "PriceRange", "Presale", "Quantities", "Quota", "QuotaStatus", "ReserveRequest",
    "ServerError", "ShippingOption", "TicketAvailability", "TicketPrice", "TicketRequest",
    "TicketType", "TokenSet", "Totals", "UnredeemedOrder", "Venue", "WalletToken",
    "card_issuer_for", "event_id_from_json", "mask_card_number", "money", "money_or_none",
    "parse_instant",
]
