"""The sandbox under concurrent purchase flows, each in its own process: prints figures, asserts nothing.

    .venv/bin/python benchmarks/sandbox_load.py [--flows 20 50] [--purchases 2]

The sandbox runs as its own process (``python -m app.sandbox --port 0``). For each count of flows,
that many worker processes start, import everything and say they are ready; then all are told to
go at once and each makes ``--purchases`` whole documented purchases one after the other (the
flow of ``benchmarks/sandbox_purchase.py``: captcha, availability, reserve with forced polling,
delivery, certificate, encrypted card, commit, order lookup). Reported per count: flows and
purchases completed, errors, purchases per second (from "go" to the last flow done) and the
client-observed latency of every call (median, p99, max).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from harness import percentile  # noqa: E402  (benchmarks/ is not a package)


def worker(base_url: str, purchases: int) -> None:
    """One flow: ready → wait for "go" on stdin → purchases → one JSON line."""
    import sandbox_purchase

    print("ready", flush=True)
    sys.stdin.readline()
    latencies: list[float] = []
    errors: list[str] = []
    done = 0
    for _ in range(purchases):
        client = sandbox_purchase.TimedClient(base_url)
        try:
            sandbox_purchase.purchase(client)
            done += 1
        except (SystemExit, Exception) as exc:  # a failed purchase is a figure here, not a crash
            errors.append(str(exc)[:200])
        finally:
            latencies.extend(call["client_ms"] for call in client.calls)
            client.http.close()
    print(json.dumps({"done": done, "errors": errors, "latencies_ms": latencies}), flush=True)


def start_sandbox() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "app.sandbox", "--port", "0", "--polling-wait", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.readline().strip()
    if not first.startswith("Sandbox listening on "):
        process.kill()
        raise RuntimeError(f"the sandbox did not start: {first!r}")
    return process, first.rsplit(" ", 1)[-1]


def one_load(base_url: str, flows: int, purchases: int) -> dict:
    workers = [subprocess.Popen([sys.executable, __file__, "--worker", base_url, "--purchases", str(purchases)],
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for _ in range(flows)]
    for process in workers:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("a worker did not start")
    started = time.perf_counter()
    for process in workers:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in workers:
        line = process.stdout.readline()
        results.append(json.loads(line) if line.strip() else {"done": 0, "errors": ["no answer"], "latencies_ms": []})
    wall = time.perf_counter() - started
    for process in workers:
        process.wait(30)
    latencies = [v for r in results for v in r["latencies_ms"]]
    errors = [e for r in results for e in r["errors"]]
    done = sum(r["done"] for r in results)
    return {"flows": flows, "purchases": flows * purchases, "completed": done, "errors": len(errors),
            "first_errors": errors[:3], "wall_s": wall, "purchases_per_s": done / wall, "calls": len(latencies),
            "latency_median_ms": statistics.median(latencies) if latencies else None,
            "latency_p99_ms": percentile(latencies, 0.99), "latency_max_ms": max(latencies, default=0.0)}


def figures(flows: tuple[int, ...] | list[int] = (20, 50), purchases: int = 2) -> dict:
    import httpx

    sandbox_process, base_url = start_sandbox()
    try:
        import sandbox_purchase

        with httpx.Client(base_url=base_url, timeout=30) as control:
            sandbox_purchase.keep_out_of_niterun(control, 0)
        return {"loads": [one_load(base_url, count, purchases) for count in flows]}
    finally:
        sandbox_process.terminate()
        sandbox_process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--purchases", type=int, default=2, help="purchases per flow, one after the other")
    parser.add_argument("--worker", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.purchases)
        return
    for load in figures(args.flows, args.purchases)["loads"]:
        print(f"{load['flows']} flows x {args.purchases} purchases: {load['completed']}/{load['purchases']} completed, "
              f"{load['errors']} errors, {load['purchases_per_s']:.1f} purchases/s over {load['wall_s']:.1f} s; "
              f"{load['calls']} calls, latency median {load['latency_median_ms']:.1f} ms, "
              f"p99 {load['latency_p99_ms']:.1f} ms, max {load['latency_max_ms']:.1f} ms")
        for error in load["first_errors"]:
            print(f"  error: {error}")


if __name__ == "__main__":
    main()
