"""Seat-map benchmark on the 60,000-seat stadium event: prints figures, asserts nothing.

    .venv/bin/python benchmarks/gui_seatmap.py [--runs 5] [--event 3B00STADIUM00007] [--gc-freeze]
        [--switch-interval MS]

Measures, against an embedded sandbox on loopback, offscreen:

- load: from the availability answer's bytes in hand to the inventory table and the seat map shown
  (JSON parse + models on a thread, layout and table lines on the event-views worker, scene build,
  then the first paint of the map and of the table *as the window schedules them* — the benchmark
  waits for both paint events instead of forcing repaints) — target ≤ 250 ms; with the process's
  CPU time per load, since the machine may be shared;
- GUI stall during that load: a 5 ms heartbeat QTimer on the GUI thread; the figure is how late
  each beat fired (max and p99) — the issue asks max ≤ 50 ms, p99 ≤ 16 ms;
- frame times: synchronous repaints of the map while zooming from the whole venue (section blocks)
  into single seats and panning across, per level of detail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import qasync
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from app.gui.event.inventory import InventoryTable, inventory_entries
from app.gui.seatmap.layout import compute_layout
from app.gui.seatmap.view import SeatMapView
from app.partner.models import Availability
from app.sandbox import EmbeddedSandbox, SandboxConfig


class Heartbeat:
    """A fast timer on the GUI thread; its lateness is how long the GUI could not react."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms / 1000
        self.late: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self.late.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, now - self._last - self.interval))
        self._last = now


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def phases(body: bytes) -> dict[str, float]:
    """CPU seconds of each step when run alone on one thread (what the load spreads over threads)."""
    steps: dict[str, float] = {}
    mark = time.thread_time()

    def step(name: str) -> None:
        nonlocal mark
        now = time.thread_time()
        steps[name] = now - mark
        mark = now

    raw = json.loads(body)
    step("json")
    availability = Availability.from_json(raw)
    step("models")
    compute_layout(availability)
    step("map layout")
    inventory_entries(availability)
    step("table lines")
    return steps


ONE_SHOT_JSON = False


