"""Forgetting a household: by voice after a yes, and when the skill is disabled."""

from __future__ import annotations

from typing import Any

import pytest

from skill.devtools.conversation import Conversation
from skill.store import HouseholdStore
from tests.conftest import HOUSEHOLD


def known_household(alexa: Conversation, store: HouseholdStore) -> None:
    alexa.launch()
    alexa.say("stop")
    assert store.load(HOUSEHOLD) is not None


def test_forget_us_asks_first_and_deletes_after_yes(
    alexa: Conversation, store: HouseholdStore
) -> None:
    known_household(alexa, store)
    asked = alexa.say("ask closer together to forget us")
    assert asked.keys == ("privacy.confirm_forget",)
    assert not asked.ended
    assert store.load(HOUSEHOLD) is not None
    done = alexa.say("yes")
    assert done.keys == ("privacy.forgotten",) and done.ended
    assert store.load(HOUSEHOLD) is None


def test_forget_us_keeps_everything_after_no(alexa: Conversation, store: HouseholdStore) -> None:
    known_household(alexa, store)
    alexa.say("ask closer together to delete our data")
    assert alexa.say("no").keys == ("privacy.kept",)
    assert store.load(HOUSEHOLD) is not None


def test_a_stray_yes_does_not_delete_anything(alexa: Conversation, store: HouseholdStore) -> None:
    known_household(alexa, store)
    alexa.launch()
    assert alexa.say("yes").keys == ("yes_no.unexpected",)
    assert store.load(HOUSEHOLD) is not None


def event(alexa: Conversation, body: dict[str, Any] | None) -> dict[str, Any]:
    request: dict[str, Any] = {
        "type": "AlexaSkillEvent.SkillDisabled",
        "eventCreationTime": "2026-03-10T21:00:00Z",
    }
    if body is not None:
        request["body"] = body
    envelope = alexa.envelope(request)
    del envelope["session"]
    return envelope


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ({"userInformationPersistenceStatus": "NOT_PERSISTED"}, False),
        ({"userInformationPersistenceStatus": "PERSISTED"}, True),
        (None, False),
    ],
)
def test_skill_disabled_deletes_unless_alexa_persists(
    alexa: Conversation, store: HouseholdStore, body: dict[str, Any] | None, kept: bool
) -> None:
    known_household(alexa, store)
    status, answer, _ = alexa.post(event(alexa, body))
    assert status == 200
    assert "outputSpeech" not in answer.get("response", {})
    assert (store.load(HOUSEHOLD) is not None) is kept


def test_exception_encountered_is_answered_quietly(alexa: Conversation) -> None:
    envelope = alexa.envelope(
        {
            "type": "System.ExceptionEncountered",
            "error": {"type": "INVALID_RESPONSE", "message": "bad"},
            "cause": {"requestId": "x"},
        }
    )
    del envelope["session"]
    status, answer, _ = alexa.post(envelope)
    assert status == 200
    assert "outputSpeech" not in answer.get("response", {})


def test_a_session_ended_error_is_logged_by_type_never_by_its_message(
    alexa: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    alexa.launch()
    with caplog.at_level("WARNING"):
        alexa.end("ERROR", {"type": "INVALID_RESPONSE", "message": "Sam said something long"})
        alexa.end("ERROR", {"type": "Sam's <odd> type", "message": "x"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "INVALID_RESPONSE" in logged and "OTHER" in logged
    assert "Sam" not in logged


def test_logs_hold_no_speech_names_answers_or_ids(
    alexa: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    spoken: list[str] = []
    with caplog.at_level("DEBUG"):
        for text in (
            "open closer together",
            "our names are Samantha and Alexander",
            "what's tonight's question",
            "ask closer together to start a check-in",
            "ready",
            "no",
            "ask closer together to start our plan",
            "ask closer together what's today's ritual",
            "ask closer together when should we get outside help",
        ):
            turn = alexa.say(text)
            spoken += [turn.speech, turn.reprompt, *turn.timeline]
        alexa.end("ERROR", {"type": "INVALID_RESPONSE", "message": "x"})
    logged = "\n".join(
        [r.getMessage() for r in caplog.records]
        + [str(r.__dict__.get(k, "")) for r in caplog.records for k in ("args", "extra")]
    )
    assert len([r for r in caplog.records if r.name == "closer.request"]) == 10
    for secret in ("Samantha", "Alexander", HOUSEHOLD, alexa.device_id):
        assert secret not in logged
    for line in spoken:
        fragments = [w for w in line.split(". ") if len(w) > 25]
        assert not [f for f in fragments if f in logged]


def test_households_expire_eighteen_months_after_their_last_change(
    alexa: Conversation, store: HouseholdStore
) -> None:
    import sqlite3
    from contextlib import closing
    from datetime import UTC, datetime, timedelta

    alexa.say("ask closer together for tonight's question")
    path = store.path  # type: ignore[attr-defined]
    with closing(sqlite3.connect(path)) as connection:
        row = connection.execute("SELECT expires_at FROM households WHERE pk LIKE 'h#%'")
        (expires_at,) = row.fetchone()
    expected = alexa.now.astimezone(UTC) + timedelta(days=548)
    assert abs(datetime.fromtimestamp(expires_at, UTC) - expected) < timedelta(minutes=1)
    from skill.store.sqlite import SQLiteHouseholdStore

    later = alexa.now + timedelta(days=549)
    with SQLiteHouseholdStore(path, clock=later.timestamp) as then:
        assert then.load(HOUSEHOLD) is None
