"""The container's server against slow clients.

Runs the command of ``infra/Dockerfile`` (the same server, settings file and threads) on
127.0.0.1 with verification off and a temporary SQLite file, opens 8 slow-header and 8 slow-body
connections, and shows that /healthz and POST /alexa still answer at once and that the server
closes the slow connections itself.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.dynamo_server import free_port
from tests.signing import alexa_body
from tests.slow_clients import open_slow_clients

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "infra" / "Dockerfile"
PROMPT = 3.0  # "at once": a generous client timeout on a shared machine
CLOSED_WITHIN = 30.0  # the request deadline (5 s) and the idle timeout (10 s), plus slack


def instructions(kind: str) -> list[str]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        line.split(None, 1)[1].strip()
        for line in text.splitlines()
        if line.strip() and line.split(None, 1)[0].upper() == kind
    ]


def container_command() -> list[str]:
    """The Dockerfile's CMD, in exec form."""
    (cmd,) = instructions("CMD")
    parsed: list[str] = json.loads(cmd)
    return parsed


def test_the_container_serves_with_infra_serve_py() -> None:
    assert container_command() == ["python", "infra/serve.py"]
    assert any("infra/serve.py" in copy for copy in instructions("COPY"))
    ignore = (ROOT / "infra" / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "!infra/serve.py" in ignore.splitlines()
    assert instructions("USER")[-1] not in ("root", "0")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The container's command on 127.0.0.1; yields (base URL, process). Stopped afterwards."""
    port = free_port()
    command = container_command()
    command[0] = sys.executable  # "python" in the image
    env = {
        **os.environ,
        "PORT": str(port),
        "LISTEN_HOST": "127.0.0.1",
        "CLOSER_VERIFY": "off",
        "CLOSER_STORE": "sqlite",
        "CLOSER_SQLITE_PATH": str(tmp_path / "households.db"),
        "CLOSER_CONTENT_DIR": str(ROOT / "content"),
        "CLOSER_DEFAULT_TIMEZONE": "America/New_York",
    }
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def wait_until_answering(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            healthz(base)
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read() if process.stderr else "exited") from None
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)


def healthz(base: str) -> Any:
    with urllib.request.urlopen(f"{base}/healthz", timeout=PROMPT) as answer:
        return json.load(answer)


def launch(base: str) -> Any:
    envelope = json.loads(alexa_body(timestamp=datetime.now(UTC)))
    envelope["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"
    request = urllib.request.Request(
        f"{base}/alexa",
        data=json.dumps(envelope).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=PROMPT) as answer:
        return json.load(answer)


def assert_answers(base: str) -> None:
    assert healthz(base) == {"status": "ok"}
    assert launch(base)["response"]["outputSpeech"]["ssml"].startswith("<speak>")


def test_slow_clients_neither_block_real_ones_nor_stay(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    clients = open_slow_clients("127.0.0.1", port, each=8, interval=0.5, limit=60)
    try:
        time.sleep(1.0)  # all sixteen are mid-request now
        assert_answers(base)
        assert not [c for c in clients if c.closed]  # answered while every slow one was open
        for _ in range(3):
            assert_answers(base)

        deadline = time.monotonic() + CLOSED_WITHIN
        while not all(c.closed for c in clients) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [c.kind for c in clients if not c.closed] == []
        assert_answers(base)
    finally:
        for client in clients:
            client.stop()


def test_a_body_over_the_limit_is_refused_unread(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=PROMPT) as sock:
        sock.sendall(
            b"POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10000000\r\n\r\n"
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")


def test_sigterm_stops_the_server_cleanly(server: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = server
    assert_answers(base)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    with pytest.raises(OSError):
        healthz(base)
