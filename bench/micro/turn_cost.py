"""In-process cost of one turn: requests per second and CPU per request through the Flask app.

    .venv/bin/python bench/micro/turn_cost.py [--requests 3000] [--store sqlite|dynamodb]
                                              [--profile out.prof] [--repo PATH]

No server and no network: Flask's test client posts the envelopes (verification off), the
household store is SQLite in a temporary folder, or a DynamoDB client whose HTTP send is
answered in-process from a dict (botocore still serialises, signs and parses every call, so
its cost is counted; the engine's is not). The request mix is the read turns of a household
already set up: launch, tonight's question (the same all night), plan week, help.

``--repo`` measures another checkout of the skill with this script; ``--against PATH``
alternates runs of this checkout and PATH in fresh processes and reports the best of each (the
box is shared, so only the best runs compare); ``--profile`` writes a cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HOUSEHOLD = "amzn1.ask.account." + "A" * 207
SAYINGS = [
    ("LaunchRequest", None),
    ("IntentRequest", "TonightsQuestionIntent"),
    ("IntentRequest", "PlanWeekIntent"),
    ("IntentRequest", "AMAZON.HelpIntent"),
]


def envelope(request_type: str, intent: str | None, now: datetime) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": request_type,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": "en-US",
    }
    if intent:
        request["intent"] = {"name": intent, "confirmationStatus": "NONE", "slots": {}}
    app = {"applicationId": "amzn1.ask.skill.bench"}
    user = {"userId": HOUSEHOLD}
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": app,
            "attributes": {},
            "user": user,
        },
        "context": {
            "System": {
                "application": app,
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.bench", "supportedInterfaces": {}},
                "apiEndpoint": "http://127.0.0.1:9",
                "apiAccessToken": "token",
            }
        },
        "request": request,
    }


class InProcessDynamo:
    """Answers PutItem/GetItem/DeleteItem from a dict at botocore's ``before-send``."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        from botocore.awsrequest import AWSResponse

        operation = kwargs["event_name"].rsplit(".", 1)[-1]
        body = json.loads(request.body)
        key = json.dumps(body.get("Key") or {"pk": body["Item"]["pk"]}, sort_keys=True)
        answer: dict[str, Any] = {}
        if operation == "GetItem" and key in self.items:
            answer = {"Item": self.items[key]}
        elif operation == "PutItem":
            self.items[key] = body["Item"]
        elif operation == "DeleteItem":
            self.items.pop(key, None)
        raw = json.dumps(answer).encode()
        return AWSResponse("https://dynamodb", 200, {"Content-Type": "application/json"}, _Raw(raw))


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **kwargs: Any) -> Any:
        yield self.body

    def read(self, *args: Any) -> bytes:
        return self.body


def build_store(kind: str, folder: Path) -> Any:
    if kind == "sqlite":
        from skill.store.sqlite import SQLiteHouseholdStore

        return SQLiteHouseholdStore(folder / "households.db")
    import boto3

    from skill.store.dynamodb import DynamoDBHouseholdStore, client_config

    client = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1"
    ).client("dynamodb", endpoint_url="http://127.0.0.1:9", config=client_config())
    client.meta.events.register("before-send.dynamodb", InProcessDynamo())
    return DynamoDBHouseholdStore(client, "bench")


def measure(store_kind: str, requests: int, profile: str | None) -> dict[str, float]:
    import logging

    from skill.app import create_app
    from skill.settings import Settings

    logging.getLogger("closer").setLevel(logging.INFO)  # the request log line is part of a turn
    logging.getLogger("closer").addHandler(logging.NullHandler())
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SETTINGS": Settings(verify=False),
                "STORE": build_store(store_kind, Path(folder)),
                "TIMEZONE_OVERRIDE": "America/New_York",
            }
        )
        client = app.test_client()
        now = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)

        def post(index: int) -> None:
            request_type, intent = SAYINGS[index % len(SAYINGS)]
            body = json.dumps(envelope(request_type, intent, now + timedelta(seconds=index)))
            answer = client.post("/alexa", data=body, content_type="application/json")
            assert answer.status_code == 200, answer.data

        for index in range(200):  # warm up: the household exists, tonight's question is out
            post(index)
        bodies: Callable[[int], None] = post
        gc.collect()
        profiler = cProfile.Profile() if profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for index in range(requests):
            bodies(index)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        app.extensions["closer"].close()
    return {"requests_per_s": requests / wall, "cpu_ms_per_request": cpu / requests * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--store", choices=("sqlite", "dynamodb"), default="sqlite")
    parser.add_argument("--profile")
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path)
    options = parser.parse_args()
    if options.against:
        return compare(options)
    sys.path.insert(0, str(options.repo))
    results = [
        measure(options.store, options.requests, options.profile) for _ in range(options.runs)
    ]
    best = min(results, key=lambda r: r["cpu_ms_per_request"])
    print(
        json.dumps(
            {
                "repo": str(options.repo),
                "store": options.store,
                "requests": options.requests,
                "best_cpu_ms_per_request": round(best["cpu_ms_per_request"], 3),
                "best_requests_per_s": round(best["requests_per_s"], 1),
                "runs": [{k: round(v, 3) for k, v in r.items()} for r in results],
            }
        )
    )
    return 0


def compare(options: argparse.Namespace) -> int:
    import subprocess

    best: dict[str, float] = {}
    for _ in range(options.runs):
        for repo in (options.against, options.repo):
            command = [sys.executable, __file__, "--repo", str(repo), "--runs", "1"]
            command += ["--store", options.store, "--requests", str(options.requests)]
            result = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
            cpu = result["best_cpu_ms_per_request"]
            best[str(repo)] = min(best.get(str(repo), cpu), cpu)
    before, after = best[str(options.against)], best[str(options.repo)]
    saved = (before - after) / before * 100
    print(
        json.dumps(
            {
                "store": options.store,
                "before_cpu_ms": before,
                "after_cpu_ms": after,
                "saved_percent": round(saved, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
