"""Store operations and DynamoDB capacity units per turn, for the product and the reference.

Both apps answer the same scenarios in-process (Flask's test client) against the same moto
server, each on its own fresh table, with ``ddbmeter`` hooked onto the DynamoDB client the app
uses. Request verification is off here: it does no store work, and it lets a scenario replay
yesterday's turns. The scenarios, per request kind:

* ``new``: the household's very first turn;
* ``first_today``: the first turn of a day, for a household that used every feature yesterday;
* ``again_today``: the same request again later the same night, after every feature today;

and ``day``: a returning household's typical day of three turns (launch, tonight's question,
plan week), which the cost model prices.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchlib.ddbmeter import Meter, summarize
from benchlib.envelopes import SKILL_ID, Kind, envelope

REGION = "us-east-1"
LOCAL_ZONE = ZoneInfo("America/New_York")
DAY_KINDS = ("launch", "question", "plan")
NO_STORE = ("session_end",)


def evening(now: datetime) -> datetime:
    """Today at 21:00 in New York (the fake Settings API's zone): a fixed point in the night."""
    local = now.astimezone(LOCAL_ZONE)
    return local.replace(hour=21, minute=0, second=0, microsecond=0)


def scenarios(
    kinds: Sequence[Kind], prelude: Sequence[Kind], now: datetime, api_endpoint: str
) -> list[dict[str, Any]]:
    """The scenario job both harnesses run (request envelopes as JSON-ready dicts).

    A "full day" is the prelude (e.g. starting the plan) and then every kind once."""
    at = evening(now)
    by_name = {k.name: k for k in kinds}

    def env(kind: Kind, user: str, when: datetime) -> dict[str, Any]:
        return envelope(kind, user_id=user, at=when, api_endpoint=api_endpoint)

    def full_day(user: str, start: datetime) -> list[dict[str, Any]]:
        steps = [*prelude, *kinds]
        return [env(k, user, start + timedelta(minutes=i)) for i, k in enumerate(steps)]

    jobs: list[dict[str, Any]] = []
    for kind in kinds:
        user = f"amzn1.ask.account.capacity-{kind.name}"
        if kind.name in NO_STORE:
            setup = full_day(user + "-again", at)
            later = at + timedelta(minutes=30)
            measure = [env(kind, user + "-again", later)]
            jobs.append({"name": f"{kind.name}/again_today", "setup": setup, "measure": measure})
            continue
        new = {"name": f"{kind.name}/new", "setup": [], "measure": [env(kind, user + "-new", at)]}
        jobs.append(new)
        jobs.append(
            {
                "name": f"{kind.name}/first_today",
                "setup": full_day(user + "-first", at - timedelta(days=1)),
                "measure": [env(kind, user + "-first", at)],
            }
        )
        jobs.append(
            {
                "name": f"{kind.name}/again_today",
                "setup": full_day(user + "-again", at),
                "measure": [env(kind, user + "-again", at + timedelta(minutes=30))],
            }
        )
    day_user = "amzn1.ask.account.capacity-day"
    jobs.append(
        {
            "name": "day",
            "setup": full_day(day_user, at - timedelta(days=1)),
            "measure": [
                env(by_name[name], day_user, at + timedelta(minutes=i))
                for i, name in enumerate(DAY_KINDS)
            ],
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
        for request in job["measure"]:
            answer = test_client.post("/alexa", json=request)
            keys = answer.headers.get("X-Closer-Keys", "")
            turns.append(
                {"status": answer.status_code, "keys": keys.split(",") if keys else []}
                | summarize(meter.take())
            )
        results.append({"name": job["name"], "turns": turns})
    return results


def reference(
    python: Path, bench: Path, env: Mapping[str, str], jobs: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Run the scenarios through the reference app, in its own virtual environment."""
    job = {"meter": str(bench / "benchlib" / "ddbmeter.py"), "scenarios": list(jobs)}
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
