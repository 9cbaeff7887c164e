"""The sandbox's own request cost for one full documented purchase, made with plain httpx.

Starts the sandbox in-process (``EmbeddedSandbox`` on a loopback port), then buys like a curl
user following the README: captcha (JSON, the HTML page, the solve call from the whitelisted
origin), availability, reserve with forced polling, shipping options and choice, certificate,
a card payment with number and CVV salted and RSA-encrypted, commit, order lookup — every
polling endpoint asked with ``X-TM-FORCE-POLLING: true`` so each polling loop runs once.
Repeats that for ``--rounds`` purchases (sandbox reset in between) and prints, per call, the
server-side duration from ``/_sandbox/log`` and the client-observed time (medians), the totals,
and the purchase's wall time.

    python benchmarks/sandbox_purchase.py [--rounds 5] [--polling-wait 0]
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import secrets
import statistics
import string
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.sandbox import EmbeddedSandbox, SandboxConfig

EVENT = "3B00C4A7C0DE0001"  # the fixture event that requires a captcha
EVENT_ZONE = "Australia/Sydney"
KEY = {"apikey": "sandbox-api-key"}
FORCE = {"X-TM-FORCE-POLLING": "true"}
SALT_ALPHABET = string.ascii_letters + string.digits  # the support FAQ's valid salting characters


class TimedClient:
    """httpx with every call's client-observed duration recorded, in order."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.calls: list[dict] = []
        self.polling_wait_s = 0.0

    def request(self, step: str, method: str, url: str, **kw) -> httpx.Response:
        start = time.perf_counter()
        response = self.http.request(method, url, **kw)
        self.calls.append({"step": step, "method": method, "path": response.request.url.path,
                           "status": response.status_code, "client_ms": (time.perf_counter() - start) * 1000})
        return response

    def polled(self, step: str, method: str, url: str, **kw) -> httpx.Response:
        """A polling endpoint: follow 202 → wait → GET polling_url until the final answer."""
        response = self.request(step, method, url, **kw)
        while response.status_code == 202:
            body = response.json()
            time.sleep(body["wait"])
            self.polling_wait_s += body["wait"]
            response = self.request(step + " (poll)", "GET", body["polling_url"])
        if response.status_code >= 400:
            raise SystemExit(f"{step} failed: {response.status_code} {response.text[:300]}")
        return response


def encrypt(certificate_pem: str, digits: str) -> str:
    salt = "".join(secrets.choice(SALT_ALPHABET) for _ in range(16))
    key = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
    return base64.b64encode(key.encrypt((salt + digits).encode(), padding.PKCS1v15())).decode()


def purchase(client: TimedClient) -> dict:
    """One documented purchase; answers timings of the client-side work that is not a request."""
    info = client.request("captcha (JSON)", "GET", "/partners/v1/captcha", params={**KEY, "event_id": EVENT},
                          headers={"Accept": "application/json"}).json()
    assert info["captcha_required"], "the benchmark event should require a captcha"
    page = client.request("captcha (HTML page)", "GET", "/partners/v1/captcha", params={**KEY, "event_id": EVENT},
                          headers={"Accept": "text/html"}).text
    settings = json.loads(re.search(r"var settings = (\{.*?\});", page).group(1))
    a, b = map(int, re.search(r'<span id="question">(\d+) \+ (\d+)</span>', page).groups())
    solved = client.request("captcha solve", "POST", settings["solveUrl"], headers={"Origin": "https://boxoffice.example"},
                            json={"challenge": settings["challenge"], "answer": str(a + b),
                                  "site_key": info["captcha_details"]["site_key"], "hostname": "boxoffice.example"})
    token = solved.json()["token"]
    availability = client.request("availability", "GET", f"/partners/v1/events/{EVENT}/availability",
                                  params=KEY).json()
    offer = availability["event"]["tickets"][0]["offers"][0]
    cart = client.polled("reserve", "POST", f"/partners/v1/events/{EVENT}/cart", params=KEY, headers=FORCE,
                         json={"token": token, "reserve": {"tickets": [{"id": offer["ticketTypeId"], "quantity": 2}]}})
    cart_id = cart.json()["cart_id"]
    cart_query = {**KEY, "cart_id": cart_id}
    options = client.request("shipping options", "GET", f"/partners/v1/events/{EVENT}/cart/shipping",
                             params=cart_query).json()["shipping_options"]
    shipped = client.polled("shipping choice", "PUT", f"/partners/v1/events/{EVENT}/cart/shipping",
                            params=cart_query, headers=FORCE, json={"shipping_id": options[0]["id"]})
    unpaid = shipped.json()["cart"]["totals"]["unpaid"]
    certificate = client.request("certificate", "GET", "/partners/v1/certificate", params=KEY).json()
    start = time.perf_counter()
    card = {"issuer": "DISCOVER", "number": encrypt(certificate["value"], "6011993200001006"),
            "cin": encrypt(certificate["value"], "123"), "encryption_key": certificate["id"],
            "expire_month": 12, "expire_year": datetime.now().year + 2, "postal_code": "90210"}
    encrypt_ms = (time.perf_counter() - start) * 1000
    payment = {"type": "CC", "first_name": "Jo", "last_name": "Buyer", "email_address": "jo@example.com",
               "home_phone": "212-867-5309", "amount": f"{unpaid:.2f}",
               "address": {"line1": "1 Main Street", "city": "Los Angeles", "country": {"code": "US"},
                           "region": {"abbrev": "CA"}, "postal_code": "90210"}, "card": card}
    paid = client.request("payment (encrypted card)", "PUT", f"/partners/v1/events/{EVENT}/cart/payment", params=KEY,
                          json={"cart_id": cart_id, "payment": payment})
    if paid.status_code != 200:
        raise SystemExit(f"payment failed: {paid.status_code} {paid.text[:300]}")
    order = client.polled("commit", "PUT", f"/partners/v1/events/{EVENT}/cart", params=KEY, headers=FORCE,
                          json={"cart_id": cart_id, "source_account_id": secrets.token_hex(16)}).json()
    client.polled("order lookup", "GET", "/partners/v1/orders", params={**KEY, "order_token": order["order_token"]},
                  headers=FORCE)
    return {"encrypt_ms": encrypt_ms}


