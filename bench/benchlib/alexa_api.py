"""A stand-in for the Alexa Settings API on 127.0.0.1: every device is in America/New_York.

The product looks up a household's time zone once a day; in the benchmark that call goes here
(the request envelopes name this server as their ``apiEndpoint``) instead of the Internet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ZONE = b'"America/New_York"'
SUFFIX = "/settings/System.timeZone"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    calls = 0

    def do_GET(self) -> None:
        _Handler.calls += 1
        if not self.path.endswith(SUFFIX):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ZONE)))
        self.end_headers()
        self.wfile.write(ZONE)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def settings_api() -> Iterator[str]:
    """Serve in a daemon thread; yields the endpoint URL; shut down on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def calls() -> int:
    return _Handler.calls
