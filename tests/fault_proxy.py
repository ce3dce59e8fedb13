"""A small HTTP proxy on 127.0.0.1 that loses DynamoDB answers on purpose.

    with FaultProxy(upstream) as proxy:
        proxy.plan = lambda operation, count: "late" if operation == "PutItem" else "pass"

Every request is forwarded to the real engine and applied there; the plan then decides what
the client gets for it: ``pass`` (the answer), ``late`` (the answer after ``late_seconds``,
past the client's read timeout) or ``drop`` (the connection closed, no answer). ``freeze``
is an engine that stopped: the request is held ``late_seconds`` and never forwarded. ``count`` is
how many requests of that operation came before (-1 when asked, before forwarding, whether the
engine is frozen). ``seen`` records (operation, action).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import BinaryIO
from urllib.parse import urlsplit

HOST = "127.0.0.1"
Plan = Callable[[str, int], str]


def passing(operation: str, count: int) -> str:
    return "pass"


class FaultProxy:
    def __init__(self, upstream: str, *, late_seconds: float = 1.4) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or HOST, parts.port or 80)
        self.late_seconds = late_seconds
        self.plan: Plan = passing
        self.seen: list[tuple[str, str]] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.connection, self.rfile)  # type: ignore[arg-type]

        self._server = socketserver.ThreadingTCPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def count(self, action: str) -> int:
        return sum(1 for _, done in self.seen if done == action)

    def _decide(self, operation: str) -> str:
        with self._lock:
            count = self._counts.get(operation, 0)
            self._counts[operation] = count + 1
            action = self.plan(operation, count)
            self.seen.append((operation, action))
            return action

    def _serve(self, client: socket.socket, reader: BinaryIO) -> None:
        upstream = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                head, body = request
                operation = head.get("x-amz-target", "").rsplit(".", 1)[-1]
                if self.plan(operation, -1) == "freeze":
                    self._decide(operation)
                    time.sleep(self.late_seconds)
                    client.close()
                    return
                upstream.request(head.pop(":method"), head.pop(":path"), body, head)
                answer = upstream.getresponse()
                raw = _raw_response(answer, answer.read())
                action = self._decide(operation)
                if action == "drop":
                    client.close()
                    return
                if action == "late":
                    time.sleep(self.late_seconds)
                    _quietly_send(client, raw)
                    client.close()
                    return
                client.sendall(raw)
        except OSError:
            return
        finally:
            upstream.close()


def _read_request(reader: BinaryIO) -> tuple[dict[str, str], bytes] | None:
    readline = reader.readline
    line = readline()
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    head: dict[str, str] = {":method": method, ":path": path}
    while True:
        header = readline().decode("latin-1")
        if header in ("\r\n", "\n", ""):
            break
        name, _, value = header.partition(":")
        head[name.strip().lower()] = value.strip()
    length = int(head.get("content-length", "0"))
    body = reader.read(length) if length else b""
    return head, body


def _raw_response(answer: http.client.HTTPResponse, body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {answer.status} {answer.reason}"]
    for name, value in answer.getheaders():
        if name.lower() not in ("transfer-encoding", "content-length", "connection"):
            lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _quietly_send(client: socket.socket, raw: bytes) -> None:
    with contextlib.suppress(OSError):  # the client gave up waiting, as intended
        client.sendall(raw)
