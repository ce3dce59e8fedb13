"""Daily and weekly rituals, the check-in day and the guidance topics, through the endpoint."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from skill.codec import decode
from skill.devtools.conversation import Conversation
from skill.devtools.nlu import Utterances
from skill.domain.rituals import Weekday
from skill.services import check_in as check_in_service
from skill.services import questions as questions_service
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory, ConversationFactory, poster
from tests.test_plan_conversation import params

NEW_YORK = ZoneInfo("America/New_York")
MORNING = datetime(2026, 3, 10, 7, 30, tzinfo=NEW_YORK)
EVENING = datetime(2026, 3, 10, 20, 30, tzinfo=NEW_YORK)
AFTERNOON = datetime(2026, 3, 10, 14, 0, tzinfo=NEW_YORK)


def test_at_half_past_seven_it_is_the_morning_check_in(talk: ConversationFactory) -> None:
    alexa = talk(now=MORNING)
    turn = alexa.say("ask closer together what's today's ritual")
    assert turn.keys == ("rituals.morning", "rituals.offer_morning")
    assert params(turn, "rituals.morning")["name"] == "the morning micro check-in"
    assert turn.session["pending"] == "rituals.morning" and not turn.ended


def test_at_half_past_eight_in_the_evening_it_is_the_one_thing(talk: ConversationFactory) -> None:
    alexa = talk(now=EVENING)
    turn = alexa.say("ask closer together what's today's ritual")
    assert turn.keys == ("rituals.evening", "rituals.offer_question")
    assert turn.session["pending"] == "rituals.question" and not turn.ended


def test_in_the_afternoon_it_is_screen_free_time(talk: ConversationFactory) -> None:
    turn = talk(now=AFTERNOON).say("ask closer together what's today's ritual")
    assert turn.keys == ("rituals.afternoon",) and turn.ended


def test_the_plan_week_adds_its_tip(talk: ConversationFactory) -> None:
    alexa = talk(now=datetime(2026, 3, 1, 20, 0, tzinfo=NEW_YORK))
    alexa.say("ask closer together to start our plan")
    alexa.say("no")
    alexa.now = EVENING
    turn = alexa.say("ask closer together what's today's ritual")
    assert turn.keys == ("rituals.evening", "rituals.week_tip", "rituals.offer_question")
    assert params(turn, "rituals.week_tip")["number"] == 2
    alexa.advance(days=70)
    turn = alexa.say("ask closer together what's today's ritual")
    assert "rituals.maintenance_tip" in turn.keys


def test_no_to_the_offers_ends_gently(talk: ConversationFactory) -> None:
    alexa = talk(now=MORNING)
    alexa.say("ask closer together what's today's ritual")
    turn = alexa.say("no")
    assert turn.keys == ("rituals.declined",) and turn.ended


def test_the_ritual_follows_the_household_zone(
    make_app: AppFactory, utterances: Utterances
) -> None:
    instant = datetime(2026, 3, 10, 22, 30, tzinfo=ZoneInfo("UTC"))
    tokyo = Conversation(
        poster(make_app(TIMEZONE_OVERRIDE="Asia/Tokyo")), utterances, user_id=HOUSEHOLD, now=instant
    )
    new_york = Conversation(poster(make_app()), utterances, user_id=HOUSEHOLD, now=instant)
    assert tokyo.say("ask closer together what's today's ritual").keys[0] == "rituals.morning"
    assert new_york.say("ask closer together what's today's ritual").keys[0] == "rituals.evening"


def test_setting_the_check_in_day(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    turn = alexa.say("ask closer together to set our weekly check-in to sundays")
    assert turn.keys == ("rituals.day_saved",)
    assert params(turn, "rituals.day_saved")["day"] == "Sunday"
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    assert decode(stored.data).plan.check_in_day is Weekday.SUNDAY


def test_on_the_check_in_day_it_is_the_relationship_check(talk: ConversationFactory) -> None:
    alexa = talk(now=datetime(2026, 3, 13, 12, 0, tzinfo=NEW_YORK))
    alexa.say("ask closer together to make sunday our check-in day")
    alexa.now = datetime(2026, 3, 15, 19, 0, tzinfo=NEW_YORK)
    turn = alexa.say("ask closer together what's today's ritual")
    assert turn.keys == ("rituals.check_in_day",)
    assert params(turn, "rituals.check_in_day")["name"] == "the thirty-minute relationship check"
    alexa.now = datetime(2026, 3, 16, 19, 0, tzinfo=NEW_YORK)
    assert alexa.say("ask closer together what's today's ritual").keys[0] == "rituals.evening"


def test_a_day_that_is_not_understood_is_asked_for(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to set our check in day")
    assert turn.keys == ("rituals.which_day",) and not turn.ended
    turn = alexa.say("let's make it friday")
    assert turn.keys == ("rituals.day_saved",)
    assert params(turn, "rituals.day_saved")["day"] == "Friday"


def test_an_unresolved_spoken_day_is_still_understood(alexa: Conversation) -> None:
    alexa.launch()
    turn = alexa.intent("SetCheckInDayIntent", day="Tuesdays")
    assert turn.keys == ("rituals.day_saved",)
    assert alexa.intent("SetCheckInDayIntent", day="someday").keys == ("rituals.which_day",)


def test_weekly_rituals_are_listed_with_the_day(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together what are our weekly rituals")
    assert turn.keys == ("rituals.weekly_intro", *["rituals.item"] * 3, "rituals.no_check_in_day")
    alexa.say("ask closer together to set our weekly check-in to wednesdays")
    turn = alexa.say("ask closer together what are our weekly rituals")
    assert turn.keys[-1] == "rituals.check_in_day_is"
    assert params(turn, "rituals.check_in_day_is")["day"] == "Wednesday"


def test_daily_rituals_are_listed(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together what are our daily rituals")
    assert turn.keys == ("rituals.daily_intro", *["rituals.item"] * 3)


@pytest.mark.parametrize(
    ("utterance", "key"),
    [
        ("how do we do a soft start-up", "guide.soft_start_up"),
        ("what are repair attempts", "guide.repair_attempts"),
        ("what are the ground rules", "guide.ground_rules"),
        ("what's our pause word", "guide.pause_word"),
        ("tell us about the pause word", "guide.pause_word"),
    ],
)
def test_guidance_topics(alexa: Conversation, utterance: str, key: str) -> None:
    turn = alexa.say(f"ask closer together {utterance}")
    assert turn.keys == (key,) and turn.ended


def test_guidance_without_a_topic_lists_them(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together what guidance do you have")
    assert turn.keys == ("guide.topics",) and not turn.ended
    assert alexa.say("help").keys == ("help.guide",)
    turn = alexa.say("the pause word")
    assert turn.keys == ("guide.pause_word",)


@pytest.mark.parametrize(
    "utterance",
    [
        "when should we get outside help",
        "should we see a counselor",
        "tell us about couples therapy",
    ],
)
def test_outside_help_names_emergency_services(alexa: Conversation, utterance: str) -> None:
    turn = alexa.say(f"ask closer together {utterance}")
    assert turn.keys == ("guide.outside_help", "guide.outside_help_safety")
    assert turn.ended


def test_help_inside_the_rituals_fits_the_rituals(talk: ConversationFactory) -> None:
    alexa = talk(now=MORNING)
    alexa.say("ask closer together what's today's ritual")
    assert alexa.say("help").keys == ("help.rituals",)


@pytest.mark.skipif(
    not hasattr(check_in_service, "start_morning"), reason="the morning check-in is not built yet"
)
def test_yes_to_the_morning_ritual_starts_the_morning_check_in(talk: ConversationFactory) -> None:
    alexa = talk(now=MORNING)
    alexa.say("ask closer together what's today's ritual")
    turn = alexa.say("yes")
    assert turn.status == 200
    assert turn.keys and not turn.keys[0].startswith(("rituals.", "error.", "yes_no."))


@pytest.mark.skipif(
    not hasattr(questions_service, "tonight"), reason="tonight's question is not built yet"
)
def test_yes_to_the_evening_ritual_gives_tonights_question(talk: ConversationFactory) -> None:
    alexa = talk(now=EVENING)
    alexa.say("ask closer together what's today's ritual")
    turn = alexa.say("yes")
    assert turn.status == 200
    assert turn.keys and not turn.keys[0].startswith(("rituals.", "error.", "yes_no."))
