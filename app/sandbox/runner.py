"""Running the sandbox in-process: a real uvicorn server on its own daemon thread and event loop.

``EmbeddedSandbox(config).start()`` binds (port 0 picks a free port), blocks until the server is
listening and returns its base URL; ``stop()`` shuts it down cleanly. The app and the tests use
this; ``python -m app.sandbox`` uses the same server in the foreground.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading

import uvicorn

from .app import build_app
from .config import SandboxConfig
from .context import SandboxContext
from .requestlog import CommitDropped


class _QuietDrops(logging.Filter):
    """A commit_fault "drop" is on purpose: keep its exception out of uvicorn's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], CommitDropped))


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
log = logging.getLogger(__name__)


def make_server(config: SandboxConfig, sock: socket.socket, context: SandboxContext) -> uvicorn.Server:
    app = build_app(config, context)
    # uvicorn's own access log would print api keys and tokens in query strings: the request log
    # prints masked lines instead when config.access_log is set.
    server_config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                   timeout_keep_alive=30)
    return uvicorn.Server(server_config)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on sockets that say they are TCP,
    # and without it every answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(256)
    sock.setblocking(False)
    return sock


def bind_for(config: SandboxConfig, context: SandboxContext) -> socket.socket:
    """The listening socket: ``config.port``; with port 0, the port the sandbox's memory remembers
    when it is free (old redemption links keep working), else any free one. The context is told."""
    sock = None
    if config.port == 0 and context.remembered_port:
        try:
            sock = bind(config.host, context.remembered_port)
        except OSError:
            log.info("port %s is taken: the sandbox listens on another one", context.remembered_port)
    if sock is None:
        sock = bind(config.host, config.port)
    context.listening_on(sock.getsockname()[1])
    return sock


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class EmbeddedSandbox:
    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.context: SandboxContext | None = None
        self.base_url = ""
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def partner_base(self) -> str:
        return self.base_url + "/partners/v1"

    @property
    def oauth_base(self) -> str:
        return self.base_url + "/oauth"

    @property
    def wallet_base(self) -> str:
        return self.base_url + "/wallet/v1"

    def start(self, timeout: float = 30.0) -> str:
        if self._thread is not None:
            return self.base_url
        self.context = SandboxContext(self.config)
        try:
            sock = bind_for(self.config, self.context)
        except BaseException:
            self.context.close()
            raise
        self.port = sock.getsockname()[1]
        self.base_url = url_for(self.config.host, self.port)
        self._server = make_server(self.config, sock, self.context)
        self._server.config.install_signal_handlers = False  # not the main thread

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._server.serve(sockets=[sock]))
            except BaseException as exc:  # surfaced by start() instead of dying silently
                self._failure = exc
            finally:
                loop.close()
                sock.close()

        self._thread = threading.Thread(target=run, name="boxoffice-sandbox", daemon=True)
        self._thread.start()
        waited = 0.0
        while not self._server.started:
            if self._failure is not None or not self._thread.is_alive():
                raise RuntimeError(f"sandbox failed to start: {self._failure!r}")
            if waited > timeout:
                raise RuntimeError("sandbox did not start listening in time")
            threading.Event().wait(0.01)
            waited += 0.01
        return self.base_url

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout)
        self._server = None
        self._thread = None
        if self.context is not None:
            self.context.close()

    def whitelist(self, *, captcha_domains: list[str] | None = None, logo_hosts: list[str] | None = None) -> dict:
        """Replace the account's whitelisted captcha domains and/or logo hosts (what ``POST
        /_sandbox/account`` does); takes effect on the next request. Answers the account."""
        if self.context is None:
            raise RuntimeError("the sandbox is not started")
        changes = {k: v for k, v in (("captcha_domains", captcha_domains), ("logo_hosts", logo_hosts)) if v is not None}
        return self.context.whitelist.apply(changes)

    def __enter__(self) -> EmbeddedSandbox:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
