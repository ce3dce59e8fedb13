"""bench/run: the product against the ASK SDK reference skill and the floor, on this machine,
in one run."""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchlib import (
    alexa_api,
    apps,
    capacity,
    costs,
    load,
    memory,
    points,
    procs,
    profile,
    report,
    servers,
    setup,
    startup,
    summary,
)
from benchlib.envelopes import (
    Kind,
    household,
    load_signing,
    resolve_flow,
    resolve_kinds,
    resolve_prelude,
)

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
QUICK_LEVELS = {
    "session_end": (8,),
    "launch": (8, 32),
    "question": (8,),
    "plan": (8,),
    "check_in": (8,),
    "next_question": (8, 32),
    "first_launch": (8, 32),
}
FULL_LEVELS = {"session_end": (8,), "launch": (1, 8, 32)}
FULL_STORE_LEVELS = (8, 32)


@dataclass(frozen=True)
class Plan:
    seconds: float
    households: int
    memory_requests: dict[str, int]
    memory_chunk: int
    cold_runs: int
    import_runs: int
    profile_seconds: int
    levels_by_kind: dict[str, tuple[int, ...]] = field(default_factory=dict)
    default_levels: tuple[int, ...] = FULL_STORE_LEVELS

    @classmethod
    def of(cls, args: argparse.Namespace) -> Plan:
        if args.quick:
            plan = cls(3.0, 64, {"product": 10_000, "reference": 2_500}, 2_500, 3, 3, 4)
            plan = replace(plan, levels_by_kind=QUICK_LEVELS, default_levels=(8,))
        else:
            plan = cls(10.0, 128, {"product": 10_000, "reference": 10_000}, 2_500, 5, 7, 8)
            plan = replace(plan, levels_by_kind=FULL_LEVELS)
        if args.seconds:
            plan = replace(plan, seconds=args.seconds)
        if args.connections:
            levels = tuple(args.connections)
            session_end = (8,) if 8 in levels else levels[:1]
            plan = replace(plan, levels_by_kind={"session_end": session_end}, default_levels=levels)
        return plan

    def levels(self, kind: Kind) -> tuple[int, ...]:
        return self.levels_by_kind.get(kind.name, self.default_levels)


