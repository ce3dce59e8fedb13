"""Store operations and capacity units per turn of the reference skill (run in its venv).

Reads a JSON job on stdin: ``{"meter": path to ddbmeter.py, "steps": path to steps.py,
"scenarios": [...]}``, where each scenario has ``setup`` and ``measure`` lists of request
envelopes (a measured one may continue the session of the one before, see
``benchlib/steps.py``). Runs them in-process with Flask's test client against the DynamoDB
endpoint in ``REFERENCE_DYNAMODB_ENDPOINT_URL``, with request verification off (it does no
store work), and prints one JSON result per scenario.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys

import boto3


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main():
    job = json.load(sys.stdin)
    meter_module = load_module("ddbmeter", job["meter"])
    steps = load_module("steps", job["steps"])
    os.environ["REFERENCE_VERIFY"] = "off"
    from app import create_app

    endpoint = os.environ["REFERENCE_DYNAMODB_ENDPOINT_URL"]
    region = os.environ["AWS_DEFAULT_REGION"]
    resource = boto3.resource("dynamodb", region_name=region, endpoint_url=endpoint)
    side = boto3.client("dynamodb", region_name=region, endpoint_url=endpoint)
    meter = meter_module.Meter(side)
    meter.attach(resource.meta.client)
    client = create_app(dynamodb_resource=resource).test_client()

    results = []
    for scenario in job["scenarios"]:
        for envelope in scenario["setup"]:
            answer = client.post("/alexa", json=envelope)
            if answer.status_code != 200:
                raise SystemExit(f"setup request failed: {answer.status_code}")
        meter.take()
        turns = []
        sent = reply = None
        for step in scenario["measure"]:
            sent = steps.prepare(step, sent, reply)
            answer = client.post("/alexa", json=sent)
            reply = answer.get_json(silent=True)
            turns.append(
                {
                    "status": answer.status_code,
                    **meter_module.summarize(meter.take()),
                }
            )
        results.append({"name": scenario["name"], "labels": scenario.get("labels"), "turns": turns})
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
