"""A DynamoDB-API server for tests: moto's ThreadedMotoServer on 127.0.0.1, no AWS account.

    with moto_dynamodb() as endpoint:
        client = make_client(endpoint)

Needs no real AWS credentials: clients get dummy ones explicitly. moto keeps its tables in
process memory, shared by every server and ``mock_aws`` in the process, so give each test its own
table name (and note that entering ``moto.mock_aws`` resets them).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
import botocore.session
from botocore.client import BaseClient

from skill.store.dynamodb import client_config

HOST = "127.0.0.1"
REGION = "us-east-1"


def free_port() -> int:
    """A port that nobody listens on right now (bind to port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def moto_dynamodb() -> Iterator[str]:
    """Run moto's server in a thread on a free port; yield its endpoint URL."""
    from moto.server import ThreadedMotoServer  # slow import (~0.4 s): only when needed

    # werkzeug logs one access line per request at INFO; keep warnings and errors.
    werkzeug_log = logging.getLogger("werkzeug")
    previous_level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    # Port 0: the server's own socket gets a free port from the kernel, so no bind race.
    server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        werkzeug_log.setLevel(previous_level)


def make_client(endpoint: str) -> BaseClient:
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
    return session.client("dynamodb", endpoint_url=endpoint, config=client_config())
