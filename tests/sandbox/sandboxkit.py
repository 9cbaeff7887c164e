"""Helpers for the sandbox's protocol tests: fixture ids, a Partner API client over plain httpx, card
encryption done the documented way, a member sign-in walked through the OAuth pages, error checks.

A plain module (not conftest) so test modules import it by a name no other test folder uses."""

from __future__ import annotations

import base64
import secrets
import string
from datetime import UTC, datetime

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding

API_KEY = "sandbox-api-key"
TEST_PURCHASE = "000051048D991EE7"
LONDON = "1AeZZfEGkD0xtGV"
TEST_CARD_EVENT = "2000527EE48A9334"
CAPTCHA_EVENT = "3B00C4A7C0DE0001"
NOT_TRANSACTABLE = "3B00NOAPI0000002"
HIDDEN = "3B00HIDDEN000003"
NO_ONSALE = "3B00NOONSALE0004"
NO_BARCODE = "3B00NOBARCODE005"
GENERAL_ADMISSION = "3B00GENADMIT0006"
STADIUM = "3B00STADIUM00007"
NO_PLACES = "3B00NOPLACES0008"
TEST_CARD = "6011993200001006"
NEXT_YEAR = datetime.now(UTC).year + 1
# The support FAQ's "valid characters for salting": exactly these 62, no punctuation, no space.
SALT_CHARACTERS = string.ascii_letters + string.digits


# Noon UTC is outside every fixture event's nightly maintenance (00:00-02:00 in New York, Los Angeles,
# Chicago, Denver, London, Berlin and Sydney), so tests do not depend on the hour they run at.
AWAKE_EVERYWHERE = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0).isoformat()


def issuer_code(number: str) -> str:
    """The payment body's documented issuer code for the test numbers the sandbox knows."""
    if number.startswith("4"):
        return "VISA"
    if number.startswith(("34", "37")):
        return "AMEX"
    if number.startswith(("51", "52", "53", "54", "55", "2")):
        return "MC"
    return "DISCOVER"


class PartnerApi:
    """The Partner API as a client sees it: every call carries ``apikey``."""

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.partner_base, timeout=30)
        self._certificate: dict | None = None

    def call(self, method: str, path: str, *, params: dict | None = None, **kwargs) -> httpx.Response:
        return self.http.request(method, path, params={"apikey": API_KEY, **(params or {})}, **kwargs)

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.call("GET", path, **kwargs)

    def ticket_types(self, event_id: str) -> list[str]:
        return [t["id"] for t in self.get(f"/events/{event_id}").json()["event"]["tickets"]]

    def reserve(self, event_id: str, quantity: int = 2, ticket: str | None = None, **reserve) -> httpx.Response:
        ticket = ticket or self.ticket_types(event_id)[0]
        body = {"reserve": {"tickets": [{"id": ticket, "quantity": quantity}], **reserve}}
        return self.call("POST", f"/events/{event_id}/cart", json=body)

    def reserved(self, event_id: str, quantity: int = 2, **reserve) -> dict:
        answer = self.reserve(event_id, quantity, **reserve)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def shipping_id(self, event_id: str, cart_id: str, carrier: str, service_level: str) -> str:
        """The opaque id of the cart's delivery option with that carrier and service level."""
        options = self.get(f"/events/{event_id}/cart/shipping", params={"cart_id": cart_id}).json()["shipping_options"]
        return next(o["id"] for o in options if (o["carrier"], o["service_level"]) == (carrier, service_level))

    def certificate(self) -> dict:
        if self._certificate is None:
            self._certificate = self.get("/certificate").json()
        return self._certificate

    def encrypt(self, digits: str, salt: str | None = None) -> str:
        """Salt of 16 letters and digits, RSA PKCS#1 v1.5 with the certificate, base64."""
        cert = x509.load_pem_x509_certificate(self.certificate()["value"].encode())
        salt = salt if salt is not None else "".join(secrets.choice(SALT_CHARACTERS) for _ in range(16))
        return base64.b64encode(cert.public_key().encrypt((salt + digits).encode(), padding.PKCS1v15())).decode()

    def card_payment(self, cart_id: str, number: str = TEST_CARD, cvv: str = "123", amount=None, **card) -> dict:
        """A CC payment body; ``card.issuer`` is the documented code of the number's network unless given."""
        payment = {"type": "CC", "first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com",
                   "home_phone": "212-867-5309",
                   "address": {"line1": "1 Main St", "city": "Los Angeles", "country": {"code": "US"},
                               "region": {"abbrev": "CA"}, "postal_code": "90210"},
                   "card": {"issuer": issuer_code(number), "number": self.encrypt(number), "cin": self.encrypt(cvv),
                            "encryption_key": self.certificate()["id"], "expire_month": 12,
                            "expire_year": NEXT_YEAR, "postal_code": "90210", **card}}
        if amount is not None:
            payment["amount"] = amount
        return {"cart_id": cart_id, "payment": payment}

    def pay(self, event_id: str, body: dict, **kwargs) -> httpx.Response:
        return self.call("PUT", f"/events/{event_id}/cart/payment", json=body, **kwargs)

    def commit(self, event_id: str, cart_id: str, **extra) -> httpx.Response:
        return self.call("PUT", f"/events/{event_id}/cart", json={"cart_id": cart_id, **extra})

    def buy(self, event_id: str, quantity: int = 2, **reserve) -> dict:
        """Reserve, pay by invoice, commit: answers the commit body."""
        cart_id = self.reserved(event_id, quantity, **reserve)["cart_id"]
        paid = self.pay(event_id, {"cart_id": cart_id, "payment": {
            "type": "INVOICE", "reference": "4711", "first_name": "A", "last_name": "B",
            "email_address": "a@example.com"}})
        assert paid.status_code == 200, paid.text
        committed = self.commit(event_id, cart_id)
        assert committed.status_code == 200, committed.text
        return committed.json()

    def close(self) -> None:
        self.http.close()


def advance(control, seconds: float) -> dict:
    """Move the sandbox clock forward from wherever it is now."""
    offset = control.scenario()["clock_offset_seconds"]
    return control.scenario(clock_offset_seconds=offset + seconds)


def assert_error(answer: httpx.Response, code: int, status: int | None = None) -> dict:
    """The documented error body with ``code`` (and the HTTP status it documents)."""
    body = answer.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, body
    assert error["severity"] == "ERROR" and isinstance(error["message"], str) and error["message"]
    assert error["http_code"] == answer.status_code
    if status is not None:
        assert answer.status_code == status, body
    return error


def assert_same_keys(documented, actual, path="") -> None:
    """Every key of the documented example is present, with a value of the same kind."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), path
        for key, value in documented.items():
            assert key in actual, f"{path}.{key} missing"
            assert_same_keys(value, actual[key], f"{path}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list), path
        if documented and actual:
            assert_same_keys(documented[0], actual[0], path + "[]")
    elif isinstance(documented, bool):
        assert isinstance(actual, bool), path
    elif isinstance(documented, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), path
    else:
        assert isinstance(actual, type(documented)), path
