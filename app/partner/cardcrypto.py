"""Card data encryption for payments (partner-api.md 3.8), with ``cryptography``.

Each value (card number, CVV) is prefixed with a 16-character salt, RSA-encrypted with the public
key of the service's certificate using PKCS#1 v1.5 padding, and base64-encoded. The salt is drawn
with ``secrets`` from the 62 characters the support FAQ lists as valid for salting: ``a-z``,
``A-Z`` and ``0-9`` (no punctuation, no space: the service refuses them).

The certificate is fetched once and reused for 24 hours (``CertificateCache``). Plain card data
only passes through this module's functions and is never logged; only ciphertext leaves it.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import secrets
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.partner._models_payment import CardDetails, EncryptionCertificate
from app.partner.errors import UnexpectedResponse

if TYPE_CHECKING:  # ``cryptography`` itself is loaded at the first payment, not with the client
    from cryptography.hazmat.primitives.asymmetric import rsa

SALT_LENGTH = 16
SALT_ALPHABET = string.ascii_letters + string.digits


def new_salt() -> str:
    """16 characters drawn uniformly from SALT_ALPHABET (random bytes, rejection-sampled)."""
    limit = 256 - 256 % len(SALT_ALPHABET)  # bytes at or above this would bias the draw
    chars: list[str] = []
    while len(chars) < SALT_LENGTH:
        chars.extend(SALT_ALPHABET[b % len(SALT_ALPHABET)] for b in secrets.token_bytes(2 * SALT_LENGTH) if b < limit)
    return "".join(chars[:SALT_LENGTH])


def public_key_of(certificate: EncryptionCertificate) -> rsa.RSAPublicKey:
    """The RSA public key of the certificate (``UnexpectedResponse`` when there is none). The
    certificate is read once per PEM text: every payment encrypts with the same one for 24 hours."""
    return _public_key(certificate.pem)


@functools.lru_cache(maxsize=4)
def _public_key(certificate_pem: str) -> rsa.RSAPublicKey:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = certificate_pem.replace("\r\n", "\n").strip().encode("ascii", "replace") + b"\n"
    try:
        key = x509.load_pem_x509_certificate(pem).public_key()
    except ValueError:
        raise UnexpectedResponse("The payment encryption certificate could not be read. Try again later.") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnexpectedResponse("The payment encryption certificate does not hold an RSA key.")
    return key


def encrypt_value(key: rsa.RSAPublicKey, plain: str) -> str:
    """salt + plain → RSA PKCS#1 v1.5 → base64 text."""
    from cryptography.hazmat.primitives.asymmetric import padding

    ciphertext = key.encrypt((new_salt() + plain).encode("ascii"), padding.PKCS1v15())
    return base64.b64encode(ciphertext).decode("ascii")


@dataclass(frozen=True)
class EncryptedCard:
    """What goes into the payment's ``card`` object; no plain digits beyond the last four."""

    number: str | None = field(repr=False)
    cin: str | None = field(repr=False)
    encryption_key: str
    last4: str = ""


def encrypt_card(
    certificate: EncryptionCertificate, card: CardDetails, *, include_number: bool = True
) -> EncryptedCard:
    """Encrypt number (unless ``include_number`` is False, as for member payments) and CVV."""
    key = public_key_of(certificate)
    number = encrypt_value(key, card.number) if include_number else None
    cin = encrypt_value(key, card.cvv) if card.cvv else None
    return EncryptedCard(number=number, cin=cin, encryption_key=certificate.id, last4=card.number[-4:])


def encrypt_cvv(certificate: EncryptionCertificate, cvv: str) -> EncryptedCard:
    return EncryptedCard(
        number=None, cin=encrypt_value(public_key_of(certificate), cvv.strip()), encryption_key=certificate.id
    )


class CertificateCache:
    """Keeps the certificate until it is 24 hours old; concurrent callers share one fetch."""

    def __init__(self, fetch: Callable[[], Awaitable[EncryptionCertificate]]) -> None:
        self._fetch = fetch
        self._certificate: EncryptionCertificate | None = None
        self._lock = asyncio.Lock()

    @property
    def current(self) -> EncryptionCertificate | None:
        cert = self._certificate
        return cert if cert is not None and cert.is_fresh() else None

    async def get(self, now: datetime | None = None) -> EncryptionCertificate:
        async with self._lock:
            cert = self._certificate
            if cert is None or not cert.is_fresh(now or datetime.now(UTC)):
                cert = await self._fetch()
                public_key_of(cert)  # refuse an unreadable certificate before it is cached
                self._certificate = cert
            return cert

    def forget(self) -> None:
        self._certificate = None
