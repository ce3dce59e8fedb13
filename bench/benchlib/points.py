"""Load points: one kind of request at one connection level, for each app in turn.

The apps get the same signed bodies at a level, signed just before it (each app has its own
table, so a household new to one is new to all three). A turn that writes in the product must
not be a replay: a household starting a check-in twice in the same second changes nothing, so
such points get a pool of distinct bodies big enough for the point, which wrk never goes round
twice (it stops once every body has been sent; the point is then marked ``pool_exhausted``,
shorter than planned):

* the first launch of new households (``Kind.fresh``): one never-seen household per request;
* the other writing turns (check-in start, next question): the returning households in rounds,
  each round one second later than the one before (so every request is a later turn).

A read-only turn is the same whatever its timestamp (the product writes nothing on it, which
its log confirms at every point), so those points cycle through one body per household.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchlib import alexa_api, load, procs
from benchlib.apps import App, floor_variant, per_request
from benchlib.envelopes import Kind, Signed, encode, envelope, fresh_households, sign_all

SETTLE_S = 0.3
"""After wrk stops, wait until the app's call log has been quiet this long (requests still in
flight finish) before CPU and calls are read."""
POOL_MARGIN = 1.25
POOL_MIN, POOL_MAX = 300, 60_000
EARLIEST_S = 30
MAX_ROUNDS = 120
"""Timestamps stay within Alexa's 150 s of the servers' clock while the three apps run."""


@dataclass(frozen=True)
class Load:
    """What every load point needs: the wrk script, a work directory, the signer, households."""

    bench: Path
    work: Path
    authority: Any
    api_endpoint: str
    users: Sequence[str]

    def sign(self, kind: Kind, users: Sequence[str], rounds: int = 1) -> list[Signed]:
        """Every household in ``users`` once per round, a second later each round (the first
        round ``EARLIEST_S`` in the past when there is more than one)."""
        start = datetime.now(UTC) - timedelta(seconds=EARLIEST_S if rounds > 1 else 0)
        bodies = [
            encode(envelope(kind, user_id=u, at=at, api_endpoint=self.api_endpoint))
            for at in (start + timedelta(seconds=r) for r in range(rounds))
            for u in users
        ]
        return sign_all(self.authority, bodies)

    def data(self, name: str, signed: Sequence[Signed]) -> Path:
        return load.write_data(self.work / f"{name}.txt", self.authority.url, signed)

    @property
    def script(self) -> Path:
        return self.bench / "wrk" / "alexa.lua"


def post_all(app: App, kind: str, signed: Sequence[Signed], cert_url: str) -> list[int]:
    """POST every body (8 at a time); the statuses, in order."""
    url = app.url(kind)
    headers = {"SignatureCertChainUrl": cert_url}

    def one(item: Signed) -> int:
        status, _ = procs.post(url, item.body, headers | {"Signature-256": item.signature})
        return status

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, signed))


def seed(load_: Load, app: App, kinds: Sequence[Kind]) -> dict[str, int]:
    """Every household starts the plan and uses every feature once today: the points then
    measure the steady state of a household's later turns that night (every path warm).

    A request that fails is sent once more, alone (the reference's certificate validation is
    not thread-safe on a fresh worker: asn1crypto can raise IndexError under concurrent first
    use); the failures per kind are returned so the run reports them."""
    failures: dict[str, int] = {}
    for kind in kinds:
        signed = load_.sign(kind, load_.users)
        statuses = post_all(app, kind.name, signed, load_.authority.url)
        failed = [item for item, status in zip(signed, statuses, strict=True) if status != 200]
        if failed:
            failures[kind.name] = len(failed)
            again = Counter(
                post_all(app, kind.name, [item], load_.authority.url)[0] for item in failed
            )
            if set(again) != {200}:
                raise RuntimeError(f"{app.name}: seeding {kind.name} got {dict(again)} twice")
    app.drain()
    return failures


def pool_size(history: Sequence[Mapping[str, Any]], connections: int, seconds: float) -> int:
    """New households enough for the fastest app at this level (from the points so far: the
    fastest rate seen at these connections, else anywhere), with a margin."""
    same = [p["rps"] for p in history if p["connections"] == connections]
    rate = max(same or [p["rps"] for p in history] or [500.0])
    wanted = math.ceil(rate * seconds * POOL_MARGIN) + connections
    return max(POOL_MIN, min(POOL_MAX, wanted))


def bodies_for(
    load_: Load,
    kind: Kind,
    connections: int,
    seconds: float,
    history: Sequence[Any],
    unique: bool,
) -> list[Signed]:
    """The bodies of one level: a pool of distinct ones (new households, or rounds of the
    returning ones) when ``unique``, else one per household."""
    if not unique:
        return load_.sign(kind, load_.users)
    size = pool_size(history, connections, seconds)
    if kind.fresh:
        return load_.sign(kind, fresh_households(size))
    rounds = min(MAX_ROUNDS, math.ceil(size / len(load_.users)))
    return load_.sign(kind, load_.users, rounds)


def run_level(
    load_: Load,
    apps: Sequence[App],
    kind: Kind,
    connections: int,
    seconds: float,
    history: Sequence[Mapping[str, Any]],
    unique: bool,
) -> list[dict[str, Any]]:
    """The point for every app in turn, on the same freshly signed bodies (``unique``: never
    one sent twice)."""
    signed = bodies_for(load_, kind, connections, seconds, history, unique)
    data = load_.data(f"{kind.name}-c{connections}", signed)
    pool = len(signed) if unique else None
    return [run_point(load_, app, kind, data, connections, seconds, pool) for app in apps]


def run_point(
    load_: Load,
    app: App,
    kind: Kind,
    data: Path,
    connections: int,
    seconds: float,
    pool: int | None = None,
) -> dict[str, Any]:
    """One wrk run against ``app``; with ``pool`` (the bodies in ``data``) none is sent twice."""
    assert app.server is not None
    app.drain()
    pids = [app.server.process.pid, *app.server.workers()]
    app_cpu, moto_cpu = procs.cpu_seconds(pids), procs.cpu_seconds([app.moto_pid])
    busy, total = procs.machine_busy_seconds()
    api_calls = alexa_api.calls()
    limit = pool - connections if pool else None
    result = load.run(
        load_.script,
        app.url(kind.name),
        data,
        connections=connections,
        seconds=seconds,
        limit=limit,
    )
    if app.ops is not None:
        app.ops.settle(SETTLE_S)
    app_cpu = procs.cpu_seconds(pids) - app_cpu
    moto_cpu = procs.cpu_seconds([app.moto_pid]) - moto_cpu
    busy_after, total_after = procs.machine_busy_seconds()
    calls = per_request(app.store_calls(), result["requests"])
    served = max(1, calls["served"])  # CPU and calls per request the server handled
    point: dict[str, Any] = {
        "app": app.name,
        "kind": kind.name,
        **result,
        "app_cpu_ms_per_request": round(1000 * app_cpu / served, 2),
        "moto_cpu_ms_per_request": round(1000 * moto_cpu / served, 2),
        "machine_busy_pct": round(100 * (busy_after - busy) / max(1e-9, total_after - total), 1),
        "settings_api_calls_per_request": round((alexa_api.calls() - api_calls) / served, 3),
        **calls,
    }
    if pool:
        point["pool"] = pool
        point["pool_exhausted"] = limit is not None and result["requests"] >= limit
    if app.name == "floor":
        point["floor_variant"] = floor_variant(app.path(kind.name))
    if app.requests_log is not None:
        point["product_log"] = app.turn_log()
    return point


RATIO_FIELDS = {
    "rps": "rps",
    "p50": "p50_ms",
    "p99": "p99_ms",
    "cpu_ms": "app_cpu_ms_per_request",
}


def ratios(points: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float | None]]:
    """product / reference and product / floor, for throughput, latency and CPU per request."""
    product = points.get("product")
    found: dict[str, dict[str, float | None]] = {}
    for other in ("reference", "floor"):
        against = points.get(other)
        if not product or not against:
            continue
        found[f"product_{other}"] = {
            name: (round(product[key] / against[key], 3) if against[key] else None)
            for name, key in RATIO_FIELDS.items()
        }
    return found
