"""Property-based robustness: whatever arrives at any sandbox endpoint, the answer is documented.

Hypothesis throws malformed JSON, wrong types, mutated documented bodies, unknown ids and odd
query strings at every route of the sandbox (Partner API, captcha, OAuth, wallet, tester
controls). Accepted answers: a success, or an error in the documented body with a documented
(HTTP status, code) pair — the OAuth token endpoint in the standard OAuth error shape, the OAuth
pages as HTML error pages. Never a 500, never a traceback, never a redirect to an unregistered URI.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

KEY = "sandbox-api-key"
REDIRECT = "http://localhost/oauth/callback"
OPEN_EVENT = "000051048D991EE7"
EVENT_IDS = ["000051048D991EE7", "1AeZZfEGkD0xtGV", "2000527EE48A9334", "3B00C4A7C0DE0001", "3B00NOAPI0000002",
             "3B00HIDDEN000003", "3B00GENADMIT0006"]
# (HTTP status, code) pairs of partner-api.md section 1 and the sandbox README's project choices.
DOCUMENTED = {(401, 10004), (400, 10031), (403, 90001), (400, 20052), (400, 20046), (400, 10161), (400, 20122),
              (400, 20152), (400, 20129), (400, 90003), (400, 10104), (503, 20001), (502, 502), (504, 504),
              (400, 10002), (400, 10001), (429, 429), (409, 10009), (404, 404), (405, 405), (400, 10010),
              (413, 10002)}
FUZZ = settings(max_examples=50, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

# ----- strategies ----------------------------------------------------------------------------------

texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
path_ids = st.sampled_from(EVENT_IDS) | texts.filter(lambda s: s.strip(". ") != "").map(lambda s: quote(s, safe=""))


def _paths(doc, prefix=()):
    """Every (container, key) in a JSON document, for mutation."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


@st.composite
def mutated(draw, template: dict) -> dict:
    """A documented body with a few values replaced by any JSON value, or removed."""
    doc = copy.deepcopy(template)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(doc))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return doc


def json_bodies(template: dict | None) -> st.SearchStrategy[bytes]:
    shapes = [st.binary(max_size=200), texts.map(str.encode), json_values.map(lambda v: json.dumps(v).encode())]
    if template is not None:
        shapes.append(mutated(template).map(lambda v: json.dumps(v).encode()))
        shapes.append(mutated(template).map(lambda v: json.dumps(v).encode()))
    return st.one_of(shapes)


