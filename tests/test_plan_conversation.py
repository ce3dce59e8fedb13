"""The 8-week plan by voice, through the real endpoint."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from skill.codec import decode
from skill.devtools.conversation import Conversation, Said
from skill.devtools.nlu import Utterances
from skill.domain.plan import PlanState
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, AppFactory, poster

START = date(2026, 3, 10)


def params(turn: Said, key: str) -> dict[str, Any]:
    """The parameters a spoken line was given (from the session's memory of the reply)."""
    for said_key, values in turn.session["repeat"]["speech"]:
        if said_key == key:
            return dict(values)
    raise AssertionError(f"{key} was not spoken: {turn.keys}")


def plan_state(store: SQLiteHouseholdStore) -> PlanState:
    stored = store.load(HOUSEHOLD)
    assert stored is not None
    return decode(stored.data).plan


def started(alexa: Conversation) -> None:
    alexa.say("ask closer together to start our plan")
    alexa.say("no")


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("start our plan", "StartPlanIntent"),
        ("what week are we on", "PlanWeekIntent"),
        ("this week's plan", "PlanWeekIntent"),
        ("what are this week's practices", "PlanPracticesIntent"),
        ("what's next week", "NextWeekIntent"),
        ("go back a week", "PreviousWeekIntent"),
        ("stay on this week longer", "StayOnWeekIntent"),
        ("restart the plan", "RestartPlanIntent"),
        ("how far along are we", "PlanProgressIntent"),
        ("what's today's ritual", "TodaysRitualIntent"),
        ("what are our weekly rituals", "WeeklyRitualsIntent"),
        ("what are our daily rituals", "DailyRitualsIntent"),
        ("set our weekly check-in to sundays", "SetCheckInDayIntent"),
        ("how do we do a soft start-up", "GuidanceIntent"),
        ("what are the ground rules", "GuidanceIntent"),
        ("when should we get outside help?", "OutsideHelpIntent"),
    ],
)
def test_utterances_reach_their_intents(
    utterances: Utterances, utterance: str, intent: str
) -> None:
    assert utterances.understand(utterance).intent == intent


