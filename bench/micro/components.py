"""Each per-turn change measured on its own, before and after, in one process (microseconds).

    .venv/bin/python bench/micro/components.py

Best of several timed repeats, so the numbers hold on a shared, noisy box:
request model (ask-sdk DefaultSerializer from the body vs ModelSerializer from the parsed
envelope), response model to dict, routing (GenericRequestMapper vs IndexedRequestMapper,
averaged over every intent of the model), the request log line, the response body, and a
DynamoDB GetItem through botocore answered in-process (with and without parameter validation).
"""

from __future__ import annotations

import json
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_runtime.dispatch_components.request_components import (
    GenericRequestHandlerChain,
    GenericRequestMapper,
)
from botocore.config import Config
from flask import Flask, jsonify

from bench.micro.turn_cost import HOUSEHOLD, InProcessDynamo, envelope
from skill.app import LOG_JSON, RESPONSE_JSON
from skill.content.catalog import load_catalog
from skill.devtools.models import load_model
from skill.envelope import read_request
from skill.exchange import Exchange
from skill.handlers import REQUEST_HANDLERS
from skill.routing import IndexedRequestMapper
from skill.sdk_serializer import ModelSerializer
from skill.settings import Settings
from skill.store.sqlite import SQLiteHouseholdStore

ENVELOPE = "ask_sdk_model.RequestEnvelope"


def best_us(work: Callable[[], Any], number: int = 2000, repeat: int = 7) -> float:
    return min(timeit.repeat(work, number=number, repeat=repeat)) / number * 1e6


def report(name: str, before: float, after: float) -> None:
    saved = (before - after) / before * 100
    print(f"{name:<34} {before:9.1f} {after:9.1f}   {saved:5.1f}%")


def serializers() -> None:
    raw = envelope("IntentRequest", "PlanWeekIntent", __import__("datetime").datetime(2026, 3, 11))
    raw["session"]["attributes"] = {"context": "plan", "zone": ["America/New_York", "2026-03-11"]}
    body = json.dumps(raw)
    default, ours = DefaultSerializer(), ModelSerializer()
    report(
        "request model (parse + build)",
        best_us(lambda: default.deserialize(body, ENVELOPE)),
        best_us(lambda: ours.from_data(json.loads(body), ENVELOPE)),
    )
    report(
        "request model, body parsed once",
        best_us(lambda: default.deserialize(body, ENVELOPE)),
        best_us(lambda: ours.from_data(raw, ENVELOPE)),
    )
    response = response_envelope()
    report(
        "response model to dict",
        best_us(lambda: default.serialize(response)),
        best_us(lambda: ours.serialize(response)),
    )


def response_envelope() -> Any:
    from ask_sdk_model.response import Response
    from ask_sdk_model.response_envelope import ResponseEnvelope
    from ask_sdk_model.ui.simple_card import SimpleCard
    from ask_sdk_model.ui.ssml_output_speech import SsmlOutputSpeech

    return ResponseEnvelope(
        version="1.0",
        session_attributes={"context": "plan", "zone": ["America/New_York", "2026-03-11"]},
        response=Response(
            output_speech=SsmlOutputSpeech(ssml="<speak>" + "week two " * 30 + "</speak>"),
            reprompt=None,
            card=SimpleCard(title="This week", content="week two " * 20),
            should_end_session=False,
        ),
    )


def routing() -> None:
    catalog = load_catalog(Settings().content_dir)
    chains = [GenericRequestHandlerChain(request_handler=h) for h in REQUEST_HANDLERS]
    generic, indexed = GenericRequestMapper(chains), IndexedRequestMapper(chains)
    intents = [
        i["name"] for i in load_model("en-US")["interactionModel"]["languageModel"]["intents"]
    ]
    serializer = ModelSerializer()
    inputs = []
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteHouseholdStore(Path(folder) / "h.db")
        for intent in intents:
            raw = envelope("IntentRequest", intent, __import__("datetime").datetime(2026, 3, 11))
            model = serializer.from_data(raw, ENVELOPE)
            exchange = Exchange(read_request(raw), store, catalog.base, "UTC")
            manager = AttributesManager(request_envelope=model)
            inputs.append(
                HandlerInput(request_envelope=model, attributes_manager=manager, context=exchange)
            )

        def route(mapper: Any) -> Callable[[], None]:
            def run() -> None:
                for handler_input in inputs:
                    mapper.get_request_handler_chain(handler_input)

            return run

        n = len(inputs)
        report(
            f"routing (mean of {n} intents)",
            best_us(route(generic), number=200) / n,
            best_us(route(indexed), number=200) / n,
        )
        store.close()


def lines() -> None:
    fields = {
        "outcome": "ok",
        "attempts": 1,
        "request_type": "IntentRequest",
        "intent": "PlanWeekIntent",
        "handler": "PlanWeekIntentHandler",
        "wrote": False,
        "keys": ["plan.week", "plan.offer"],
        "latency_ms": 3.21,
    }
    report(
        "request log line",
        best_us(lambda: json.dumps(fields, sort_keys=True)),
        best_us(lambda: LOG_JSON.encode(fields)),
    )
    body = ModelSerializer().serialize(response_envelope())
    app = Flask(__name__)
    with app.app_context():
        report(
            "response body",
            best_us(lambda: jsonify(body)),
            best_us(
                lambda: app.response_class(RESPONSE_JSON.encode(body), mimetype="application/json")
            ),
        )


def botocore_get_item() -> None:
    import boto3

    from skill.store.dynamodb import client_config

    def client(config: Config) -> Any:
        made = boto3.session.Session(
            aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1"
        ).client("dynamodb", endpoint_url="http://127.0.0.1:9", config=config)
        made.meta.events.register("before-send.dynamodb", InProcessDynamo())
        return made

    def get(made: Any) -> Callable[[], Any]:
        key = {"pk": {"S": "h#" + HOUSEHOLD[:22]}}
        return lambda: made.get_item(
            TableName="t",
            Key=key,
            ConsistentRead=True,
            ProjectionExpression="#v, #d, #e",
            ExpressionAttributeNames={"#v": "version", "#d": "data", "#e": "expires_at"},
        )

    validating = client(client_config().merge(Config(parameter_validation=True)))
    trusting = client(client_config().merge(Config(parameter_validation=False)))
    report(
        "GetItem, no parameter validation",
        best_us(get(validating), number=300),
        best_us(get(trusting), number=300),
    )


def main() -> int:
    print(f"{'':<34} {'before':>9} {'after':>9}   saved (microseconds per call)")
    serializers()
    routing()
    lines()
    botocore_get_item()
    return 0


if __name__ == "__main__":
    sys.exit(main())