def form_bodies(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[bytes]:
    values = st.fixed_dictionaries({}, optional={k: v for k, v in fields.items()})
    return st.one_of(values.map(lambda d: urlencode(d).encode()), st.binary(max_size=200))


def maybe(valid, fuzz=texts):
    return st.one_of(st.just(valid), st.just(valid), fuzz)


# ----- endpoints -----------------------------------------------------------------------------------

@dataclass
class Endpoint:
    name: str
    method: str
    path: str  # may hold {event}, {id} placeholders filled from path_ids
    query: dict = field(default_factory=dict)  # key → strategy ("apikey" gets a mostly-valid key)
    body: str | None = None  # "json:<vector>", "json", "form:<kind>"
    kind: str = "json"  # json | oauth | page | authorize


ENDPOINTS = [
    Endpoint("events", "GET", "/partners/v1/events", {"apikey": KEY}),
    Endpoint("event-details", "GET", "/partners/v1/events/{event}", {"apikey": KEY}),
    Endpoint("event-id", "GET", "/partners/v1/events/{id}/{id}/id", {"apikey": KEY}),
    Endpoint("availability", "GET", "/partners/v1/events/{event}/availability", {"apikey": KEY}),
    Endpoint("certificate", "GET", "/partners/v1/certificate", {"apikey": KEY, "x": ""}),
    Endpoint("reserve", "POST", "/partners/v1/events/{event}/cart", {"apikey": KEY}, "json:reserve.request.json"),
    Endpoint("commit", "PUT", "/partners/v1/events/{event}/cart", {"apikey": KEY}, "json:commit.request.json"),
    Endpoint(
        "commit-wrong-method", "PATCH", "/partners/v1/events/{event}/cart", {"apikey": KEY}, "json:commit.request.json"
    ),
    Endpoint("delete", "DELETE", "/partners/v1/events/{event}/cart", {"apikey": KEY, "cart_id": "CART"}),
    Endpoint(
        "shipping-options", "GET", "/partners/v1/events/{event}/cart/shipping", {"apikey": KEY, "cart_id": "CART"}
    ),
    Endpoint(
        "shipping-select",
        "PUT",
        "/partners/v1/events/{event}/cart/shipping",
        {"apikey": KEY, "cart_id": "CART"},
        "json:shipping-select.request.json",
    ),
    Endpoint(
        "payment-card",
        "PUT",
        "/partners/v1/events/{event}/cart/payment",
        {"apikey": KEY},
        "json:payment-card.request.json",
    ),
    Endpoint(
        "payment-wallet",
        "PUT",
        "/partners/v1/events/{event}/cart/payment",
        {"apikey": KEY},
        "json:payment-wallet.request.json",
    ),
    Endpoint(
        "payment-member",
        "PUT",
        "/partners/v1/events/{event}/cart/payment",
        {"apikey": KEY},
        "json:payment-member.request.json",
    ),
    Endpoint("polling", "GET", "/partners/v1/polling/{id}/{id}", {"apikey": KEY, "cart_id": "CART"}),
    Endpoint("member-billing", "GET", "/partners/v1/member/billing", {"apikey": KEY, "cart_id": "CART"}),
    Endpoint(
        "member-billing-add",
        "POST",
        "/partners/v1/member/billing",
        {"apikey": KEY},
        "json:member-billing-add.request.json",
    ),
    Endpoint("order", "GET", "/partners/v1/orders", {"apikey": KEY, "order_token": ""}),
    Endpoint(
        "unredeemed",
        "GET",
        "/partners/v1/orders/unredeemed",
        {"apikey": KEY, "days_from_purchase": "3", "days_before_event": "3"},
    ),
    Endpoint("tracking", "GET", "/partners/v1/tracking", {"apikey": KEY, "event_id": OPEN_EVENT, "shared_id": "1"}),
    Endpoint("redeem", "GET", "/redeem", {"token": ""}, kind="page"),
    Endpoint("captcha", "GET", "/partners/v1/captcha", {"apikey": KEY, "event_id": OPEN_EVENT}),
    Endpoint("captcha-anchor", "GET", "/partners/v1/captcha/anchor", {"k": "", "co": "boxoffice.example"}),
    Endpoint("captcha-solve", "POST", "/partners/v1/captcha/solve", {}, "json:captcha-solve"),
    Endpoint(
        "oauth-authorize",
        "GET",
        "/oauth/authorize",
        {
            "client_id": "sandbox-client",
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": "s",
            "scope": "all",
            "logo_url": "https://boxoffice.example/l.png",
            "code_challenge": "",
            "code_challenge_method": "S256",
        },
        kind="authorize",
    ),
    Endpoint("oauth-signin", "POST", "/oauth/signin", {}, "form:signin", kind="page"),
    Endpoint("oauth-consent", "POST", "/oauth/consent", {}, "form:consent", kind="page"),
    Endpoint("oauth-token", "POST", "/oauth/token", {}, "form:token", kind="oauth"),
    Endpoint("oauth-info", "GET", "/oauth/info/{id}", {}),
    Endpoint("wallet-token", "POST", "/wallet/v1/token", {"apiKey": KEY}, "json:wallet-token.request.json"),
    Endpoint("controls-log", "GET", "/_sandbox/log", {"limit": "5"}),
    Endpoint("controls-state", "GET", "/_sandbox/state", {"x": ""}),
    Endpoint("controls-scenario", "POST", "/_sandbox/scenario", {}, "json:scenario"),
]

SCENARIO_TEMPLATE = {
    "force_polling_rounds": 1,
    "polling_wait": 0,
    "auto_polling": False,
    "niterun": False,
    "captcha_required": False,
    "hold_time": 299,
    "token_lifetime": 3600,
    "next_payment_decline": 20122,
    "commit_fault": "drop",
    "required_payment_fields": ["email_address"],
    "transient_error_rate": 0,
    "quota_events_per_minute": 200,
    "clock_offset_seconds": 0,
    "now": "2026-01-01T12:00:00Z",
    "rotate_site_key": False,
}
ascii_texts = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(str.strip)


# ----- a live cart, member and captcha challenge, so mutated bodies reach deep validation ------------


@dataclass
class Live:
    http: httpx.Client
    control: object
    cart_id: str
    ticket_type: str
    access_token: str
    refresh_token: str
    pending: str
    challenge: str
    site_key: str


def _oauth_pending(http: httpx.Client) -> str:
    page = http.get(
        "/oauth/authorize",
        params={"client_id": "sandbox-client", "redirect_uri": REDIRECT, "response_type": "code", "state": "s"},
    )
    return re.search(r'name="pending" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def live(fresh_sandbox, sandbox_control):
    local = datetime.now(ZoneInfo("America/New_York"))
    if local.hour < 2:  # keep the open event out of its nightly maintenance window
        sandbox_control.scenario(clock_offset_seconds=(2 - local.hour) * 3600 - local.minute * 60 + 300)
    with httpx.Client(base_url=fresh_sandbox.base_url, timeout=30, follow_redirects=False) as http:
        key = {"apikey": KEY}
        offer = http.get(f"/partners/v1/events/{OPEN_EVENT}/availability", params=key).json()
        ticket_type = offer["event"]["tickets"][0]["offers"][0]["ticketTypeId"]
        cart = http.post(
            f"/partners/v1/events/{OPEN_EVENT}/cart",
            params=key,
            json={"reserve": {"tickets": [{"id": ticket_type, "quantity": 2}]}},
        ).json()
        consent = http.post(
            "/oauth/signin",
            data={"pending": _oauth_pending(http), "email": "member@example.com", "password": "sandbox"},
        )
        pending = re.search(r'name="pending" value="([^"]+)"', consent.text).group(1)
        redirect = http.post("/oauth/consent", data={"pending": pending, "decision": "allow"})
        code = parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]
        tokens = http.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "client_id": "sandbox-client",
                "client_secret": "sandbox-secret",
            },
        ).json()
        captcha = http.get("/partners/v1/captcha", params={**key, "event_id": OPEN_EVENT})
        yield Live(
            http=http,
            control=sandbox_control,
            cart_id=cart["cart_id"],
            ticket_type=ticket_type,
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            pending=_oauth_pending(http),
            challenge=captcha.headers["X-TM-CAPTCHA-V2-STOKEN"],
            site_key=captcha.headers["X-TM-CAPTCHA-V2-SITEKEY"],
        )


