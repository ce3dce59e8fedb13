"""The skill's serializer builds the same ask-sdk models as DefaultSerializer, and back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.response import Response
from ask_sdk_model.response_envelope import ResponseEnvelope
from ask_sdk_model.ui.simple_card import SimpleCard
from ask_sdk_model.ui.ssml_output_speech import SsmlOutputSpeech

from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.sdk_serializer import ModelSerializer

ENVELOPE = "ask_sdk_model.RequestEnvelope"


def envelopes(utterances: Utterances) -> list[dict[str, Any]]:
    alexa = Conversation(lambda e: (200, {}, {}), utterances, now=datetime(2026, 3, 10, tzinfo=UTC))
    requests: list[dict[str, Any]] = [
        {"type": "LaunchRequest"},
        {
            "type": "SessionEndedRequest",
            "reason": "ERROR",
            "error": {"type": "INTERNAL_SERVICE_ERROR"},
        },
        {
            "type": "IntentRequest",
            "dialogState": "COMPLETED",
            "intent": {
                "name": "SetNamesIntent",
                "confirmationStatus": "NONE",
                "slots": {
                    "firstName": {"name": "firstName", "value": "Sam"},
                    "day": {
                        "name": "day",
                        "value": "sunday",
                        "resolutions": {
                            "resolutionsPerAuthority": [
                                {
                                    "authority": "a",
                                    "status": {"code": "ER_SUCCESS_MATCH"},
                                    "values": [{"value": {"name": "sunday", "id": "SUN"}}],
                                }
                            ]
                        },
                    },
                },
            },
        },
        {
            "type": "AlexaSkillEvent.SkillDisabled",
            "body": {"userInformationPersistenceStatus": "X"},
        },
        {"type": "System.ExceptionEncountered", "error": {"type": "INVALID_RESPONSE"}},
    ]
    out = []
    for request in requests:
        envelope = alexa.envelope(request)
        envelope["session"]["attributes"] = {"repeat": {"speech": [["k", {"a": 1}]]}, "n": 2.5}
        envelope["extra"] = {"unknown": True}
        out.append(envelope)
    return out


def test_requests_read_as_the_default_serializer_reads_them(utterances: Utterances) -> None:
    default, ours = DefaultSerializer(), ModelSerializer()
    for envelope in envelopes(utterances):
        text = json.dumps(envelope)
        expected = default.deserialize(text, ENVELOPE)
        got = ours.from_data(json.loads(text), ENVELOPE)
        assert type(got.request) is type(expected.request)
        assert got.to_dict() == expected.to_dict()
        assert got == expected
        assert ours.deserialize(text, ENVELOPE) == expected


def test_responses_write_as_the_default_serializer_writes_them() -> None:
    envelope = ResponseEnvelope(
        version="1.0",
        session_attributes={"zone": ["Europe/London", "2026-03-10"], "n": 1},
        response=Response(
            output_speech=SsmlOutputSpeech(ssml="<speak>hi</speak>"),
            card=SimpleCard(title="t", content="c"),
            should_end_session=True,
        ),
    )
    assert ModelSerializer().serialize(envelope) == DefaultSerializer().serialize(envelope)


def test_an_unknown_request_type_is_refused_as_the_default_serializer_refuses_it() -> None:
    envelope = {"version": "1.0", "request": {"type": "Nobody.Knows", "requestId": "r"}}
    with pytest.raises(SerializationException):
        DefaultSerializer().deserialize(json.dumps(envelope), ENVELOPE)
    with pytest.raises(SerializationException):
        ModelSerializer().from_data(envelope, ENVELOPE)
