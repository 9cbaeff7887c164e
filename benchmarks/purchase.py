"""Purchase overhead: N sales through the checkout engine vs a bare httpx script, same sandbox, same run.

All sides make the same Partner API calls for each sale — reserve, shipping GET, shipping PUT,
card payment (card number and CVV salted and RSA-encrypted with a certificate fetched once), commit —
against one sandbox. The engine side goes through ``Station``/``CheckoutSession`` (state machine,
hold clock, journal writes in SQLite, over the PartnerClient's polling, per-cart locks, quota and
masked exchange records); the bare side is a plain ``httpx.AsyncClient`` script with none of that.
A third side, the PartnerClient alone, splits the overhead between client and engine. Runs are
interleaved (who goes first rotates) after a warm-up so all see the same server state. Prints
per-sale medians and the ratio engine / bare (target ≤ 1.10).

    python benchmarks/purchase.py [-n 30] [--embedded] [--latency 150]

``--latency MS`` then times engine purchases with MS added to every sandbox answer against the
floor (minimum calls × MS) and lists the calls the sandbox saw per purchase. ``figures()`` answers
all of it as a dict (``benchmarks/run.py``).

By default the sandbox runs as its own process (``python -m app.sandbox --port 0``), as a real
service would; ``--embedded`` runs it on a thread of this process instead.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import secrets
import statistics
import string
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.checkout.station import BackendOverrides, Station
from app.partner import PartnerClient, PartnerConfig
from app.partner.models import Address, BillingContact, CardDetails, ReserveRequest
from app.storage import StationPaths, StationStorage

EVENT = "000051048D991EE7"
API_KEY = "sandbox-api-key"
CARD_NUMBER, CVV = "6011993200001006", "123"
CONTACT = {"first_name": "Jo", "last_name": "Tester", "email_address": "jo@example.com", "home_phone": "212-867-5309",
           "address": {"line1": "1 Main St", "line2": "", "unit": "", "city": "New York", "country": {"code": "US"},
                       "region": {"abbrev": "NY"}, "postal_code": "10001"}}
SALT_ALPHABET = string.ascii_letters + string.digits  # the support FAQ's valid salting characters


# ----- the bare script ---------------------------------------------------------------------------
class BareBuyer:
    def __init__(self, partner_base: str) -> None:
        self.http = httpx.AsyncClient(base_url=partner_base, params={"apikey": API_KEY}, timeout=30)
        self.key = None
        self.key_id = ""

    async def _answer(self, response: httpx.Response) -> dict:
        while response.status_code == 202:  # polling, should the sandbox ask for it
            body = response.json()
            await asyncio.sleep(body.get("wait", 1))
            response = await self.http.get(body["polling_url"])
        response.raise_for_status()
        return response.json() if response.content else {}

    def _encrypt(self, plain: str) -> str:
        salt = "".join(secrets.choice(SALT_ALPHABET) for _ in range(16))
        return base64.b64encode(self.key.encrypt((salt + plain).encode(), padding.PKCS1v15())).decode()

    async def buy(self, ticket_type: str) -> str:
        if self.key is None:
            cert = (await self.http.get("/certificate")).json()
            self.key = x509.load_pem_x509_certificate(cert["value"].encode()).public_key()
            self.key_id = cert["id"]
        cart = await self._answer(await self.http.post(
            f"/events/{EVENT}/cart", json={"reserve": {"tickets": [{"id": ticket_type, "quantity": 2}]}}))
        cart_id = cart["cart_id"]
        options = (await self._answer(await self.http.get(f"/events/{EVENT}/cart/shipping",
                                                          params={"cart_id": cart_id})))["shipping_options"]
        shipped = await self._answer(await self.http.put(f"/events/{EVENT}/cart/shipping", params={"cart_id": cart_id},
                                                         json={"shipping_id": options[0]["id"]}))
        totals = shipped["cart"]["totals"]
        amount = Decimal(str(totals.get("unpaid", totals["grand"]))).quantize(Decimal("0.01"))
        payment = {"type": "CC", **CONTACT, "amount": str(amount),
                   "card": {"issuer": "DISCOVER", "number": self._encrypt(CARD_NUMBER), "cin": self._encrypt(CVV),
                            "encryption_key": self.key_id, "expire_month": 12, "expire_year": 2031,
                            "postal_code": "10001"}}
        await self._answer(
            await self.http.put(f"/events/{EVENT}/cart/payment", json={"cart_id": cart_id, "payment": payment})
        )
        order = await self._answer(await self.http.put(f"/events/{EVENT}/cart", json={"cart_id": cart_id}))
        return order["order_number"]

    async def close(self) -> None:
        await self.http.aclose()


# ----- the engine ----------------------------------------------------------------------------------
CARD = CardDetails(number=CARD_NUMBER, cvv=CVV, expire_month=12, expire_year=2031, issuer="DISCOVER")
BUYER = BillingContact(
    first_name="Jo",
    last_name="Tester",
    email="jo@example.com",
    phone="212-867-5309",
    address=Address(line1="1 Main St", city="New York", country="US", region="NY", postal_code="10001"),
)


async def engine_buy(station: Station, ticket_type: str) -> str:
    sale = station.new_sale(EVENT)
    await sale.reserve(ReserveRequest.simple(ticket_type, 2))
    options = await sale.shipping_options()
    await sale.choose_shipping(options[0].id)
    await sale.pay_card(CARD, BUYER)
    return (await sale.commit()).order_number


async def client_buy(client, ticket_type: str) -> str:
    """The same sale on the bare PartnerClient: no state machine, no journal (splits the overhead)."""
    cart = await client.reserve(EVENT, ReserveRequest.simple(ticket_type, 2))
    options = await client.shipping_options(EVENT, cart.cart_id)
    cart = await client.select_shipping(EVENT, cart.cart_id, options[0].id)
    await client.payments.add_card_payment(EVENT, cart.cart_id, CARD, BUYER, cart.unpaid)
    return (await client.commit(EVENT, cart.cart_id)).order_number


# ----- the run -------------------------------------------------------------------------------------
def daytime() -> str:
    """18:00 UTC today: every fixture venue is awake. The sandbox keeps real time by default, and
    the test event's venue (New York) is in its nightly maintenance from 05:00 to 07:00 UTC (in
    winter), when every sale is refused (20001)."""
    return datetime.now(UTC).replace(hour=18, minute=0, second=0, microsecond=0).isoformat()


def start_sandbox(embedded: bool, latency_ms: int = 0):
    if embedded:
        from app.sandbox import EmbeddedSandbox, SandboxConfig

        scenario: dict = {"now": daytime()}
        if latency_ms:
            scenario["latency_ms"] = latency_ms
        server = EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0, scenario=scenario))
        return server.start(), server.stop
    latency = ["--latency-ms", str(latency_ms)] if latency_ms else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.sandbox", "--port", "0", "--now", daytime(), *latency],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stdout:
        if line.startswith("Sandbox listening on "):
            return line.split()[3].strip(), lambda: (proc.terminate(), proc.wait(10))
    raise SystemExit("the sandbox did not start")


async def measure(base_url: str, rounds: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    home = tempfile.mkdtemp(prefix="boxoffice-bench-")
    station = Station(StationStorage(StationPaths.under(home)), overrides=BackendOverrides(base_url, API_KEY))
    await station.start()
    bare = BareBuyer(base_url + "/partners/v1")
    client = PartnerClient(PartnerConfig(partner_base_url=base_url + "/partners/v1", api_key=API_KEY))
    times: dict[str, list[float]] = {"engine": [], "client": [], "bare": []}
    cpu: dict[str, list[float]] = {"engine": [], "client": [], "bare": []}
    try:
        ticket_type = (await station.availability(EVENT)).offers[0].ticket_type_id
        sides = [
            ("engine", lambda: engine_buy(station, ticket_type)),
            ("client", lambda: client_buy(client, ticket_type)),
            ("bare", lambda: bare.buy(ticket_type)),
        ]
        for _ in range(3):  # warm-up: certificates, connections, code paths
            for _, buy in sides:
                await buy()
        for i in range(rounds):
            for name, buy in sides[i % 3 :] + sides[: i % 3]:  # rotate who goes first
                started, cpu_started = time.perf_counter(), time.process_time()
                await buy()
                times[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - cpu_started)
    finally:
        await bare.close()
        await client.aclose()
        await station.close()
    return times, cpu


MINIMUM_CALLS = ("POST /cart (reserve)", "GET /cart/shipping", "PUT /cart/shipping", "PUT /cart/payment",
                 "PUT /cart (commit)")  # plus the certificate once per 24 h, fetched in the warm-up


async def measure_latency(base_url: str, purchases: int) -> dict:
    """Engine purchases against a sandbox that delays every answer: wall time per purchase and the
    API calls the sandbox saw for each (its request log, tester controls left out)."""
    home = tempfile.mkdtemp(prefix="boxoffice-bench-")
    station = Station(StationStorage(StationPaths.under(home)), overrides=BackendOverrides(base_url, API_KEY))
    await station.start()
    walls: list[float] = []
    calls: list[list[str]] = []
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as control:
            async def logged() -> list[dict]:
                entries = (await control.get("/_sandbox/log", params={"limit": 2000})).json()["requests"]
                return [e for e in entries if not e["path"].startswith("/_sandbox/")]

            ticket_type = (await station.availability(EVENT)).offers[0].ticket_type_id
            await engine_buy(station, ticket_type)  # warm-up: the certificate, the connection
            for _ in range(purchases):
                seen = len(await logged())
                started = time.perf_counter()
                await engine_buy(station, ticket_type)
                walls.append(time.perf_counter() - started)
                calls.append([f"{e['method']} {e['path']}" for e in (await logged())[seen:]])
    finally:
        await station.close()
    return {"walls": walls, "calls": calls}


def figures(rounds: int = 30, latency_purchases: int = 5, latency_ms: int = 150, embedded: bool = False) -> dict:
    """Everything ``benchmarks/run.py`` reports of purchases: engine vs bare (and client), then the
    engine under added latency and the calls it makes per purchase."""
    base_url, stop = start_sandbox(embedded)
    try:
        times, cpu = asyncio.run(measure(base_url, rounds))
    finally:
        stop()
    med = statistics.median
    result = {
        "rounds": rounds, "engine_ms": med(times["engine"]) * 1000, "client_ms": med(times["client"]) * 1000,
        "bare_ms": med(times["bare"]) * 1000, "ratio": med(times["engine"]) / med(times["bare"]),
        "client_ratio": med(times["client"]) / med(times["bare"]),
        "cpu_ms": {name: med(values) * 1000 for name, values in cpu.items()},
    }
    base_url, stop = start_sandbox(embedded, latency_ms)
    try:
        slow = asyncio.run(measure_latency(base_url, latency_purchases))
    finally:
        stop()
    counts = [len(c) for c in slow["calls"]]
    result.update({
        "latency_ms": latency_ms, "latency_purchases": latency_purchases,
        "latency_wall_ms": med(slow["walls"]) * 1000,
        "latency_floor_ms": len(MINIMUM_CALLS) * latency_ms,
        "latency_ratio": med(slow["walls"]) * 1000 / (len(MINIMUM_CALLS) * latency_ms),
        "calls_per_purchase": max(counts), "extra_calls": max(counts) - len(MINIMUM_CALLS),
        "calls_seen": slow["calls"][counts.index(max(counts))],
    })
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=30)
    parser.add_argument("--embedded", action="store_true", help="run the sandbox in this process")
    parser.add_argument("--latency", type=int, default=0, metavar="MS",
                        help="also time engine purchases with MS added to every sandbox answer, and count calls")
    args = parser.parse_args()
    base_url, stop = start_sandbox(args.embedded)
    try:
        times, cpu = asyncio.run(measure(base_url, args.rounds))
    finally:
        stop()
    engine, client, bare = times["engine"], times["client"], times["bare"]
    med, p10 = statistics.median, (lambda xs: sorted(xs)[len(xs) // 10])
    print(f"sandbox: {'embedded thread' if args.embedded else 'separate process'}; {args.rounds} sales each side")
    for name, xs in (
        ("engine (Station/CheckoutSession)", engine),
        ("PartnerClient alone", client),
        ("bare httpx script", bare),
    ):
        print(
            f"{name:33s} median {med(xs) * 1000:6.1f} ms  p10 {p10(xs) * 1000:6.1f} ms  mean "
            f"{statistics.mean(xs) * 1000:6.1f} ms"
        )
    print(f"ratio engine/bare, medians: {med(engine) / med(bare):.3f}  (target <= 1.10)")
    print(f"ratio engine/bare, p10 (least disturbed by other load on the machine): {p10(engine) / p10(bare):.3f}")
    print(f"ratio engine/bare, totals:  {sum(engine) / sum(bare):.3f}")
    print(
        f"  of which the client (client/bare, medians): {med(client) / med(bare):.3f}; "
        f"the checkout engine itself (engine/client): {med(engine) / med(client):.3f}"
    )
    if not args.embedded:  # this process's CPU only (the sandbox runs elsewhere): steadier under load
        print(
            "CPU time in this process per sale, medians: "
            + ", ".join(f"{name} {med(cpu[name]) * 1000:.2f} ms" for name in ("engine", "client", "bare"))
        )
    if args.latency:
        base_url, stop = start_sandbox(args.embedded, args.latency)
        try:
            slow = asyncio.run(measure_latency(base_url, 5))
        finally:
            stop()
        floor = len(MINIMUM_CALLS) * args.latency
        print(f"with {args.latency} ms added to every answer: engine purchase median {med(slow['walls']) * 1000:.0f} ms"
              f" vs {len(MINIMUM_CALLS)} calls x {args.latency} ms = {floor} ms: ratio "
              f"{med(slow['walls']) * 1000 / floor:.3f} (target <= 1.05)")
        print("calls per purchase: " + "; ".join(", ".join(c) for c in slow["calls"][:1])
              + f" ({max(map(len, slow['calls']))}, minimum {len(MINIMUM_CALLS)})")


if __name__ == "__main__":
    main()
