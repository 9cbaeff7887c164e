"""Card encryption interoperates with OpenSSL: what the client encrypts, the `openssl` command
line decrypts with the private key, revealing a 16-character printable salt and the digits."""

from __future__ import annotations

import asyncio
import base64
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.partner.cardcrypto import SALT_ALPHABET, CertificateCache, encrypt_card, encrypt_cvv
from app.partner.errors import UnexpectedResponse
from app.partner.models import CardDetails, EncryptionCertificate

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command line is not installed")


@pytest.fixture(scope="module")
def keypair(tmp_path_factory) -> tuple[Path, EncryptionCertificate]:
    folder = tmp_path_factory.mktemp("paysys")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=paysys-test"], check=True, capture_output=True)
    # The service sends the PEM with CRLF line ends; use the same.
    pem = cert.read_text().replace("\n", "\r\n")
    return key, EncryptionCertificate(id="paysys-test.0.us.1", pem=pem)


def _openssl_decrypt(key: Path, value: str, folder: Path) -> str:
    blob = folder / "blob.bin"
    blob.write_bytes(base64.b64decode(value))
    out = subprocess.run(["openssl", "pkeyutl", "-decrypt", "-inkey", str(key), "-in", str(blob),
                          "-pkeyopt", "rsa_padding_mode:pkcs1"], check=True, capture_output=True)
    return out.stdout.decode("ascii")


def test_openssl_decrypts_number_and_cvv(keypair, tmp_path):
    key, certificate = keypair
    card = CardDetails("6011 9932 0000 1006", "123", 12, 2030, "DISCOVER")
    encrypted = encrypt_card(certificate, card)
    assert encrypted.encryption_key == "paysys-test.0.us.1"
    for value, digits in ((encrypted.number, "6011993200001006"), (encrypted.cin, "123")):
        assert "6011993200001006" not in value
        plain = _openssl_decrypt(key, value, tmp_path)
        salt, rest = plain[:16], plain[16:]
        assert rest == digits
        assert len(salt) == 16 and all(ch in SALT_ALPHABET for ch in salt)
        assert all(0x21 <= ord(ch) <= 0x7E for ch in salt)


def test_every_encryption_uses_a_fresh_salt(keypair, tmp_path):
    key, certificate = keypair
    first, second = encrypt_cvv(certificate, "123").cin, encrypt_cvv(certificate, "123").cin
    assert first != second
    assert _openssl_decrypt(key, first, tmp_path)[:16] != _openssl_decrypt(key, second, tmp_path)[:16]


def test_unreadable_certificate_is_a_clear_error():
    with pytest.raises(UnexpectedResponse, match="certificate could not be read"):
        encrypt_cvv(
            EncryptionCertificate(id="x", pem="-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"), "1"
        )


def test_certificate_is_fetched_once_and_renewed_after_24_hours(keypair):
    _, certificate = keypair
    fetches = []

    async def fetch():
        fetches.append(1)
        return EncryptionCertificate(id=certificate.id, pem=certificate.pem)

    async def scenario():
        cache = CertificateCache(fetch)
        first = await cache.get()
        await asyncio.gather(*(cache.get() for _ in range(5)))
        assert len(fetches) == 1
        await cache.get(now=datetime.now(UTC) + timedelta(hours=23))
        assert len(fetches) == 1
        renewed = await cache.get(now=first.fetched_at + timedelta(hours=24, seconds=1))
        assert len(fetches) == 2 and renewed is not first

    asyncio.run(scenario())


def test_card_repr_never_shows_the_number_or_cvv():
    card = CardDetails("6011993200001006", "987", 12, 2030, "DISCOVER")
    text = repr(card) + str(card) + repr([card])
    assert "6011993200001006" not in text and "987" not in text and "••••1006" in text