@dataclass(frozen=True)
class Setting:
    """Everything a run needs that is decided before it starts."""

    args: argparse.Namespace
    plan: Plan
    kinds: list[Kind]
    prelude: list[Kind]
    flow: list[Kind]
    pythons: dict[str, Path]
    py_spy: Path | None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="3 s points, fewer of them (about 3 minutes)"
    )
    parser.add_argument("--python", help="the product's interpreter (default: this one)")
    parser.add_argument("--seconds", type=float, help="seconds per load point")
    parser.add_argument("--connections", type=int, nargs="+", help="connection levels")
    parser.add_argument(
        "--intent",
        action="append",
        default=[],
        metavar="KIND=NAME",
        help="override an intent name (kinds: question, next_question, plan, check_in, "
        "plan_start, check_in_ready, check_in_yes)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy both apps at 8 conns")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="product only: gc.freeze() after create_app (trying a proposed change)",
    )
    parser.add_argument("--out", default=str(BENCH / "results" / "latest.json"))
    parser.add_argument(
        "--json", metavar="FILE", help="also write a machine-readable summary of the run here"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if load.wrk_path() is None:
        print("bench/run needs wrk on the PATH. Install it with:\n  " + load.WRK_INSTALL)
        return 2
    procs.install_cleanup()
    started = time.perf_counter()
    setting = prepare(args)
    setup_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="closer-bench-") as tmp:
        results = measure(setting, Path(tmp), argv)
    results["setup_seconds"] = round(setup_seconds, 1)
    results["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written once before the checks too, so that a failure in them never loses a run.
    out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    results["cost"] = costs.model(results["capacity"])
    results["targets"] = report.targets(results)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    print(report.render(results))
    print(f"\nJSON: {out}   ({results['elapsed_seconds']:.0f} s in all)")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(summary.build(results), indent=2, default=str)
        path.write_text(text + "\n", encoding="utf-8")
        print(f"summary: {path}")
    return 0


def prepare(args: argparse.Namespace) -> Setting:
    overrides = dict(item.split("=", 1) for item in args.intent)
    kinds = resolve_kinds(overrides)
    for kind in kinds:
        if not kind.resolved:
            print(
                f"note: the interaction model has no intent for {kind.label!r} yet; "
                f"sending {kind.intent} (pass --intent {kind.name}=Name to choose)"
            )
    return Setting(
        args=args,
        plan=Plan.of(args),
        kinds=kinds,
        prelude=resolve_prelude(overrides),
        flow=resolve_flow(overrides),
        pythons={"product": Path(sys.executable), "reference": setup.reference_venv(BENCH)},
        py_spy=setup.tools_venv(BENCH) if args.profile else None,
    )


def measure(setting: Setting, work: Path, argv: Sequence[str]) -> dict[str, Any]:
    logs = BENCH / "results" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for old in logs.glob("**/*"):
        if old.is_file():
            old.unlink()
    authority = load_signing(REPO).make_authority()
    ca_dir = write_ca(authority, work)
    results = header(setting, argv)
    with alexa_api.settings_api() as api_endpoint:
        print("starting moto (DynamoDB API) on 127.0.0.1 ...", flush=True)
        moto = servers.start_moto(setting.pythons["product"], logs / "moto.log")
        apps.create_tables(moto.url)
        print("capacity units per turn (in-process, same moto) ...", flush=True)
        results["capacity"] = count_units(setting, moto.url, api_endpoint)
        where = apps.Where(BENCH, moto.url, ca_dir, authority.url, logs)
        product_capacity = results["capacity"]["product"]
        work_by_kind = apps.store_work(setting.kinds, product_capacity)
        results["store_work"] = work_by_kind
        under_test = apps.build(
            where,
            setting.pythons,
            [*setting.kinds, *setting.prelude, *setting.flow],
            apps.floor_paths(work_by_kind),
            apps.new_item_bytes(product_capacity),
        )
        if setting.args.gc_freeze:
            under_test["product"].env["BENCH_GC_FREEZE"] = "1"
        for app in under_test.values():
            app.moto_pid = moto.process.pid
        users = [household(i) for i in range(1, setting.plan.households + 1)]
        load_ = points.Load(BENCH, work, authority, api_endpoint, users)
        results |= run_apps(setting, under_test, load_, where, work_by_kind)
        procs.stop(moto.process)
    return results


def run_apps(
    setting: Setting,
    under_test: dict[str, apps.App],
    load_: points.Load,
    where: apps.Where,
    work_by_kind: dict[str, str],
) -> dict[str, Any]:
    plan, logs = setting.plan, where.logs
    found: dict[str, Any] = {}
    clock = Phases()
    print("import time and cold start ...", flush=True)
    found["import"] = import_times(under_test, plan.import_runs)
    found["cold_start"] = startup.cold_starts(
        list(under_test.values()), load_.authority, load_.api_endpoint, plan.cold_runs, logs
    )
    clock.done("import and cold start")
    for app in under_test.values():
        print(f"starting {app.name} under gunicorn ...", flush=True)
        app.server = servers.start_gunicorn(
            app.name, app.argv, app.env, logs / f"{app.name}-gunicorn.log", app.cwd
        )
    daily = [*setting.prelude, *(k for k in setting.kinds if not k.fresh)]
    found["seed_failures"] = {
        name: points.seed(load_, under_test[name], daily) for name in ("product", "reference")
    }
    for name, failed in found["seed_failures"].items():
        if failed:
            print(f"note: {name} answered HTTP 500 while seeding {failed}; sent again, alone")
    clock.done("start and seed")
    mixed = [k for k in setting.kinds if not k.fresh]
    print("memory per worker over many mixed requests ...", flush=True)
    found["memory"] = {
        name: memory.run(load_, under_test[name], mixed, count, plan.memory_chunk)
        for name, count in plan.memory_requests.items()
    }
    clock.done("memory")
    found |= load_points(setting, under_test, load_, where.endpoint, work_by_kind)
    clock.done("load points")
    if setting.py_spy is not None:
        found["profiles"] = profiles(setting, under_test, load_, logs)
        clock.done("profiles")
    for app in under_test.values():
        if app.server is not None:
            procs.stop(app.server.process)
    found["phase_seconds"] = clock.seconds
    return found


@dataclass
class Phases:
    """Wall seconds of each phase of the run (to keep --quick and the full run in budget)."""

    started: float = field(default_factory=time.perf_counter)
    seconds: dict[str, float] = field(default_factory=dict)

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self.started, 1)
        self.started = now


