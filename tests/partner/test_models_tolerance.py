"""Whatever JSON the service sends (missing keys, nulls, wrong kinds, absurd numbers), building
models never raises: odd values become None, zero or empty, and the caller decides what to tell
the cashier. Inputs are the documented examples with leaves replaced and keys dropped at random."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.partner.errormap import error_from_response
from app.partner.errors import PartnerError
from app.partner.models import (
    Availability,
    BillingMethod,
    CaptchaInfo,
    Cart,
    CommitResult,
    EventDetails,
    EventSummary,
    MemberInfo,
    Order,
    PollingAnswer,
    Quota,
    ReserveRequest,
    ShippingOption,
    TokenSet,
    UnredeemedOrder,
    WalletToken,
)

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "vectors"
PARSERS = {
    "availability.response.json": Availability.from_json,
    "captcha.response.json": CaptchaInfo.from_json,
    "commit.response.json": CommitResult.from_json,
    "event-details.response.json": EventDetails.from_json,
    "events-inventory.response.json": EventSummary.list_from_json,
    "member-billing-list.response.json": BillingMethod.list_from_json,
    "oauth-info.response.json": MemberInfo.from_json,
    "oauth-token.response.json": TokenSet.from_json,
    "order.response.json": Order.from_json,
    "polling.response.json": PollingAnswer.from_json,
    "reserve.request.json": ReserveRequest.from_json,
    "reserve.response.json": Cart.from_json,
    "shipping-options.response.json": ShippingOption.list_from_json,
    "unredeemed-orders.response.json": UnredeemedOrder.list_from_json,
    "wallet-token.response.json": WalletToken.from_json,
}
ODD = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                st.text(max_size=8), st.sampled_from(["", "NaN", "1e400", "-0", "25:61:00", "2015-13-45", "x/y"]),
                st.just([]), st.just({}), st.just([None]))


def _documents():
    if not VECTORS.is_dir():  # the vectors_dir fixture reports their absence in test_vectors.py
        return {}
    return {name: json.loads((VECTORS / name).read_text()) for name in PARSERS}


DOCUMENTS = _documents()


def mutate(draw, value):
    if isinstance(value, dict):
        return {k: mutate(draw, v) for k, v in value.items() if draw(st.integers(0, 9)) != 0}
    if isinstance(value, list):
        return [mutate(draw, v) for v in value[:3]]
    return draw(ODD) if draw(st.integers(0, 2)) == 0 else value


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_models_tolerate_mangled_documents(data):
    for name, document in DOCUMENTS.items():
        PARSERS[name](mutate(data.draw, document))


@given(st.dictionaries(st.sampled_from(["Ratelimit-Quota-Allowed", "Ratelimit-Quota-Used",
                                        "Ratelimit-Quota-Available", "Ratelimit-Expiry"]),
                       st.one_of(st.text(max_size=6), st.integers(-10**20, 10**20).map(str))))
def test_quota_headers_tolerate_anything(headers):
    quota = Quota.from_headers(headers)
    if quota is not None:
        assert quota.remaining is None or quota.remaining >= 0 or quota.available is not None


@given(st.integers(400, 599), st.one_of(ODD, st.fixed_dictionaries({"error": st.dictionaries(
    st.sampled_from(["message", "code", "http_code", "severity"]), ODD)})))
def test_any_error_answer_becomes_a_partner_error_with_a_sentence(status, body):
    error = error_from_response(status, body)
    assert isinstance(error, PartnerError) and error.user_message.strip()
