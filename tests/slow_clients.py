"""Slow HTTP clients for tests and bench/serving: they hold a connection open as long as the
server lets them, and note when the server closed it.

* ``headers``: sends a request line and then its headers one byte per ``interval``, never
  finishing them (slowloris).
* ``body``: sends complete headers promising a large body (``Content-Length``), ten bytes of it,
  then one more byte per ``interval``, never finishing it.

Each client runs in its own thread and stops by itself after ``limit`` seconds at the most.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from dataclasses import dataclass, field

__all__ = ["SlowClient", "open_slow_clients"]

BODY_PROMISED = 100_000
"""Under any sane body limit, so the server has to wait for it rather than refuse it."""


@dataclass
class SlowClient:
    host: str
    port: int
    kind: str  # "headers" or "body"
    interval: float = 1.0
    limit: float = 60.0
    connected: threading.Event = field(default_factory=threading.Event)
    closed_after: float | None = None
    """Seconds from connecting until the server closed the connection (None: still open)."""
    answer: bytes = b""
    """What the server sent before closing, if anything (e.g. an HTTP 408 or 400)."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> SlowClient:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)

    @property
    def closed(self) -> bool:
        return self.closed_after is not None

    def _opening(self) -> bytes:
        start = f"POST /alexa HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if self.kind == "headers":
            return (start + "User-Agent: slow\r\nX-Slow: ").encode("ascii")
        head = f"Content-Type: application/json\r\nContent-Length: {BODY_PROMISED}\r\n\r\n"
        return (start + head).encode("ascii") + b'{"a": "xxx'  # ten bytes of the body

    def _run(self) -> None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=5)
        except OSError:
            self.closed_after = 0.0
            return
        started = time.monotonic()
        with sock:
            self.connected.set()
            try:
                sock.sendall(self._opening())
                while not self._stop.is_set() and time.monotonic() - started < self.limit:
                    if self._server_closed(sock):
                        break
                    sock.sendall(b"x")
                else:
                    return  # stopped by the test (or the limit) with the connection open
            except OSError:
                pass  # reset or broken pipe: the server closed it
            self.closed_after = time.monotonic() - started

    def _server_closed(self, sock: socket.socket) -> bool:
        """Wait one interval; True if the server answered or closed meanwhile."""
        readable, _, _ = select.select([sock], [], [], self.interval)
        if not readable:
            return False
        data = sock.recv(4096)
        self.answer += data
        if data:  # an answer (an error status): read on until the server closes
            return self._server_closed(sock)
        return True


def open_slow_clients(
    host: str, port: int, *, each: int = 8, interval: float = 1.0, limit: float = 60.0
) -> list[SlowClient]:
    """``each`` slow-header and ``each`` slow-body clients, connected and sending."""
    clients = [
        SlowClient(host, port, kind, interval=interval, limit=limit).start()
        for kind in ("headers", "body")
        for _ in range(each)
    ]
    for client in clients:
        client.connected.wait(timeout=10)
    return clients