def load_points(
    setting: Setting,
    under_test: dict[str, apps.App],
    load_: points.Load,
    endpoint: str,
    work: dict[str, str],
) -> dict[str, Any]:
    """Every kind at its levels, the three apps in turn at each level."""
    all_points: list[dict[str, Any]] = []
    levels: list[dict[str, Any]] = []
    product, floor = under_test["product"], under_test["floor"]
    for kind in setting.kinds:
        # The floor reads (and rewrites) the product's items as they are now.
        apps.copy_items(endpoint, product.table, floor.table)
        for connections in setting.plan.levels(kind):
            found = points.run_level(
                load_,
                list(under_test.values()),
                kind,
                connections,
                setting.plan.seconds,
                [p for p in all_points if p["kind"] == "launch"],
                unique=work.get(kind.name) == "write",
            )
            for point in found:
                print(report.point_line(point), flush=True)
            level = {
                "kind": kind.name,
                "connections": connections,
                "points": {p["app"]: p for p in found},
                "ratios": points.ratios({p["app"]: p for p in found}),
            }
            print(report.ratio_line(level), flush=True)
            all_points += found
            levels.append(level)
    return {"points": all_points, "levels": levels}


def count_units(setting: Setting, endpoint: str, api_endpoint: str) -> dict[str, Any]:
    jobs = capacity.scenarios(
        setting.kinds, setting.prelude, setting.flow, datetime.now(UTC), api_endpoint
    )
    env = servers.clean_env(
        apps.reference_env(
            endpoint,
            [*setting.kinds, *setting.prelude, *setting.flow],
            apps.CAPACITY_REFERENCE_TABLE,
        )
    )
    return {
        "product": capacity.product(endpoint, apps.CAPACITY_TABLE, jobs),
        "reference": capacity.reference(setting.pythons["reference"], BENCH, env, jobs),
    }


def import_times(under_test: dict[str, apps.App], runs: int) -> dict[str, Any]:
    product, reference = under_test["product"], under_test["reference"]
    return {
        "product": startup.import_time(product.python, "skill.app", REPO, product.env, runs),
        "reference": startup.import_time(
            reference.python, "app", BENCH / "reference", reference.env, runs
        ),
    }


def write_ca(authority: Any, work: Path) -> Path:
    from cryptography.hazmat.primitives import serialization

    ca_dir = work / "ca"
    ca_dir.mkdir()
    (ca_dir / "root.pem").write_bytes(authority.root.public_bytes(serialization.Encoding.PEM))
    (ca_dir / "chain.pem").write_bytes(authority.chain_pem)
    return ca_dir


def header(setting: Setting, argv: Sequence[str]) -> dict[str, Any]:
    return {
        "machine": machine(setting.pythons["product"]),
        "command": "bench/run " + " ".join(argv),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": asdict(setting.plan) | {"seconds": setting.plan.seconds},
        "kinds": [asdict(k) for k in setting.kinds],
        "prelude": [asdict(k) for k in setting.prelude],
        "flow": [asdict(k) for k in setting.flow],
        "gunicorn": " ".join(servers.GUNICORN_SETTINGS),
        "product_gc_freeze": setting.args.gc_freeze,
    }


def machine(python: Path) -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "interpreter": str(python),
    }


def profiles(
    setting: Setting, under_test: dict[str, apps.App], load_: points.Load, logs: Path
) -> dict[str, Any]:
    """py-spy on the product's and the reference's workers while a point runs."""
    assert setting.py_spy is not None
    seconds = setting.plan.profile_seconds
    found: dict[str, Any] = {}
    for kind in [k for k in setting.kinds if k.name in ("session_end", "launch", "question")]:
        signed = load_.sign(kind, load_.users)
        data = load_.data(f"profile-{kind.name}", signed)
        for name in ("product", "reference"):
            app = under_test[name]
            assert app.server is not None
            out = logs / f"profile-{app.name}-{kind.name}.txt"

            run = functools.partial(points.run_point, load_, app, kind, data, 8, seconds)
            point, _ = profile.record(setting.py_spy, app.server.process.pid, seconds, out, run)
            found[f"{app.name}/{kind.name}"] = {
                "rps_while_sampled": point["rps"],
                **profile.summarize(out),
                "raw": str(out),
            }
            print(f"profiled {app.name} {kind.name}", flush=True)
    return found


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
