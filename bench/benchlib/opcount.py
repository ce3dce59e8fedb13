"""Count the requests and DynamoDB calls of a server process: one line each, a file per process.

Every app under test (product, reference, floor) calls ``install()`` once at start-up, before it
builds its boto3 client, and wraps its WSGI callable in ``counting()``; with ``BENCH_OPS_DIR``
unset both do nothing. The hook goes on boto3's default session, whose handlers every client and
resource built from it inherits, so the app's own code is untouched. Each answered request
appends ``request``, each finished DynamoDB call its operation name (``GetItem``, ``PutItem``;
with a ``!`` after it when DynamoDB refused it, e.g. a failed condition), to
``$BENCH_OPS_DIR/ops-<pid>.log``, with one ``write(2)`` each. bench/run reads the files after
every load point: calls per request and the share of requests that wrote, counted the same way
in every app and by the server itself (so requests wrk gave up on when a point ended count too).

Only the standard library and boto3 are imported, so each app's virtual environment can load
this file by path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

OPS_ENV = "BENCH_OPS_DIR"
REQUEST = "request"
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_fds: dict[int, int] = {}


def _fd() -> int | None:
    """This process's log file (opened on first use: gunicorn workers are forked)."""
    directory = os.environ.get(OPS_ENV)
    if not directory:
        return None
    pid = os.getpid()
    if pid not in _fds:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"ops-{pid}.log")
        _fds[pid] = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    return _fds[pid]


def install() -> None:
    """Record every DynamoDB call of the clients built from boto3's default session."""
    if _fd() is None:
        return
    import boto3

    def record(model: Any, http_response: Any, **_: Any) -> None:
        refused = "!" if getattr(http_response, "status_code", 200) >= 300 else ""
        fd = _fd()
        if fd is not None:
            os.write(fd, f"{model.name}{refused}\n".encode("ascii"))

    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("after-call.dynamodb", record)


def counting(app: WsgiApp) -> WsgiApp:
    """``app``, recording one line per request it is given."""
    if _fd() is None:
        return app

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = app(environ, start_response)
        fd = _fd()
        if fd is not None:
            os.write(fd, b"request\n")  # once answered: a request and its calls count together
        return answer

    return counted