class PaintWatch(QObject):
    """Notes when a widget gets a paint event (the paint itself runs right after the filter)."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.painted: set[QWidget] = set()
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.add(watched)
        return False


async def load_once(body: bytes, seat_map: SeatMapView, table: InventoryTable, beat: Heartbeat,
                    watch: PaintWatch) -> tuple[float, float]:
    """One load as the event page does it; "shown" is when both the map's and the table's first
    paint after the load have run (the window paints them in its own time, as in the app)."""
    beat.start()
    cpu = time.process_time()
    started = time.perf_counter()
    if ONE_SHOT_JSON:  # the earlier way: one json.loads holding the GIL for the whole answer
        availability = await asyncio.to_thread(lambda: Availability.from_json(json.loads(body)))
    else:  # what app/partner/client.py does: the JSON decoded in steps on a thread
        availability = await asyncio.to_thread(Availability.from_body, body)
    await asyncio.gather(seat_map.load(availability), table.load(availability))
    while len(watch.painted) < 2:  # resumes on a later turn of the loop: the paints have finished
        await asyncio.sleep(0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    await asyncio.sleep(0.05)  # let the heartbeat see the end of the load
    beat.stop()
    return elapsed, cpu


def frame_times(seat_map: SeatMapView) -> dict[str, list[float]]:
    """Zoom in from the whole venue to seats, then pan; one synchronous repaint per step."""
    frames: dict[str, list[float]] = {"sections (blocks)": [], "seats": []}
    seat_map.fit()
    place = next(iter(seat_map.layout_data.place_index))
    seat_map.centerOn(seat_map.mapToScene(seat_map.place_viewport_pos(place)))
    for _ in range(14):
        seat_map.zoom_in()
        started = time.perf_counter()
        seat_map.viewport().repaint()
        frames["seats" if seat_map.showing_seats() else "sections (blocks)"].append(time.perf_counter() - started)
    seat_map.zoom_to_place(place, 12.0)
    bar = seat_map.horizontalScrollBar()
    for _ in range(30):
        bar.setValue(bar.value() + 40)
        started = time.perf_counter()
        seat_map.viewport().repaint()
        frames["seats"].append(time.perf_counter() - started)
    seat_map.fit()
    for _ in range(10):
        bar.setValue(bar.value() + 10)
        started = time.perf_counter()
        seat_map.viewport().repaint()
        frames["sections (blocks)"].append(time.perf_counter() - started)
    return frames


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--event", default="3B00STADIUM00007")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="set the garbage collector once the window is up as the app does after start-up "
                             "(app.gui.gcpolicy: gc.freeze, rarer full collections)")
    parser.add_argument("--one-shot-json", action="store_true",
                        help="decode the answer with one json.loads + from_json instead of what the client "
                             "does (Availability.from_body: JSON in steps, the GIL can pass between rows)")
    parser.add_argument("--switch-interval", type=float, default=0.0,
                        help="sys.setswitchinterval in ms during the loads (Python's default is 5 ms)")
    return parser


def figures(runs: int = 5, event: str = "3B00STADIUM00007", gc_freeze: bool = True,
            switch_interval: float = 1.0) -> dict:
    """The figures as a dict (``benchmarks/run.py``); by default with what ``python -m app`` does
    after start-up (its garbage-collector policy, a 1 ms switch interval)."""
    argv = ["--runs", str(runs), "--event", event, "--switch-interval", str(switch_interval)]
    return measure(_parser().parse_args(argv + (["--gc-freeze"] if gc_freeze else [])))


def main() -> int:
    measure(_parser().parse_args())
    return 0


def measure(args: argparse.Namespace) -> dict:
    global ONE_SHOT_JSON
    ONE_SHOT_JSON = args.one_shot_json
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with EmbeddedSandbox(SandboxConfig(host="127.0.0.1", port=0)) as sandbox:
        # 12:00 UTC tomorrow on the sandbox clock: no venue is in its 00:00–02:00 maintenance then.
        noon = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), dt_time(12), UTC)
        httpx.post(f"{sandbox.base_url}/_sandbox/scenario", json={"now": noon.isoformat()}, timeout=30)
        fetched = time.perf_counter()
        body = httpx.get(f"{sandbox.partner_base}/events/{args.event}/availability",
                         params={"apikey": "sandbox-api-key"}, timeout=60).content
        fetched = time.perf_counter() - fetched
    window = QWidget()
    window.resize(1400, 900)
    row = QHBoxLayout(window)
    table, seat_map = InventoryTable(), SeatMapView()
    row.addWidget(table, 1)
    row.addWidget(seat_map, 2)
    window.show()
    app.processEvents()
    if args.gc_freeze:
        from app.gui.gcpolicy import settle_after_start_up

        settle_after_start_up()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    beat = Heartbeat()
    watch = PaintWatch(seat_map.viewport(), table.viewport())
    # A paint counts once the new content is in: the map's scene replaced, the table's model reset.
    seat_map.layoutShown.connect(lambda: watch.painted.discard(seat_map.viewport()))
    table.model().modelReset.connect(lambda: watch.painted.discard(table.viewport()))
    loads, cpus, late = [], [], []
    for _ in range(args.runs):
        elapsed, cpu = loop.run_until_complete(load_once(body, seat_map, table, beat, watch))
        loads.append(elapsed)
        cpus.append(cpu)
        late.extend(beat.late)
    layout = seat_map.layout_data
    print(f"event {args.event}: {layout.seat_count:,} seats drawn ({layout.available:,} free) in "
          f"{len(layout.sections)} sections; answer {len(body) / 1e6:.1f} MB fetched in {ms(fetched)}")
    print(f"answer → table + seat map shown ({args.runs} runs): median {ms(statistics.median(loads))}, "
          f"max {ms(max(loads))}   (target ≤ 250 ms); process CPU per load: median {ms(statistics.median(cpus))}")
    alone = phases(body)
    print("  CPU per step alone: " + ", ".join(f"{name} {ms(v).strip()}" for name, v in alone.items())
          + f"; machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"GUI heartbeat lateness during loads: max {ms(max(late, default=0))}, "
          f"p99 {ms(percentile(late, 0.99))}, beats {len(late)}   (target max ≤ 50 ms, p99 ≤ 16 ms)")
    frames = frame_times(seat_map)
    for name, values in frames.items():
        if values:
            print(f"frame time, {name:18s}: median {ms(statistics.median(values))}, "
                  f"p95 {ms(percentile(values, 0.95))}, max {ms(max(values))}  ({len(values)} frames)")
    window.close()
    loop.close()
    every = [v for values in frames.values() for v in values]
    return {"runs": args.runs, "seats": layout.seat_count, "load_ms": statistics.median(loads) * 1000,
            "load_max_ms": max(loads) * 1000, "load_cpu_ms": statistics.median(cpus) * 1000,
            "load_stall_max_ms": max(late, default=0) * 1000, "load_stall_p99_ms": percentile(late, 0.99) * 1000,
            "frame_max_ms": max(every) * 1000, "frame_p95_ms": percentile(every, 0.95) * 1000,
            "frame_median_ms": statistics.median(every) * 1000, "frames": len(every),
            "frames_by_level": {name: max(values) * 1000 for name, values in frames.items() if values}}


if __name__ == "__main__":
    raise SystemExit(main())