def server_durations(control: httpx.Client, calls: list[dict]) -> None:
    """Attach each call's server-side duration from /_sandbox/log (newest last, controls left out)."""
    logged = [e for e in control.get("/_sandbox/log", params={"limit": 500}).json()["requests"]
              if not e["path"].startswith("/_sandbox/")][-len(calls):]
    for call, entry in zip(calls, logged, strict=False):
        if (entry["method"], entry["status"]) != (call["method"], call["status"]):
            raise SystemExit(f"log does not line up: {entry} vs {call}")
        call["server_ms"] = float(entry["duration_ms"])


def keep_out_of_niterun(control: httpx.Client, polling_wait: int) -> None:
    local = datetime.now(ZoneInfo(EVENT_ZONE))
    changes: dict = {"polling_wait": polling_wait}
    if local.hour < 2:
        changes["clock_offset_seconds"] = (2 - local.hour) * 3600 - local.minute * 60 + 300
    control.post("/_sandbox/scenario", json=changes).raise_for_status()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="purchases to make (default 5)")
    parser.add_argument("--polling-wait", type=int, default=0,
                        help="seconds the sandbox tells the client to wait between polls (default 0)")
    args = parser.parse_args(argv)
    sandbox = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0))
    sandbox.start()
    rounds: list[list[dict]] = []
    walls, encrypts, waits = [], [], []
    try:
        with httpx.Client(base_url=sandbox.base_url, timeout=30) as control:
            for _ in range(args.rounds + 1):  # the first purchase warms up and is not counted
                control.post("/_sandbox/reset").raise_for_status()
                keep_out_of_niterun(control, args.polling_wait)
                client = TimedClient(sandbox.base_url)
                start = time.perf_counter()
                extra = purchase(client)
                wall = (time.perf_counter() - start) * 1000
                server_durations(control, client.calls)
                client.http.close()
                rounds.append(client.calls)
                walls.append(wall)
                encrypts.append(extra["encrypt_ms"])
                waits.append(client.polling_wait_s * 1000)
    finally:
        sandbox.stop()
    report(rounds[1:], walls[1:], encrypts[1:], waits[1:], args)


def report(rounds, walls, encrypts, waits, args) -> None:
    med = statistics.median
    print(f"Sandbox purchase benchmark: event {EVENT} (captcha), {len(rounds)} purchases after 1 warm-up, "
          f"polling forced, polling wait {args.polling_wait} s; medians in ms")
    print(f"{'step':28} {'call':48} {'status':>6} {'server':>8} {'client':>8}")
    for index, call in enumerate(rounds[0]):
        server = med(r[index]["server_ms"] for r in rounds)
        client = med(r[index]["client_ms"] for r in rounds)
        path = call["path"] if not call["path"].startswith("/partners/v1/polling/") else "/partners/v1/polling/…"
        print(f"{call['step']:28} {call['method'] + ' ' + path:48.48} {call['status']:>6} {server:8.2f} {client:8.2f}")
    server_total = med(sum(c["server_ms"] for c in r) for r in rounds)
    client_total = med(sum(c["client_ms"] for c in r) for r in rounds)
    print(f"{'total (' + str(len(rounds[0])) + ' calls)':77} {server_total:15.2f} {client_total:8.2f}")
    print(f"purchase wall time: {med(walls):.1f} ms (of which polling waits {med(waits):.0f} ms, "
          f"client-side card encryption {med(encrypts):.2f} ms)")
    print(f"server share of client-observed request time: {100 * server_total / client_total:.0f} %")


if __name__ == "__main__":
    main()
