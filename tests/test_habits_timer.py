"""The screen-free timer against a fake Alexa Timers API: the exact request, its length,
the permission asked by voice, and the failures."""

from __future__ import annotations

from typing import Any

import pytest

from skill.devtools.conversation import Conversation
from skill.domain.alerts import TIMERS
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD
from tests.fake_alexa_api import FakeAlexaApi


def allowed(home: Conversation, api: FakeAlexaApi) -> Conversation:
    home.granted.add(TIMERS)
    api.grant(TIMERS)
    return home


def habits(store: SQLiteHouseholdStore) -> dict[str, Any]:
    stored = store.load(HOUSEHOLD)
    return dict(stored.data.get("habits", {})) if stored else {}


def test_start_our_screen_free_time_starts_a_twenty_minute_timer(
    home: Conversation, api: FakeAlexaApi
) -> None:
    allowed(home, api)
    turn = home.say("ask closer together to start our screen free time")
    assert turn.keys == ("habits.timer.started",) and turn.ended
    assert "20 minutes" in turn.speech
    [call] = api.alerts
    assert (call.method, call.path, call.token) == (
        "POST",
        "/v1/alerts/timers",
        "Bearer local-access-token",
    )
    assert call.body == {
        "duration": "PT20M",
        "timerLabel": "Screen-free time",
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {
            "operation": {
                "type": "ANNOUNCE",
                "textToAnnounce": [
                    {
                        "locale": "en-US",
                        "text": "Screen-free time is over. I hope it was a good one.",
                    }
                ],
            },
            "notificationConfig": {"playAudible": True},
        },
    }
    assert len(api.timers) == 1


@pytest.mark.parametrize(
    ("said", "duration"),
    [
        ("ask closer together to start our screen free time for half an hour", "PT30M"),
        ("ask closer together to start 45 minutes of screen free time", "PT45M"),
        ("ask closer together to give us an hour and a half of screen free time", "PT1H30M"),
        ("ask closer together to start screen free time for two hours", "PT2H"),
    ],
)
def test_the_length_can_be_said(
    home: Conversation, api: FakeAlexaApi, said: str, duration: str
) -> None:
    allowed(home, api)
    turn = home.say(said)
    assert turn.keys == ("habits.timer.started",)
    assert api.alerts[0].body["duration"] == duration


def test_more_than_two_hours_is_not_a_timer_and_a_short_answer_fixes_it(
    home: Conversation, api: FakeAlexaApi
) -> None:
    allowed(home, api)
    turn = home.say("ask closer together to start our screen free time for three hours")
    assert turn.keys == ("habits.timer.range",) and not turn.ended and turn.reprompt
    assert not api.alerts
    turn = home.say("half an hour")
    assert turn.keys == ("habits.timer.started",)
    assert api.alerts[0].body["duration"] == "PT30M"


def test_the_usual_length_can_be_changed(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    turn = home.say("ask closer together to change our screen free time")
    assert turn.keys == ("habits.timer.which_length",) and turn.reprompt
    turn = home.say("forty five minutes")
    assert turn.keys == ("habits.timer.length_set",) and "45 minutes" in turn.speech
    assert habits(store)["timer"] == 45
    home.say("ask closer together to start our screen free time")
    assert api.alerts[0].body["duration"] == "PT45M"
    home.say("ask closer together to make our screen free time half an hour")
    assert habits(store)["timer"] == 30


def test_the_timer_permission_is_asked_by_voice(home: Conversation, api: FakeAlexaApi) -> None:
    turn = home.say("ask closer together to start our screen free time for half an hour")
    assert turn.keys == ("habits.permission.ask_timers",)
    assert turn.permission_request == (TIMERS, TIMERS)
    assert not api.alerts
    turn = home.say("i approve")
    assert turn.keys == ("habits.timer.started",)
    assert api.alerts[0].body["duration"] == "PT30M"


def test_a_no_to_the_timer_permission(home: Conversation, api: FakeAlexaApi) -> None:
    home.say("ask closer together to start our screen free time")
    turn = home.say("no")
    assert turn.keys == ("habits.permission.denied_timers",) and turn.ended
    assert not api.alerts


def test_a_forbidden_answer_asks_again_then_sends_the_card(
    home: Conversation, api: FakeAlexaApi
) -> None:
    home.granted.add(TIMERS)
    home.on_grant = None  # Alexa says yes, but the API still refuses
    turn = home.say("ask closer together to start our screen free time")
    assert turn.keys == ("habits.permission.ask_timers",)
    turn = home.say("yes")
    assert turn.keys == ("habits.permission.card_timers",)
    assert turn.consent_card == [TIMERS]
    assert len(api.alerts) == 2 and not api.timers


@pytest.mark.parametrize("status", [400, 500, 504])
def test_timer_errors_are_answered_kindly(
    home: Conversation, api: FakeAlexaApi, status: int
) -> None:
    allowed(home, api)
    api.alert_status = status
    turn = home.say("ask closer together to start our screen free time")
    assert turn.status == 200 and turn.keys == ("habits.timer.failed",)
    assert len(api.alerts) == 1


def test_a_slow_timers_api(home: Conversation, api: FakeAlexaApi) -> None:
    allowed(home, api)
    api.alert_delay = 3.0
    turn = home.say("ask closer together to start our screen free time")
    assert turn.status == 200 and turn.keys == ("habits.timer.failed",)


def test_a_length_said_out_of_the_blue_gets_a_hint(home: Conversation, api: FakeAlexaApi) -> None:
    home.launch()
    turn = home.say("half an hour")
    assert turn.keys == ("habits.stray_length",) and turn.reprompt
    assert not api.alerts
