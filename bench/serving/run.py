#!/usr/bin/env python3
"""Compare serving stacks for the skill on this machine: throughput and p99 with wrk, slow
clients, and a junk certificate-URL flood.

    .venv/bin/python bench/serving/run.py [--rounds 2] [--seconds 8] [--probe 12]
                                          [--stacks gthread,gevent,waitress]
                                          [--parts stacks,flood]

Every stack serves the product (verification on, test CA, SQLite) on 127.0.0.1; the stacks run
interleaved, round after round, so a busy neighbour on the shared cores hurts them alike.
Needs wrk (apt-get install -y wrk); the gevent stack needs gevent (pip install gevent).
Prints tables and writes bench/results/serving.json. See bench/serving/README.md.
"""
# ruff: noqa: E402  (benchlib and tests are importable once sys.path names them)

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO)]

from benchlib import alexa_api, load, procs, servers
from benchlib.envelopes import (
    SKILL_ID,
    Kind,
    Signed,
    encode,
    envelope,
    household,
    load_signing,
    sign_all,
)

from tests.slow_clients import SlowClient, open_slow_clients

HOST = procs.HOST
LAUNCH = Kind("launch", "launch", "LaunchRequest")
SESSION_END = Kind("session_end", "session end", "SessionEndedRequest")
GUNICORN_COMMON = ("--timeout", "10", "--graceful-timeout", "5", "--keep-alive", "5")
GEVENT_SETTINGS = (
    *("--workers", "2", "--worker-class", "gevent", "--worker-connections", "1000"),
    *GUNICORN_COMMON,
    *("--no-control-socket", "--log-level", "warning"),
)
JUNK_FETCH_MS = 100  # what asking S3 for a missing object costs, roughly
FLOOD_THREADS = 8  # as many as the 2 x 4 gthread stack has app threads


@dataclass(frozen=True)
class Stack:
    name: str
    label: str
    needs: str  # a module the stack cannot run without

    def argv(self, python: str, port: int) -> list[str]:
        if self.name == "waitress":
            return [python, str(HERE / "serving_app.py")]
        settings = servers.GUNICORN_SETTINGS if self.name == "gthread" else GEVENT_SETTINGS
        return [
            *(python, "-m", "gunicorn", *settings, "--bind", f"{HOST}:{port}"),
            *("--pythonpath", str(HERE), "serving_app:create_app()"),
        ]


STACKS = {
    "gthread": Stack("gthread", "gunicorn gthread 2x4 (before)", "gunicorn"),
    "gevent": Stack("gevent", "gunicorn gevent 2 workers", "gevent"),
    "waitress": Stack("waitress", "waitress 8 threads (infra/serve.py)", "waitress"),
}


@dataclass
class Fixture:
    """What every run shares: the test CA on disk, the Settings API stand-in, a scratch dir."""

    authority: Any
    ca_dir: Path
    api: str
    work: Path
    python: str


def make_fixture(work: Path, api: str) -> Fixture:
    signing = load_signing(REPO)
    authority = signing.make_authority()
    ca_dir = work / "ca"
    ca_dir.mkdir()
    (ca_dir / "root.pem").write_bytes(authority.root.public_bytes(serialization.Encoding.PEM))
    (ca_dir / "chain.pem").write_bytes(authority.chain_pem)
    return Fixture(authority, ca_dir, api, work, sys.executable)


# -- one server -----------------------------------------------------------------------------


def start(fx: Fixture, stack: Stack, tag: str, old_verifier: Path | None = None) -> servers.Server:
    port = procs.free_port()
    env = {
        "PORT": str(port),
        "LISTEN_HOST": HOST,
        "CLOSER_VERIFY": "on",
        "CLOSER_SKILL_ID": SKILL_ID,
        "CLOSER_STORE": "sqlite",
        "CLOSER_SQLITE_PATH": str(fx.work / f"{tag}.db"),
        "CLOSER_CONTENT_DIR": str(REPO / "content"),
        "BENCH_CA_DIR": str(fx.ca_dir),
        "BENCH_CERT_URL": fx.authority.url,
        "BENCH_JUNK_FETCH_MS": str(JUNK_FETCH_MS),
        "BENCH_FETCH_LOG": str(fx.work / f"{tag}.fetches"),
    }
    if old_verifier is not None:
        env["BENCH_OLD_VERIFIER"] = str(old_verifier)
    log = fx.work / f"{tag}.log"
    process = procs.spawn(stack.argv(fx.python, port), env=servers.clean_env(env), log=log)
    server = servers.Server(tag, process, port)
    procs.wait_until(lambda: _healthy(server.url), timeout=60, what=tag, process=process)
    for item in signed(fx, LAUNCH, 4):  # warm: the chain is downloaded once
        procs.post(server.url + "/alexa", item.body, headers(fx, item), timeout=10)
    return server


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def signed(fx: Fixture, kind: Kind, count: int) -> list[Signed]:
    now = datetime.now(UTC)
    bodies = [
        encode(envelope(kind, user_id=household(i), at=now, api_endpoint=fx.api))
        for i in range(count)
    ]
    return sign_all(fx.authority, bodies)


