"""The tables bench/run prints, and the target checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

APPS = ("product", "reference", "floor")
STORE_BOUND = ("question", "plan", "check_in", "next_question", "first_launch")
READ_TURNS = ("launch", "question", "plan", "session_end")
"""Turns that read (or touch no store) in the load points: their throughput goal is higher."""
WRITE_HEAVY = ("next_question", "first_launch")
"""Points where every request must write, in every app (checked from the logs)."""
WRITE_SHARE_GOAL = 0.95
READ_ONLY = (
    "session_end/again_today",
    "launch/again_today",
    "question/again_today",
    "plan/again_today",
    "plan/first_today",
)


def _f(value: float | None, width: int, digits: int = 2) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def point_line(point: Mapping[str, Any]) -> str:
    """One line per point while the run goes."""
    extra = f"  writes/req {point['write_share']:.3f}  reads/req {point['reads_per_request']:.2f}"
    log = point.get("product_log")
    if log:
        bad = {k: v for k, v in log.get("outcomes", {}).items() if k != "ok"}
        extra += f"  (log: writes/req {log.get('writes_per_request')})"
        extra += f"  NOT OK {bad}" if bad else ""
    if point.get("floor_variant"):
        extra += f"  [{point['floor_variant']}]"
    if point.get("pool_exhausted"):
        extra += f"  POOL OF {point['pool']} NEW HOUSEHOLDS RAN OUT after {point['seconds']} s"
    if point.get("non_2xx") or point.get("socket_errors"):
        extra += f"  non-2xx {point['non_2xx']} socket errors {point['socket_errors']}"
    return (
        f"  {point['app']:<9} {point['kind']:<13} c={point['connections']:<3}"
        f" {point['rps']:>8.1f} req/s  p50 {point['p50_ms']:7.2f} ms"
        f"  p99 {point['p99_ms']:7.2f} ms  CPU {point['app_cpu_ms_per_request']:6.2f} ms/req"
        + extra
    )


def ratio_line(level: Mapping[str, Any]) -> str:
    parts = []
    for pair, label in (("product_reference", "P/R"), ("product_floor", "P/F")):
        r = level["ratios"].get(pair)
        if r:
            parts.append(
                f"{label} req/s {_f(r['rps'], 0)}  p99 {_f(r['p99'], 0)}  CPU {_f(r['cpu_ms'], 0)}"
            )
    return "    -> " + "   ".join(parts)


def _levels(results: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    levels: list[Mapping[str, Any]] = results.get("levels", [])
    return levels


def points_table(results: Mapping[str, Any]) -> list[str]:
    out = [
        "\nThroughput, latency, CPU per request (CPU ms = the app's gunicorn processes + moto)",
        f"{'kind':<13} {'conns':>5}"
        + "".join(f" | {app + ' req/s':>15} {'p50':>6} {'p99':>7} {'CPU ms':>9}" for app in APPS),
    ]
    out += _rows(results, _app_cells)
    busy = [p.get("machine_busy_pct", 0) for p in results.get("points", [])]
    if busy:
        out.append(f"(the machine was {min(busy):.0f}-{max(busy):.0f}% busy during the points)")
    return out


def ratios_table(results: Mapping[str, Any]) -> list[str]:
    out = [
        "\nRatios (product / reference, product / floor; req/s higher is better, the rest lower)"
        " and store calls per request (write share: requests that wrote; product log in ())",
        f"{'kind':<13} {'conns':>5} | {'P/R req/s':>9} {'p50':>5} {'p99':>5} {'CPU':>5}"
        f" | {'P/F req/s':>9} {'p50':>5} {'p99':>5} {'CPU':>5}"
        f" | {'writes: product':>15} {'ref':>5} {'floor':>5} | {'reads: P':>8} {'R':>4} {'F':>4}"
        " floor",
    ]
    out += _rows(results, _ratio_cells)
    return out


def _rows(results: Mapping[str, Any], cells: Callable[[Mapping[str, Any]], str]) -> list[str]:
    """One row per kind and level: the kind, the connections, then ``cells(level)``."""
    return [
        f"{level['kind']:<13} {level['connections']:>5}" + cells(level)
        for level in _levels(results)
    ]


def _app_cells(level: Mapping[str, Any]) -> str:
    row = ""
    for app in APPS:
        p = level["points"].get(app)
        if not p:
            row += f" | {'':>15} {'':>6} {'':>7} {'':>9}"
            continue
        cpu = f"{p['app_cpu_ms_per_request']:.1f}+{p['moto_cpu_ms_per_request']:.1f}"
        row += f" | {p['rps']:>15.1f} {p['p50_ms']:>6.1f} {p['p99_ms']:>7.1f} {cpu:>9}"
    return row


def _ratio_cells(level: Mapping[str, Any]) -> str:
    row = ""
    for pair in ("product_reference", "product_floor"):
        r = level["ratios"].get(pair) or {}
        row += f" | {_f(r.get('rps'), 9)} {_f(r.get('p50'), 5)} {_f(r.get('p99'), 5)}"
        row += f" {_f(r.get('cpu_ms'), 5)}"
    points = level["points"]
    shares = {app: points[app]["write_share"] if app in points else None for app in APPS}
    log = (points.get("product", {}).get("product_log") or {}).get("writes_per_request")
    product = f"{_f(shares['product'], 5)} ({_f(log, 5)})"
    row += f" | {product:>15} {_f(shares['reference'], 5)} {_f(shares['floor'], 5)}"
    reads = [points[app]["reads_per_request"] if app in points else None for app in APPS]
    row += f" | {_f(reads[0], 8)} {_f(reads[1], 4)} {_f(reads[2], 4)}"
    return row + f" {points.get('floor', {}).get('floor_variant', '')}"


def capacity_table(results: Mapping[str, Any]) -> list[str]:
    out = [
        "\nStore work per turn (in-process, same moto; units by DynamoDB's rules from item sizes;"
        " moto reports a constant); $/M = dollars per million such turns",
        f"{'turn':<46} {'product: ops':<22} {'RRU':>4} {'WRU':>4} {'bytes':>5} {'$/M':>6}"
        f" | {'reference: ops':<17} {'RRU':>4} {'WRU':>4} {'bytes':>5} {'$/M':>6}",
    ]
    for row in results["cost"]["per_turn"]:
        p, r = row["product"], row["reference"]
        out.append(
            f"{row['turn']:<46} {'+'.join(p['ops']) or '-':<22} {p['rru']:>4g} {p['wru']:>4g}"
            f" {p['item_bytes']:>5} {p['usd_per_million_turns']:>6.3f}"
            f" | {'+'.join(r['ops']) or '-':<17} {r['rru']:>4g} {r['wru']:>4g}"
            f" {r['item_bytes']:>5} {r['usd_per_million_turns']:>6.3f}"
        )
    reported = [
        t["reported"]
        for a in ("product", "reference")
        for s in results["capacity"][a]
        for t in s["turns"]
        if t["reported"] is not None
    ]
    out.append(
        "moto returned ConsumedCapacity on "
        + ("every" if reported and all(reported) else "not every")
        + " metered call (GetItem 0.5, PutItem 1.0 whatever the size: not used for costs)"
    )
    return out


def cost_table(cost: Mapping[str, Any]) -> list[str]:
    a = cost["assumptions"]
    out = [
        f"\nCost per month: households x {a['turns_per_night']} turns a night x "
        f"{a['nights_per_month']} nights; ${a['usd_per_million_rru']}/M RRU, "
        f"${a['usd_per_million_wru']}/M WRU ({a['region']}; {a['source']})",
        f"{'night':<22} {'households':>10} | {'product RRU+WRU /night':>22} {'$/month':>10}"
        f" | {'reference RRU+WRU':>17} {'$/month':>10} | {'P/R':>5}",
    ]
    for night, entry in cost["nights"].items():
        p, r = entry["product"], entry["reference"]
        for households, month in entry["monthly"].items():
            out.append(
                f"{night:<22} {int(households):>10,} | {p['rru']:>10g} + {p['wru']:<9g}"
                f" {month['product']['usd_per_month']:>10.2f}"
                f" | {r['rru']:>7g} + {r['wru']:<7g} {month['reference']['usd_per_month']:>10.2f}"
                f" | {_f(month['product_reference'], 5)}"
            )
        out.append(f"  {night}: {', '.join(entry['turns'])} ({entry['scenario']})")
    return out


def startup_lines(results: Mapping[str, Any]) -> list[str]:
    cold, imp = results["cold_start"], results["import"]
    runs = len(next(iter(cold.values()))["runs_s"])
    out = [
        f"\nCold start (spawn gunicorn -> first signed 200 for a new household, store client, "
        f"GetItem and PutItem included), median of {runs}: "
        + ", ".join(f"{name} {c['median_s']:.2f} s" for name, c in cold.items())
    ]
    out.append(
        "Import time (wall, minus bare interpreter): "
        + ", ".join(
            f"{name} {i['module']} {i['import_s'] * 1000:.0f} ms"
            f" (-X importtime {(i['importtime_cumulative_s'] or 0) * 1000:.0f} ms)"
            for name, i in imp.items()
        )
    )
    for name, failed in (results.get("seed_failures") or {}).items():
        if failed:
            out.append(
                f"Seeding: {name} answered HTTP 500 to {sum(failed.values())} requests on fresh"
                f" workers ({failed}); each was sent again, alone, and answered 200"
            )
    return out


def memory_lines(memory: Mapping[str, Any]) -> list[str]:
    out = ["\nMemory per gunicorn worker: RSS MiB after seeding | after each chunk of requests"]
    for app, data in memory.items():
        for index, worker in enumerate(data["workers"]):
            steps = " ".join(f"{c['rss_mib'][index]:.1f}" for c in data["checkpoints"])
            verdict = "flat" if worker["flat"] else "NOT FLAT"
            out.append(
                f"  {app:<9} worker {index + 1}: {worker['rss_before_mib']:.1f} | {steps}"
                f"  ({worker['growth_mib']:+.1f} over {data['requests']:,} requests,"
                f" {worker['growth_after_first_chunk_mib']:+.1f} after the first chunk: {verdict})"
            )
    return out


def profile_lines(found: Mapping[str, Any]) -> list[str]:
    out = ["\nProfiles (py-spy on the gunicorn workers at 8 connections; % of busy samples)"]
    names = list(next(iter(found.values()))["categories_pct"])
    columns = list(found)
    width = max(len(c) for c in columns) + 2
    out.append(f"{'':<44}" + "".join(f"{c:>{width}}" for c in columns))
    for name in names:
        out.append(
            f"{name:<44}"
            + "".join(f"{found[c]['categories_pct'][name]:>{width - 1}g}%" for c in columns)
        )
    return out


def render(results: Mapping[str, Any]) -> str:
    m = results["machine"]
    plan = results["plan"]
    out = [
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}, {m['wrk']}\n"
        f"gunicorn {results['gunicorn']}; wrk 1 thread; signed requests (test CA), "
        f"verification on; {plan['seconds']:g} s per point; moto server on 127.0.0.1"
    ]
    if results.get("product_gc_freeze"):
        out.append("PRODUCT RUN WITH gc.freeze() AFTER create_app (--gc-freeze, a proposed change)")
    out.append(
        "\nRequest kinds: "
        + "; ".join(
            f"{k['name']} = {k['intent'] or k['request_type']}"
            + ("" if k["resolved"] else " (NOT in the model yet)")
            for k in results["kinds"]
        )
    )
    sections: Sequence[Callable[[], list[str]]] = (
        lambda: points_table(results),
        lambda: ratios_table(results),
        lambda: capacity_table(results),
        lambda: cost_table(results["cost"]),
        lambda: startup_lines(results),
        lambda: memory_lines(results["memory"]),
    )
    for section in sections:
        out += section()
    if results.get("profiles"):
        out += profile_lines(results["profiles"])
    phases = results.get("phase_seconds") or {}
    if phases:
        out.append(
            "\nTime: "
            + ", ".join(f"{name} {sec:.0f} s" for name, sec in phases.items())
            + f" (setup {results.get('setup_seconds', 0):.0f} s)"
        )
    out.append("\nTargets")
    for t in results["targets"]:
        mark = {True: "met", False: "NOT MET", None: "n/a"}[t["met"]]
        measured = "" if t["measured"] is None else f"{t['measured']} "
        out.append(f"  [{mark:^7}] {t['target']}: {measured}(goal {t['goal']})")
    return "\n".join(out)


# -- targets -----------------------------------------------------------------------------------


def _turn(results: Mapping[str, Any], app: str, name: str, index: int = 0) -> Mapping[str, Any]:
    for scenario in results["capacity"][app]:
        if scenario["name"] == name:
            turn: Mapping[str, Any] = scenario["turns"][index]
            return turn
    raise KeyError(name)


class Checks:
    def __init__(self) -> None:
        self.found: list[dict[str, Any]] = []

    def add(self, name: str, value: float | None, goal: str, ok: bool | None) -> None:
        self.found.append({"target": name, "measured": value, "goal": goal, "met": ok})


def targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    checks = Checks()
    _throughput_targets(results, checks)
    _write_share_targets(results, checks)
    _unit_targets(results, checks)
    _floor_targets(results, checks)
    cold = results.get("cold_start", {})
    if "product" in cold and "reference" in cold:
        p, r = cold["product"]["median_s"], cold["reference"]["median_s"]
        checks.add("cold start: product / reference", _r(p / r), "<= 0.8", p <= 0.8 * r)
    memory = results.get("memory", {}).get("product")
    if memory:
        flat = all(worker["flat"] for worker in memory["workers"])
        checks.add("memory per worker over 10,000 requests", None, "flat", flat)
    return checks.found


def _throughput_targets(results: Mapping[str, Any], checks: Checks) -> None:
    for level in _levels(results):
        kind, conns = level["kind"], level["connections"]
        r = level["ratios"].get("product_reference")
        if not r:
            continue
        goal = 2.5 if kind in READ_TURNS else 1.5
        name = f"{kind} @{conns}"
        checks.add(f"{name}: throughput x reference", r["rps"], f">= {goal}", _ge(r["rps"], goal))
        if conns == 8:
            checks.add(f"{name}: p99 / reference p99", r["p99"], "<= 0.5", _le(r["p99"], 0.5))
        bad = {
            outcome: count
            for outcome, count in (level["points"]["product"].get("outcomes") or {}).items()
            if outcome != "ok"
        }
        checks.add(f"{name}: product answers without error", sum(bad.values()), "== 0", not bad)


def _floor_targets(results: Mapping[str, Any], checks: Checks) -> None:
    """CPU per turn against the floor doing the same store work: at most 1.2x where the turn
    reads or writes DynamoDB, 2.5x where it does no store work."""
    for level in _levels(results):
        r = level["ratios"].get("product_floor")
        if not r or level["connections"] != 8:
            continue
        variant = level["points"].get("floor", {}).get("floor_variant")
        goal = 2.5 if variant == "none" else 1.2
        checks.add(
            f"{level['kind']} @8: CPU per turn / floor ({variant})",
            r["cpu_ms"],
            f"<= {goal}",
            _le(r["cpu_ms"], goal),
        )


def _write_share_targets(results: Mapping[str, Any], checks: Checks) -> None:
    for level in _levels(results):
        if level["kind"] not in WRITE_HEAVY:
            continue
        for app, point in level["points"].items():
            share = point["write_share"]
            if app == "product":
                share = min(share, (point.get("product_log") or {}).get("writes_per_request") or 0)
            checks.add(
                f"{level['kind']} @{level['connections']}: {app} writes on every request",
                share,
                f">= {WRITE_SHARE_GOAL}",
                share >= WRITE_SHARE_GOAL,
            )


def _unit_targets(results: Mapping[str, Any], checks: Checks) -> None:
    for scenario in results["capacity"]["product"]:
        for index, turn in enumerate(scenario["turns"]):
            ref = _turn(results, "reference", scenario["name"], index)
            name = scenario["name"] + (f"#{index + 1}" if len(scenario["turns"]) > 1 else "")
            ok = turn["rru"] <= ref["rru"] and turn["wru"] <= ref["wru"]
            checks.add(
                f"units {name}: RRU/WRU vs reference",
                None,
                f"<= {ref['rru']:g}/{ref['wru']:g} (product {turn['rru']:g}/{turn['wru']:g})",
                ok,
            )
    for name in READ_ONLY:
        try:
            turn = _turn(results, "product", name)
        except KeyError:
            continue
        what = f"; it wrote {', '.join(turn.get('changed', []))}" if turn["writes"] else ""
        checks.add(
            f"zero writes on read-only turn {name}",
            turn["writes"],
            "== 0" + what,
            turn["writes"] == 0,
        )


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _ge(value: float | None, goal: float) -> bool | None:
    return None if value is None else value >= goal


def _le(value: float | None, goal: float) -> bool | None:
    return None if value is None else value <= goal
