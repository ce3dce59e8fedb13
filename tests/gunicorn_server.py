"""Run the real app under gunicorn on 127.0.0.1 for a test, and stop it afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.dynamo_server import free_port


@contextmanager
def gunicorn_app(sqlite_path: Path, *, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """Yield the base URL of `gunicorn 'skill.app:create_app()'` with verification off."""
    port = free_port()
    env = {
        **os.environ,
        "CLOSER_VERIFY": "off",
        "CLOSER_STORE": "sqlite",
        "CLOSER_SQLITE_PATH": str(sqlite_path),
        "CLOSER_DEFAULT_TIMEZONE": "America/New_York",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "skill.app:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(
                        process.stderr.read() if process.stderr else "exited"
                    ) from None
                if time.monotonic() > deadline:
                    raise TimeoutError("gunicorn did not start in time") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
