"""Partner client overhead, against the embedded sandbox: the client's calls vs the same calls made
with bare httpx, interleaved, plus the stadium availability parse and card encryption on their own.

Run: ``.venv/bin/python benchmarks/partner_client.py [--rounds 30]``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from app.partner import PartnerClient, PartnerConfig
from app.partner.cardcrypto import encrypt_card
from app.partner.models import Availability, CardDetails
from app.sandbox import EmbeddedSandbox, SandboxConfig

EVENT = "2000527EE48A9334"
STADIUM = "3B00STADIUM00007"


def _ms(samples: list[float]) -> str:
    p90 = sorted(samples)[int(len(samples) * 0.9)]
    return f"median {statistics.median(samples) * 1000:7.2f} ms  p90 {p90 * 1000:7.2f} ms"


async def main(rounds: int) -> None:
    with EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0)) as sandbox:
        httpx.post(sandbox.base_url + "/_sandbox/reset").raise_for_status()
        httpx.post(
            sandbox.base_url + "/_sandbox/scenario",
            json={
                "now": time.strftime("%Y-%m-%dT18:00:00+00:00", time.gmtime()),
                "quota_events_per_minute": 100000,
                "quota_availability_per_hour": 100000,
            },
        ).raise_for_status()
        config = PartnerConfig.for_sandbox(sandbox.base_url, availability_cache_seconds=0)
        base = config.partner_base_url
        key = {"apikey": config.api_key}
        client_times: dict[str, list[float]] = {"events": [], "availability": [], "stadium": []}
        bare_times: dict[str, list[float]] = {"events": [], "availability": [], "stadium": []}
        async with PartnerClient(config) as client, httpx.AsyncClient() as bare:
            await client.events()
            await bare.get(base + "/events", params=key)
            for _ in range(rounds):
                for name, call, raw in (
                    ("events", client.events, lambda: bare.get(base + "/events", params=key)),
                    (
                        "availability",
                        lambda: client.availability(EVENT, fresh=True),
                        lambda: bare.get(f"{base}/events/{EVENT}/availability", params=key),
                    ),
                    (
                        "stadium",
                        lambda: client.availability(STADIUM, fresh=True),
                        lambda: bare.get(f"{base}/events/{STADIUM}/availability", params=key),
                    ),
                ):
                    started = time.perf_counter()
                    await call()
                    client_times[name].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    (await raw()).json()
                    bare_times[name].append(time.perf_counter() - started)
            stadium_json = (await bare.get(f"{base}/events/{STADIUM}/availability", params=key)).json()
            certificate = await client.payments.certificate()

    print(f"{rounds} rounds, client vs bare httpx (+ .json()), same sandbox, interleaved")
    for name in client_times:
        ratio = statistics.median(client_times[name]) / statistics.median(bare_times[name])
        print(f"  {name:13s} client {_ms(client_times[name])} | bare {_ms(bare_times[name])} | ratio {ratio:.2f}")
    parse = []
    for _ in range(max(3, rounds // 5)):
        started = time.perf_counter()
        parsed = Availability.from_json(stadium_json)
        parse.append(time.perf_counter() - started)
    seats = sum(len(r.seats) for t in parsed.tickets for r in t.inventory)
    print(f"  stadium parse into models ({seats} seats): {_ms(parse)}")
    card = CardDetails("6011993200001006", "123", 12, 2030, "DISCOVER")
    crypt = []
    for _ in range(50):
        started = time.perf_counter()
        encrypt_card(certificate, card)
        crypt.append(time.perf_counter() - started)
    print(f"  card encryption (number + CVV, RSA-2048): {_ms(crypt)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    asyncio.run(main(parser.parse_args().rounds))
