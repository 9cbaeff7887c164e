"""Card payments: the encryption certificate, decrypting card data, and the test-card rules.

A 2048-bit RSA key and a self-signed X.509 certificate (valid 24 hours) are made when the sandbox
starts; ``GET /certificate`` hands out the certificate. Card numbers and CVVs arrive as
base64(RSA-PKCS#1 v1.5(16 salt characters + digits)); the salt may hold only ``a-z``, ``A-Z`` and
``0-9`` (the support FAQ's valid salting characters), and anything else is refused with 10002.
``card.issuer`` must be one of the documented codes ``VISA``, ``MC``, ``AMEX``, ``DISCOVER``
(10002 otherwise) and match the decrypted number's network, as a processor checks (20122
otherwise). Decrypted numbers are checked (Luhn, expiry, CVV) and never stored or logged: saved
member billing methods keep only the last four digits and the test rule the number maps to.

Test cards (any future expiry):
  6011993200001006 DISCOVER  CVV 123 → accepted, any other CVV → 20152
  4111111111111111 VISA, 5555555555554444 MC, 378282246310005 AMEX → accepted (3/4-digit CVV)
  4000000000000002 VISA → 20122 Payment Not Accepted
  4000000000009995 VISA → 20129 Payment method has no funds available
"""

from __future__ import annotations

import base64
import binascii
import string
import threading
from dataclasses import dataclass
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from .clock import SandboxClock
from .config import SandboxConfig
from .errors import BAD_SECURITY_CODE, INVALID_INPUT, NO_FUNDS, PAYMENT_NOT_ACCEPTED, SandboxError
from .wallet import funding_method_for, luhn_valid

SALT_LENGTH = 16
SALT_CHARACTERS = frozenset(string.ascii_letters + string.digits)
# The payment body's documented issuer codes, by the card network the number belongs to.
ISSUER_CODES = {"VISA": "VISA", "MASTERCARD": "MC", "AMEX": "AMEX", "DISCOVER": "DISCOVER"}
ISSUER_LIST = "VISA, MC, AMEX or DISCOVER"
TEST_CARD = "6011993200001006"
TEST_CARD_CVV = "123"
DECLINED_CARD = "4000000000000002"
NO_FUNDS_CARD = "4000000000009995"
DECLINES = {DECLINED_CARD: PAYMENT_NOT_ACCEPTED, NO_FUNDS_CARD: NO_FUNDS}
DECLINE_KINDS = {20122: PAYMENT_NOT_ACCEPTED, 20129: NO_FUNDS, 20152: BAD_SECURITY_CODE}


@dataclass(frozen=True)
class CardRule:
    """What the sandbox remembers about a card: never the number, only how it behaves."""

    last4: str
    issuer: str
    decline: int | None  # 20122 / 20129, or None
    strict_cvv: bool  # the documented test card wants exactly 123

    @classmethod
    def of(cls, number: str) -> CardRule:
        decline = DECLINES.get(number)
        network = funding_method_for(number)
        return cls(number[-4:], ISSUER_CODES.get(network or "", "CARD"), decline[1] if decline else None,
                   number == TEST_CARD)


class PaymentProcessor:
    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self.config = config
        self.clock = clock
        self._lock = threading.Lock()
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.certificate_id = "paysys-sandbox.0.us.1"
        self._certificate_pem = self._make_certificate()

    def _make_certificate(self) -> str:
        name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Box Office Sandbox"),
                          x509.NameAttribute(NameOID.COMMON_NAME, "Sandbox Payment Systems")])
        now = self.clock.now()
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(self._key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=24))
                .sign(self._key, hashes.SHA256()))
        pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
        return pem.replace("\n", "\r\n")

    def certificate(self) -> dict:
        return {"id": self.certificate_id, "value": self._certificate_pem}

    def reset(self) -> None:
        """Nothing per-sale lives here; the key and certificate stay for the process."""

    # ----- decrypting ------------------------------------------------------------------------
    def decrypt(self, value, field: str, encryption_key) -> str:
        """The digits inside an encrypted card field; 10002 for plain or undecryptable data."""
        if encryption_key != self.certificate_id:
            raise SandboxError(INVALID_INPUT, f"card.encryption_key must be the id of the current certificate "
                                              f"({self.certificate_id})")
        if not isinstance(value, str) or not value:
            raise SandboxError(INVALID_INPUT, f"{field} is required")
        if value.isdigit():
            raise SandboxError(INVALID_INPUT, f"{field} must be encrypted with the payment certificate")
        try:
            blob = base64.b64decode(value, validate=True)
            plain = self._key.decrypt(blob, padding.PKCS1v15())
            text = plain.decode("ascii")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise SandboxError(INVALID_INPUT, f"{field} could not be decrypted with the payment certificate") from None
        salt, digits = text[:SALT_LENGTH], text[SALT_LENGTH:]
        if len(salt) != SALT_LENGTH or not SALT_CHARACTERS.issuperset(salt):
            raise SandboxError(INVALID_INPUT, f"{field} must start with a salt of 16 characters drawn from "
                                              "a-z, A-Z and 0-9 only")
        if not digits.isdigit():
            raise SandboxError(INVALID_INPUT, f"{field} must hold digits after the salt")
        return digits

    # ----- checking --------------------------------------------------------------------------
    @staticmethod
    def check_issuer_code(issuer, field: str = "card.issuer") -> str:
        """The documented issuer code itself (no other spelling, no other network), or 10002."""
        if not isinstance(issuer, str) or issuer not in ISSUER_CODES.values():
            raise SandboxError(INVALID_INPUT, f"{field} must be {ISSUER_LIST}")
        return issuer

    @staticmethod
    def check_issuer_matches(rule: CardRule, issuer: str) -> None:
        """A processor declines a card whose stated issuer is not the number's network (20122)."""
        if rule.issuer != issuer:
            raise SandboxError(PAYMENT_NOT_ACCEPTED, f"Payment Not Accepted: the card number is not a {issuer} card "
                                                     "(card.issuer does not match it)")

    def check_number(self, number: str) -> CardRule:
        if not 12 <= len(number) <= 19 or not luhn_valid(number) or funding_method_for(number) is None:
            raise SandboxError(PAYMENT_NOT_ACCEPTED, "Payment Not Accepted: the card number is not valid")
        return CardRule.of(number)

    def check_expiry(self, month, year) -> None:
        if isinstance(month, str) and month.isdigit():
            month = int(month)
        if isinstance(year, str) and year.isdigit():
            year = int(year)
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            raise SandboxError(INVALID_INPUT, "card.expire_month must be a month number from 1 to 12")
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            raise SandboxError(INVALID_INPUT, "card.expire_year must be a four-digit year")
        today = self.clock.now()
        if (year, month) < (today.year, today.month):
            raise SandboxError(PAYMENT_NOT_ACCEPTED, "Payment Not Accepted: the card has expired")

    @staticmethod
    def check_cvv(rule: CardRule, cvv: str) -> None:
        wanted = 4 if rule.issuer == "AMEX" else 3
        if not cvv.isdigit() or len(cvv) != wanted or (rule.strict_cvv and cvv != TEST_CARD_CVV):
            raise SandboxError(BAD_SECURITY_CODE)

    @staticmethod
    def check_outcome(rule: CardRule, forced_decline: int | None) -> None:
        """Declines last: a card that passed every check may still be refused by the bank."""
        if forced_decline is not None:
            raise SandboxError(DECLINE_KINDS[forced_decline])
        if rule.decline is not None:
            raise SandboxError(DECLINE_KINDS[rule.decline])

