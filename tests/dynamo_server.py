"""A DynamoDB-API server for tests: moto's WSGI app on 127.0.0.1, no AWS account.

    with moto_dynamodb() as endpoint:
        client = make_client(endpoint)

Needs no real AWS credentials: clients get dummy ones explicitly. moto keeps its tables in
process memory, shared by every server and ``mock_aws`` in the process, so give each test its own
table name (and note that entering ``moto.mock_aws`` resets them).

moto answers each request in its own thread without making a conditional write atomic: under
CPU load two conditional PutItems on the same version can both succeed, a lost update on the
engine's side that real DynamoDB never makes. The server here serialises requests with one
lock around moto's app, so contract and contention tests measure the skill, not moto's race.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore.session
from botocore.client import BaseClient
from botocore.config import Config

from skill.store.dynamodb import client_config

HOST = "127.0.0.1"
REGION = "us-east-1"


def free_port() -> int:
    """A port that nobody listens on right now (bind to port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def serialised(app: WsgiApp) -> WsgiApp:
    """``app`` answering one request at a time (the response body is read inside the lock)."""
    lock = threading.Lock()

    def locked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with lock:
            return list(app(environ, start_response))

    return locked


@contextmanager
def moto_dynamodb() -> Iterator[str]:
    """Run moto's DynamoDB in a server thread on a free port; yield its endpoint URL."""
    # slow import (~0.4 s): only when needed
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    # werkzeug logs one access line per request at INFO; keep warnings and errors.
    werkzeug_log = logging.getLogger("werkzeug")
    previous_level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    app = serialised(DomainDispatcherApplication(create_backend_app))
    # Port 0: the server's own socket gets a free port from the kernel, so no bind race.
    server = make_server(HOST, 0, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        werkzeug_log.setLevel(previous_level)


def make_client(endpoint: str, config: Config | None = None) -> BaseClient:
    """A DynamoDB client for ``endpoint`` with dummy credentials and the store's config.

    Hermetic: explicit credentials and region, and no profile lookup, so neither a missing
    ``AWS_PROFILE`` nor a developer's real credentials can leak in.
    """
    no_profile = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    session = boto3.session.Session(
        botocore_session=no_profile,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )
    return session.client("dynamodb", endpoint_url=endpoint, config=config or client_config())