def test_starting_the_plan_sets_today_and_offers_the_practices(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    turn = alexa.say("ask closer together to start our plan")
    assert turn.keys == ("plan.started", "plan.current_week", "plan.offer_practices")
    assert params(turn, "plan.current_week")["number"] == 1
    assert turn.session["pending"] == "plan.practices" and not turn.ended
    assert plan_state(store) == PlanState(started=START)


def test_yes_gives_the_practices_with_a_card(alexa: Conversation) -> None:
    alexa.say("ask closer together to start our plan")
    turn = alexa.say("yes")
    assert turn.keys[0] == "plan.practices_intro"
    assert turn.keys.count("plan.practice") in (2, 3)
    assert turn.keys[-1] == "plan.practices_outro"
    assert turn.card is not None and turn.ended


def test_no_to_the_practices_ends_kindly(alexa: Conversation) -> None:
    alexa.say("ask closer together to start our plan")
    turn = alexa.say("no")
    assert turn.keys == ("plan.declined",) and turn.ended


def test_asking_for_practices_directly(alexa: Conversation) -> None:
    started(alexa)
    turn = alexa.say("ask closer together what should we do this week")
    assert turn.keys[0] == "plan.practices_intro"


def test_before_the_plan_the_week_question_explains_and_offers_to_start(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    turn = alexa.say("ask closer together what week are we on")
    assert turn.keys == ("plan.not_started",)
    assert turn.session["pending"] == "plan.start" and not turn.ended
    turn = alexa.say("yes")
    assert turn.keys[0] == "plan.started"
    assert plan_state(store).started == START


def test_declining_to_start_stores_nothing(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say("ask closer together what week are we on")
    turn = alexa.say("no")
    assert turn.keys == ("plan.declined",) and turn.ended
    assert store.load(HOUSEHOLD) is None


@pytest.mark.parametrize(
    "utterance",
    ["what's next week", "how far along are we", "go back a week", "stay on this week longer"],
)
def test_other_plan_questions_before_the_start_offer_it(
    alexa: Conversation, utterance: str
) -> None:
    turn = alexa.say(f"ask closer together {utterance}")
    assert turn.keys == ("plan.not_started_short",)
    assert turn.session["pending"] == "plan.start"


def test_fifteen_days_later_it_is_week_three(alexa: Conversation) -> None:
    started(alexa)
    alexa.advance(days=15)
    turn = alexa.say("ask closer together what week are we on")
    assert turn.keys == ("plan.current_week", "plan.offer_practices")
    assert params(turn, "plan.current_week")["number"] == 3
    assert turn.session["pending"] == "plan.practices" and turn.session["context"] == "plan"


def test_sixty_days_later_it_is_maintenance(alexa: Conversation) -> None:
    started(alexa)
    alexa.advance(days=60)
    turn = alexa.say("ask closer together what week are we on")
    assert turn.keys == ("plan.maintenance", "plan.offer_weekly")
    turn = alexa.say("yes")
    assert turn.keys[0] == "rituals.weekly_intro"


def test_starting_again_when_already_started_changes_nothing(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    started(alexa)
    alexa.advance(days=9)
    turn = alexa.say("ask closer together to start the plan")
    assert turn.keys == ("plan.already_started",)
    assert params(turn, "plan.already_started")["number"] == 2
    assert plan_state(store).started == START
    alexa.advance(days=60)
    assert alexa.say("ask closer together to start the plan").keys == ("plan.already_maintenance",)


def test_next_week(alexa: Conversation) -> None:
    started(alexa)
    turn = alexa.say("ask closer together what's next week")
    assert turn.keys == ("plan.next_week",) and params(turn, "plan.next_week")["number"] == 2
    alexa.advance(days=50)
    assert alexa.say("ask closer together what's next week").keys == ("plan.next_is_maintenance",)
    alexa.advance(days=10)
    assert alexa.say("ask closer together what's next week").keys == ("plan.next_in_maintenance",)


def test_staying_longer_holds_the_week(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    started(alexa)
    alexa.advance(days=17)
    turn = alexa.say("ask closer together to stay on this week longer")
    assert turn.keys == ("plan.held",) and params(turn, "plan.held")["number"] == 3
    assert plan_state(store).held_days == 3
    alexa.advance(days=6)
    turn = alexa.say("ask closer together what week are we on")
    assert params(turn, "plan.current_week")["number"] == 3


def test_going_back_a_week(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    started(alexa)
    alexa.advance(days=17)
    offer = alexa.say("ask closer together to go back a week")
    assert offer.keys == ("plan.go_back_offer",) and not offer.ended
    assert params(offer, "plan.go_back_offer")["number"] == 2
    turn = alexa.say("yes")
    assert turn.keys == ("plan.went_back",) and params(turn, "plan.went_back")["number"] == 2
    turn = alexa.say("ask closer together what week are we on")
    assert params(turn, "plan.current_week")["number"] == 2
    assert plan_state(store).held_days == 10


def test_asking_about_last_week_moves_nothing_without_a_yes(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    started(alexa)
    alexa.advance(days=17)
    offer = alexa.say("ask closer together what was last week about")
    assert offer.keys == ("plan.go_back_offer",)
    assert alexa.say("no").keys == ("plan.go_back_kept",)
    assert plan_state(store).held_days == 0


def test_going_back_in_week_one(alexa: Conversation) -> None:
    started(alexa)
    alexa.advance(days=2)
    assert alexa.say("ask closer together to go back a week").keys == ("plan.first_week",)


def test_maintenance_cannot_be_held(alexa: Conversation) -> None:
    started(alexa)
    alexa.advance(days=70)
    turn = alexa.say("ask closer together to stay on this week longer")
    assert turn.keys == ("plan.stay_in_maintenance",)


def test_the_plan_stretches_only_so_far(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    started(alexa)
    for _ in range(8):
        alexa.advance(days=10)
        if alexa.say("ask closer together to go back a week").session.get("pending"):
            alexa.say("yes")
    turn = alexa.say("ask closer together to go back a week")
    assert turn.keys == ("plan.hold_limit",)
    assert plan_state(store).held_days <= 56


def test_restart_asks_first(alexa: Conversation, store: SQLiteHouseholdStore) -> None:
    started(alexa)
    alexa.advance(days=20)
    turn = alexa.say("ask closer together to restart the plan")
    assert turn.keys == ("plan.restart_confirm",) and turn.session["pending"] == "plan.restart"
    turn = alexa.say("no")
    assert turn.keys == ("plan.restart_kept",)
    assert plan_state(store).started == START
    alexa.say("ask closer together to restart the plan")
    turn = alexa.say("yes")
    assert turn.keys == ("plan.restarted", "plan.current_week", "plan.offer_practices")
    state = plan_state(store)
    assert state.started == date(2026, 3, 30) and state.restarts == 1


def test_restart_before_the_start_offers_to_start(alexa: Conversation) -> None:
    turn = alexa.say("ask closer together to restart the plan")
    assert turn.keys == ("plan.restart_not_started",)
    assert turn.session["pending"] == "plan.start"


def test_progress(alexa: Conversation) -> None:
    started(alexa)
    alexa.advance(days=15)
    turn = alexa.say("ask closer together how far along are we")
    assert turn.keys == ("plan.progress", "plan.encouragement")
    assert params(turn, "plan.progress") == {"day": 16, "total": 56, "number": 3, "left": 40}
    alexa.advance(days=40)
    assert alexa.say("ask closer together how far along are we").keys == ("plan.progress_last_day",)
    alexa.advance(days=5)
    turn = alexa.say("ask closer together how far along are we")
    assert turn.keys == ("plan.progress_maintenance",)
    assert params(turn, "plan.progress_maintenance")["days"] == 60


def test_a_returning_welcome_says_where_they_are(alexa: Conversation) -> None:
    alexa.launch()
    alexa.say("our names are sam and alex")
    alexa.say("start our plan")
    alexa.say("no")
    alexa.advance(days=15)
    assert alexa.launch().keys[-1] == "habits.reminder.offer"  # once ever, ahead of the plan
    alexa.say("stop")
    turn = alexa.launch()
    assert turn.keys == ("launch.returning", "plan.welcome_week", "launch.ask_plan")
    assert params(turn, "plan.welcome_week") == {"number": 3, "title": "rebuilding safety"}
    assert turn.speech.endswith("?") and not turn.ended
    alexa.advance(days=60)
    keys = ("launch.returning", "plan.welcome_maintenance", "launch.ask_plan")
    assert alexa.launch().keys == keys


def test_help_inside_the_plan_fits_the_plan(alexa: Conversation) -> None:
    alexa.say("ask closer together what week are we on")
    assert alexa.say("help").keys == ("help.plan",)


def test_the_week_follows_the_household_zone(make_app: AppFactory, utterances: Utterances) -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    app = make_app(TIMEZONE_OVERRIDE="Asia/Tokyo")
    talk = Conversation(
        poster(app), utterances, user_id=HOUSEHOLD, now=datetime(2026, 3, 1, 23, 0, tzinfo=tokyo)
    )
    started(talk)
    talk.now = datetime(2026, 3, 15, 0, 30, tzinfo=tokyo)
    turn = talk.say("ask closer together what week are we on")
    assert params(turn, "plan.current_week")["number"] == 3