def headers(fx: Fixture, item: Signed, cert_url: str | None = None) -> dict[str, str]:
    return {"SignatureCertChainUrl": cert_url or fx.authority.url, "Signature-256": item.signature}


def wrk(fx: Fixture, server: servers.Server, kind: Kind, seconds: float) -> dict[str, Any]:
    """One wrk point at 8 connections, with the server's CPU milliseconds per request."""
    data = load.write_data(fx.work / f"{kind.name}.lua", fx.authority.url, signed(fx, kind, 64))
    script = BENCH / "wrk" / "alexa.lua"
    pids = [server.process.pid, *server.workers()]
    cpu = procs.cpu_seconds(pids)
    result = load.run(script, server.url + "/alexa", data, connections=8, seconds=seconds)
    spent = procs.cpu_seconds(pids) - cpu
    result["cpu_ms"] = round(spent * 1000 / result["requests"], 2) if result["requests"] else None
    return result


# -- slow clients ---------------------------------------------------------------------------


def post_alexa(fx: Fixture, url: str, item: Signed, cert_url: str | None = None) -> int:
    return procs.post(url + "/alexa", item.body, headers(fx, item, cert_url), timeout=5)[0]


def timed(call: Callable[..., int], *args: Any) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        status = call(*args)
    except (OSError, urllib.error.URLError):
        status = 0  # no answer within the client's timeout
    return (time.perf_counter() - started) * 1000, status


def probe_requests(fx: Fixture, url: str, seconds: float) -> dict[str, list[tuple[float, int]]]:
    """A normal client, one request at a time: GET /healthz, then a signed POST /alexa."""
    seen: dict[str, list[tuple[float, int]]] = {"healthz": [], "alexa": []}
    ends = time.monotonic() + seconds

    def healthz() -> int:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
            return answer.status

    while time.monotonic() < ends:
        seen["healthz"].append(timed(healthz))
        seen["alexa"].append(timed(post_alexa, fx, url, signed(fx, LAUNCH, 1)[0]))
        time.sleep(0.2)
    return seen


def summarise_probe(samples: list[tuple[float, int]]) -> dict[str, Any]:
    ok = [ms for ms, status in samples if status == 200]
    return {
        "tries": len(samples),
        "ok": len(ok),
        "p50_ms": round(statistics.median(ok), 1) if ok else None,
        "max_ms": round(max(ms for ms, _ in samples), 1) if samples else None,
    }


def slow_client_run(fx: Fixture, server: servers.Server, seconds: float) -> dict[str, Any]:
    clients = open_slow_clients(HOST, server.port, interval=1.0, limit=seconds + 30)
    try:
        seen = probe_requests(fx, server.url, seconds)
        time.sleep(2)
    finally:
        for client in clients:
            client.stop()
    return {
        "healthz": summarise_probe(seen["healthz"]),
        "alexa": summarise_probe(seen["alexa"]),
        "slow_closed": _closed(clients),
    }


