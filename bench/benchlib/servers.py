"""The servers under test: moto's DynamoDB server and one gunicorn per app, all on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from benchlib import procs
from benchlib.procs import HOST

# The same for both apps; the worker model of infra/gunicorn.conf.py (2 workers x 4 threads).
GUNICORN_SETTINGS = (
    "--workers",
    "2",
    "--worker-class",
    "gthread",
    "--threads",
    "4",
    "--timeout",
    "10",
    "--graceful-timeout",
    "5",
    "--keep-alive",
    "5",
    "--no-control-socket",
    "--log-level",
    "warning",
)

AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    """This environment without CLOSER_*, AWS_* or a virtualenv's PYTHON* hints, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLOSER_", "AWS_", "PYTHON", "VIRTUAL_ENV", "REFERENCE_"))
    }
    return env | AWS_ENV | dict(extra)


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def workers(self) -> list[int]:
        return procs.children(self.process.pid)


def start_moto(python: Path, log: Path) -> Server:
    port = procs.free_port()
    process = procs.spawn(
        [str(python), "-m", "moto.server", "-H", HOST, "-p", str(port)],
        env=clean_env({}),
        log=log,
    )
    server = Server("moto", process, port)

    def answers() -> bool:
        request = urllib.request.Request(
            server.url,
            data=b"{}",
            headers={
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "Content-Type": "application/x-amz-json-1.0",
                "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/"
                "dynamodb/aws4_request, SignedHeaders=host, Signature=x",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=1) as answer:
                return "TableNames" in json.loads(answer.read())
        except (OSError, ValueError):
            return False

    procs.wait_until(answers, timeout=30, what="moto server", process=process, interval=0.05)
    return server


def gunicorn_argv(python: Path, target: str, *extra: str) -> list[str]:
    """gunicorn with the shared settings; ``{port}`` is filled in when it is started."""
    return [
        str(python),
        "-m",
        "gunicorn",
        *GUNICORN_SETTINGS,
        "--bind",
        f"{HOST}:{{port}}",
        *extra,
        target,
    ]


def start_gunicorn(
    name: str,
    argv_for_port: list[str],
    env: Mapping[str, str],
    log: Path,
    cwd: Path,
) -> Server:
    """Start gunicorn (``{port}`` in ``argv_for_port`` is filled in); wait until it listens."""
    port = procs.free_port()
    argv = [a.replace("{port}", str(port)) for a in argv_for_port]
    process = procs.spawn(argv, env=env, log=log, cwd=cwd)
    server = Server(name, process, port)
    procs.wait_until(
        lambda: _app_answers(server.url), timeout=60, what=name, process=process, interval=0.05
    )
    procs.wait_until(lambda: len(server.workers()) >= 2, timeout=30, what=f"{name} workers")
    return server


def _app_answers(url: str) -> bool:
    """Any HTTP answer from /alexa (an unsigned POST gets 400 once an app is loaded)."""
    try:
        status, _ = procs.post(url + "/alexa", b"{}", {}, timeout=5)
    except OSError:
        return False
    return status in (400, 200)


def time_to_first_answer(
    name: str,
    argv_for_port: list[str],
    env: Mapping[str, str],
    log: Path,
    cwd: Path,
    body: bytes,
    headers: Mapping[str, str],
    path: str = "/alexa",
) -> float:
    """Seconds from spawning gunicorn to the first HTTP 200 for a signed request to ``path``."""
    port = procs.free_port()
    argv = [a.replace("{port}", str(port)) for a in argv_for_port]
    started = time.perf_counter()
    process = procs.spawn(argv, env=env, log=log, cwd=cwd)
    try:
        while True:
            try:
                with socket.create_connection((HOST, port), timeout=0.2):
                    pass
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited during cold start") from None
                if time.perf_counter() - started > 60:
                    raise RuntimeError(f"{name}: no answer within 60 s") from None
                time.sleep(0.005)
                continue
            try:
                status, _ = procs.post(f"http://{HOST}:{port}{path}", body, headers, timeout=30)
            except (OSError, urllib.error.URLError):
                continue
            if status != 200:
                raise RuntimeError(f"{name}: cold-start request got HTTP {status}")
            return time.perf_counter() - started
    finally:
        procs.stop(process)
