"""Load generation with wrk: fixed connections, fixed time (or a fixed number of responses)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchlib.envelopes import Signed

WRK_INSTALL = "apt-get install -y wrk   (Debian/Ubuntu; macOS: brew install wrk)"


def wrk_path() -> str | None:
    return shutil.which("wrk")


def write_data(path: Path, cert_url: str, signed: Sequence[Signed]) -> Path:
    """The data file the wrk script cycles through: the certificate URL, then one request per
    line (signature, a tab, the compact JSON body)."""
    with path.open("wb") as out:
        out.write(cert_url.encode("utf-8") + b"\n")
        for item in signed:
            if b"\t" in item.body or b"\n" in item.body:
                raise ValueError("a request body must be compact JSON (no raw tab or newline)")
            out.write(item.signature.encode("ascii") + b"\t" + item.body + b"\n")
    return path


def run(
    script: Path,
    url: str,
    data: Path,
    *,
    connections: int,
    seconds: float,
    limit: int | None = None,
) -> dict[str, Any]:
    """One wrk run (one thread); returns its summary with throughput and latencies in ms."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed: " + WRK_INSTALL)
    env = dict(os.environ)
    if limit:
        env["WRK_LIMIT"] = str(limit)
    argv = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        url,
        "--",
        str(data),
    ]
    output: list[str] = []
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    ) as wrk_process:
        assert wrk_process.stdout is not None
        timer = threading.Timer(seconds + 60, wrk_process.kill)
        timer.start()
        try:
            for text in wrk_process.stdout:
                output.append(text)
                if text.startswith("WRK_LIMIT_REACHED"):
                    wrk_process.send_signal(signal.SIGINT)
        except BaseException:
            wrk_process.kill()  # interrupted (signal, error): do not leave wrk running
            raise
        finally:
            timer.cancel()
        returncode = wrk_process.wait()
    line = next((x for x in output if x.startswith("WRK_JSON ")), None)
    if returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({returncode}): {''.join(output)[-800:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["errors"]
    return {
        "connections": connections,
        "seconds": round(seconds_run, 2),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 3),
        "non_2xx": errors["status"],
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "bodies_sent": raw["sent"],
        "wrapped": raw["wrapped"],
    }
