"""Start-up, memory and the first web view: prints figures, asserts nothing.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--signin-runs 2]

- start-up: from starting the interpreter to the events listed (``python -m app``, embedded
  sandbox, its default configuration) against a bare PySide6 window showing one label, each a
  fresh process, interleaved; the ratio of the medians (target ≤ 1.5);
- resident memory (VmRSS) once the events are listed, before any sign-in; says whether QtWebEngine
  was loaded by then (it should not be);
- first sign-in web view: in a fresh window, idle for a moment after the events are listed (as a
  cashier would be), the click on Sign in… until the sign-in page has loaded in the dialog's web
  view (target ≤ 1.0 s); also when the dialog itself was shown.

Also, as information beside the target: the floor the required stack sets — a program that uses
only PySide6, qasync and httpx (one list widget, one GET to a loopback server already running,
ten rows listed) — and its ratio to the bare window. The app cannot start faster than that floor.

Each run is a child process (``--probe app|bare|floor|signin``) that prints one line when its
moment came; the parent times from before starting it to that line. Uses ``$DISPLAY`` when
``QT_QPA_PLATFORM`` says xcb, else renders offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY = "PROBE-READY "
IDLE_BEFORE_CLICK_S = 2.0
# Loaded by the time the events are listed? (each costs start-up time or memory the first screen may not need)
HEAVY_MODULES = ("keyring", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "starlette", "uvicorn",
                 "cryptography.x509", "pycountry", "phonenumbers", "email_validator", "segno", "sqlite3")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _say(**facts) -> None:
    print(READY + json.dumps(facts), flush=True)


def probe_bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("Box Office")
    label.resize(1280, 800)
    label.show()
    app.processEvents()
    label.repaint()
    _say(rss_mb=_rss_mb())
    os._exit(0)


FLOOR_URL = "BOXOFFICE_BENCH_FLOOR_URL"


def probe_floor() -> None:
    """The required stack and nothing else: PySide6 shows a list, qasync runs the loop, httpx fetches
    the rows from a loopback server the parent started before timing. Its client is built as the
    app's loopback transport is (no CA bundle loaded, no proxy environment read), so the floor does
    not count costs the app does not pay."""
    import asyncio
    import ssl

    import httpx
    import qasync
    from PySide6.QtWidgets import QApplication, QListWidget

    app = QApplication(sys.argv[:1])
    listing = QListWidget()
    listing.resize(1280, 800)
    listing.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def fetch_and_list() -> int:
        transport = httpx.AsyncHTTPTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), trust_env=False)
        async with httpx.AsyncClient(transport=transport, trust_env=False) as client:
            answer = await client.get(os.environ[FLOOR_URL])
        for event in answer.json()["events"]:
            listing.addItem(f"{event['name']} — {event['date']}")
        app.processEvents()
        listing.repaint()
        return listing.count()

    with loop:
        rows = loop.run_until_complete(fetch_and_list())
    _say(rows=rows, rss_mb=_rss_mb())
    os._exit(0)


class _FloorServer:
    """A loopback HTTP server in a thread of the parent, answering ten events as JSON; up before any
    floor run is timed (the app's sandbox start is the app's own cost, not the stack's)."""

    def __enter__(self) -> str:
        import http.server
        import threading

        body = json.dumps({"events": [{"name": f"Event {n}", "date": f"2027-01-{n:02d}"}
                                      for n in range(1, 11)]}).encode()

        class Answer(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/events"

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def _exit_alone(window, code: int) -> None:
    """End the probe once its figures are said, and its sandbox child with it (the harness waits for
    the probe to exit). Left to notice its parent's death by itself, the child lived on for 1-2 s and
    its shutdown shared the cores with the next run (and the next part of ``run.py``)."""
    sandbox = getattr(window.station, "sandbox", None)
    stop = getattr(sandbox, "stop", None)
    if callable(stop):
        stop()
    os._exit(code)


def probe_app(signin: bool) -> None:
    """``python -m app`` itself (``app.__main__.main``), told to speak once the events are listed."""
    sys.path.insert(0, str(ROOT))
    import app.__main__ as entry

    original_run = entry._run

    async def run(window, args, qapp):
        import asyncio

        listed = asyncio.get_running_loop().create_future()
        load_events = window.load_events

        def load_and_tell():
            task = load_events()
            task.add_done_callback(lambda t: listed.done() or listed.set_result(t))
            return task

        window.load_events = load_and_tell
        summaries_shown: list[float] = []
        window.eventsLoaded.connect(lambda: summaries_shown.append(time.perf_counter()))
        runner = asyncio.ensure_future(original_run(window, args, qapp))
        await listed
        qapp.processEvents()
        window.repaint()
        rows = window.events.model.rowCount()
        webengine = any(name.startswith("PySide6.QtWebEngine") for name in sys.modules)
        if not signin:
            heavy = [name for name in HEAVY_MODULES if name in sys.modules]
            _say(rows=rows, rss_mb=_rss_mb(), webengine_loaded=webengine, loaded=heavy,
                 summaries_before_s=time.perf_counter() - summaries_shown[0] if summaries_shown else None)
            _exit_alone(window, 0)
        await asyncio.sleep(IDLE_BEFORE_CLICK_S)
        shown = loaded = None
        started = time.perf_counter()
        window.member_panel.sign_in()
        dialog = window.member_panel.dialog
        while time.perf_counter() - started < 30:
            if shown is None and dialog.isVisible():
                shown = time.perf_counter() - started
            if dialog.message.text() == "The member signs in on the page above.":
                loaded = time.perf_counter() - started
                break
            await asyncio.sleep(0.002)
        _say(rows=rows, dialog_shown_s=shown, page_loaded_s=loaded, rss_before_mb=None)
        _exit_alone(window, 0 if loaded else 1)
        await runner

    entry._run = run
    sys.exit(entry.main([]))


def _one(kind: str, env: dict) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--probe", kind], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    facts: dict = {}
    for line in process.stdout:
        if line.startswith(READY):
            facts = json.loads(line[len(READY):])
            facts["wall_s"] = time.perf_counter() - started
            break
    process.stdout.close()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if not facts:
        raise RuntimeError(f"the {kind} probe never said it was ready (exit {process.returncode})")
    return facts


def measure(runs: int = 5, signin_runs: int = 2) -> dict:
    home = os.environ.get("BOXOFFICE_HOME") or tempfile.mkdtemp(prefix="boxoffice-bench-")
    env = {**os.environ, "BOXOFFICE_HOME": str(Path(home) / "startup")}
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    if env.get("QT_QPA_PLATFORM") != "xcb":
        env["QT_QPA_PLATFORM"] = "offscreen"
    order = ("app", "bare", "floor")
    runs_of: dict[str, list[dict]] = {kind: [] for kind in order}
    with _FloorServer() as url:
        env[FLOOR_URL] = url
        for kind in order:  # warm-up: the station folder exists, files are in the page cache
            _one(kind, env)
        for index in range(runs):  # interleaved, each run starting from another kind
            for kind in order[index % 3:] + order[:index % 3]:
                runs_of[kind].append(_one(kind, env))
    app_runs, bare_runs, floor_runs = (runs_of[kind] for kind in order)
    signins = [_one("signin", env) for _ in range(signin_runs)]
    app_s = statistics.median(r["wall_s"] for r in app_runs)
    bare_s = statistics.median(r["wall_s"] for r in bare_runs)
    floor_s = statistics.median(r["wall_s"] for r in floor_runs)
    loaded = [r["page_loaded_s"] for r in signins if r.get("page_loaded_s") is not None]
    return {
        "app_s": app_s, "bare_s": bare_s, "ratio": app_s / bare_s, "runs": runs,
        "floor_s": floor_s, "floor_ratio": floor_s / bare_s, "app_over_floor": app_s / floor_s,
        "floor_rows": min(r["rows"] for r in floor_runs),
        "rss_mb": statistics.median(r["rss_mb"] for r in app_runs),
        "bare_rss_mb": statistics.median(r["rss_mb"] for r in bare_runs),
        "webengine_loaded": any(r["webengine_loaded"] for r in app_runs),
        "loaded_at_listing": sorted({name for r in app_runs for name in r["loaded"]}),
        "summaries_s": statistics.median(r["wall_s"] - (r["summaries_before_s"] or 0) for r in app_runs),
        "events_listed": min(r["rows"] for r in app_runs),
        "signin_loaded_s": statistics.median(loaded) if loaded else None,
        "signin_loaded_max_s": max(loaded) if loaded else None,
        "signin_dialog_shown_s": statistics.median(r["dialog_shown_s"] or 0 for r in signins) if signins else None,
        "signin_runs": len(signins),
        "platform": env["QT_QPA_PLATFORM"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--signin-runs", type=int, default=2)
    parser.add_argument("--probe", choices=("app", "bare", "floor", "signin"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe == "bare":
        probe_bare()
    elif args.probe == "floor":
        probe_floor()
    elif args.probe:
        probe_app(signin=args.probe == "signin")
        return
    r = measure(args.runs, args.signin_runs)
    print(f"[{r['platform']}] start-up until the events are listed: {r['app_s']:.2f} s; bare PySide6 label window "
          f"{r['bare_s']:.2f} s; ratio {r['ratio']:.2f} (target <= 1.5), medians of {r['runs']} each")
    print(f"  floor of the required stack (PySide6 + qasync + httpx, {r['floor_rows']} rows from loopback): "
          f"{r['floor_s']:.2f} s, {r['floor_ratio']:.2f}x the bare window; "
          f"the app is {r['app_over_floor']:.2f}x the floor")
    print(f"resident memory once listed: {r['rss_mb']:.0f} MB (bare window {r['bare_rss_mb']:.0f} MB); "
          f"QtWebEngine loaded by then: {r['webengine_loaded']}; loaded by then: {', '.join(r['loaded_at_listing'])}")
    print(f"  (the list itself, before each event's details arrived, was up after {r['summaries_s']:.2f} s)")
    if r["signin_loaded_s"] is None:
        print("sign-in page: never loaded")
    else:
        print(f"Sign in… → sign-in page loaded in the web view: median {r['signin_loaded_s']:.2f} s, max "
              f"{r['signin_loaded_max_s']:.2f} s (dialog shown after {r['signin_dialog_shown_s']:.2f} s), "
              f"{r['signin_runs']} fresh windows (target <= 1.0 s)")


if __name__ == "__main__":
    main()
