"""Odd session attributes and names: always a spoken answer, never a stack trace.

Alexa echoes back whatever session attributes the skill set, so a deploy that removed or
re-parameterised a content key can meet a ``repeat`` naming it; anything else odd in the
session (wrong types, deep nesting, NaN) gets a spoken answer, standard JSON and a short log.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import UTC
from typing import Any

import pytest

from skill.devtools.conversation import Conversation
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


NESTED = "__nested__"


def nested(depth: int) -> str:
    """JSON text nested ``depth`` lists deep (too deep for json.dumps to write)."""
    return "[" * depth + '"deep"' + "]" * depth


ODD_SESSIONS: dict[str, dict[str, Any]] = {
    "repeat names a removed key": {
        "repeat": {"speech": [["questions.gone_in_this_deploy", {}]], "reprompt": []}
    },
    "repeat misses a parameter": {"repeat": {"speech": [["questions.repeat", {}]], "reprompt": []}},
    "repeat has odd parameters": {
        "repeat": {"speech": [["questions.repeat", {"question": {"a": [1]}}]], "reprompt": [5]}
    },
    "repeat is a string": {"repeat": "questions.repeat"},
    "zone is not a string": {"zone": [{"tz": 5}, "TODAY"]},
    "zone is a number pair": {"zone": [5, 6]},
    "pending is a list": {"pending": ["privacy.forget"]},
    "check_in is a string": {"check_in": "speak_1"},
    "nested 490 deep": {"junk": NESTED + "490"},
    "nested 900 deep": {"junk": {"a": NESTED + "900"}},
    "not a number": {"junk": math.nan, "more": [math.inf, -math.inf]},
}


SAYINGS = ["repeat that", "ask closer together for tonight's question", "help"]


@pytest.mark.parametrize("case", sorted(ODD_SESSIONS))
@pytest.mark.parametrize("say", SAYINGS)
def test_odd_session_attributes_get_a_spoken_answer_and_no_stack_trace(
    make_app: AppFactory, alexa: Conversation, caplog: pytest.LogCaptureFixture, case: str, say: str
) -> None:
    app = make_app(TIMEZONE_OVERRIDE=None)  # the zone attribute is read
    alexa.api_endpoint = "http://127.0.0.1:9"  # the Settings API: nobody listens
    alexa.launch()
    envelope = alexa.envelope(
        {"type": "IntentRequest", "intent": {"name": "AMAZON.HelpIntent", "slots": {}}}
    )
    understood = alexa.utterances.understand(say)
    envelope["request"]["intent"] = {"name": understood.intent, "slots": dict(understood.slots)}
    today = alexa.now.astimezone(UTC).date().isoformat()
    attributes = json.loads(json.dumps(ODD_SESSIONS[case]).replace("TODAY", today))
    envelope["session"]["attributes"] = attributes
    body = json.dumps(envelope)  # NaN and Infinity as Python writes them
    for depth in (490, 900):
        body = body.replace(f'"{NESTED}{depth}"', nested(depth))
    with caplog.at_level(logging.DEBUG):
        answer = app.test_client().post(
            "/alexa", data=body, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 200
    response = strict_json(answer.get_data(as_text=True))
    speech = response["response"]["outputSpeech"]["ssml"]
    assert speech.startswith("<speak>") and len(speech) > 20
    assert "error.generic" not in answer.headers.get("X-Closer-Keys", "")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(record.exc_info for record in caplog.records), logged[:2000]
    assert "Traceback" not in logged
    assert len(logged) < 4096


CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\u200b\u2028\ufeff"


@pytest.mark.parametrize(
    "spoken",
    [f"Sam{CONTROL}", "Al<ex>", "Jo & Co", 'Ri"ck', "\x00\x01"],
    ids=["control", "angle brackets", "ampersand", "quote", "only control"],
)
def test_names_are_stored_fit_to_speak(
    alexa: Conversation, store: SQLiteHouseholdStore, spoken: str
) -> None:
    alexa.intent("SetNamesIntent", firstName=spoken, secondName="Alex")
    stored = store.load(HOUSEHOLD)
    names = stored.data.get("names", []) if stored else []
    for name in names:
        assert name == name.strip() and name
        assert not any(ord(c) < 32 or c in '<>&"\x7f\u200b\u2028\ufeff' for c in name), name
    later = alexa.say("ask closer together for tonight's question")
    assert later.status == 200 and later.keys and "error.generic" not in later.keys
    strict_json(json.dumps(later.body))


def test_names_already_stored_with_control_characters_are_cleaned_on_read(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.launch()
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    store.save(HOUSEHOLD, {**stored.data, "names": ["Sam\x07\x1b", "Al\u2028ex"]}, stored.version)
    turn = alexa.say("ask closer together for tonight's question")
    assert turn.status == 200
    assert "\x07" not in turn.ssml and "\u2028" not in turn.ssml


def test_an_error_alexa_reports_is_logged_by_type_and_reason_only(
    alexa: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    alexa.launch()
    with caplog.at_level(logging.DEBUG):
        said = alexa.end(
            reason="ERROR",
            error={"type": "INVALID_RESPONSE", "message": "Samantha said something private"},
        )
        alexa.end(reason="ERROR", error={"type": "odd <type> Samantha", "message": "x"})
    assert said.status == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "INVALID_RESPONSE" in logged and "OTHER" in logged
    assert "Samantha" not in logged and "private" not in logged
