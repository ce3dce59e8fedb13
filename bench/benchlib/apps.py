"""The three apps under test, their environments and what they log.

* ``product``: ``gunicorn 'product_app:create_app()'`` (bench/product_app.py);
* ``reference``: the ASK SDK reference skill in its own venv (bench/reference);
* ``floor``: the bare WSGI endpoint (bench/floor/app.py), the least any skill must do.

All three are served by ``servers.GUNICORN_SETTINGS`` and count their DynamoDB calls with
``opcount`` into ``logs/ops-<app>/``; the product also writes its per-request log lines.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib import capacity, servers
from benchlib.envelopes import SKILL_ID, Kind
from benchlib.opcount import OPS_ENV, REQUEST, WRITES

PRODUCT_TABLE = "closer-bench"
REFERENCE_TABLE = "closer-bench-reference"
FLOOR_TABLE = "closer-bench-floor"
CAPACITY_TABLE = "closer-capacity"
CAPACITY_REFERENCE_TABLE = "closer-capacity-ref"
NAMES = ("product", "reference", "floor")
ROUTES = {"none": "/alexa", "read": "/alexa/read", "write": "/alexa/write"}
"""The floor's variants: no store, one GetItem, or GetItem + conditional PutItem."""


@dataclass
class LogTail:
    """New complete lines of the files matching ``pattern`` in ``directory`` since last time."""

    directory: Path
    pattern: str
    offsets: dict[str, int] = field(default_factory=dict)

    def settle(self, quiet_s: float = 0.3, timeout_s: float = 5.0) -> None:
        """Wait until the files have not grown for ``quiet_s`` (requests still in flight when
        wrk stopped have finished), at most ``timeout_s``."""
        deadline = time.perf_counter() + timeout_s
        size = -1
        while time.perf_counter() < deadline:
            now = sum(p.stat().st_size for p in self.directory.glob(self.pattern))
            if now == size:
                return
            size = now
            time.sleep(quiet_s)

    def lines(self) -> list[bytes]:
        found: list[bytes] = []
        for path in sorted(self.directory.glob(self.pattern)):
            offset = self.offsets.get(path.name, 0)
            with path.open("rb") as f:
                f.seek(offset)
                data = f.read()
            end = data.rfind(b"\n") + 1
            self.offsets[path.name] = offset + end
            found += data[:end].splitlines()
        return found


@dataclass
class App:
    name: str
    python: Path
    argv: list[str]  # gunicorn argv with "{port}"
    env: dict[str, str]
    cwd: Path
    table: str
    paths: dict[str, str] = field(default_factory=dict)  # kind -> URL path (default /alexa)
    server: servers.Server | None = None
    moto_pid: int = 0
    ops: LogTail | None = None
    requests_log: LogTail | None = None

    def path(self, kind: str) -> str:
        return self.paths.get(kind, "/alexa")

    def url(self, kind: str) -> str:
        assert self.server is not None
        return self.server.url + self.path(kind)

    def store_calls(self) -> Counter[str]:
        """DynamoDB calls since the last call, by operation (``!``: refused)."""
        if self.ops is None:
            return Counter()
        return Counter(line.decode("ascii", "replace") for line in self.ops.lines())

    def turn_log(self) -> dict[str, Any]:
        """Product only: outcomes and writes from its per-request log lines since last time."""
        if self.requests_log is None:
            return {}
        counts: Counter[str] = Counter()
        handlers: Counter[str] = Counter()
        wrote = 0
        for line in self.requests_log.lines():
            try:
                fields = json.loads(line)
            except ValueError:
                continue
            counts[fields.get("outcome", "?")] += 1
            wrote += bool(fields.get("wrote"))
            handlers[str(fields.get("handler"))] += 1
        total = sum(counts.values())
        return {
            "logged": total,
            "outcomes": dict(counts),
            "writes_per_request": round(wrote / total, 3) if total else None,
            "handlers": dict(handlers),
        }

    def drain(self) -> None:
        """Forget what was logged so far (seeding, warm-up)."""
        self.store_calls()
        self.turn_log()


def per_request(calls: Counter[str], wrk_requests: int) -> dict[str, Any]:
    """Requests the server was given (``served``; wrk's count if it logged none), store calls
    per request, and the share of requests that wrote (successful writes)."""
    calls = Counter(calls)
    served = calls.pop(REQUEST, 0) or wrk_requests
    requests = max(1, served)
    writes = sum(n for op, n in calls.items() if op in WRITES)
    return {
        "served": served,
        "store_calls": dict(sorted(calls.items())),
        "reads_per_request": round(calls.get("GetItem", 0) / requests, 3),
        "write_share": round(writes / requests, 3),
    }


@dataclass(frozen=True)
class Where:
    """What every app is given: the bench directory, moto, the test CA and the log directory."""

    bench: Path
    endpoint: str
    ca_dir: Path
    cert_url: str
    logs: Path

    def env(self, extra: Mapping[str, str]) -> dict[str, str]:
        ca = {"BENCH_CA_DIR": str(self.ca_dir), "BENCH_CERT_URL": self.cert_url}
        return servers.clean_env(ca | dict(extra))


