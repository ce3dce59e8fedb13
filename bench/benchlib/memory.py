"""Memory per gunicorn worker over many mixed requests: RSS after seeding and every chunk."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from benchlib import load, procs
from benchlib.apps import App
from benchlib.envelopes import Kind, Signed
from benchlib.points import Load

FLAT_MIB = 1.0
FLAT_SHARE = 0.02
"""A worker is flat when it grows by no more than 1 MiB (or 2 %) after the first chunk, which
holds the warm-up (caches filling, lazily imported code)."""
RESIGN_AFTER_S = 90.0
"""Request timestamps must be within 150 s of the server's clock: sign again well before."""


def run(load_: Load, app: App, kinds: Sequence[Kind], requests: int, chunk: int) -> dict[str, Any]:
    """RSS of each worker before and after ``requests`` mixed requests (8 connections)."""
    assert app.server is not None
    workers = app.server.workers()
    before = {pid: procs.rss_kib(pid) for pid in workers}
    started = time.perf_counter()
    checkpoints: list[dict[str, Any]] = []
    signed: list[Signed] = []
    signed_at = 0.0
    done = 0
    while done < requests:
        if time.perf_counter() - signed_at > RESIGN_AFTER_S:
            signed = [s for kind in kinds for s in load_.sign(kind, load_.users)]
            signed_at = time.perf_counter()
        data = load_.data(f"{app.name}-memory", signed)
        result = load.run(
            load_.script,
            app.url("memory"),
            data,
            connections=8,
            seconds=120,
            limit=min(chunk, requests - done),
        )
        done += result["requests"]
        if result["non_2xx"] or result["socket_errors"]:
            raise RuntimeError(f"{app.name}: errors during the memory run: {result}")
        checkpoints.append({"requests": done, "rss_mib": [_rss_mib(pid) for pid in workers]})
    app.drain()
    return {
        "requests": done,
        "seconds": round(time.perf_counter() - started, 1),
        "checkpoints": checkpoints,
        "workers": [
            _worker(index, pid, before[pid], checkpoints) for index, pid in enumerate(workers)
        ],
    }


def _worker(
    index: int, pid: int, before_kib: int, checkpoints: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    first, last = checkpoints[0]["rss_mib"][index], checkpoints[-1]["rss_mib"][index]
    after_warm_up = round(last - first, 1)
    return {
        "pid": pid,
        "rss_before_mib": _mib(before_kib),
        "rss_after_mib": last,
        "growth_mib": round(last - _mib(before_kib), 1),
        "growth_after_first_chunk_mib": after_warm_up,
        "flat": last > 0 and after_warm_up <= max(FLAT_MIB, FLAT_SHARE * first),
    }


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def _rss_mib(pid: int) -> float:
    """The worker's RSS (0 if gunicorn replaced it: then it is not flat either)."""
    try:
        return _mib(procs.rss_kib(pid))
    except OSError:
        return 0.0
