"""Work that must not delay a request runs once that request has left, while its answer is awaited
(``HttpLayer.when_sent``): checked against a real loopback server that holds its answer back."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

from app.partner.errors import NetworkError
from app.partner.transport import HttpLayer

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


class HoldingServer:
    """Accepts one connection, then answers each request only once ``release`` is set."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/partners/v1/events"
        self.accepted = threading.Event()
        self.release = threading.Event()
        self.connection: socket.socket | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.connection, _ = self.listener.accept()
        self.accepted.set()
        with self.connection:
            while self.release.wait(10):
                self.release.clear()
                if not self.connection.recv(65536):
                    return
                self.connection.sendall(ANSWER)

    def request_waiting(self) -> bytes:
        """What the client has written that the server has not read yet (without reading it)."""
        assert self.accepted.wait(5), "the client never connected"
        assert self.connection is not None
        try:
            return self.connection.recv(65536, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return b""

    def close(self) -> None:
        self.release.set()
        self.listener.close()


@pytest.fixture
def server():
    holding = HoldingServer()
    yield holding
    holding.close()


def test_the_work_runs_after_the_request_left_and_before_its_answer(server):
    seen: list[bytes] = []

    def work() -> None:
        seen.append(server.request_waiting())  # the request is on the wire
        server.release.set()  # only now may the answer come

    async def run() -> int:
        http = HttpLayer(timeout=5)
        try:
            http.when_sent(work)
            response = await http.send("events", "GET", server.url)
            return response.status_code
        finally:
            await http.aclose()

    assert asyncio.run(run()) == 200
    assert len(seen) == 1
    assert seen[0].startswith(b"GET /partners/v1/events HTTP/1.1\r\n") and seen[0].endswith(b"\r\n\r\n")


def test_the_work_runs_once_for_the_next_request_only(server):
    runs: list[str] = []

    async def run() -> None:
        http = HttpLayer(timeout=5)
        try:
            http.when_sent(lambda: (runs.append("work"), server.release.set()))
            await http.send("events", "GET", server.url)
            server.release.set()
            await http.send("events", "GET", server.url)
        finally:
            await http.aclose()

    asyncio.run(run())
    assert runs == ["work"]


def test_the_work_runs_even_when_the_request_fails():
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]  # nothing listens there once it is closed
    runs: list[str] = []

    async def run() -> None:
        http = HttpLayer(timeout=5)
        try:
            http.when_sent(lambda: runs.append("work"))
            with pytest.raises(NetworkError):
                await http.send("events", "GET", f"http://127.0.0.1:{port}/partners/v1/events")
            await asyncio.sleep(0)
        finally:
            await http.aclose()

    asyncio.run(run())
    assert runs == ["work"]