def build(
    where: Where,
    pythons: Mapping[str, Path],
    kinds: Sequence[Kind],
    floor_paths: Mapping[str, str],
    floor_item_bytes: int,
) -> dict[str, App]:
    """The three apps (not started yet), each counting its DynamoDB calls."""
    apps = {
        "product": product_app(where, pythons["product"]),
        "reference": reference_app(where, pythons["reference"], kinds),
        "floor": floor_app(where, pythons["product"], floor_paths, floor_item_bytes),
    }
    for app in apps.values():
        ops_dir = where.logs / f"ops-{app.name}"
        ops_dir.mkdir(parents=True, exist_ok=True)
        app.env[OPS_ENV] = str(ops_dir)
        app.ops = LogTail(ops_dir, "ops-*.log")
    return apps


def product_app(where: Where, python: Path) -> App:
    env = {
        "CLOSER_VERIFY": "on",
        "CLOSER_SKILL_ID": SKILL_ID,
        "CLOSER_STORE": "dynamodb",
        "CLOSER_DYNAMODB_ENDPOINT_URL": where.endpoint,
        "CLOSER_DYNAMODB_TABLE": PRODUCT_TABLE,
        "BENCH_LOG_DIR": str(where.logs),
    }
    argv = servers.gunicorn_argv(
        python, "product_app:create_app()", "--pythonpath", str(where.bench)
    )
    return App(
        "product",
        python,
        argv,
        where.env(env),
        where.bench.parent,
        PRODUCT_TABLE,
        requests_log=LogTail(where.logs, "requests-*.log"),
    )


def reference_app(where: Where, python: Path, kinds: Sequence[Kind]) -> App:
    env = reference_env(where.endpoint, kinds, REFERENCE_TABLE)
    argv = servers.gunicorn_argv(python, "testca:create_app()")
    return App(
        "reference", python, argv, where.env(env), where.bench / "reference", REFERENCE_TABLE
    )


def floor_app(where: Where, python: Path, paths: Mapping[str, str], new_item_bytes: int) -> App:
    env = {
        "FLOOR_SKILL_ID": SKILL_ID,
        "FLOOR_TABLE": FLOOR_TABLE,
        "FLOOR_DYNAMODB_ENDPOINT_URL": where.endpoint,
        "FLOOR_NEW_ITEM_BYTES": str(new_item_bytes),
    }
    argv = servers.gunicorn_argv(python, "floor.app:create_app()", "--pythonpath", str(where.bench))
    return App(
        "floor",
        python,
        argv,
        where.env(env),
        where.bench.parent,
        FLOOR_TABLE,
        paths=dict(paths),
    )


def reference_env(endpoint: str, kinds: Sequence[Kind], table: str) -> dict[str, str]:
    """The reference's settings; it answers the product's own intent names."""
    return {
        "REFERENCE_SKILL_ID": SKILL_ID,
        "REFERENCE_TABLE": table,
        "REFERENCE_DYNAMODB_ENDPOINT_URL": endpoint,
        "REFERENCE_INTENTS": json.dumps({k.name: k.intent for k in kinds if k.intent}),
    }


def create_tables(endpoint: str) -> None:
    from skill.store.dynamodb import client_config, create_table

    client = capacity.make_client(endpoint, client_config())
    for table in (PRODUCT_TABLE, FLOOR_TABLE):
        create_table(client, table)
    for table in (REFERENCE_TABLE, CAPACITY_REFERENCE_TABLE):
        client.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )


def copy_items(endpoint: str, source: str, target: str) -> int:
    """Copy every item of ``source`` into ``target`` (the floor reads the product's items)."""
    client = capacity.make_client(endpoint)
    copied = 0
    for page in client.get_paginator("scan").paginate(TableName=source):
        for item in page["Items"]:
            client.put_item(TableName=target, Item=item)
            copied += 1
    return copied


def store_work(
    kinds: Sequence[Kind], product_capacity: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """Per kind, what the product does with the store on that turn in the load points, from
    its own capacity scenario (``again_today``; ``launch/new`` for a new household): ``write``
    if it wrote, ``read`` if it only read, else ``none``."""
    turns = {s["name"]: s["turns"][0] for s in product_capacity if s.get("turns")}
    found = {}
    for kind in kinds:
        turn = turns.get("launch/new" if kind.fresh else f"{kind.name}/again_today", {})
        found[kind.name] = (
            "write" if turn.get("writes") else "read" if turn.get("reads") else "none"
        )
    return found


def floor_paths(work: Mapping[str, str]) -> dict[str, str]:
    """The floor variant that mirrors the product's store work, per kind."""
    return {kind: ROUTES[what] for kind, what in work.items()}


def floor_variant(path: str) -> str:
    return next(name for name, route in ROUTES.items() if route == path)


def new_item_bytes(product_capacity: Sequence[Mapping[str, Any]], default: int = 512) -> int:
    """The size of the item the product writes for a new household (``launch/new``)."""
    for scenario in product_capacity:
        if scenario["name"] == "launch/new" and scenario["turns"]:
            return int(scenario["turns"][0]["item_bytes"]) or default
    return default