def _template(spec: str, live: Live, vectors_dir) -> dict:
    name = spec.split(":", 1)[1]
    if name == "scenario":
        return SCENARIO_TEMPLATE
    if name == "captcha-solve":
        return {"challenge": live.challenge, "answer": "7", "site_key": live.site_key, "hostname": "boxoffice.example"}
    doc = json.loads((vectors_dir / name).read_text())
    if "cart_id" in doc:
        doc["cart_id"] = live.cart_id
    for ticket in doc.get("reserve", {}).get("tickets", []):
        ticket["id"] = live.ticket_type
    doc.pop("token", None)
    return doc


def _form_fields(kind: str, live: Live) -> dict[str, st.SearchStrategy]:
    if kind == "signin":
        return {"pending": maybe(live.pending), "email": maybe("member@example.com"), "password": maybe("sandbox")}
    if kind == "consent":
        return {"pending": maybe(live.pending), "decision": maybe("allow")}
    return {
        "grant_type": st.sampled_from(["authorization_code", "refresh_token"]) | texts,
        "code": texts,
        "refresh_token": maybe(live.refresh_token),
        "client_id": maybe("sandbox-client"),
        "client_secret": maybe("sandbox-secret"),
        "redirect_uri": maybe(REDIRECT),
        "code_verifier": texts,
    }


