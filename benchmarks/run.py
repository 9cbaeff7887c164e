"""Every figure of the performance issue in one run, printed as one table: prints figures, asserts nothing.

    .venv/bin/python benchmarks/run.py [--quick] [--display :62] [--json results.json]

Each benchmark runs in its own fresh interpreter (``harness.run_child``) and answers its figures;
the table puts each beside its baseline measured in the same run, its target and pass/MISS:

- start-up until the events are listed vs a bare PySide6 label window, beside the floor the required
  stack alone sets (PySide6 + qasync + httpx listing ten rows); memory; first sign-in page
  (``startup.py``);
- purchases through the checkout engine vs bare httpx, interleaved; with 150 ms added to every
  sandbox answer vs (minimum calls) × 150 ms; API calls per purchase (``purchase.py``);
- GUI stall during whole stadium purchases in the real window, embedded sandbox as ``python -m app``
  runs it (``gui_stall.py``);
- the 60,000-seat answer → table and map shown, and map frame times (``gui_seatmap.py``);
- the sandbox under 20, then 50 concurrent purchase flows in separate processes (``sandbox_load.py``).

The window's figures use the X display given by ``--display`` (or ``$DISPLAY``), else offscreen.
A full run takes a few minutes on a 2-core machine; ``--quick`` runs each part briefly (to prove the
harness works, figures rough). Progress goes to stderr, the table to stdout; the machine and its
load average are printed with it, since figures taken under other load are only honest if said so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Figure, build_table, run_child, summary

FULL = {"startup": {"runs": 7, "signin_runs": 3},
        "purchase": {"rounds": 40, "latency_purchases": 7},
        "stall": {"runs": 5},
        "seatmap": {"runs": 7},
        "load": {"flows": [20, 50], "purchases": 2}}
QUICK = {"startup": {"runs": 1, "signin_runs": 1},
         "purchase": {"rounds": 5, "latency_purchases": 1},
         "stall": {"runs": 1},
         "seatmap": {"runs": 1},
         "load": {"flows": [20, 50], "purchases": 1}}


def _failed(name: str, result: dict) -> Figure | None:
    return Figure(name, None, note=result["error"]) if "error" in result else None


def startup_figures(r: dict) -> list[Figure]:
    if "error" in r:
        names = ("start-up ratio", "start-up floor", "RSS after start-up", "first sign-in view")
        return [Figure(n, None, note=r["error"]) for n in names]
    return [
        Figure("start-up: `python -m app` until events listed", r["ratio"], "×", 1.5,
               baseline=f"bare PySide6 label window {r['bare_s']:.2f} s", target="≤ 1.5×",
               note=f"{r['app_s']:.2f} s; list up at {r['summaries_s']:.2f} s"),
        Figure("floor: PySide6 + qasync + httpx alone, 10 rows from loopback", r["floor_ratio"], "×",
               baseline=f"bare PySide6 label window {r['bare_s']:.2f} s", target="— (what the stack itself costs)",
               note=f"{r['floor_s']:.2f} s; the app is {r['app_over_floor']:.2f}× this"),
        Figure("resident memory after start-up", r["rss_mb"], "MB", 200,
               baseline=f"bare label window {r['bare_rss_mb']:.0f} MB", target="≤ 200 MB",
               note="QtWebEngine already loaded" if r["webengine_loaded"] else "no web engine"),
        Figure("Sign in… → sign-in page shown in the web view", r["signin_loaded_s"], "s", 1.0, target="≤ 1.0 s",
               note=f"dialog up after {r['signin_dialog_shown_s']:.2f} s" if r["signin_dialog_shown_s"] else ""),
    ]


def purchase_figures(r: dict) -> list[Figure]:
    if "error" in r:
        return [Figure(n, None, note=r["error"]) for n in ("purchase ratio", "latency ratio", "extra calls")]
    return [
        Figure("purchase through the checkout engine (median)", r["ratio"], "×", 1.10,
               baseline=f"bare httpx, interleaved: {r['bare_ms']:.1f} ms/sale", target="≤ 1.10×",
               note=f"{r['engine_ms']:.1f} ms; client alone {r['client_ratio']:.2f}×"),
        Figure(f"purchase with {r['latency_ms']} ms added to every sandbox answer", r["latency_ratio"], "×", 1.05,
               baseline=f"5 calls × {r['latency_ms']} ms = {r['latency_floor_ms']} ms", target="≤ 1.05×",
               note=f"{r['latency_wall_ms']:.0f} ms"),
        Figure("API calls per purchase beyond the minimum", r["extra_calls"], "calls", 0,
               baseline="minimum 5: reserve, shipping GET + PUT, payment, commit", target="0",
               note=f"{r['calls_per_purchase']} seen"),
    ]


def stall_figures(r: dict) -> list[Figure]:
    if "error" in r:
        return [Figure(n, None, note=r["error"]) for n in ("GUI stall max", "GUI stall p99")]
    where = ("sandbox process" if not r["embedded"] else
             "embedded sandbox, in process" if r.get("in_process") else "embedded sandbox, child process")
    return [
        Figure("GUI stall, whole 60k-seat purchases (max)", r["max_ms"], "ms", 50,
               baseline=f"5 ms heartbeat, {r['runs']} purchases, {where}", target="≤ 50 ms",
               note=f"worst in: {r['worst_phase']}"),
        Figure("GUI stall, whole 60k-seat purchases (p99)", r["p99_ms"], "ms", 16,
               baseline=f"{r['beats']} beats", target="≤ 16 ms"),
    ]


def seatmap_figures(r: dict) -> list[Figure]:
    if "error" in r:
        return [Figure(n, None, note=r["error"]) for n in ("60k answer shown", "seat-map frame")]
    return [
        Figure("60k-seat availability answer → table + map shown", r["load_ms"], "ms", 250, target="≤ 250 ms",
               baseline=f"{r['seats']:,} seats, median of {r['runs']}",
               note=f"stall while loading max {r['load_stall_max_ms']:.0f} ms"),
        Figure("seat-map frame while zooming/panning (max)", r["frame_max_ms"], "ms", 16, target="≤ 16 ms",
               baseline=f"{r['frames']} frames", note=f"p95 {r['frame_p95_ms']:.1f} ms"),
    ]


def load_figures(r: dict) -> list[Figure]:
    if "error" in r:
        return [Figure("sandbox under concurrent purchase flows", None, note=r["error"])]
    rows = []
    for load in r["loads"]:
        missing = load["purchases"] - load["completed"]
        rows.append(Figure(f"sandbox, {load['flows']} concurrent purchase flows (processes)",
                           load["errors"] + max(0, missing - load["errors"]), "errors", 0,
                           baseline=f"{load['completed']}/{load['purchases']} purchases done",
                           target="all complete, 0 errors",
                           note=f"{load['purchases_per_s']:.1f} purchases/s, call p99 {load['latency_p99_ms']:.0f} ms",
                           exact=True))
    return rows


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores, from /proc/stat)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def settle(most_s: float = 5.0, window_s: float = 0.25, quiet_share: float = 0.10) -> float:
    """Wait (at most ``most_s``) until the machine is quiet: less than ``quiet_share`` of its cores
    busy over ``window_s``, so what a part left behind (a process still shutting down) does not run
    beside the next one. Answers the seconds waited."""
    started = time.perf_counter()
    cores = os.cpu_count() or 1
    while time.perf_counter() - started < most_s:
        before = busy_seconds()
        time.sleep(window_s)
        if (busy_seconds() - before) / (window_s * cores) < quiet_share:
            break
    return time.perf_counter() - started


def own_seconds() -> float:
    """CPU seconds of this process and every child (and theirs) it has waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model or platform.processor() or 'unknown'}), {platform.system()}, " \
           f"Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each part briefly: proves the harness, figures rough")
    parser.add_argument("--display", default=os.environ.get("DISPLAY", ""),
                        help="X display for the window's figures (default $DISPLAY; none: offscreen)")
    parser.add_argument("--json", metavar="FILE", help="also write every raw figure to FILE")
    parser.add_argument("--only", nargs="+", choices=list(FULL), help="run only these parts")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    home = os.environ.get("BOXOFFICE_HOME") or tempfile.mkdtemp(prefix="boxoffice-bench-")
    gui_env = {"BOXOFFICE_HOME": home,
               "QTWEBENGINE_CHROMIUM_FLAGS": os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")}
    gui_env.update({"DISPLAY": args.display, "QT_QPA_PLATFORM": "xcb"} if args.display
                   else {"QT_QPA_PLATFORM": "offscreen"})
    parts = [
        ("startup", "startup", "measure", gui_env, startup_figures),
        ("purchase", "purchase", "figures", {}, purchase_figures),
        ("stall", "gui_stall", "figures", gui_env, stall_figures),
        ("seatmap", "gui_seatmap", "figures", gui_env, seatmap_figures),
        ("load", "sandbox_load", "figures", {}, load_figures),
    ]
    # The app's bytecode as an installed app has it: pip install and the packaged app compile it, but an
    # editable install under PYTHONDONTWRITEBYTECODE (set on this machine) would compile every module
    # from source at every start and count that as the app's start-up.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "app")],
                   stdout=subprocess.DEVNULL, check=False)
    load_before = os.getloadavg()
    busy_before, own_before = busy_seconds(), own_seconds()
    started = time.perf_counter()
    figures: list[Figure] = []
    raw: dict[str, dict] = {}
    for name, module, function, env, build in parts:
        if args.only and name not in args.only:
            continue
        waited = settle()
        print(f"[{time.perf_counter() - started:6.1f} s] {module}.{function} {plan[name]} "
              f"(machine quiet after {waited:.2f} s) …", file=sys.stderr, flush=True)
        raw[name] = run_child(module, function, plan[name], env=env)
        figures.extend(build(raw[name]))
    took = time.perf_counter() - started
    load_after = os.getloadavg()
    others = max(0.0, (busy_seconds() - busy_before) - (own_seconds() - own_before))
    capacity = took * (os.cpu_count() or 1)
    print(f"Box Office performance ({'quick' if args.quick else 'full'} run, {took:.0f} s, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    print(f"machine: {machine()}; window: {'X display ' + args.display if args.display else 'offscreen'}; "
          f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    print(f"CPU used by other processes during the run (the X server included): {others:.1f} of "
          f"{capacity:.0f} core-seconds ({100 * others / capacity:.0f} %)")
    print()
    print(build_table(figures))
    print()
    print(summary(figures))
    if args.json:
        Path(args.json).write_text(json.dumps({"took_s": took, "load": [load_before, load_after],
                                               "others_cpu_s": others, "raw": raw},
                                              indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
