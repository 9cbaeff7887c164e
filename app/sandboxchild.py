"""The embedded sandbox as a child process of the window: ``python -m app --sandbox-child`` (in the
packaged app ``boxoffice --sandbox-child``), started by ``app.embedded.SandboxProcess``. It lives
beside ``app.embedded`` rather than in ``app.sandbox``: it hosts the sandbox with the station's log
folder and masking, and the sandbox itself shares no code with the client.

It builds its fixtures, takes back what its last run remembered in the station's data folder
(``sandbox-state.json``, see ``app.sandbox.memory``), binds 127.0.0.1 on the port it had then when
that is free (else on any free one), prints **one** JSON line on stdout — the base
URL, the port and the credentials it accepts (``api_key``, ``client_id``, ``client_secret``,
``redirect_uris``) — and serves until its stdin reaches end of file (the window closed it, or the
window died: the kernel closes the pipe even on SIGKILL) or it gets TERM or INT.

Its log goes to ``sandbox.log`` in the station's log folder (masked like the window's); nothing of it
reaches the cashier's terminal except a start that failed, as one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
from typing import Any

log = logging.getLogger(__name__)

# After stdin ends the server is asked to stop; one that has not stopped by then is ended outright.
EXIT_GRACE_SECONDS = 3.0


def _log_to_station_folder() -> None:
    """Every record of this process to ``sandbox.log`` in the station's log folder, masked; none to
    the terminal (the window's own log is ``boxoffice.log`` beside it)."""
    from app.partner.masking import MaskingFilter
    from app.storage.logfiles import PrivateRotatingFileHandler
    from app.storage.paths import station_paths

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    to_file: logging.Handler
    try:
        path = station_paths().ensure().log_dir / "sandbox.log"
        to_file = PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        to_file = logging.NullHandler()  # no folder to write to: silent, as asked
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    to_file.addFilter(MaskingFilter())
    root.addHandler(to_file)
    logging.lastResort = None  # never the terminal


def _uvicorn_logs_to_root() -> None:
    """uvicorn gives its loggers stderr handlers of their own: send them to the file instead."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True


def _exit_when_stdin_ends(server: Any) -> None:
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(65536):
            pass  # the window writes nothing; it only ever closes the pipe
    log.info("the window closed the sandbox's stdin: stopping")
    server.should_exit = True
    threading.Event().wait(EXIT_GRACE_SECONDS)
    log.warning("the sandbox did not stop within %.0f s: ending it", EXIT_GRACE_SECONDS)
    os._exit(0)


def main() -> int:
    _log_to_station_folder()
    try:
        from app.sandbox.config import SandboxConfig
        from app.sandbox.context import SandboxContext
        from app.sandbox.runner import bind_for, make_server, url_for
        from app.storage.paths import station_paths

        # The window's sandbox remembers its orders, members and port (``app.sandbox.memory``).
        config = SandboxConfig(host="127.0.0.1", port=0, state_file=str(station_paths().ensure().sandbox_state_file))
        context = SandboxContext(config)
        sock = bind_for(config, context)
        port = sock.getsockname()[1]
        server = make_server(config, sock, context)
    except Exception as exc:  # the one line the terminal sees; the window says it in its own words
        log.exception("the sandbox could not start")
        print(f"boxoffice: the embedded sandbox could not start: {exc}", file=sys.stderr, flush=True)
        return 1
    _uvicorn_logs_to_root()
    hello = {"base_url": url_for(config.host, port), "port": port, "api_key": config.api_key,
             "client_id": config.client_id, "client_secret": config.client_secret,
             "redirect_uris": list(config.redirect_uris)}
    sys.stdout.write(json.dumps(hello) + "\n")
    sys.stdout.flush()
    # Nobody reads stdout after that line: anything printed later must not fill the pipe and block.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    threading.Thread(target=_exit_when_stdin_ends, args=(server,), name="stdin-watch", daemon=True).start()
    log.info("sandbox child listening on %s", hello["base_url"])
    with contextlib.suppress(KeyboardInterrupt):  # INT sent to this process: stop quietly
        asyncio.run(server.serve(sockets=[sock]))
    context.close()
    log.info("sandbox child stopped")
    return 0
