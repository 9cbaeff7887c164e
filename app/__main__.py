"""``python -m app`` / ``boxoffice``: open the Box Office window (embedded sandbox by default).

Order matters: shared GL contexts are switched on before the QApplication exists (QtWebEngine
requires it), then the qasync loop is built, the station started, the window opened. QtWebEngine
itself is loaded only by the first sign-in or captcha dialog (``app.gui.captcha.register_captcha_scheme``).

``--selftest`` checks the installation headless (``app.gui.selftest``): prints ``selftest ok`` and
exits 0, or a plain reason and 1. ``--version`` prints the version.

``--screenshot FILE.png [--event EVENT_ID]`` opens the window (offscreen is fine), waits until the
events — or that event's page — are loaded, saves a PNG of the window and exits 0 (1 when loading
failed, with the reason on stderr).

The embedded sandbox runs in a child process (``--sandbox-child``, see ``app.embedded``) launched
first thing, before Qt is imported; ``BOXOFFICE_SANDBOX_IN_PROCESS=1`` keeps it on a thread instead.

Logs go to ``boxoffice.log`` in the station's log folder (``$BOXOFFICE_HOME/logs`` when set; the
file is readable only by its owner) and warnings to stderr, secrets and personal data masked in both. Ctrl+C or TERM
release held seats before exiting.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

log = logging.getLogger("app")  # the top of the one logger tree; every module logs under it by __name__


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="boxoffice", description="Sell tickets through the Ticketmaster Partner API.")
    parser.add_argument("--screenshot", metavar="FILE.png", help="save a PNG of the window once loaded, then exit")
    parser.add_argument("--event", metavar="EVENT_ID", help="open this event's page (with --screenshot, wait for it)")
    parser.add_argument("--size", help="window size WIDTHxHEIGHT (default 1280x800; without --screenshot, "
                        "less where the screen is smaller)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="--screenshot (60 by default), --selftest (50): give up after this many seconds")
    parser.add_argument("--verbose", action="store_true", help="log debug messages to stderr")
    parser.add_argument("--selftest", action="store_true",
                        help="check this installation headless (embedded sandbox, member sign-in in the web view, "
                        "one purchase with a saved card, the main window), print 'selftest ok', exit 0")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser.parse_args(argv)


def configure_logging(verbose: bool = False):
    """A rotating log file (0600) in the station's log folder plus warnings on stderr, secrets and
    personal data masked in both.

    Returns the log file's path (None when the folder cannot be written; stderr still works).
    """
    from app.partner.masking import MaskingFilter
    from app.storage.logfiles import PrivateRotatingFileHandler
    from app.storage.paths import station_paths

    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    handlers: list[logging.Handler] = [console]
    path = None
    try:
        path = station_paths().ensure().log_dir / "boxoffice.log"
        handlers.append(PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"))
    except OSError as exc:
        print(f"boxoffice: cannot write the log file ({exc}); logging to the terminal only", file=sys.stderr)
        path = None
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(MaskingFilter())  # API key, tokens, card data never reach a log
        root.addHandler(handler)
    # httpx logs every request URL at INFO, and Partner API URLs carry the API key: keep it quiet;
    # qasync logs (at debug) every callable its worker threads run, with the arguments.
    for noisy in ("httpx", "httpcore", "qasync"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path


def _install_loop_handler(loop: asyncio.AbstractEventLoop) -> None:
    def handler(loop, context) -> None:
        if context.get("shown_to_user"):
            return  # already logged with its traceback and shown by app.gui.asyncutil
        exc = context.get("exception")
        log.error("unhandled in the event loop: %s", context.get("message"), exc_info=exc)
        from app.gui import asyncutil

        if exc is not None:
            asyncutil.report_error(exc, context=str(context.get("message") or "event loop"))

    loop.set_exception_handler(handler)


async def _run(window, args, app) -> int:
    station = window.station
    try:
        await station.start()
    except Exception as exc:  # no backend: say why in the window, keep it open
        from app.gui import gcpolicy
        from app.gui.errors import describe

        gcpolicy.resume()  # no list to settle after: collect as usual
        log.error("the station could not start: %r", exc)  # one line, no traceback, for the log

        window.banner.show_error(exc)
        if args.screenshot:
            print(f"boxoffice: {describe(exc).sentence}", file=sys.stderr)
            return 1
        return await _wait_closed(window)
    from app.gui.startreport import show_start_report

    show_start_report(window, station, dialog=not args.screenshot)  # a picture is of the window alone
    window._refresh_status()
    events_task = window.load_events()

    def listed(task: asyncio.Future) -> None:
        """What waits until the events are listed, so the cashier does not wait for it."""
        from app.gui import gcpolicy, warmup

        if task.cancelled():  # closing before they were, or listing anew: nothing to restore or warm up for
            gcpolicy.resume()
            return
        if not args.screenshot:
            window.member_panel.restore()  # the member a previous run left signed in (keychain)
            warmup.warm_up_later()  # what the first sale's payment page needs, while nobody types
        # Everything built so far lives for the whole run: out of the collector's reach, and full
        # collections (they hold the GIL for tens of ms once a stadium is loaded) made rare — once
        # the list has been painted.
        gcpolicy.settle_soon()

    events_task.add_done_callback(listed)
    # Worker threads (availability parsing, seat-map layout) hand the GIL back to the GUI thread
    # within 1 ms instead of the default 5 ms (measured: smaller worst stalls on the stadium page).
    sys.setswitchinterval(0.001)
    page_task = window.open_event(args.event) if args.event else None
    if not args.screenshot:
        return await _wait_closed(window)
    try:
        await asyncio.wait_for(asyncio.shield(events_task), args.timeout)
        if page_task is not None:
            await asyncio.wait_for(asyncio.shield(page_task), args.timeout)
    except Exception as exc:
        from app.gui.errors import describe

        print(f"boxoffice: loading failed: {describe(exc).sentence}", file=sys.stderr)
        await window.shutdown()
        return 1
    await asyncio.sleep(0.3)  # let layouts settle and the seat map paint
    app.processEvents()
    ok = window.grab().save(args.screenshot, "PNG")
    await window.shutdown()
    if not ok:
        print(f"boxoffice: could not write {args.screenshot}", file=sys.stderr)
        return 1
    print(f"Saved {args.screenshot}")
    return 0


async def _wait_closed(window) -> int:
    """Until the window has really closed (after ``MainWindow.shutdown`` released everything)."""
    from PySide6.QtWidgets import QApplication

    closed = asyncio.Event()
    QApplication.instance().lastWindowClosed.connect(closed.set)
    await closed.wait()
    return 0


def _headless_webengine() -> None:
    """The self-test needs no screen: Qt offscreen, and Chromium without GPU (and, as root, where
    Chromium refuses its own sandbox, without it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    wanted = ["--disable-gpu"] + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags + [f for f in wanted if f not in flags])


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv)[:1] == ["--sandbox-child"]:
        # The window's embedded sandbox, in a process of its own (``app.embedded.SandboxProcess``).
        from app.sandboxchild import main as sandbox_child

        return sandbox_child()
    args = parse_args(argv)
    if args.version:
        from app import __version__

        print(f"Box Office {__version__}")
        return 0
    if args.selftest:
        _headless_webengine()
    elif args.timeout is None:
        args.timeout = 60.0
    try:
        size = None if args.size is None else tuple(int(v) for v in args.size.lower().split("x", 1))
        if size is not None and (len(size) != 2 or min(size) < 200):
            raise ValueError(args.size)
    except ValueError:
        print("boxoffice: --size must look like 1280x800", file=sys.stderr)
        return 2

    if not os.environ.get("QT_QPA_PLATFORM"):
        if args.screenshot and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            # A screenshot needs no screen: on a machine without one, render offscreen.
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        elif sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            print(
                "boxoffice: no display found (DISPLAY is not set). Start it from a desktop session, "
                "or use --screenshot FILE.png, which works without one.",
                file=sys.stderr,
            )
            return 2

    sandboxes = None
    if not args.selftest:
        from app.embedded import WindowSandboxes
        from app.gui import gcpolicy

        gcpolicy.hold_during_start_up()  # until the events are listed and painted (``_run``)

        # The embedded sandbox's child process, launched before the window's heavy imports: its own
        # imports and fixtures run on the other core meanwhile (the station takes it at start).
        sandboxes = WindowSandboxes()
    try:
        return _open_window(args, size, sandboxes)
    finally:
        if sandboxes is not None:
            sandboxes.release_spare()


