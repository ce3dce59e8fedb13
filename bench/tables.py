#!/usr/bin/env python3
"""The README's performance tables, as Markdown, from a ``bench/run --json FILE`` summary.

    python bench/tables.py /tmp/bench.json

Prints the load points (product, reference and floor side by side, with both ratios), cold
start and import, memory, capacity units per turn kind, the monthly cost table and the goals
met or not, so the README can show the latest full run exactly as measured.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

KIND_NAMES = {
    "session_end": "Session end (no store work)",
    "launch": "Launch (returning household)",
    "question": "Tonight's question",
    "plan": "Plan week",
    "check_in": "Check-in start",
    "next_question": "Next question (writes)",
    "first_launch": "First launch, new household (writes)",
}


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _app(point: Mapping[str, Any]) -> str:
    cpu = point["app_cpu_ms_per_request"]
    return f"{point['rps']:,.0f} req/s, p99 {point['p99_ms']:.0f} ms, {cpu:.1f} ms CPU"


def points(summary: Mapping[str, Any]) -> list[str]:
    rows = []
    for point in summary["points"]:
        to_ref = point["ratios"].get("product_reference", {})
        to_floor = point["ratios"].get("product_floor", {})
        floor = point.get("floor")
        rows.append(
            (
                KIND_NAMES.get(point["kind"], point["kind"]),
                str(point["connections"]),
                _app(point["product"]),
                _app(point["reference"]),
                f"{_app(floor)} ({floor.get('floor_variant', '-')})" if floor else "-",
                _x(to_ref.get("rps")),
                _x(to_ref.get("p99")),
                _x(to_floor.get("cpu_ms")),
            )
        )
    header = (
        "turn",
        "conns",
        "Closer Together",
        "ASK SDK reference",
        "floor (its store work)",
        "throughput vs ref",
        "p99 vs ref",
        "CPU vs floor",
    )
    return table(header, rows)


def startup(summary: Mapping[str, Any]) -> list[str]:
    cold = summary["cold_start"]
    imports = summary.get("import", {})
    rows = []
    for app in ("product", "reference", "floor"):
        if app not in cold:
            continue
        runs = ", ".join(f"{t:.2f}" for t in cold[app]["runs_s"])
        module = imports.get(app, {})
        seconds = f"{module['import_s']:.2f} s" if module else "-"
        rows.append((app, f"{cold[app]['median_s']:.2f} s ({runs})", seconds))
    return table(("app", "cold start, median (runs)", "import of its module"), rows)


def memory(summary: Mapping[str, Any]) -> list[str]:
    rows = []
    for app, found in summary["memory"].items():
        for worker in found["workers"]:
            rows.append(
                (
                    app,
                    f"{worker['rss_before_mib']:.1f} MiB",
                    f"{worker['rss_after_mib']:.1f} MiB",
                    f"{worker['growth_after_first_chunk_mib']:+.1f} MiB",
                )
            )
    header = ("app", "RSS before", f"after {summary['memory']['product']['requests']:,}", "growth")
    return table(header, rows)


def units(summary: Mapping[str, Any]) -> list[str]:
    rows = []
    for turn in summary["capacity_units"]:
        product, reference = turn["product"], turn["reference"]
        rows.append(
            (
                turn["turn"],
                " + ".join(product["ops"]) or "none",
                f"{product['rru']:g} / {product['wru']:g}",
                f"{product['item_bytes']} B" if product["item_bytes"] else "-",
                f"{reference['rru']:g} / {reference['wru']:g}",
            )
        )
    header = ("turn", "product calls", "product RRU / WRU", "item", "reference RRU / WRU")
    return table(header, rows)


def costs(summary: Mapping[str, Any]) -> list[str]:
    cost = summary["cost"]
    rows = []
    for night in cost["nights"].values():
        for households, month in night["monthly"].items():
            product, reference = month["product"], month["reference"]
            rows.append(
                (
                    ", ".join(night["turns"]),
                    f"{int(households):,}",
                    f"{night['product']['rru']:g} / {night['product']['wru']:g}",
                    f"${product['usd_per_month']:,.2f}",
                    f"{night['reference']['rru']:g} / {night['reference']['wru']:g}",
                    f"${reference['usd_per_month']:,.2f}",
                    _x(month["product_reference"]),
                )
            )
    header = (
        "a night of",
        "households",
        "units a night (R/W)",
        "product a month",
        "reference units",
        "reference a month",
        "ratio",
    )
    return table(header, rows)


def goals(summary: Mapping[str, Any]) -> list[str]:
    marks = {True: "met", False: "**not met**", None: "n/a"}
    rows = [
        (
            t["target"],
            "" if t["measured"] is None else f"{t['measured']}",
            t["goal"],
            marks[t["met"]],
        )
        for t in summary["targets"]
    ]
    return table(("goal", "measured", "wanted", ""), rows)


def main(argv: Sequence[str]) -> int:
    summary = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    machine = summary["machine"]
    print(
        f"Run {summary['started']} (`{summary['command']}`), {summary['seconds_per_point']:g} s a"
        f" point, {machine['nproc']} vCPUs ({machine['cpu']}), Python {machine['python']}."
    )
    for title, lines in (
        ("Load points", points(summary)),
        ("Cold start", startup(summary)),
        ("Memory", memory(summary)),
        ("Capacity units per turn", units(summary)),
        ("Cost", costs(summary)),
        ("Goals", goals(summary)),
    ):
        print(f"\n{title}\n")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
