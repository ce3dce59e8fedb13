"""``bench/run --json FILE``: a machine-readable summary of a run (the full results, with raw
wrk figures, logs and profiles, go to ``--out`` as before)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCHEMA = "closer-bench-summary/1"
POINT_FIELDS = (
    "rps",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "requests",
    "seconds",
    "app_cpu_ms_per_request",
    "moto_cpu_ms_per_request",
    "write_share",
    "reads_per_request",
    "store_calls",
    "settings_api_calls_per_request",
    "non_2xx",
    "socket_errors",
    "pool",
    "pool_exhausted",
    "floor_variant",
)


def _app_point(point: Mapping[str, Any]) -> dict[str, Any]:
    found = {key: point[key] for key in POINT_FIELDS if key in point}
    found["cpu_ms_per_request"] = point["app_cpu_ms_per_request"]
    log = point.get("product_log")
    if log:
        found["write_share_log"] = log.get("writes_per_request")
        found["outcomes"] = log.get("outcomes")
    return found


def _memory(memory: Mapping[str, Any]) -> dict[str, Any]:
    return {
        app: {
            "requests": data["requests"],
            "flat": all(w["flat"] for w in data["workers"]),
            "workers": data["workers"],
            "checkpoints": data["checkpoints"],
        }
        for app, data in memory.items()
    }


def build(results: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "started": results["started"],
        "command": results["command"],
        "machine": results["machine"],
        "seconds_per_point": results["plan"]["seconds"],
        "gunicorn": results["gunicorn"],
        "points": [
            {
                "kind": level["kind"],
                "connections": level["connections"],
                **{app: _app_point(p) for app, p in level["points"].items()},
                "ratios": level["ratios"],
            }
            for level in results["levels"]
        ],
        "cold_start": results["cold_start"],
        "import": results["import"],
        "memory": _memory(results["memory"]),
        "seed_failures": results.get("seed_failures"),
        "capacity_units": results["cost"]["per_turn"],
        "cost": {
            "assumptions": results["cost"]["assumptions"],
            "nights": results["cost"]["nights"],
        },
        "targets": results["targets"],
        "elapsed_seconds": results.get("elapsed_seconds"),
    }
