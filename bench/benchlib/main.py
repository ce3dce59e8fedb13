"""bench/run: the product against the ASK SDK reference skill, on this machine, in one run."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchlib import alexa_api, capacity, load, procs, profile, report, servers, setup
from benchlib.envelopes import (
    SKILL_ID,
    Kind,
    Signed,
    encode,
    envelope,
    household,
    load_signing,
    resolve_kinds,
    resolve_prelude,
    sign_all,
)

BENCH = Path(__file__).resolve().parent.parent
REPO = BENCH.parent
PRODUCT_TABLE = "closer-bench"
REFERENCE_TABLE = "closer-bench-reference"
LAUNCH = Kind("launch", "launch", "LaunchRequest")


@dataclass(frozen=True)
class Plan:
    seconds: float
    connections: tuple[int, ...]  # launch, the verification-bound point
    store_connections: tuple[int, ...]  # tonight's question, plan week, check-in start
    households: int
    memory_requests: dict[str, int]
    memory_chunk: int
    cold_runs: int
    import_runs: int
    profile_seconds: int

    @classmethod
    def of(cls, args: argparse.Namespace) -> Plan:
        if args.quick:
            plan = cls(
                3.0,
                (1, 8, 32),
                (8, 32),
                64,
                {"product": 10_000, "reference": 2_500},
                2_500,
                2,
                3,
                4,
            )
        else:
            plan = cls(
                10.0,
                (1, 8, 32),
                (1, 8, 32),
                128,
                {"product": 10_000, "reference": 10_000},
                2_500,
                5,
                7,
                8,
            )
        if args.seconds:
            plan = replace(plan, seconds=args.seconds)
        if args.connections:
            levels = tuple(args.connections)
            plan = replace(plan, connections=levels, store_connections=levels)
        return plan

    def levels(self, kind: Kind) -> tuple[int, ...]:
        if kind.name == "launch":
            return self.connections
        if kind.name == "session_end":
            return (8,) if 8 in self.connections else self.connections[:1]
        return self.store_connections


@dataclass
class App:
    name: str
    python: Path
    argv: list[str]  # gunicorn argv with "{port}"
    env: dict[str, str]
    cwd: Path
    server: servers.Server | None = None
    moto_pid: int = 0
    log_offsets: dict[str, int] = field(default_factory=dict)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="3 s points, fewer of them (under 3 minutes)"
    )
    parser.add_argument("--python", help="the product's interpreter (default: this one)")
    parser.add_argument("--seconds", type=float, help="seconds per load point")
    parser.add_argument("--connections", type=int, nargs="+", help="connection levels")
    parser.add_argument(
        "--intent",
        action="append",
        default=[],
        metavar="KIND=NAME",
        help="override an intent name (kinds: question, plan, check_in)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy both apps at 8 conns")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="product only: gc.freeze() after create_app (trying a proposed change)",
    )
    parser.add_argument("--out", default=str(BENCH / "results" / "latest.json"))
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if load.wrk_path() is None:
        print("bench/run needs wrk on the PATH. Install it with:\n  " + load.WRK_INSTALL)
        return 2
    procs.install_cleanup()
    plan = Plan.of(args)
    started = time.perf_counter()
    overrides = dict(item.split("=", 1) for item in args.intent)
    kinds = resolve_kinds(overrides)
    prelude = resolve_prelude(overrides)
    for kind in kinds:
        if not kind.resolved:
            print(
                f"note: the interaction model has no intent for {kind.label!r} yet; "
                f"sending {kind.intent} (pass --intent {kind.name}=Name to choose)"
            )
    reference_python = setup.reference_venv(BENCH)
    py_spy = setup.tools_venv(BENCH) if args.profile else None
    product_python = Path(sys.executable)
    setup_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="closer-bench-") as tmp:
        work = Path(tmp)
        logs = BENCH / "results" / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for old in logs.glob("*"):
            old.unlink()
        signing = load_signing(REPO)
        authority = signing.make_authority()
        ca_dir = work / "ca"
        ca_dir.mkdir()
        from cryptography.hazmat.primitives import serialization

        (ca_dir / "root.pem").write_bytes(authority.root.public_bytes(serialization.Encoding.PEM))
        (ca_dir / "chain.pem").write_bytes(authority.chain_pem)

        with alexa_api.settings_api() as api_endpoint:
            print("starting moto (DynamoDB API) on 127.0.0.1 ...", flush=True)
            moto = servers.start_moto(product_python, logs / "moto.log")
            endpoint = moto.url
            create_tables(endpoint)

            results: dict[str, Any] = {
                "machine": machine(product_python),
                "command": "bench/run " + " ".join(argv),
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "plan": asdict(plan),
                "kinds": [asdict(k) for k in kinds],
                "prelude": [asdict(k) for k in prelude],
                "gunicorn": " ".join(servers.GUNICORN_SETTINGS),
                "product_gc_freeze": args.gc_freeze,
                "setup_seconds": round(setup_seconds, 1),
            }

            print("capacity units per turn (in-process, same moto) ...", flush=True)
            jobs = capacity.scenarios(kinds, prelude, datetime.now(UTC), api_endpoint)
            ref_env = reference_env(endpoint, [*kinds, *prelude], ca_dir, authority.url)
            results["capacity"] = {
                "product": capacity.product(endpoint, "closer-capacity", jobs),
                "reference": capacity.reference(
                    reference_python,
                    BENCH,
                    ref_env | {"REFERENCE_TABLE": "closer-capacity-ref"},
                    jobs,
                ),
            }

            apps = {
                "product": App(
                    "product",
                    product_python,
                    servers.gunicorn_argv(
                        product_python, "product_app:create_app()", "--pythonpath", str(BENCH)
                    ),
                    product_env(endpoint, ca_dir, authority.url, logs)
                    | ({"BENCH_GC_FREEZE": "1"} if args.gc_freeze else {}),
                    REPO,
                ),
                "reference": App(
                    "reference",
                    reference_python,
                    servers.gunicorn_argv(reference_python, "testca:create_app()"),
                    ref_env,
                    BENCH / "reference",
                ),
            }
            for app in apps.values():
                app.moto_pid = moto.process.pid

            print("import time and cold start ...", flush=True)
            results["import"] = {
                "product": import_time(
                    product_python, "skill.app", REPO, apps["product"].env, plan.import_runs
                ),
                "reference": import_time(
                    reference_python,
                    "app",
                    BENCH / "reference",
                    apps["reference"].env,
                    plan.import_runs,
                ),
            }
            results["cold_start"] = cold_starts(
                list(apps.values()), LAUNCH, authority, api_endpoint, plan.cold_runs, logs
            )

            for app in apps.values():
                print(f"starting {app.name} under gunicorn ...", flush=True)
                app.server = servers.start_gunicorn(
                    app.name, app.argv, app.env, logs / f"{app.name}-gunicorn.log", app.cwd
                )
            users = [household(i) for i in range(1, plan.households + 1)]
            for app in apps.values():
                seed(app, [*prelude, *kinds], users, authority, api_endpoint)

            print("memory per worker over 10,000 requests ...", flush=True)
            results["memory"] = {
                app.name: memory(app, kinds, users, authority, api_endpoint, plan, work)
                for app in apps.values()
            }

            results["points"] = []
            for kind in kinds:
                for connections in plan.levels(kind):
                    for app in apps.values():
                        point = load_point(
                            app,
                            kind,
                            users,
                            authority,
                            api_endpoint,
                            work,
                            connections,
                            plan.seconds,
                            logs,
                        )
                        results["points"].append(point)
                        print(report.point_line(point), flush=True)

            if py_spy is not None:
                results["profiles"] = profiles(
                    apps, kinds, users, authority, api_endpoint, work, plan, logs, py_spy
                )

            for app in apps.values():
                if app.server is not None:
                    procs.stop(app.server.process)
            procs.stop(moto.process)

    results["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    results["cost"] = report.cost_model(results["capacity"])
    results["targets"] = report.targets(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    print(report.render(results))
    print(f"\nJSON: {out}   ({results['elapsed_seconds']:.0f} s in all)")
    return 0


# -- environment -----------------------------------------------------------------------------


def create_tables(endpoint: str) -> None:
    from skill.store.dynamodb import client_config, create_table

    client = capacity.make_client(endpoint, client_config())
    create_table(client, PRODUCT_TABLE)
    for table in (REFERENCE_TABLE, "closer-capacity-ref"):
        client.create_table(
            TableName=table,
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )


def product_env(endpoint: str, ca_dir: Path, cert_url: str, logs: Path) -> dict[str, str]:
    return servers.clean_env(
        {
            "CLOSER_VERIFY": "on",
            "CLOSER_SKILL_ID": SKILL_ID,
            "CLOSER_STORE": "dynamodb",
            "CLOSER_DYNAMODB_ENDPOINT_URL": endpoint,
            "CLOSER_DYNAMODB_TABLE": PRODUCT_TABLE,
            "BENCH_CA_DIR": str(ca_dir),
            "BENCH_CERT_URL": cert_url,
            "BENCH_LOG_DIR": str(logs),
        }
    )


def reference_env(
    endpoint: str, kinds: Sequence[Kind], ca_dir: Path, cert_url: str
) -> dict[str, str]:
    intents = {k.name: k.intent for k in kinds if k.intent}
    return servers.clean_env(
        {
            "REFERENCE_SKILL_ID": SKILL_ID,
            "REFERENCE_TABLE": REFERENCE_TABLE,
            "REFERENCE_DYNAMODB_ENDPOINT_URL": endpoint,
            "REFERENCE_INTENTS": json.dumps(intents),
            "BENCH_CA_DIR": str(ca_dir),
            "BENCH_CERT_URL": cert_url,
        }
    )


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


# -- measurements ----------------------------------------------------------------------------


def signed_bodies(
    kind: Kind, users: Sequence[str], authority: Any, api_endpoint: str
) -> list[Signed]:
    now = datetime.now(UTC)
    bodies = [encode(envelope(kind, user_id=u, at=now, api_endpoint=api_endpoint)) for u in users]
    return sign_all(authority, bodies)


def post_all(app: App, signed: Sequence[Signed], authority: Any) -> Counter[int]:
    assert app.server is not None
    url = app.server.url + "/alexa"
    headers = {"SignatureCertChainUrl": authority.url}

    def one(item: Signed) -> int:
        status, _ = procs.post(url, item.body, headers | {"Signature-256": item.signature})
        return status

    with ThreadPoolExecutor(8) as pool:
        return Counter(pool.map(one, signed))


def seed(
    app: App, kinds: Sequence[Kind], users: Sequence[str], authority: Any, api_endpoint: str
) -> None:
    """Every household starts the plan and uses every feature once today: the load points then
    measure the steady state of a household's later turns that night (and every code path is
    warm)."""
    for kind in kinds:
        statuses = post_all(app, signed_bodies(kind, users, authority, api_endpoint), authority)
        if set(statuses) != {200}:
            raise RuntimeError(f"{app.name}: seeding {kind.name} got {dict(statuses)}")
    read_outcomes(app)


def read_outcomes(app: App) -> dict[str, Any]:
    """Product only: outcomes and writes from its per-request log lines since the last call."""
    counts: Counter[str] = Counter()
    wrote = 0
    handlers: Counter[str] = Counter()
    logs = app.env.get("BENCH_LOG_DIR")
    if not logs:
        return {}
    for path in sorted(Path(logs).glob("requests-*.log")):
        offset = app.log_offsets.get(path.name, 0)
        with path.open("rb") as f:
            f.seek(offset)
            data = f.read()
        end = data.rfind(b"\n") + 1
        app.log_offsets[path.name] = offset + end
        for line in data[:end].splitlines():
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


def load_point(
    app: App,
    kind: Kind,
    users: Sequence[str],
    authority: Any,
    api_endpoint: str,
    work: Path,
    connections: int,
    seconds: float,
    logs: Path,
    limit: int | None = None,
) -> dict[str, Any]:
    assert app.server is not None
    signed = signed_bodies(kind, users, authority, api_endpoint)
    data = load.write_data(work / f"{app.name}-{kind.name}.lua", authority.url, signed)
    read_outcomes(app)
    app_pids = [app.server.process.pid, *app.server.workers()]
    app_cpu, moto_cpu = procs.cpu_seconds(app_pids), procs.cpu_seconds([app.moto_pid])
    busy, total = procs.machine_busy_seconds()
    result = load.run(
        BENCH / "wrk" / "alexa.lua",
        app.server.url + "/alexa",
        data,
        connections=connections,
        seconds=seconds,
        limit=limit,
    )
    app_cpu = procs.cpu_seconds(app_pids) - app_cpu
    moto_cpu = procs.cpu_seconds([app.moto_pid]) - moto_cpu
    busy_after, total_after = procs.machine_busy_seconds()
    requests = max(1, result["requests"])
    point = {
        "app": app.name,
        "kind": kind.name,
        **result,
        "app_cpu_ms_per_request": round(1000 * app_cpu / requests, 2),
        "moto_cpu_ms_per_request": round(1000 * moto_cpu / requests, 2),
        "machine_busy_pct": round(100 * (busy_after - busy) / max(1e-9, total_after - total), 1),
    }
    if app.name == "product":
        point["product_log"] = read_outcomes(app)
    return point


def memory(
    app: App,
    kinds: Sequence[Kind],
    users: Sequence[str],
    authority: Any,
    api_endpoint: str,
    plan: Plan,
    work: Path,
) -> dict[str, Any]:
    """RSS of each worker before and after ``plan.memory_requests`` mixed requests (8 conns)."""
    assert app.server is not None
    workers = app.server.workers()
    before = {pid: procs.rss_kib(pid) for pid in workers}
    done = 0
    started = time.perf_counter()
    checkpoints: list[dict[str, Any]] = []
    wanted = plan.memory_requests[app.name]
    while done < wanted:
        chunk = min(plan.memory_chunk, wanted - done)
        signed = [s for kind in kinds for s in signed_bodies(kind, users, authority, api_endpoint)]
        data = load.write_data(work / f"{app.name}-memory.lua", authority.url, signed)
        result = load.run(
            BENCH / "wrk" / "alexa.lua",
            app.server.url + "/alexa",
            data,
            connections=8,
            seconds=120,
            limit=chunk,
        )
        done += result["requests"]
        if result["non_2xx"] or result["socket_errors"]:
            raise RuntimeError(f"{app.name}: errors during the memory run: {result}")
        checkpoints.append(
            {
                "requests": done,
                "rss_mib": [round(procs.rss_kib(pid) / 1024, 1) for pid in app.server.workers()],
            }
        )
    after = {pid: procs.rss_kib(pid) for pid in app.server.workers()}
    if app.name == "product":
        read_outcomes(app)
    return {
        "requests": done,
        "seconds": round(time.perf_counter() - started, 1),
        "checkpoints": checkpoints,
        "workers": [
            {
                "pid": pid,
                "rss_before_mib": round(before[pid] / 1024, 1),
                "rss_after_mib": round(after.get(pid, 0) / 1024, 1),
                "growth_mib": round((after.get(pid, 0) - before[pid]) / 1024, 1),
            }
            for pid in workers
        ],
    }


def cold_starts(
    apps: Sequence[App],
    launch: Kind,
    authority: Any,
    api_endpoint: str,
    runs: int,
    logs: Path,
) -> dict[str, Any]:
    """Spawn-to-first-signed-200 for each app, interleaved run by run (after one discarded
    warm-up each, so the file cache and bytecode are warm for both)."""
    times: dict[str, list[float]] = {app.name: [] for app in apps}
    for run in range(runs + 1):
        for app in apps:
            at = datetime.now(UTC)
            body = encode(envelope(launch, user_id=household(0), at=at, api_endpoint=api_endpoint))
            seconds = servers.time_to_first_answer(
                app.name,
                app.argv,
                app.env,
                logs / f"{app.name}-cold.log",
                app.cwd,
                body,
                authority.headers(body),
            )
            if run:
                times[app.name].append(seconds)
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


def profiles(
    apps: dict[str, App],
    kinds: Sequence[Kind],
    users: Sequence[str],
    authority: Any,
    api_endpoint: str,
    work: Path,
    plan: Plan,
    logs: Path,
    py_spy: Path,
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for kind in [k for k in kinds if k.name in ("session_end", "launch", "question")]:
        for app in apps.values():
            assert app.server is not None
            out = logs / f"profile-{app.name}-{kind.name}.txt"
            run: Callable[[], dict[str, Any]] = lambda app=app, kind=kind: load_point(  # noqa: E731
                app, kind, users, authority, api_endpoint, work, 8, plan.profile_seconds, logs
            )
            point, _ = profile.record(
                py_spy, app.server.process.pid, plan.profile_seconds, out, run
            )
            found[f"{app.name}/{kind.name}"] = {
                "rps_while_sampled": point["rps"],
                **profile.summarize(out),
                "raw": str(out),
            }
            print(f"profiled {app.name} {kind.name}", flush=True)
    return found


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
