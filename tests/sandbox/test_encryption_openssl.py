"""Card encryption checked against an independent implementation: the openssl command line."""

from __future__ import annotations

import base64
import subprocess

from tests.sandbox.sandboxkit import NEXT_YEAR, TEST_CARD_EVENT, assert_error


def openssl_encrypt(cert_pem: str, plain: str, workdir) -> str:
    cert = workdir / "cert.pem"
    cert.write_text(cert_pem.replace("\r\n", "\n"))
    pubkey = subprocess.run(["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"],
                            check=True, capture_output=True, text=True).stdout
    key = workdir / "pub.pem"
    key.write_text(pubkey)
    encrypted = subprocess.run(["openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", str(key),
                                "-pkeyopt", "rsa_padding_mode:pkcs1"],
                               input=plain.encode(), check=True, capture_output=True).stdout
    return base64.b64encode(encrypted).decode()


def test_card_encrypted_by_openssl_is_accepted(api, tmp_path):
    cert = api.certificate()
    cart = api.reserved(TEST_CARD_EVENT, 1)
    body = api.card_payment(cart["cart_id"])
    body["payment"]["card"].update(number=openssl_encrypt(cert["value"], "Zq9Bx7k3TaJKp40w6011993200001006", tmp_path),
                                   cin=openssl_encrypt(cert["value"], "0123456789abcdef123", tmp_path),
                                   expire_year=NEXT_YEAR)
    paid = api.pay(TEST_CARD_EVENT, body)
    assert paid.status_code == 200, paid.text
    assert paid.json()["cart"]["totals"]["unpaid"] == 0
    assert api.commit(TEST_CARD_EVENT, cart["cart_id"]).status_code == 200


def test_openssl_card_without_salt_or_with_wrong_cvv_is_refused(api, tmp_path):
    cert = api.certificate()
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    body = api.card_payment(cart_id)
    body["payment"]["card"]["number"] = openssl_encrypt(cert["value"], "6011993200001006", tmp_path)
    assert_error(api.pay(TEST_CARD_EVENT, body), 10002, 400)
    body = api.card_payment(cart_id)
    body["payment"]["card"]["cin"] = openssl_encrypt(cert["value"], "saltsaltsaltsalt321", tmp_path)
    assert_error(api.pay(TEST_CARD_EVENT, body), 20152, 400)


def test_openssl_card_salted_with_punctuation_is_refused(api, tmp_path):
    """The FAQ's valid salting characters are letters and digits: "!", "~" or a space are not among them."""
    cert = api.certificate()
    cart_id = api.reserved(TEST_CARD_EVENT, 1)["cart_id"]
    body = api.card_payment(cart_id)
    body["payment"]["card"]["number"] = openssl_encrypt(cert["value"], "Zq9!x~ 3]a.Kp<0w6011993200001006", tmp_path)
    assert "salt" in assert_error(api.pay(TEST_CARD_EVENT, body), 10002, 400)["message"]
