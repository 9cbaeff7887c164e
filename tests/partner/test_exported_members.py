"""``app.partner.models`` is the one import path for the client's models: its public names are
pinned here (adding or removing one is a decision, made in this list), every name is really
exported, and none of the private topic modules (``_models_*``) is imported outside app/partner."""

from __future__ import annotations

import ast
from pathlib import Path

import app.partner.models as models

ROOT = Path(__file__).resolve().parents[2]

PUBLIC = {
    # events and details (partner-api.md 3.1–3.3, 3.5)
    "Area", "AreaGroup", "CaptchaInfo", "CaptchaPage", "EventDetails", "EventOffer", "EventSummary", "Presale",
    "PriceDetail", "PriceLevel", "PriceRange", "Quantities", "TicketPrice", "TicketType", "Venue",
    "EventNote", "VenueImage",
    "event_id_from_json",
    # availability (3.4)
    "Availability", "InventoryArea", "InventoryRow", "Offer", "OfferCharge", "TicketAvailability",
    # reserve, cart, shipping (3.6, 3.7)
    "Cart", "CartArea", "CartCharge", "CartItem", "CartTicket", "ReserveRequest", "SeatRef", "ShippingOption",
    "TicketRequest", "Totals",
    # payment, members, wallet (3.8, 4): card issuers as the API names them
    "ISSUER_CODES", "Address", "BillingContact", "BillingMethod",
    "CardDetails", "EncryptionCertificate", "MemberInfo", "TokenSet", "WalletToken", "issuer_code",
    "mask_card_number",
    # commit and orders (3.9, 3.12, 3.13)
    "CommitResult", "Order", "OrderCharge", "OrderDelivery", "OrderTicket", "UnredeemedOrder",
    # polling, quota and server errors (2, 3.11)
    "PollingAnswer", "PollingProgress", "Quota", "QuotaStatus", "ServerError",
}


def test_the_public_names_are_exactly_these():
    assert set(models.__all__) == PUBLIC
    assert len(models.__all__) == len(PUBLIC)  # no name listed twice


def test_every_public_name_is_there_and_comes_from_the_partner_package():
    for name in models.__all__:
        member = getattr(models, name)
        module = getattr(member, "__module__", None)
        assert module is None or module.startswith("app.partner._models_"), (name, module)


def test_nothing_outside_app_partner_imports_a_private_models_module():
    offenders = []
    for path in [*ROOT.glob("app/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/**/*.py")]:
        if path.is_relative_to(ROOT / "app" / "partner"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if "._models_" in name]
    assert offenders == []
