"""The nightly reminder, against a fake Alexa Reminders API on 127.0.0.1: the exact requests
the skill makes, the permission asked by voice, the offer, and every way it can fail."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.domain.alerts import REMINDERS
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory, poster
from tests.fake_alexa_api import FakeAlexaApi

NEW_YORK = ZoneInfo("America/New_York")
RULE_AT_NINE = "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0"


def allowed(home: Conversation, api: FakeAlexaApi) -> Conversation:
    """The household has already given the reminders permission."""
    home.granted.add(REMINDERS)
    api.grant(REMINDERS)
    return home


def habits(store: SQLiteHouseholdStore) -> dict[str, Any]:
    stored = store.load(HOUSEHOLD)
    return dict(stored.data.get("habits", {})) if stored else {}


def test_remind_us_every_night_at_nine_creates_one_daily_reminder(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.now = datetime(2026, 3, 10, 19, 59, 55, tzinfo=NEW_YORK)
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.keys == ("habits.reminder.set",) and turn.ended
    assert "9 p.m." in turn.speech
    [call] = api.alerts
    assert (call.method, call.path, call.token) == (
        "POST",
        "/v1/alerts/reminders",
        "Bearer local-access-token",
    )
    assert call.body == {
        "requestTime": "2026-03-10T20:00:00.000",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": "2026-03-10T21:00:00.000",
            "timeZoneId": "America/New_York",
            "recurrence": {
                "startDateTime": "2026-03-10T21:00:00.000",
                "recurrenceRules": [RULE_AT_NINE],
            },
        },
        "alertInfo": {
            "spokenInfo": {
                "content": [{"locale": "en-US", "text": "Time for tonight's question together."}]
            }
        },
        "pushNotification": {"status": "ENABLED"},
    }
    [token] = api.reminders
    assert habits(store)["reminder"] == [token, "21:00"]


def test_after_nine_the_first_reminder_is_tomorrow_in_the_household_zone(
    make_app: AppFactory, utterances: Utterances, api: FakeAlexaApi
) -> None:
    home = Conversation(
        poster(make_app(TIMEZONE_OVERRIDE="Europe/London")),
        utterances,
        user_id=HOUSEHOLD,
        now=datetime(2026, 3, 10, 21, 30, tzinfo=ZoneInfo("Europe/London")),
        api_endpoint=api.endpoint,
    )
    allowed(home, api)
    home.say("ask closer together to remind us every evening at nine thirty")
    trigger = api.alerts[0].body["trigger"]
    assert trigger["timeZoneId"] == "Europe/London"
    assert trigger["scheduledTime"] == "2026-03-11T21:30:00.000"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=30;BYSECOND=0"
    ]


def test_permission_is_asked_by_voice_and_the_reminder_follows_the_yes(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.keys == ("habits.permission.ask_reminders",)
    assert not api.alerts, "no call before the household has said yes"
    [directive] = turn.directives
    assert directive == {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": REMINDERS, "consentLevel": "ACCOUNT"}],
        },
        "token": REMINDERS,
    }
    assert "shouldEndSession" not in turn.response and not turn.reprompt
    assert turn.session["want"] == {"do": "reminder", "at": "21:00"}
    turn = home.say("I approve")
    assert turn.keys == ("habits.reminder.set",)
    [call] = api.alerts
    assert call.method == "POST"
    assert call.body["trigger"]["recurrence"]["recurrenceRules"] == [RULE_AT_NINE]
    assert habits(store)["reminder"][1] == "21:00"
    assert REMINDERS in home.granted


def test_a_no_to_the_permission_is_accepted_kindly_with_the_routine_tip_once(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.say("ask closer together to remind us every night at nine")
    turn = home.say("no")
    assert turn.keys == ("habits.permission.denied", "habits.routine.tip") and turn.ended
    assert not api.alerts and "reminder" not in habits(store)
    home.say("ask closer together to remind us every night at nine")
    turn = home.permission("DENIED")
    assert turn.keys == ("habits.permission.denied",)


@pytest.mark.parametrize(("status", "code"), [("NOT_ANSWERED", "200"), ("ACCEPTED", "500")])
def test_an_unanswered_or_failed_permission_request_sends_the_consent_card(
    home: Conversation, api: FakeAlexaApi, status: str, code: str
) -> None:
    home.say("ask closer together to remind us every night at nine")
    turn = home.permission(status, code)
    assert turn.keys == ("habits.permission.card_reminders",)
    assert turn.consent_card == [REMINDERS]
    assert not api.alerts


def test_a_withdrawn_permission_is_asked_for_again(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.granted.add(REMINDERS)  # the envelope still says yes, the API says 401
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.keys == ("habits.permission.ask_reminders",)
    assert [c.method for c in api.alerts] == ["POST"]
    turn = home.say("yes")
    assert turn.keys == ("habits.reminder.set",)
    assert [c.method for c in api.alerts] == ["POST", "POST"]
    assert len(api.reminders) == 1


def test_an_expired_token_gets_one_voice_request_then_the_card_and_nothing_is_kept(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    api.access_token = "a-token-the-skill-does-not-have"
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.keys == ("habits.permission.ask_reminders",)
    turn = home.say("i approve")
    assert turn.keys == ("habits.permission.card_reminders",)
    assert turn.consent_card == [REMINDERS]
    assert len(api.alerts) == 2 and not api.reminders
    assert "reminder" not in habits(store)


@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_an_api_error_is_answered_kindly_and_nothing_is_half_stored(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore, status: int
) -> None:
    allowed(home, api)
    api.alert_status = status
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.status == 200
    assert turn.keys == ("habits.reminder.failed",) and turn.ended
    assert len(api.alerts) == 1, "no retries"
    assert "reminder" not in habits(store)


def test_a_slow_api_is_given_up_on_and_nothing_is_stored(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    api.alert_delay = 3.0
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.status == 200 and turn.keys == ("habits.reminder.failed",)
    assert len(api.alerts) == 1
    assert "reminder" not in habits(store)


def test_an_unreachable_api_is_answered_kindly(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.api_endpoint = "http://127.0.0.1:9"
    turn = home.say("ask closer together to remind us every night at nine")
    assert turn.status == 200 and turn.keys == ("habits.reminder.failed",)
    assert "reminder" not in habits(store)


def test_moving_the_reminder_updates_it_in_place(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.say("ask closer together to remind us every night at nine")
    [token] = api.reminders
    turn = home.say("ask closer together to move our reminder to 8:30")
    assert turn.keys == ("habits.reminder.moved",) and "8:30 p.m." in turn.speech
    call = api.alerts[-1]
    assert (call.method, call.path) == ("PUT", f"/v1/alerts/reminders/{token}")
    assert call.body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=20;BYMINUTE=30;BYSECOND=0"
    ]
    assert habits(store)["reminder"] == [token, "20:30"]
    turn = home.say("ask closer together what time is our reminder")
    assert turn.keys == ("habits.reminder.status",) and "8:30 p.m." in turn.speech


def test_a_reminder_deleted_in_the_app_is_made_anew_when_moved(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.say("ask closer together to remind us every night at nine")
    api.reminders.clear()
    turn = home.say("ask closer together to change our reminder to ten")
    assert turn.keys == ("habits.reminder.set",)
    assert [c.method for c in api.alerts] == ["POST", "PUT", "POST"]
    [token] = api.reminders
    assert habits(store)["reminder"] == [token, "22:00"]


def test_stopping_the_reminders_deletes_it(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.say("ask closer together to remind us every night at nine")
    [token] = api.reminders
    turn = home.say("ask closer together to stop the reminders")
    assert turn.keys == ("habits.reminder.stopped", "habits.routine.tip")
    assert (api.alerts[-1].method, api.alerts[-1].path) == (
        "DELETE",
        f"/v1/alerts/reminders/{token}",
    )
    assert api.alerts[-1].body is None
    assert not api.reminders and "reminder" not in habits(store)
    turn = home.say("ask closer together to stop reminding us")
    assert turn.keys == ("habits.reminder.none",)
    assert len(api.alerts) == 2


@pytest.mark.parametrize(
    ("status", "keys", "kept"),
    [
        (500, ("habits.reminder.stop_failed",), True),
        (404, ("habits.reminder.stopped", "habits.routine.tip"), False),
        (401, ("habits.reminder.stop_in_app",), False),
    ],
)
def test_stopping_when_the_api_fails(
    home: Conversation,
    api: FakeAlexaApi,
    store: SQLiteHouseholdStore,
    status: int,
    keys: tuple[str, ...],
    kept: bool,
) -> None:
    allowed(home, api)
    home.say("ask closer together to remind us every night at nine")
    api.alert_status = status
    turn = home.say("ask closer together to turn off the reminders")
    assert turn.keys == keys
    assert ("reminder" in habits(store)) is kept


def test_the_offer_comes_once_on_the_second_night_and_never_again_after_a_no(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    assert home.launch().keys == ("launch.first",)
    home.say("our names are sam and alex")
    home.say("tonight's question")
    home.advance(days=1)
    turn = home.launch()
    assert turn.keys == ("launch.returning", "habits.reminder.offer")
    assert turn.session["pending"] == "habits.reminder_offer" and turn.reprompt
    assert "streak" not in turn.speech.lower()
    turn = home.say("not now")
    assert turn.keys == ("habits.reminder.offer_declined", "habits.routine.tip")
    for _night in range(3):
        home.advance(days=1)
        assert home.launch().keys == ("launch.returning", "launch.ask")
        home.say("stop")
    assert not api.alerts and habits(store)["offered"] is True


def test_yes_to_the_offer_asks_the_time_and_short_answers_set_it(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    home.launch()
    home.say("our names are sam and alex")
    home.advance(days=1)
    home.launch()
    turn = home.say("yes please")
    assert turn.keys == ("habits.reminder.which_time",) and turn.reprompt and not turn.ended
    turn = home.say("nine thirty")
    assert turn.keys == ("habits.permission.ask_reminders",)
    turn = home.say("i approve")
    assert turn.keys == ("habits.reminder.set",) and "9:30 p.m." in turn.speech
    assert api.alerts[0].body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=30;BYSECOND=0"
    ]
    home.advance(days=1)
    welcome = ("launch.returning", "launch.ask")
    assert home.launch().keys == welcome, "no offer once a reminder is set"


@pytest.mark.parametrize(
    ("answer", "hhmm"),
    [("nine", "21:00"), ("at eight pm", "20:00"), ("half past eight", "20:30"), ("ten", "22:00")],
)
def test_the_natural_short_answers_to_what_time(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore, answer: str, hhmm: str
) -> None:
    allowed(home, api)
    turn = home.say("ask closer together to set a nightly reminder")
    assert turn.keys == ("habits.reminder.which_time",)
    assert turn.session["awaiting"] == "time"
    turn = home.say(answer)
    assert turn.keys == ("habits.reminder.set",)
    assert habits(store)["reminder"][1] == hhmm


def test_a_time_said_out_of_the_blue_gets_a_hint(home: Conversation, api: FakeAlexaApi) -> None:
    home.launch()
    turn = home.say("nine thirty")
    assert turn.keys == ("habits.stray_time",) and not turn.ended and turn.reprompt
    assert not api.alerts


def test_help_in_the_middle_of_setting_a_reminder_fits_it(home: Conversation) -> None:
    home.say("ask closer together to set a nightly reminder")
    assert home.say("help").keys == ("help.habits",)


def test_the_reminder_speaks_no_names(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.say("ask closer together our names are Sam and Alex")
    home.say("ask closer together to remind us every night at nine")
    text = str(api.alerts[0].body)
    assert "Sam" not in text and "Alex" not in text


def test_several_nights_with_a_reminder(
    home: Conversation, api: FakeAlexaApi, store: SQLiteHouseholdStore
) -> None:
    allowed(home, api)
    home.launch()
    home.say("our names are sam and alex")
    home.say("stop")
    home.advance(days=1)
    home.launch()
    home.say("yes")
    home.say("at nine")
    for _night in range(3):
        home.advance(days=1)
        assert home.launch().keys == ("launch.returning", "launch.ask")
        assert home.say("tonight's question").status == 200
        home.say("stop")
    assert [c.method for c in api.alerts] == ["POST"]
    assert habits(store)["reminder"][1] == "21:00"
    home.advance(hours=1)
    home.say("ask closer together to stop the reminders")
    assert [c.method for c in api.alerts] == ["POST", "DELETE"]


def test_the_stored_token_is_bounded(store: SQLiteHouseholdStore) -> None:
    from skill import codec

    item = {"visits": 1, "habits": {"reminder": ["x" * 300, "21:00"], "capsule": [3, 0, "y"]}}
    household = codec.decode(item)
    assert household.habits.reminder is None and household.habits.capsule is None
    assert codec.decode({"habits": {"reminder": ["t-1", "25:00"]}}).habits.reminder is None


def test_a_reminder_is_only_asked_for_inside_a_session(
    home: Conversation, api: FakeAlexaApi
) -> None:
    """Every call to the API answers a request the household made (no launch makes one)."""
    allowed(home, api)
    for _day in range(3):
        home.launch()
        home.say("stop")
        home.advance(days=1)
    assert not api.alerts
