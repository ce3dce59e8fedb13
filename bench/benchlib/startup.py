"""Cold start (spawn gunicorn to the first signed HTTP 200) and import time of each app.

Cold start is like for like: every app is started the same way (gunicorn, the shared
settings), and its first request is the first launch of a household it has never seen, so the
answer includes building the store client and its first read and write (GetItem, then a
PutItem) in every app, whatever the app builds at import, in ``create_app`` or lazily. The apps
take turns run by run, after one discarded warm-up each (file cache and bytecode warm for all).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchlib import servers
from benchlib.apps import App
from benchlib.envelopes import FIRST_LAUNCH, encode, envelope, fresh_households


def cold_starts(
    apps: Sequence[App], authority: Any, api_endpoint: str, runs: int, logs: Path
) -> dict[str, Any]:
    times: dict[str, list[float]] = {app.name: [] for app in apps}
    for run in range(runs + 1):
        for app in apps:
            (user,) = fresh_households(1)
            at = datetime.now(UTC)
            body = encode(envelope(FIRST_LAUNCH, user_id=user, at=at, api_endpoint=api_endpoint))
            seconds = servers.time_to_first_answer(
                app.name,
                app.argv,
                app.env,
                logs / f"{app.name}-cold.log",
                app.cwd,
                body,
                authority.headers(body),
                path=app.path(FIRST_LAUNCH.name),
            )
            if run:
                times[app.name].append(seconds)
    for app in apps:
        app.drain()
    return {
        name: {
            "runs_s": [round(t, 3) for t in found],
            "median_s": round(statistics.median(found), 3),
        }
        for name, found in times.items()
    }


def import_time(
    python: Path, module: str, cwd: Path, env: dict[str, str], runs: int
) -> dict[str, Any]:
    """Median wall time of ``python -c 'import module'`` minus ``python -c pass``, and
    the cumulative time ``-X importtime`` reports for the module."""

    def wall(code: str) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([str(python), "-c", code], cwd=cwd, env=env, check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    baseline = wall("pass")
    total = wall(f"import {module}")
    traced = subprocess.run(
        [str(python), "-X", "importtime", "-c", f"import {module}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cumulative = None
    pattern = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)$")
    for line in traced.stderr.splitlines():
        found = pattern.search(line)
        if found and found.group(2) == module:
            cumulative = int(found.group(1)) / 1e6
    return {
        "module": module,
        "wall_s": round(total, 3),
        "interpreter_s": round(baseline, 3),
        "import_s": round(total - baseline, 3),
        "importtime_cumulative_s": cumulative,
    }
