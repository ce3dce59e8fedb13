"""The table bench/run prints, the cost model and the target checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HOUSEHOLDS = 100_000
TURNS_PER_DAY = 3
DAYS_PER_MONTH = 30
PRICES = {
    "region": "us-east-1, Standard table class, on-demand",
    "usd_per_million_rru": 0.125,
    "usd_per_million_wru": 0.625,
    "usd_per_gb_month": 0.25,
    "source": "AWS DynamoDB on-demand pricing (us-east-1, after the November 2024 price cut); "
    "assumed, check the pricing page before relying on it",
}
STORE_BOUND = ("question", "plan", "check_in")
READ_ONLY = (
    "session_end/again_today",
    "launch/again_today",
    "question/again_today",
    "plan/again_today",
    "plan/first_today",
)


def point_line(point: Mapping[str, Any]) -> str:
    extra = ""
    log = point.get("product_log")
    if log:
        bad = {k: v for k, v in log.get("outcomes", {}).items() if k != "ok"}
        extra = f"  writes/req {log.get('writes_per_request')}" + (f"  NOT OK {bad}" if bad else "")
    if point.get("non_2xx") or point.get("socket_errors"):
        extra += f"  non-2xx {point['non_2xx']} socket errors {point['socket_errors']}"
    return (
        f"  {point['app']:<9} {point['kind']:<9} c={point['connections']:<3} "
        f"{point['rps']:>8.1f} req/s  p50 {point['p50_ms']:7.2f} ms  p99 {point['p99_ms']:7.2f} ms"
        + extra
    )


def _points(results: Mapping[str, Any]) -> dict[tuple[str, str, int], Mapping[str, Any]]:
    return {(p["app"], p["kind"], p["connections"]): p for p in results.get("points", [])}


def _turn(results: Mapping[str, Any], app: str, name: str, index: int = 0) -> Mapping[str, Any]:
    for scenario in results["capacity"][app]:
        if scenario["name"] == name:
            turn: Mapping[str, Any] = scenario["turns"][index]
            return turn
    raise KeyError(name)


def cost_model(capacity: Mapping[str, Any]) -> dict[str, Any]:
    """Monthly on-demand cost of the measured 'day' (launch, question, plan) per app."""
    model: dict[str, Any] = {
        "assumptions": {
            "households": HOUSEHOLDS,
            "turns_per_day": TURNS_PER_DAY,
            "days_per_month": DAYS_PER_MONTH,
            "day": "a returning household's launch, tonight's question and plan week "
            "(the first turns of that day; rule-based units, strongly consistent reads)",
            **PRICES,
        }
    }
    for app in ("product", "reference"):
        day = next(s for s in capacity[app] if s["name"] == "day")
        rru = sum(t["rru"] for t in day["turns"])
        wru = sum(t["wru"] for t in day["turns"])
        item = max(t["item_bytes"] for t in day["turns"])
        month_rru = rru * HOUSEHOLDS * DAYS_PER_MONTH
        month_wru = wru * HOUSEHOLDS * DAYS_PER_MONTH
        reads = month_rru / 1e6 * PRICES["usd_per_million_rru"]
        writes = month_wru / 1e6 * PRICES["usd_per_million_wru"]
        storage = item * HOUSEHOLDS / 1e9 * PRICES["usd_per_gb_month"]
        model[app] = {
            "per_day_rru": rru,
            "per_day_wru": wru,
            "monthly_rru_millions": round(month_rru / 1e6, 2),
            "monthly_wru_millions": round(month_wru / 1e6, 2),
            "usd_reads": round(reads, 2),
            "usd_writes": round(writes, 2),
            "item_bytes": item,
            "usd_storage_before_free_tier": round(storage, 4),
            "usd_per_month": round(reads + writes, 2),
        }
    return model


def targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    points = _points(results)

    def check(name: str, value: float | None, goal: str, ok: bool | None) -> None:
        checks.append({"target": name, "measured": value, "goal": goal, "met": ok})

    for kind in ("launch", "session_end"):
        product, reference = points.get(("product", kind, 8)), points.get(("reference", kind, 8))
        if product and reference:
            ratio = product["rps"] / reference["rps"] if reference["rps"] else None
            check(f"{kind} @8: throughput x reference", _r(ratio), ">= 2.0", _ge(ratio, 2.0))
            p99 = product["p99_ms"] / reference["p99_ms"] if reference["p99_ms"] else None
            check(f"{kind} @8: p99 / reference p99", _r(p99), "<= 0.5", _le(p99, 0.5))
    for kind in STORE_BOUND:
        for (app, k, conns), point in sorted(points.items()):
            if app != "product" or k != kind:
                continue
            ref = points.get(("reference", kind, conns))
            ratio = point["rps"] / ref["rps"] if ref and ref["rps"] else None
            check(f"{kind} @{conns}: throughput x reference", _r(ratio), ">= 1.3", _ge(ratio, 1.3))
    for scenario in results["capacity"]["product"]:
        for index, turn in enumerate(scenario["turns"]):
            ref = _turn(results, "reference", scenario["name"], index)
            name = scenario["name"] + (f"#{index + 1}" if len(scenario["turns"]) > 1 else "")
            ok = turn["rru"] <= ref["rru"] and turn["wru"] <= ref["wru"]
            check(
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
        check(
            f"zero writes on read-only turn {name}",
            turn["writes"],
            "== 0" + what,
            turn["writes"] == 0,
        )
    cold = results.get("cold_start", {})
    if "product" in cold and "reference" in cold:
        p, r = cold["product"]["median_s"], cold["reference"]["median_s"]
        check("cold start: product / reference", _r(p / r), "<= 1.0", p <= r)
    return checks


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _ge(value: float | None, goal: float) -> bool | None:
    return None if value is None else value >= goal


def _le(value: float | None, goal: float) -> bool | None:
    return None if value is None else value <= goal


def _cpu(point: Mapping[str, Any]) -> str:
    return f"{point['app_cpu_ms_per_request']:.1f}+{point['moto_cpu_ms_per_request']:.1f}"


def render(results: Mapping[str, Any]) -> str:
    out: list[str] = []
    m = results["machine"]
    plan = results["plan"]
    out.append(
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}, {m['wrk']}\n"
        f"gunicorn {results['gunicorn']}; wrk 1 thread; signed requests (test CA), "
        f"verification on; {plan['seconds']:g} s per point; moto server on 127.0.0.1"
    )
    if results.get("product_gc_freeze"):
        out.append("PRODUCT RUN WITH gc.freeze() AFTER create_app (--gc-freeze, a proposed change)")
    kinds = {k["name"]: k for k in results["kinds"]}
    out.append(
        "\nRequest kinds: "
        + "; ".join(
            f"{k['name']} = {k['intent'] or k['request_type']}"
            + ("" if k["resolved"] else " (NOT in the model yet)")
            for k in kinds.values()
        )
    )

    points = _points(results)
    out.append(
        "\nThroughput and latency   product                         reference"
        "                        ratio\n"
        "kind      conns   req/s  p50 ms  p99 ms  CPU ms    req/s  p50 ms  p99 ms  CPU ms"
        "   req/s   p99  writes/req"
    )
    levels = sorted(set(plan["connections"]) | set(plan["store_connections"]))
    for kind in kinds:
        for conns in levels:
            p, r = points.get(("product", kind, conns)), points.get(("reference", kind, conns))
            if not p or not r:
                continue
            ratio = p["rps"] / r["rps"] if r["rps"] else 0.0
            p99 = p["p99_ms"] / r["p99_ms"] if r["p99_ms"] else 0.0
            writes = (p.get("product_log") or {}).get("writes_per_request")
            flag = "" if not (p["non_2xx"] or r["non_2xx"]) else "  (non-2xx!)"
            out.append(
                f"{kind:<9} {conns:>5} {p['rps']:>7.1f} {p['p50_ms']:>7.2f} {p['p99_ms']:>7.2f}"
                f" {_cpu(p):>7}  {r['rps']:>7.1f} {r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f}"
                f" {_cpu(r):>7}  {ratio:>5.2f}x {p99:>5.2f}  {writes}{flag}"
            )
    out.append(
        "CPU ms = CPU time per request of the app's gunicorn processes + of moto (the machine "
        "was {:.0f}-{:.0f}% busy during the points)".format(
            min(p.get("machine_busy_pct", 0) for p in results["points"]),
            max(p.get("machine_busy_pct", 0) for p in results["points"]),
        )
    )

    out.append(
        "\nStore work per turn (in-process, same moto; units by DynamoDB's rules from item sizes;"
        " moto reports a constant)\n"
        "kind/scenario             product: ops            RRU  WRU  bytes"
        " | reference: ops         RRU  WRU  bytes"
    )
    ref = {s["name"]: s for s in results["capacity"]["reference"]}
    for scenario in results["capacity"]["product"]:
        for index, turn in enumerate(scenario["turns"]):
            other = ref[scenario["name"]]["turns"][index]
            name = scenario["name"] + (f" #{index + 1}" if len(scenario["turns"]) > 1 else "")
            out.append(
                f"{name:<25} {'+'.join(turn['ops']) or '-':<22} {turn['rru']:>4g} {turn['wru']:>4g}"
                f" {turn['item_bytes']:>5} | {'+'.join(other['ops']) or '-':<21}"
                f" {other['rru']:>4g} {other['wru']:>4g} {other['item_bytes']:>5}"
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

    cold, imp = results["cold_start"], results["import"]
    out.append(
        "\nCold start (spawn gunicorn -> first signed 200), median of "
        f"{len(cold['product']['runs_s'])}: product {cold['product']['median_s']:.2f} s, "
        f"reference {cold['reference']['median_s']:.2f} s"
    )
    out.append(
        f"Import time (wall, minus bare interpreter): product skill.app "
        f"{imp['product']['import_s'] * 1000:.0f} ms (-X importtime "
        f"{(imp['product']['importtime_cumulative_s'] or 0) * 1000:.0f} ms), reference app "
        f"{imp['reference']['import_s'] * 1000:.0f} ms (-X importtime "
        f"{(imp['reference']['importtime_cumulative_s'] or 0) * 1000:.0f} ms)"
    )

    out.append(
        "\nMemory per gunicorn worker: RSS MiB after seeding, then after every 2,500 requests"
    )
    for app, data in results["memory"].items():
        for index, worker in enumerate(data["workers"]):
            steps = " ".join(f"{c['rss_mib'][index]:.1f}" for c in data["checkpoints"])
            out.append(
                f"  {app:<9} worker {index + 1}: {worker['rss_before_mib']:.1f} | {steps}"
                f"  ({worker['growth_mib']:+.1f} over {data['requests']:,} requests)"
            )

    cost = results["cost"]
    a = cost["assumptions"]
    out.append(
        f"\nCost model: {a['households']:,} households x {a['turns_per_day']} turns/day x "
        f"{a['days_per_month']} days; ${a['usd_per_million_rru']}/M RRU, "
        f"${a['usd_per_million_wru']}/M WRU ({a['region']})"
    )
    for app in ("product", "reference"):
        c = cost[app]
        out.append(
            f"  {app:<9} {c['per_day_rru']:g} RRU + {c['per_day_wru']:g} WRU per household-day"
            f" -> {c['monthly_rru_millions']:g}M RRU + {c['monthly_wru_millions']:g}M WRU"
            f" = ${c['usd_per_month']:.2f}/month"
            f" (storage ~${c['usd_storage_before_free_tier']:.2f})"
        )

    if results.get("profiles"):
        out.append(
            "\nProfiles (py-spy on the gunicorn workers at 8 connections; % of busy samples)"
        )
        names = list(next(iter(results["profiles"].values()))["categories_pct"])
        columns = list(results["profiles"])
        width = max(len(c) for c in columns) + 2
        out.append(f"{'':<44}" + "".join(f"{c:>{width}}" for c in columns))
        for name in names:
            out.append(
                f"{name:<44}"
                + "".join(
                    f"{results['profiles'][c]['categories_pct'][name]:>{width - 1}g}%"
                    for c in columns
                )
            )

    out.append("\nTargets")
    for t in results["targets"]:
        mark = {True: "met", False: "NOT MET", None: "n/a"}[t["met"]]
        measured = "" if t["measured"] is None else f"{t['measured']} "
        out.append(f"  [{mark:^7}] {t['target']}: {measured}(goal {t['goal']})")
    return "\n".join(out)
