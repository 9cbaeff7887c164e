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
The models live in small modules by topic and are all re-exported here (import from
``app.partner.models``): ``models_events`` (inventory, details, captcha), ``models_availability``,
``models_cart`` (reserve request, cart, shipping), ``models_payment`` (certificate, card, contact,
billing methods, wallet, OAuth tokens), ``models_orders`` (commit, orders) and ``models_base``.
"""

from __future__ import annotations

from app.partner.models_availability import (
    Availability,
    InventoryArea,
    InventoryRow,
    Offer,
    OfferCharge,
    TicketAvailability,
)
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
    SeatRef,
    ShippingOption,
    TicketRequest,
    Totals,
)
from app.partner.models_events import (
    Area,
    AreaGroup,
    CaptchaInfo,
    CaptchaPage,
    EventDetails,
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
    event_id_from_json,
)
from app.partner.models_orders import (
    CommitResult,
    Order,
    OrderCharge,
    OrderDelivery,
    OrderTicket,
    UnredeemedOrder,
)
from app.partner.models_payment import (
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
    "WalletToken",
    "event_id_from_json",
    "issuer_code",
    "mask_card_number",
    "money",
    "money_or_none",
    "parse_instant",
]
