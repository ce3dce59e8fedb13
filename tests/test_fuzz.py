"""Malformed and odd envelopes never produce a 500 or a stack trace: 400 or a sensible 200."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.devtools.conversation import Conversation

Mutation = Callable[[dict[str, Any]], Any]


def base(alexa: Conversation, request: dict[str, Any] | None = None) -> dict[str, Any]:
    alexa.session_id = "amzn1.echo-api.session.fuzz"
    return alexa.envelope(
        request or {"type": "IntentRequest", "intent": {"name": "AMAZON.HelpIntent", "slots": {}}}
    )


def drop(path: str) -> Mutation:
    def mutate(envelope: dict[str, Any]) -> dict[str, Any]:
        *parents, last = path.split(".")
        node: Any = envelope
        for part in parents:
            node = node[part]
        node.pop(last, None)
        return envelope

    return mutate


def put(path: str, value: Any) -> Mutation:
    def mutate(envelope: dict[str, Any]) -> dict[str, Any]:
        *parents, last = path.split(".")
        node: Any = envelope
        for part in parents:
            node = node.setdefault(part, {}) if isinstance(node, dict) else node
        if isinstance(node, dict):
            node[last] = value
        return envelope

    return mutate


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"a": value}
    return value


CORPUS: dict[str, Mutation] = {
    "missing request": drop("request"),
    "missing request type": drop("request.type"),
    "missing timestamp": drop("request.timestamp"),
    "missing context": drop("context"),
    "missing context.System": drop("context.System"),
    "missing apiEndpoint": drop("context.System.apiEndpoint"),
    "missing user": drop("context.System.user"),
    "missing session": drop("session"),
    "missing device": drop("context.System.device"),
    "missing locale": drop("request.locale"),
    "missing intent": drop("request.intent"),
    "request is a list": put("request", [1, 2]),
    "type is a number": put("request.type", 7),
    "timestamp is garbage": put("request.timestamp", "yesterday-ish"),
    "timestamp is a number": put("request.timestamp", 1234),
    "unknown request type": put("request.type", "Alexa.Something.New"),
    "unknown intent": put("request.intent", {"name": "NoSuchIntent", "slots": {}}),
    "intent name is a list": put("request.intent", {"name": ["x"], "slots": {}}),
    "unknown slot": put("request.intent.slots", {"mystery": {"name": "mystery", "value": "x"}}),
    "slots is a list": put("request.intent.slots", ["x"]),
    "slot value is a number": put("request.intent.slots", {"a": {"name": "a", "value": 3}}),
    "unknown locale": put("request.locale", "tlh-KX"),
    "locale is a number": put("request.locale", 12),
    "huge string": put("request.intent.name", "x" * 60_000),
    "huge attributes": put("session.attributes", {"junk": "y" * 60_000}),
    "deep nesting": put("session.attributes", nested(400)),
    "attributes is a string": put("session.attributes", "oops"),
    "session.new is a string": put("session.new", "yes"),
    "userId is a number": put("context.System.user.userId", 42),
    "apiEndpoint is not a url": put("context.System.apiEndpoint", "not a url"),
    "null request": put("request", None),
    "empty object": lambda envelope: {},
    "session ended with error": lambda envelope: {
        **envelope,
        "request": {
            **envelope["request"],
            "type": "SessionEndedRequest",
            "reason": "ERROR",
            "error": {"type": "INVALID_RESPONSE", "message": "x"},
        },
    },
    "can fulfill": put("request.type", "CanFulfillIntentRequest"),
}


def check_answer(client: FlaskClient, data: bytes) -> tuple[int, Any]:
    answer = client.post("/alexa", data=data, headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 400), answer.status_code
    body = answer.get_json(silent=True)
    assert isinstance(body, dict)
    if answer.status_code == 400:
        assert isinstance(body.get("error"), str) and "Traceback" not in body["error"]
    else:
        assert body.get("version") == "1.0" and isinstance(body.get("response"), dict)
        assert "Traceback" not in json.dumps(body)
    return answer.status_code, body


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_fuzz_corpus_gets_400_or_a_sensible_200(
    app: Flask, alexa: Conversation, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    envelope = CORPUS[name](copy.deepcopy(base(alexa)))
    with caplog.at_level(logging.ERROR):
        check_answer(app.test_client(), json.dumps(envelope).encode())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], name


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\xfa", b"{", b"null", b"[]", b'"text"', b"", b"{" * 5000 + b"}" * 5000],
)
def test_bodies_that_are_not_envelopes_get_400(app: Flask, data: bytes) -> None:
    status, _ = check_answer(app.test_client(), data)
    assert status == 400


def test_a_body_larger_than_alexa_sends_is_rejected_before_parsing(app: Flask) -> None:
    status, body = check_answer(app.test_client(), b"{" + b" " * (200 * 1024) + b"}")
    assert status == 400 and body["error"] == "request body too large"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
PATHS = st.sampled_from(
    [
        "request.type",
        "request.intent",
        "request.intent.name",
        "request.intent.slots",
        "request.locale",
        "request.timestamp",
        "session",
        "session.attributes",
        "session.user",
        "context.System",
        "context.System.user",
        "context.System.device",
        "request.reason",
        "request.error",
        "version",
        "request.dialogState",
    ]
)
INTENTS = st.sampled_from(
    [
        "AMAZON.HelpIntent",
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "AMAZON.StopIntent",
        "AMAZON.RepeatIntent",
        "AMAZON.FallbackIntent",
        "ForgetUsIntent",
        "Unknown",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(intent=INTENTS, changes=st.lists(st.tuples(PATHS, JSON), max_size=3))
def test_random_envelopes_never_break_the_endpoint(
    app: Flask, alexa: Conversation, intent: str, changes: list[tuple[str, Any]]
) -> None:
    envelope = base(alexa, {"type": "IntentRequest", "intent": {"name": intent, "slots": {}}})
    for path, value in changes:
        envelope = put(path, value)(envelope)
    check_answer(app.test_client(), json.dumps(envelope).encode())


SLOT = st.fixed_dictionaries(
    {"name": st.just("topic"), "value": JSON},
    optional={
        "resolutions": st.one_of(
            JSON,
            st.fixed_dictionaries(
                {
                    "resolutionsPerAuthority": st.lists(
                        st.one_of(
                            JSON,
                            st.fixed_dictionaries(
                                {
                                    "status": st.one_of(
                                        JSON, st.just({"code": "ER_SUCCESS_MATCH"})
                                    ),
                                    "values": st.lists(JSON, max_size=2),
                                }
                            ),
                        ),
                        max_size=2,
                    )
                }
            ),
        )
    },
)


@settings(max_examples=100, deadline=None)
@given(slot=SLOT)
def test_odd_slots_resolve_to_text_or_nothing(slot: dict[str, Any]) -> None:
    from datetime import UTC, datetime

    from skill.envelope import Request

    request = Request("IntentRequest", datetime.now(UTC), intent="X", slots={"topic": slot})
    value = request.slot("topic")
    assert value is None or (isinstance(value, str) and value)