def make_application():
    """The QApplication, named and styled, whose held Enter and Esc act once (``app.gui.heldkeys``),
    and which quits only when the asyncio side says so."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    # QtWebEngine (the sign-in and captcha dialogs, loaded with the first of them) needs shared GL
    # contexts, set before the QApplication exists. Nothing of QtWebEngine is loaded here.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Box Office")
    app.setOrganizationName("Box Office")
    app.setApplicationDisplayName("Box Office")
    from app.gui import heldkeys, style

    style.apply(app)
    heldkeys.install(app)  # a held Enter or Esc acts once: the review is never skipped by auto-repeat
    app.setQuitOnLastWindowClosed(False)  # the asyncio side ends the run once the station is closed
    return app


def _open_window(args: argparse.Namespace, size: tuple[int, ...] | None, sandboxes) -> int:
    log_file = configure_logging(args.verbose)
    app = make_application()

    import qasync

    from app.checkout.station import Station
    from app.embedded import embedded_sandbox
    from app.gui.mainwindow import MainWindow

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    _install_loop_handler(loop)
    if args.selftest:
        from app.gui.selftest import run_selftest

        with loop:
            return run_selftest(loop, args.timeout) if args.timeout is not None else run_selftest(loop)
    log.info("Box Office starting; log file %s", log_file or "(none)")
    station = Station(sandbox=sandboxes if sandboxes is not None else embedded_sandbox)
    if sandboxes is not None and station.backend != "sandbox":
        sandboxes.release_spare()  # sales go elsewhere: the child launched early is not needed
    window = MainWindow(station)
    if size is None and args.screenshot:
        size = (1280, 800)  # a picture has the documented size whatever screen (or none) the machine has
    if size is not None:  # asked for: exactly that; else the window fits the screen itself
        window.resize(*size)
        window.show()
    else:
        window.show_on_screen()
    _stop_on_signals(window)
    with loop:
        return loop.run_until_complete(_run(window, args, app))


def _stop_on_signals(window) -> None:
    """Ctrl+C, TERM or HUP close the station properly: held seats are released, then exit."""
    import signal

    from PySide6.QtCore import QTimer

    from app.cli_common import STOP_SIGNALS
    from app.gui.asyncutil import spawn

    def stop(signum, _frame) -> None:
        log.warning("signal %s: releasing held seats and closing", signum)
        spawn(window.shutdown(), context="closing on a signal")

    # The command line's stop signals: Ctrl+C, TERM, and HUP when the terminal it was started from closes.
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    # Python runs signal handlers only between bytecodes; a light timer gives it that chance while
    # Qt waits for events.
    wake = QTimer(window)
    wake.setInterval(250)
    wake.timeout.connect(lambda: None)
    wake.start()


if __name__ == "__main__":
    sys.exit(main())