def draw_request(data, endpoint: Endpoint, live: Live, vectors_dir) -> tuple[str, bytes | None, dict]:
    path = re.sub(r"\{event\}", lambda m: data.draw(maybe(OPEN_EVENT, path_ids)), endpoint.path)
    path = re.sub(r"\{id\}", lambda m: data.draw(path_ids), path)
    query = {}
    for name, valid in endpoint.query.items():
        if data.draw(st.integers(0, 4)) == 0:
            continue  # sometimes leave a parameter out
        query[name] = data.draw(maybe(live.cart_id if valid == "CART" else valid))
    query.update(data.draw(st.dictionaries(texts, texts, max_size=2)))
    url = path + ("?" + urlencode(query) if query else "")
    headers = {"Authorization": data.draw(maybe("Bearer " + live.access_token, ascii_texts))}
    if data.draw(st.booleans()):
        headers["X-TM-FORCE-POLLING"] = "true"
    if endpoint.body is None:
        return url, None, headers
    if endpoint.body.startswith("form:"):
        body = data.draw(form_bodies(_form_fields(endpoint.body[5:], live)))
        types = ["application/x-www-form-urlencoded"] * 3 + ["application/json"]
    else:
        body = data.draw(json_bodies(_template(endpoint.body, live, vectors_dir)))
        types = ["application/json"] * 3 + ["text/plain", "application/x-www-form-urlencoded"]
    headers["Content-Type"] = data.draw(st.sampled_from(types))
    return url, body, headers


# ----- what is acceptable ---------------------------------------------------------------------------


def assert_documented(response: httpx.Response, endpoint: Endpoint) -> None:
    status, text = response.status_code, response.text
    where = f"{endpoint.method} {response.request.url} → {status}: {text[:300]!r}"
    assert status != 500 and "Traceback" not in text, where
    content_type = response.headers.get("content-type", "")
    if status in (301, 302, 303, 307, 308):
        assert endpoint.kind in ("authorize", "page"), where
        assert response.headers["location"].startswith(REDIRECT + "?"), where
        return
    if status < 400:
        if content_type.startswith("application/json"):
            response.json()
        return
    if endpoint.kind in ("authorize", "page") and content_type.startswith("text/html"):
        assert status in (400, 404), where
        return
    assert content_type.startswith("application/json"), where
    body = response.json()
    if response.request.url.path.startswith("/oauth/") and isinstance(body.get("error"), str):
        # The OAuth service answers in its own shape, for its own refusals and HTTP-level ones alike.
        assert status in (400, 401, 404, 405, 413) and set(body) == {"error", "error_description"}, where
        assert body["error"] in ("invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type"), where
        return
    error = body.get("error")
    assert isinstance(error, dict) and set(error) == {"message", "code", "http_code", "severity"}, where
    assert error["severity"] == "ERROR" and isinstance(error["message"], str) and error["message"], where
    assert error["http_code"] == status and (status, error["code"]) in DOCUMENTED, where


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@FUZZ
@given(data=st.data())
def test_any_input_gets_a_documented_answer(live, vectors_dir, endpoint, data):
    url, body, headers = draw_request(data, endpoint, live, vectors_dir)
    response = live.http.request(endpoint.method, url, content=body, headers=headers)
    try:
        assert_documented(response, endpoint)
    finally:
        if endpoint.name == "controls-scenario":
            live.control.reset()  # a fuzzed scenario must not leak into the next example


BODY_ENDPOINTS = [e for e in ENDPOINTS if e.body is not None]


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=lambda e: e.name)
def test_huge_bodies_are_refused_as_too_large(live, endpoint):
    url = endpoint.path.replace("{event}", OPEN_EVENT) + "?" + urlencode({"apikey": KEY, "apiKey": KEY})
    content_type = "application/x-www-form-urlencoded" if endpoint.body.startswith("form:") else "application/json"
    declared = live.http.request(endpoint.method, url, content=b"[" * 300_000, headers={"Content-Type": content_type})
    chunked = live.http.request(
        endpoint.method, url, content=iter([b"{" * 50_000] * 6), headers={"Content-Type": content_type}
    )
    assert declared.status_code == 413, declared.text[:200]
    if endpoint.path.startswith("/oauth/"):
        assert declared.json() == {"error": "invalid_request", "error_description": "Request body too large"}
    else:
        assert declared.json()["error"] == {
            "message": "Request body too large",
            "code": 10002,
            "http_code": 413,
            "severity": "ERROR",
        }
    # Without Content-Length the handler may refuse on other grounds before reading the body.
    assert_documented(chunked, endpoint)
    if endpoint.name in (
        "reserve",
        "payment-card",
        "wallet-token",
        "captcha-solve",
        "oauth-token",
        "controls-scenario",
    ):
        assert chunked.status_code == 413, chunked.text[:200]
