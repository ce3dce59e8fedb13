"""The time capsule: how it works, the date noted, three months on the launch says it is
ready (once), a reminder that day when reminders are on, and nothing written ever kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from skill.devtools.conversation import Conversation
from skill.domain.alerts import REMINDERS
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD
from tests.fake_alexa_api import FakeAlexaApi

NEW_YORK = ZoneInfo("America/New_York")


def habits(store: SQLiteHouseholdStore) -> dict[str, Any]:
    stored = store.load(HOUSEHOLD)
    return dict(stored.data.get("habits", {})) if stored else {}


def words(text: str) -> int:
    return len(text.split())


def test_starting_a_time_capsule_explains_it_and_notes_the_date(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    turn = home.say("ask closer together to start a time capsule")
    assert turn.keys == ("habits.capsule.explain", "habits.capsule.sealed") and turn.ended
    assert "June 10" in turn.speech
    assert words(turn.speech) <= 60
    assert habits(store)["capsule"] == ["2026-03-10", 0]
    assert not api.alerts, "no reminder without reminders on"
    turn = home.say("ask closer together when do we open our time capsule")
    assert turn.keys == ("habits.capsule.opens",) and "June 10" in turn.speech


def test_three_months_later_the_launch_says_it_is_ready_once(
    home: Conversation, store: SQLiteHouseholdStore
) -> None:
    home.launch()
    home.say("start a time capsule")
    home.now = datetime(2026, 6, 9, 20, 0, tzinfo=NEW_YORK)
    assert "habits.capsule.ready_note" not in home.launch().keys
    home.say("stop")
    home.now = datetime(2026, 6, 10, 20, 0, tzinfo=NEW_YORK)
    turn = home.launch()
    assert turn.keys == ("launch.returning", "habits.capsule.ready_note", "launch.ask")
    assert "March 10" in turn.speech and turn.reprompt and turn.speech.endswith("?")
    home.say("stop")
    home.advance(days=1)
    assert "habits.capsule.ready_note" not in home.launch().keys
    turn = home.say("when can we open our time capsule")
    assert turn.keys == ("habits.capsule.ready",)


def test_with_reminders_on_the_opening_day_gets_one_reminder(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.granted.add(REMINDERS)
    api.grant(REMINDERS)
    home.say("ask closer together to remind us every night at nine")
    turn = home.say("ask closer together to start a time capsule")
    assert turn.keys == (
        "habits.capsule.explain",
        "habits.capsule.sealed",
        "habits.capsule.reminder",
    )
    assert words(turn.speech) <= 60
    call = api.alerts[-1]
    assert (call.method, call.path) == ("POST", "/v1/alerts/reminders")
    assert call.body["trigger"] == {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-06-10T21:00:00.000",
        "timeZoneId": "America/New_York",
    }
    assert call.body["alertInfo"]["spokenInfo"]["content"] == [
        {"locale": "en-US", "text": "Your time capsule is ready to open together."}
    ]
    assert habits(store)["capsule"][2] in api.reminders


def test_the_capsule_is_sealed_even_when_its_reminder_fails(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.granted.add(REMINDERS)
    api.grant(REMINDERS)
    home.say("ask closer together to remind us every night at nine")
    api.alert_status = 500
    turn = home.say("ask closer together to start a time capsule")
    assert turn.keys == ("habits.capsule.explain", "habits.capsule.sealed")
    assert habits(store)["capsule"] == ["2026-03-10", 0]


def test_a_second_capsule_is_asked_about_and_moves_the_reminder(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.granted.add(REMINDERS)
    api.grant(REMINDERS)
    home.say("ask closer together to remind us every night at nine")
    home.say("ask closer together to start a time capsule")
    alert = habits(store)["capsule"][2]
    home.now = datetime(2026, 4, 1, 20, 0, tzinfo=NEW_YORK)
    turn = home.say("ask closer together to start a time capsule")
    assert turn.keys == ("habits.capsule.already",)
    assert turn.session["pending"] == "habits.new_capsule" and turn.reprompt
    turn = home.say("no")
    assert turn.keys == ("habits.capsule.kept",)
    assert habits(store)["capsule"][0] == "2026-03-10"
    home.say("ask closer together to start a new time capsule")
    turn = home.say("yes")
    assert "habits.capsule.sealed" in turn.keys and "July 1" in turn.speech
    call = api.alerts[-1]
    assert (call.method, call.path) == ("PUT", f"/v1/alerts/reminders/{alert}")
    assert call.body["trigger"]["scheduledTime"] == "2026-07-01T21:00:00.000"
    assert habits(store)["capsule"] == ["2026-04-01", 0, alert]


def test_nothing_written_is_spoken_or_kept(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.say("ask closer together to start a time capsule")
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    assert stored.data["habits"] == {"capsule": ["2026-03-10", 0]}


def test_when_there_is_no_capsule(home: Conversation) -> None:
    turn = home.say("ask closer together when do we open our time capsule")
    assert turn.keys == ("habits.capsule.none",) and turn.reprompt and not turn.ended
