"""Routing by lookup picks the handler the routing table's order picks, for every request."""

from __future__ import annotations

import itertools
from typing import Any

from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_runtime.dispatch_components.request_components import (
    GenericRequestHandlerChain,
    GenericRequestMapper,
)

from skill.content.catalog import Catalog
from skill.devtools.models import load_model
from skill.envelope import read_request
from skill.exchange import Exchange
from skill.handlers import REQUEST_HANDLERS
from skill.routing import IndexedRequestMapper
from skill.sdk_serializer import ModelSerializer
from skill.store.sqlite import SQLiteHouseholdStore

REQUEST_TYPES = [
    "LaunchRequest",
    "SessionEndedRequest",
    "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillEnabled",
    "System.ExceptionEncountered",
    "Connections.Response",
]
SESSIONS: list[dict[str, Any]] = [
    {},
    {"pending": "privacy.forget"},
    {"pending": "plan.start", "context": "plan"},
    {"repeat": {"speech": [["help.main", {}]], "reprompt": []}},
    {
        "check_in": {
            "phase": "confirm_1",
            "since": "2026-03-10T21:00:00+00:00",
            "until": "2026-03-10T21:30:00+00:00",
        }
    },
    {"check_in": {"phase": "paused", "since": "2026-03-10T21:00:00+00:00", "until": "x"}},
]


def envelope(request_type: str, intent: str | None, attributes: dict[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": request_type,
        "requestId": "amzn1.echo-api.request.r",
        "timestamp": "2026-03-10T21:00:00Z",
        "locale": "en-US",
    }
    if intent:
        request["intent"] = {"name": intent, "slots": {}}
    user = {"userId": "amzn1.ask.account.routing"}
    return {
        "version": "1.0",
        "session": {"new": False, "sessionId": "s", "attributes": attributes, "user": user},
        "context": {"System": {"user": user, "application": {"applicationId": "a"}}},
        "request": request,
    }


def test_the_indexed_mapper_chooses_as_the_generic_mapper_does(
    store: SQLiteHouseholdStore, catalog: Catalog
) -> None:
    chains = [GenericRequestHandlerChain(request_handler=h) for h in REQUEST_HANDLERS]
    generic, indexed = GenericRequestMapper(chains), IndexedRequestMapper(chains)
    intents = [
        intent["name"]
        for intent in load_model("en-US")["interactionModel"]["languageModel"]["intents"]
    ] + ["NoSuchIntent"]
    requests = [("IntentRequest", name) for name in intents] + [(t, None) for t in REQUEST_TYPES]
    serializer = ModelSerializer()
    checked = 0
    for (request_type, intent), attributes in itertools.product(requests, SESSIONS):
        raw = envelope(request_type, intent, dict(attributes))
        model = serializer.from_data(raw, "ask_sdk_model.RequestEnvelope")
        exchange = Exchange(read_request(raw), store, catalog.base, "UTC")
        exchange.session = model.session.attributes
        handler_input = HandlerInput(
            request_envelope=model,
            attributes_manager=AttributesManager(request_envelope=model),
            context=exchange,
        )
        expected = generic.get_request_handler_chain(handler_input)
        assert indexed.get_request_handler_chain(handler_input) is expected, (intent, attributes)
        checked += 1
    assert checked == len(requests) * len(SESSIONS)
