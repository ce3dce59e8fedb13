"""Store operations and DynamoDB capacity units per turn, for the product and the reference.

Both apps answer the same scenarios in-process (Flask's test client) against the same moto
server, each on its own fresh table, with ``ddbmeter`` hooked onto the DynamoDB client the app
uses. Request verification is off here: it does no store work, and it lets a scenario replay
yesterday's turns. The scenarios, per request kind:

* ``new``: the household's very first turn;
* ``first_today``: the first turn of a day, for a household that used every feature yesterday;
* ``again_today``: the same request again later the same night, after every feature today;

and two nights of a returning household (one that used every feature the night before), which
the cost model prices: ``night/read_mostly`` (launch, tonight's question, plan week) and
``night/question_or_check_in`` (launch, next question, then a whole check-in in a new session:
start, "ready", "yes" to swap, "yes" to finish; the turns inside the check-in continue the
session of the turn before, see ``steps``). The first launch of a new household is
``launch/new``.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchlib import steps
from benchlib.ddbmeter import Meter, summarize
from benchlib.envelopes import SKILL_ID, Kind, envelope, named_household

REGION = "us-east-1"
LOCAL_ZONE = ZoneInfo("America/New_York")
NIGHTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # name: (kind, label, continues the session of the turn before)
    "night/read_mostly": (
        ("launch", "launch", False),
        ("question", "tonight's question", False),
        ("plan", "plan week", False),
    ),
    "night/question_or_check_in": (
        ("launch", "launch", False),
        ("next_question", "next question", False),
        ("check_in", "check-in start", False),
        ("check_in_ready", "check-in ready", True),
        ("check_in_yes", "check-in swap", True),
        ("check_in_yes", "check-in finish", True),
    ),
}
NO_STORE = ("session_end",)


def evening(now: datetime) -> datetime:
    """Today at 21:00 in New York (the fake Settings API's zone): a fixed point in the night."""
    local = now.astimezone(LOCAL_ZONE)
    return local.replace(hour=21, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Requests:
    """Builds the envelopes of the scenarios."""

    kinds: Sequence[Kind]
    prelude: Sequence[Kind]
    api_endpoint: str

    def one(self, kind: Kind, user: str, when: datetime) -> dict[str, Any]:
        return envelope(kind, user_id=user, at=when, api_endpoint=self.api_endpoint)

    def full_day(self, user: str, start: datetime) -> list[dict[str, Any]]:
        """The prelude, then every kind of request once (a minute apart)."""
        daily = [*self.prelude, *(k for k in self.kinds if not k.fresh)]
        return [self.one(k, user, start + timedelta(minutes=i)) for i, k in enumerate(daily)]


def scenarios(
    kinds: Sequence[Kind],
    prelude: Sequence[Kind],
    flow: Sequence[Kind],
    now: datetime,
    api_endpoint: str,
) -> list[dict[str, Any]]:
    """The scenario jobs both harnesses run (request envelopes as JSON-ready dicts)."""
    at = evening(now)
    requests = Requests(kinds, prelude, api_endpoint)
    jobs: list[dict[str, Any]] = []
    for kind in kinds:
        if not kind.fresh:
            jobs += _kind_jobs(requests, kind, at)
    by_name = {k.name: k for k in [*kinds, *flow]}
    for name, turns in NIGHTS.items():
        user = named_household(name)
        measure = []
        for minute, (kind_name, _, carry) in enumerate(turns):
            request = requests.one(by_name[kind_name], user, at + timedelta(minutes=minute))
            measure.append(steps.carried(request) if carry else request)
        jobs.append(
            {
                "name": name,
                "labels": [label for _, label, _ in turns],
                "setup": requests.full_day(user, at - timedelta(days=1)),
                "measure": measure,
            }
        )
    return jobs


def _kind_jobs(requests: Requests, kind: Kind, at: datetime) -> list[dict[str, Any]]:
    """``new``, ``first_today`` and ``again_today`` for one kind (only the last for a kind
    that stores nothing)."""
    jobs = []
    setups = {
        "new": ([], at),
        "first_today": (at - timedelta(days=1), at),
        "again_today": (at, at + timedelta(minutes=30)),
    }
    for scenario, (setup_at, measure_at) in setups.items():
        if kind.name in NO_STORE and scenario != "again_today":
            continue
        user = named_household(f"{kind.name}/{scenario}")
        setup = requests.full_day(user, setup_at) if isinstance(setup_at, datetime) else []
        jobs.append(
            {
                "name": f"{kind.name}/{scenario}",
                "setup": setup,
                "measure": [requests.one(kind, user, measure_at)],
            }
        )
    return jobs


def make_client(endpoint: str, config: Any = None) -> Any:
    import boto3
    import botocore.session

    no_profile = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
    session = boto3.session.Session(
        botocore_session=no_profile,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )
    return session.client("dynamodb", endpoint_url=endpoint, config=config)


def product(endpoint: str, table: str, jobs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Run the scenarios through the product's app, in this process."""
    from skill.app import create_app
    from skill.settings import Settings
    from skill.store.dynamodb import DynamoDBHouseholdStore, client_config, create_table
    from skill.verify import RequestVerifier

    client = make_client(endpoint, client_config())
    create_table(client, table)
    meter = Meter(make_client(endpoint))
    meter.attach(client)
    settings = Settings(
        skill_id=SKILL_ID,
        verify=False,
        store="dynamodb",
        dynamodb_table=table,
        dynamodb_endpoint_url=endpoint,
        aws_region=REGION,
    )
    app = create_app(
        {
            "SETTINGS": settings,
            "STORE": DynamoDBHouseholdStore(client, table),
            "VERIFIER": RequestVerifier(SKILL_ID, verify_signature=False),
        }
    )
    test_client = app.test_client()
    results = []
    for job in jobs:
        for request in job["setup"]:
            answer = test_client.post("/alexa", json=request)
            if answer.status_code != 200:
                raise RuntimeError(f"product setup request failed: {answer.status_code}")
        meter.take()
        turns = []
        sent: dict[str, Any] | None = None
        reply: dict[str, Any] | None = None
        for step in job["measure"]:
            sent = steps.prepare(step, sent, reply)
            answer = test_client.post("/alexa", json=sent)
            reply = answer.get_json(silent=True)
            keys = answer.headers.get("X-Closer-Keys", "")
            turns.append(
                {"status": answer.status_code, "keys": keys.split(",") if keys else []}
                | summarize(meter.take())
            )
        results.append({"name": job["name"], "labels": job.get("labels"), "turns": turns})
    return results


def reference(
    python: Path, bench: Path, env: Mapping[str, str], jobs: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Run the scenarios through the reference app, in its own virtual environment."""
    job = {
        "meter": str(bench / "benchlib" / "ddbmeter.py"),
        "steps": str(bench / "benchlib" / "steps.py"),
        "scenarios": list(jobs),
    }
    done = subprocess.run(
        [str(python), str(bench / "reference" / "capacity.py")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=bench / "reference",
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError("reference capacity run failed:\n" + done.stderr[-3000:])
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results
