"""The sandbox's own cost of one documented purchase, request by request.

Runs the README's full purchase N times — captcha (JSON + page + solve), reserve with one forced
round of polling, the poll, shipping options, shipping choice, certificate, encrypted card payment,
commit, order lookup — against a sandbox started as its own process (``python -m app.sandbox
--port 0``), with a plain ``httpx.Client``. The server-side time of every request is read back from
the sandbox's own request log (``duration_ms``, measured inside the app), so the figures are the
sandbox's cost, not the client's. Prints medians per step and per purchase, and requests per purchase.

    python benchmarks/sandbox_purchase_cost.py [-n 50]
"""

from __future__ import annotations

import argparse
import base64
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections import defaultdict

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding

KEY = "sandbox-api-key"
EVENT = "3B00C4A7C0DE0001"  # the captcha event: the longest documented purchase


def start_sandbox() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "app.sandbox", "--port", "0", "--polling-wait", "0"],
                               stdout=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    return process, first.split(" on ", 1)[1].strip()


def purchase(http: httpx.Client, api: str, public_key, cert_id: str, ticket: str) -> None:
    key = {"apikey": KEY}
    http.get(f"{api}/captcha", params={**key, "event_id": EVENT}, headers={"Accept": "application/json"})
    page = http.get(f"{api}/captcha", params={**key, "event_id": EVENT}, headers={"Accept": "text/html"})
    a, b = map(int, re.search(r'id="question">(\d+) \+ (\d+)<', page.text).groups())
    token = http.post(f"{api}/captcha/solve", headers={"Origin": "https://boxoffice.example"}, json={
        "challenge": page.headers["x-tm-captcha-v2-stoken"], "answer": str(a + b),
        "site_key": page.headers["x-tm-captcha-v2-sitekey"], "hostname": "boxoffice.example"}).json()["token"]
    pending = http.post(f"{api}/events/{EVENT}/cart", params=key, headers={"X-TM-FORCE-POLLING": "true"},
                        json={"token": token, "reserve": {"tickets": [{"id": ticket, "quantity": 2}]}}).json()
    cart_id = http.get(pending["polling_url"]).json()["cart_id"]
    http.get(f"{api}/events/{EVENT}/cart/shipping", params={**key, "cart_id": cart_id})
    http.put(f"{api}/events/{EVENT}/cart/shipping", params={**key, "cart_id": cart_id}, json={"shipping_id": "1"})
    http.get(f"{api}/certificate", params=key)

    def encrypt(digits: str) -> str:
        return base64.b64encode(public_key.encrypt((secrets.token_hex(8) + digits).encode(), padding.PKCS1v15())).decode()

    paid = http.put(f"{api}/events/{EVENT}/cart/payment", params=key, json={"cart_id": cart_id, "payment": {
        "type": "CC", "first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com",
        "card": {"issuer": "DISCOVER", "number": encrypt("6011993200001006"), "cin": encrypt("123"),
                 "encryption_key": cert_id, "expire_month": 12, "expire_year": 2030}}})
    assert paid.status_code == 200, paid.text
    order = http.put(f"{api}/events/{EVENT}/cart", params=key, json={"cart_id": cart_id}).json()
    assert http.get(f"{api}/orders", params={**key, "order_token": order["order_token"]}).status_code == 200


def step_name(entry: dict) -> str:
    path = re.sub(r"/events/[^/]+", "/events/{id}", entry["path"])
    path = re.sub(r"/polling/.*", "/polling/…", path)
    return f"{entry['method']} {path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="purchases to measure (default 50)")
    args = parser.parse_args()
    process, base = start_sandbox()
    try:
        api = base + "/partners/v1"
        with httpx.Client(timeout=30) as http:
            cert = http.get(f"{api}/certificate", params={"apikey": KEY}).json()
            public_key = x509.load_pem_x509_certificate(cert["value"].encode()).public_key()
            ticket = http.get(f"{api}/events/{EVENT}", params={"apikey": KEY}).json()["event"]["tickets"][0]["id"]
            per_step: dict[str, list[float]] = defaultdict(list)
            per_purchase, wall, requests = [], [], []
            for _ in range(args.n):
                http.post(f"{base}/_sandbox/reset")  # same starting point each time; clears the log
                http.post(f"{base}/_sandbox/scenario", json={"polling_wait": 0,
                                                            "now": time.strftime("%Y-%m-%dT12:00:00Z", time.gmtime())})
                started = time.perf_counter()
                purchase(http, api, public_key, cert["id"], ticket)
                wall.append((time.perf_counter() - started) * 1000)
                entries = [e for e in http.get(f"{base}/_sandbox/log", params={"limit": 100}).json()["requests"]
                           if not e["path"].startswith("/_sandbox/")]
                requests.append(len(entries))
                per_purchase.append(sum(e["duration_ms"] for e in entries))
                for entry in entries:
                    per_step[step_name(entry)].append(entry["duration_ms"])
    finally:
        process.terminate()
        process.wait(timeout=20)
    print(f"Sandbox cost of one documented purchase (captcha event, {args.n} purchases, medians)")
    for name, values in per_step.items():
        print(f"  {name:<48} {statistics.median(values):7.2f} ms")
    print(f"  requests per purchase: {statistics.median(requests):.0f}")
    print(f"  sandbox time per purchase (sum of its requests): {statistics.median(per_purchase):.1f} ms")
    print(f"  client wall time per purchase (incl. RSA encryption, HTTP): {statistics.median(wall):.1f} ms")


if __name__ == "__main__":
    main()