def _closed(clients: Sequence[SlowClient]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for kind in ("headers", "body"):
        times = [c.closed_after for c in clients if c.kind == kind and c.closed_after is not None]
        total = sum(1 for c in clients if c.kind == kind)
        result[kind] = {
            "closed": f"{len(times)}/{total}",
            "after_s": round(statistics.median(times), 1) if times else None,
        }
    return result


# -- a junk certificate-URL flood -----------------------------------------------------------


def flood(fx: Fixture, url: str, stop: threading.Event, counts: Counter[int]) -> None:
    """Unsigned-in-effect requests, each naming a new certificate URL, one at a time."""
    item = signed(fx, LAUNCH, 1)[0]
    while not stop.is_set():
        junk = f"https://s3.amazonaws.com/echo.api/junk-{uuid.uuid4()}.pem"
        _, status = timed(post_alexa, fx, url, item, junk)
        counts[status] += 1


def flood_run(fx: Fixture, server: servers.Server, tag: str, seconds: float) -> dict[str, Any]:
    quiet = wrk(fx, server, LAUNCH, seconds)
    fetch_log = fx.work / f"{tag}.fetches"
    before = len(fetch_log.read_text().splitlines())
    stop, counts = threading.Event(), Counter[int]()
    flooders = [
        threading.Thread(target=flood, args=(fx, server.url, stop, counts))
        for _ in range(FLOOD_THREADS)
    ]
    for thread in flooders:
        thread.start()
    try:
        loud = wrk(fx, server, LAUNCH, seconds)
    finally:
        stop.set()
        for thread in flooders:
            thread.join(timeout=10)
    downloads = len(fetch_log.read_text().splitlines()) - before
    return {
        "quiet": _point(quiet),
        "flooded": _point(loud),
        "junk_answered_per_s": round(sum(counts.values()) / loud["seconds"], 1),
        "junk_downloads_per_s": round(downloads / loud["seconds"], 2),
    }


def _point(result: dict[str, Any]) -> dict[str, Any]:
    keys = ("rps", "p50_ms", "p99_ms", "cpu_ms", "non_2xx", "socket_errors")
    return {key: result[key] for key in keys}


# -- the run --------------------------------------------------------------------------------


def measure_stack(fx: Fixture, stack: Stack, round_: int, args: argparse.Namespace) -> dict:
    server = start(fx, stack, f"{stack.name}-{round_}")
    try:
        result = {
            "launch": _point(wrk(fx, server, LAUNCH, args.seconds)),
            "session_end": _point(wrk(fx, server, SESSION_END, args.seconds)),
        }
        result["slow_clients"] = slow_client_run(fx, server, args.probe)
    finally:
        procs.stop(server.process)
    return result


def old_verifier(work: Path) -> Path | None:
    """skill/verify.py as on main (before the hardening), for the flood's before/after."""
    path = work / "verify_main.py"
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", "main:skill/verify.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode != 0 or "DownloadLimits" in shown.stdout:
        return None
    path.write_text(shown.stdout, encoding="utf-8")
    return path


def flood_configs(stacks: Sequence[Stack], work: Path) -> list[tuple[str, Stack, Path | None]]:
    old = old_verifier(work)
    configs: list[tuple[str, Stack, Path | None]] = []
    if old is not None and "gthread" in [s.name for s in stacks]:
        configs.append(("gthread, verifier on main", STACKS["gthread"], old))
    configs += [(f"{stack.name}, hardened verifier", stack, None) for stack in stacks]
    return configs


def run(args: argparse.Namespace, fx: Fixture, stacks: Sequence[Stack]) -> dict[str, Any]:
    results: dict[str, Any] = {"stacks": {s.name: [] for s in stacks}, "flood": {}}
    configs = flood_configs(stacks, fx.work) if "flood" in args.parts else []
    for round_ in range(1, args.rounds + 1):
        for stack in stacks if "stacks" in args.parts else []:
            print(f"round {round_}: {stack.label}", flush=True)
            results["stacks"][stack.name].append(measure_stack(fx, stack, round_, args))
        for label, stack, old in configs:
            print(f"round {round_}: junk flood on {label}", flush=True)
            tag = f"flood-{stack.name}-{'old' if old else 'new'}-{round_}"
            server = start(fx, stack, tag, old)
            try:
                point = flood_run(fx, server, tag, args.seconds)
            finally:
                procs.stop(server.process)
            results["flood"].setdefault(label, []).append(point)
    return results


# -- the report -----------------------------------------------------------------------------


def _median(points: list[dict[str, Any]], *path: str) -> Any:
    values = []
    for point in points:
        for key in path:
            point = point[key]
        values.append(point)
    numeric = [v for v in values if isinstance(v, int | float)]
    return round(statistics.median(numeric), 1) if len(numeric) == len(values) else values


def report(results: dict[str, Any]) -> None:
    print("\nthroughput at 8 connections, signed requests (median of rounds)")
    columns = ("rps", "p50_ms", "p99_ms", "cpu_ms", "non_2xx")
    print(f"{'stack':<38}{'kind':<12}" + "".join(f"{c:>9}" for c in columns))
    for name, points in results["stacks"].items():
        for kind in ("launch", "session_end") if points else ():
            row = [_median(points, kind, k) for k in columns]
            print(f"{STACKS[name].label:<38}{kind:<12}" + "".join(f"{v!s:>9}" for v in row))
    print("\n8 slow-header + 8 slow-body clients; a normal client meanwhile (each round)")
    for name, points in results["stacks"].items():
        for point in points:
            slow = point["slow_clients"]
            print(f"{STACKS[name].label:<38}" + json.dumps(slow, separators=(",", ":")))
    if results["flood"]:
        print(f"\nlaunch at 8 connections, quiet vs during a {FLOOD_THREADS}-thread junk-URL flood")
        for label, points in results["flood"].items():
            for point in points:
                print(f"{label:<38}" + json.dumps(point, separators=(",", ":")))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/serving/run.py", description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per wrk point")
    parser.add_argument("--probe", type=float, default=12.0, help="seconds of slow clients")
    parser.add_argument("--stacks", default="gthread,gevent,waitress")
    parser.add_argument(
        "--parts", default="stacks,flood", help="stacks (wrk and slow clients), flood, or both"
    )
    parser.add_argument("--out", default=str(BENCH / "results" / "serving.json"))
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if load.wrk_path() is None:
        print("wrk is not installed: " + load.WRK_INSTALL)
        return 2
    stacks = [STACKS[name] for name in args.stacks.split(",")]
    missing = [s.name for s in stacks if importlib.util.find_spec(s.needs) is None]
    if missing:
        print(f"skipping {', '.join(missing)}: {sys.executable} lacks its server package")
        stacks = [s for s in stacks if s.name not in missing]
    procs.install_cleanup()
    with tempfile.TemporaryDirectory() as scratch, alexa_api.settings_api() as api:
        fx = make_fixture(Path(scratch), api)
        results = run(args, fx, stacks)
    report(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
