"""A real HTTP server on loopback in front of the sandbox that fails on purpose, around the commit.

The sandbox's own commit faults cannot make the calls *after* a commit fail, nor refuse a commit
without carrying it out. ``FaultProxy`` can: the station (window or command line) talks to the
proxy's ``base_url`` exactly as to any Partner API, and the proxy forwards every request to the
sandbox (Starlette + httpx under uvicorn, on its own thread) unless told otherwise:

- ``refuse_next_commit()``: the next commit (``PUT …/events/{id}/cart``) is answered 502 and never
  reaches the sandbox — nothing is sold, the cart stays held;
- ``lose_next_commit()``: the next commit is forwarded (the sandbox sells) but answered 504, and from
  then on every request is answered 502 until ``heal()`` — the service "stays unreachable".

``commits_seen`` counts the commits that came to the proxy; ``commit_bodies`` holds each one's JSON
body as it arrived (what the station really sent).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

COMMIT = re.compile(r"^/partners/v1/events/[^/]+/cart$")
PASSED_HEADERS = ("accept", "authorization", "content-type", "x-tm-force-polling", "user-agent")


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.base_url = ""
        self.commits_seen = 0
        self.commit_bodies: list[dict] = []
        self._refuse_next_commit = False
        self._lose_next_commit = False
        self._down = False
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # ----- what the test says ----------------------------------------------------------------------
    def refuse_next_commit(self) -> None:
        with self._lock:
            self._refuse_next_commit = True

    def lose_next_commit(self) -> None:
        with self._lock:
            self._lose_next_commit = True

    def heal(self) -> None:
        with self._lock:
            self._refuse_next_commit = self._lose_next_commit = self._down = False

    # ----- the server -------------------------------------------------------------------------------
    async def _forward(self, request: Request) -> Response:
        is_commit = request.method == "PUT" and COMMIT.match(request.url.path) is not None
        body = await request.body()
        with self._lock:
            if self._down:
                return PlainTextResponse("Bad Gateway", status_code=502)
            if is_commit:
                self.commits_seen += 1
                self.commit_bodies.append(json.loads(body or b"{}"))
                refuse, lose = self._refuse_next_commit, self._lose_next_commit
                self._refuse_next_commit = self._lose_next_commit = False
            else:
                refuse = lose = False
        if refuse:
            return PlainTextResponse("Bad Gateway", status_code=502)
        headers = {k: v for k, v in request.headers.items() if k.lower() in PASSED_HEADERS}
        async with httpx.AsyncClient(timeout=60) as http:
            answer = await http.request(request.method, self.upstream + request.url.path,
                                        params=request.query_params.multi_items(), headers=headers,
                                        content=body)
        if lose:
            with self._lock:
                self._down = True
            return PlainTextResponse("Gateway Timeout", status_code=504)
        kept = {k: v for k, v in answer.headers.items()
                if k.lower() == "content-type" or k.lower().startswith(("ratelimit", "retry-after"))}
        return Response(answer.content, status_code=answer.status_code, headers=kept)

    def start(self) -> FaultProxy:
        app = Starlette(routes=[Route("/{path:path}", self._forward,
                                      methods=["GET", "POST", "PUT", "DELETE", "PATCH"])])
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        sock.setblocking(False)
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self._server = server

        def run() -> None:
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(server.serve(sockets=[sock]))
            finally:
                loop.close()
                sock.close()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        pause = threading.Event()
        for _ in range(3000):  # uvicorn installs no signal handlers off the main thread
            if server.started:
                break
            pause.wait(0.01)
        else:
            raise RuntimeError("the fault proxy did not start")
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self._server = self._thread = None
