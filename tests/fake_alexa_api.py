"""A local stand-in for the Alexa Settings API on 127.0.0.1, for time zone tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/v2/devices/"
SUFFIX = "/settings/System.timeZone"


@dataclass
class FakeAlexaApi:
    zones: dict[str, str] = field(default_factory=dict)
    status: int = 200
    delay: float = 0.0
    calls: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    endpoint: str = ""


@contextmanager
def fake_alexa_api(**zones: str) -> Iterator[FakeAlexaApi]:
    api = FakeAlexaApi(zones=dict(zones))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            api.calls.append(self.path)
            api.tokens.append(self.headers.get("Authorization", ""))
            if api.delay:
                time.sleep(api.delay)
            device = self.path.removeprefix(PREFIX).removesuffix(SUFFIX)
            if api.status != 200 or not self.path.endswith(SUFFIX) or device not in api.zones:
                self.send_response(api.status if api.status != 200 else 404)
                self.end_headers()
                return
            body = json.dumps(api.zones[device]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            return  # a client that gave up (the skill's short timeout) is expected here

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    api.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
