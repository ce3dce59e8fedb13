"""The container's HTTP server: waitress in front of ``skill.app:create_app()``.

    python infra/serve.py     # PORT (8080), LISTEN_HOST (0.0.0.0), WAITRESS_THREADS (8)

Why waitress and not gunicorn's threaded workers (figures: ``bench/serving/README.md``):
gunicorn's gthread worker gives a connection to an app thread as soon as its first byte
arrives, and that thread then reads the headers and the body itself. Eight clients sending a
byte a second held all 2 x 4 threads and the service stopped answering, /healthz included; a
request promising a large body and sending ten bytes held a thread for 40 s and more.

Waitress reads every request, headers and body, on its one I/O thread and hands only complete
requests to the app threads, so a slow sender costs a buffer, never a thread. Three limits
close slow senders: a connection that sends nothing for ``IDLE_TIMEOUT`` seconds is closed
(waitress's ``channel_timeout``), a request that has not fully arrived ``REQUEST_DEADLINE``
seconds after its first byte is closed however fast it trickles (added here: waitress only
measures idleness), and a body over ``MAX_BODY`` is answered 413 before it is read. One process
suits the service: App Runner gives the instance 0.25 vCPU and at most 8 requests at once, and
a turn mostly waits on DynamoDB and the Alexa APIs, which 8 app threads cover.

On SIGTERM the server stops accepting, finishes what it has (``GRACE`` seconds at most) and
exits. Each request already logs one JSON line (``closer.request``); waitress logs no access
lines.
"""

from __future__ import annotations

import logging.config
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server

from skill.startup import hold_collection

IDLE_TIMEOUT = 10
"""Seconds without a byte before a connection is closed (kept-alive ones too)."""
REQUEST_DEADLINE = 5.0
"""Seconds from a request's first byte to its last. Alexa sends a few KB at once."""
MAX_HEADERS = 16 * 1024
MAX_BODY = 256 * 1024
"""Twice the app's own limit (128 KB, answered 400): anything bigger is refused unread."""
GRACE = 10.0
"""Seconds a stopping server keeps answering the requests it has."""

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": "WARNING", "handlers": ["stdout"]},
    "loggers": {
        "closer": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "waitress": {"level": "WARNING", "handlers": ["stdout"], "propagate": False},
    },
}


def settings(env: Mapping[str, str]) -> dict[str, Any]:
    """waitress's settings for this environment."""
    return {
        "host": env.get("LISTEN_HOST", "0.0.0.0"),
        "port": int(env.get("PORT", "8080")),
        "threads": int(env.get("WAITRESS_THREADS", "8")),
        "channel_timeout": IDLE_TIMEOUT,
        "cleanup_interval": 1,
        "connection_limit": 200,
        "max_request_header_size": MAX_HEADERS,
        "max_request_body_size": MAX_BODY,
        "inbuf_overflow": MAX_BODY,  # bodies stay in memory, never in a temporary file
        "asyncore_use_poll": True,  # poll(), not select(): no limit of 1024 descriptors
        "ident": "",  # no Server header
        # App Runner's load balancer terminates TLS and is the only way in.
        "trusted_proxy": "*",
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


class _TimedParser(HTTPRequestParser):
    """waitress's request parser, noting when the request's first bytes arrived."""

    def __init__(self, adj: Any) -> None:
        super().__init__(adj)
        self.started = time.monotonic()


class _Channel(HTTPChannel):  # type: ignore[misc]
    parser_class = _TimedParser


def build(app: Any, env: Mapping[str, str]) -> tuple[BaseWSGIServer, dict[int, Any]]:
    """The listening server (not yet serving) and its map of connections."""
    channels: dict[int, Any] = {}
    server = create_server(app, map=channels, **settings(env))
    server.channel_class = _Channel
    return server, channels


def close_overdue(server: BaseWSGIServer, now: float) -> None:
    """Close every connection whose current request began more than REQUEST_DEADLINE ago."""
    for channel in list(server.active_channels.values()):
        request = channel.request
        waiting = request is not None and not channel.requests
        if waiting and now - getattr(request, "started", now) > REQUEST_DEADLINE:
            channel.will_close = True


def _busy(server: BaseWSGIServer) -> bool:
    return any(c.requests or c.total_outbufs_len for c in server.active_channels.values())


def serve(server: BaseWSGIServer, channels: dict[int, Any], stop: threading.Event) -> None:
    """Run the I/O loop until ``stop``; then stop accepting and drain for GRACE seconds."""
    while not stop.is_set():
        wasyncore.loop(timeout=1.0, map=channels, use_poll=True, count=1)
        close_overdue(server, time.monotonic())
    server.accepting = False
    server.del_channel()
    server.socket.close()
    ends = time.monotonic() + GRACE
    while _busy(server) and time.monotonic() < ends:
        wasyncore.loop(timeout=0.2, map=channels, use_poll=True, count=1)
    server.task_dispatcher.shutdown(timeout=1)


def main(create_app: Callable[[], Any] | None = None) -> None:
    """Serve ``create_app()`` (default: the production ``skill.app:create_app``)."""
    logging.config.dictConfig(LOGGING)
    if create_app is None:
        hold_collection()  # until create_app has built everything (skill.startup)
        from skill.app import create_app

    server, channels = build(create_app(), os.environ)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.getLogger("closer").info(
        "serving on http://%s:%s", server.effective_host, server.effective_port
    )
    serve(server, channels, stop)


if __name__ == "__main__":
    main()
