"""Every question the skill asks, answered the way couples answer, right where it was asked.

Open questions take a bare answer ("Sunday", "three", "repair attempts", "Sam and Alex");
yes/no questions take every natural yes and no, and survive a misheard turn; the check-in's
steps move on with "ready", "go on", "continue", "keep going", "go ahead", wait kindly for
"not yet", "give us a minute", "hang on", and take a half answer to a reflection as a
gentle no.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from skill.codec import decode
from skill.devtools.conversation import Conversation, Said
from skill.domain.household import Household
from skill.reply import Ask
from skill.store.sqlite import SQLiteHouseholdStore
from tests.conftest import HOUSEHOLD, ConversationFactory
from tests.test_check_in_apla import into, wait_out

NEW_YORK = ZoneInfo("America/New_York")
MORNING = datetime(2026, 3, 10, 7, 30, tzinfo=NEW_YORK)


def phase(turn: Said) -> str | None:
    return turn.session.get("check_in", {}).get("phase")


def stored(store: SQLiteHouseholdStore) -> Household:
    found = store.load(HOUSEHOLD)
    return decode(found.data) if found else Household()


def still_asking(turn: Said, key: str) -> None:
    assert not turn.ended and turn.reprompt
    assert key in turn.keys


# -- open questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "day"),
    [
        ("sunday", "sunday"),
        ("sundays", "sunday"),
        ("on sunday", "sunday"),
        ("every tuesday", "tuesday"),
        ("thursday please", "thursday"),
        ("friday works", "friday"),
        ("how about monday", "monday"),
        ("let's say saturday", "saturday"),
        ("make it wednesday", "wednesday"),
        ("saturday mornings", "saturday"),
    ],
)
def test_which_day_takes_a_bare_day(
    alexa: Conversation, store: SQLiteHouseholdStore, answer: str, day: str
) -> None:
    asked = alexa.say("set our check in day")
    assert asked.keys == ("rituals.which_day",) and asked.session["asked"] == "which_day"
    turn = alexa.say(answer)
    assert turn.keys == ("rituals.day_saved",)
    saved = stored(store).plan.check_in_day
    assert saved is not None and saved.value == day


@pytest.mark.parametrize(
    ("answer", "minutes"),
    [
        ("three", 3),
        ("three minutes", 3),
        ("make it three", 3),
        ("two", 2),
        ("five please", 5),
        ("let's do four", 4),
        ("two minutes each", 2),
        ("about three minutes", 3),
        ("one minute each", 1),
        ("two is fine", 2),
    ],
)
def test_how_many_minutes_takes_a_bare_number(
    alexa: Conversation, store: SQLiteHouseholdStore, answer: str, minutes: int
) -> None:
    asked = alexa.say("make the turns nine minutes")
    assert asked.keys == ("check_in.settings.turn_range",)
    turn = alexa.say(answer)
    assert turn.keys[0] == "check_in.settings.turn_length"
    assert stored(store).check_in.settings.turn_s == minutes * 60


def test_a_number_out_of_range_asks_again_and_keeps_asking(alexa: Conversation) -> None:
    alexa.say("make the turns nine minutes")
    again = alexa.say("ten")
    still_asking(again, "check_in.settings.turn_range")
    assert alexa.say("three").keys[0] == "check_in.settings.turn_length"


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        ("repair attempts", "guide.repair_attempts"),
        ("the ground rules one", "guide.ground_rules"),
        ("soft start up", "guide.soft_start_up"),
        ("the pause word", "guide.pause_word"),
        ("pause word please", "guide.pause_word"),
        ("the one about repair attempts", "guide.repair_attempts"),
        ("how about the pause word", "guide.pause_word"),
        ("when to get outside help", "guide.outside_help"),
        ("tell me about repair attempts", "guide.repair_attempts"),
    ],
)
def test_which_topic_takes_a_bare_topic(alexa: Conversation, answer: str, key: str) -> None:
    alexa.launch()
    assert alexa.say("what guidance do you have").keys == ("guide.topics",)
    assert alexa.say(answer).keys[0] == key


@pytest.mark.parametrize(
    ("answer", "names"),
    [
        ("sam and alex", ["Sam", "Alex"]),
        ("it's noah and emma", ["Noah", "Emma"]),
        ("i'm jordan and he's luke", ["Jordan", "Luke"]),
        ("maya and ethan", ["Maya", "Ethan"]),
    ],
)
def test_names_take_two_bare_names(
    alexa: Conversation, store: SQLiteHouseholdStore, answer: str, names: list[str]
) -> None:
    alexa.launch()
    assert alexa.say("remember our names").keys == ("check_in.names.missing",)
    assert alexa.say(answer).keys[0] == "check_in.names.saved"
    assert list(stored(store).names) == names


@pytest.mark.parametrize("answer", ["we'd rather not say", "i'd rather not", "no thanks"])
def test_a_no_to_an_open_question_lets_it_go(alexa: Conversation, answer: str) -> None:
    alexa.launch()
    alexa.say("remember our names")
    turn = alexa.say(answer)
    assert turn.keys == ("answer.declined",) and not turn.ended
    assert "asked" not in turn.session
    assert alexa.say("sam and alex").keys == ("fallback.main",)


def test_a_misheard_answer_asks_the_open_question_again(
    alexa: Conversation, store: SQLiteHouseholdStore
) -> None:
    alexa.say("set our check in day")
    again = alexa.say("what is the capital of peru")
    assert again.keys == ("fallback.again", "rituals.which_day_reprompt")
    assert again.session["asked"] == "which_day" and not again.ended
    yes = alexa.say("yes")
    assert yes.keys == ("fallback.again", "rituals.which_day_reprompt")
    wrong_kind = alexa.say("three")
    assert wrong_kind.keys[0] == "fallback.again"
    assert alexa.say("sunday").keys == ("rituals.day_saved",)


def test_help_keeps_the_open_question(alexa: Conversation) -> None:
    alexa.launch()
    alexa.say("what guidance do you have")
    assert alexa.say("help").session["asked"] == "which_topic"
    assert alexa.say("ground rules").keys == ("guide.ground_rules",)


@pytest.mark.parametrize("bare", ["sunday", "three minutes", "sam and alex"])
def test_a_bare_answer_nobody_asked_for_changes_nothing(
    alexa: Conversation, store: SQLiteHouseholdStore, bare: str
) -> None:
    alexa.launch()
    turn = alexa.say(bare)
    assert turn.keys == ("fallback.main",) and not turn.ended
    assert stored(store).plan.check_in_day is None and not stored(store).names


def test_a_bare_topic_opening_a_session_is_guidance(alexa: Conversation) -> None:
    assert alexa.say("ask closer together about the ground rules").keys == ("guide.ground_rules",)
    alexa.launch()
    assert alexa.say("the ground rules").keys == ("fallback.main",)


# -- yes/no questions ---------------------------------------------------------------------


def plan_started(alexa: Conversation) -> None:
    alexa.say("ask closer together to start our plan")
    alexa.say("no")


def start_plan(alexa: Conversation) -> Said:
    return alexa.say("ask closer together what week are we on")


def plan_practices(alexa: Conversation) -> Said:
    return alexa.say("ask closer together to start our plan")


def restart_plan(alexa: Conversation) -> Said:
    plan_started(alexa)
    return alexa.say("ask closer together to restart the plan")


def go_back(alexa: Conversation) -> Said:
    plan_started(alexa)
    alexa.advance(days=10)
    return alexa.say("ask closer together to go back a week")


def weekly_rituals(alexa: Conversation) -> Said:
    plan_started(alexa)
    alexa.advance(days=60)
    return alexa.say("ask closer together what week are we on")


def morning_check_in(alexa: Conversation) -> Said:
    alexa.now = MORNING
    return alexa.say("ask closer together what's today's ritual")


def tonights_question(alexa: Conversation) -> Said:
    return alexa.say("ask closer together what's today's ritual")


def start_questions_over(alexa: Conversation) -> Said:
    alexa.say("ask closer together for tonight's question")
    return alexa.say("ask closer together to start the questions over")


def forget(alexa: Conversation) -> Said:
    alexa.launch()
    alexa.say("stop")
    return alexa.say("ask closer together to forget us")


def rate_week(alexa: Conversation) -> Said:
    alexa.say("ask closer together to set our weekly check-in to tuesday")
    return alexa.launch()


def reminder_offer(alexa: Conversation) -> Said:
    alexa.launch()
    alexa.say("tonight's question")
    alexa.advance(days=1)
    return alexa.launch()


def appreciation_round(alexa: Conversation) -> Said:
    rate_week(alexa)
    alexa.say("no")
    alexa.advance(minutes=5)
    return alexa.launch()


def new_capsule(alexa: Conversation) -> Said:
    alexa.say("ask closer together to start a time capsule")
    alexa.advance(days=10)
    return alexa.say("ask closer together to start a time capsule")


def back_to_check_in(alexa: Conversation) -> Said:
    alexa.say("start a check in")
    alexa.say("ready")
    into(alexa, "speak_1", 40)
    return alexa.say("what are repair attempts")


def leave_for_question(alexa: Conversation) -> Said:
    alexa.say("start a check in")
    alexa.say("ready")
    into(alexa, "speak_1", 40)
    return alexa.say("what's tonight's question")


def another_question(alexa: Conversation) -> Said:
    return alexa.say("ask closer together for a question evening")


def continue_check_in(alexa: Conversation) -> Said:
    alexa.say("ask closer together to start a check-in")
    alexa.say("ready")
    alexa.end()
    alexa.advance(minutes=2)
    return alexa.launch()


def start_check_in(alexa: Conversation) -> Said:
    alexa.say("ask closer together our names are sam and alex")
    return alexa.say("can alex go first")


YES_NO: Mapping[Ask, tuple[Callable[[Conversation], Said], str, str]] = {
    Ask.START_PLAN: (start_plan, "plan.started", "plan.declined"),
    Ask.PLAN_PRACTICES: (plan_practices, "plan.practices_intro", "plan.declined"),
    Ask.RESTART_PLAN: (restart_plan, "plan.restarted", "plan.restart_kept"),
    Ask.GO_BACK: (go_back, "plan.went_back", "plan.go_back_kept"),
    Ask.WEEKLY_RITUALS: (weekly_rituals, "rituals.weekly_intro", "plan.declined"),
    Ask.MORNING_CHECK_IN: (morning_check_in, "check_in.morning.intro", "rituals.declined"),
    Ask.TONIGHTS_QUESTION: (tonights_question, "questions.tonight", "rituals.declined"),
    Ask.START_QUESTIONS_OVER: (
        start_questions_over,
        "questions.start_over.done",
        "questions.start_over.kept",
    ),
    Ask.FORGET: (forget, "privacy.forgotten", "privacy.kept"),
    Ask.RATE_WEEK: (rate_week, "closeness.ask", "closeness.declined"),
    Ask.REMINDER_OFFER: (
        reminder_offer,
        "habits.reminder.which_time",
        "habits.reminder.offer_declined",
    ),
    Ask.APPRECIATION_ROUND: (appreciation_round, "check_in.round.intro", "habits.round.declined"),
    Ask.NEW_CAPSULE: (new_capsule, "habits.capsule.explain", "habits.capsule.kept"),
    Ask.BACK_TO_CHECK_IN: (back_to_check_in, "check_in.cue.resume", "check_in.interrupted.later"),
    Ask.LEAVE_FOR_QUESTION: (leave_for_question, "questions.tonight", "check_in.cue.resume"),
    Ask.ANOTHER_QUESTION: (another_question, "questions.evening.another", "questions.evening.done"),
    Ask.CONTINUE_CHECK_IN: (continue_check_in, "check_in.continue.back", "launch.something_else"),
    Ask.START_CHECK_IN: (start_check_in, "check_in.intro", "launch.something_else"),
}
"""Every yes/no question: how to be asked it, and a key each answer leads to."""

YESES = ("yes", "yep", "sure", "go ahead", "yes please", "sure why not", "okay", "i'd like that")
NOS = ("no", "no thanks", "not right now", "maybe later", "nah", "not tonight", "no we're good")


def test_every_yes_no_question_is_covered() -> None:
    assert set(YES_NO) == set(Ask)


def asked(alexa: Conversation, question: Ask) -> None:
    ask, _, _ = YES_NO[question]
    turn = ask(alexa)
    assert turn.session.get("pending") == question.value and not turn.ended


@pytest.mark.parametrize("question", list(Ask))
@pytest.mark.parametrize(
    ("answer", "side"), [(answer, 1) for answer in YESES] + [(answer, 2) for answer in NOS]
)
def test_every_yes_no_question_takes_every_yes_and_every_no(
    alexa: Conversation, question: Ask, answer: str, side: int
) -> None:
    asked(alexa, question)
    assert YES_NO[question][side] in alexa.say(answer).keys


@pytest.mark.parametrize("question", list(Ask))
def test_a_misheard_turn_keeps_the_yes_no_question(alexa: Conversation, question: Ask) -> None:
    asked(alexa, question)
    again = alexa.say("what is the capital of peru")
    assert again.keys[0] == "fallback.again" and not again.ended
    assert again.session["pending"] == question.value
    assert YES_NO[question][1] in alexa.say("yes").keys


# -- the check-in's own steps -----------------------------------------------------------

MOVE_ON = ("ready", "go on", "continue", "keep going", "go ahead", "we're ready now", "let's go")
WAIT = (
    "not yet",
    "not quite yet",
    "give us a minute",
    "hang on",
    "one sec",
    "just a moment",
    "hold on a sec",
    "wait a minute",
)


@pytest.mark.parametrize("start", ["start a check in", "start the morning check in"])
@pytest.mark.parametrize("answer", MOVE_ON)
def test_say_ready_moves_on_with_every_go_ahead(
    alexa: Conversation, start: str, answer: str
) -> None:
    alexa.say(start)
    turn = alexa.say(answer)
    assert turn.keys[0] in ("check_in.cue.share", "check_in.cue.morning")


@pytest.mark.parametrize("start", ["start a check in", "start the morning check in"])
@pytest.mark.parametrize("answer", WAIT)
def test_say_ready_waits_kindly_for_not_yet(alexa: Conversation, start: str, answer: str) -> None:
    first = alexa.say(start)
    turn = alexa.say(answer)
    assert turn.keys[0] == "check_in.wait"
    assert turn.keys[1] in ("check_in.intro_short", "check_in.morning.intro_short")
    assert not turn.ended and turn.reprompt
    assert phase(turn) == phase(first)
    assert alexa.say("ready").keys[0] in ("check_in.cue.share", "check_in.cue.morning")


def at_confirm(alexa: Conversation, second: bool = False) -> Said:
    alexa.say("start a check in")
    turn = alexa.say("ready")
    wait_out(alexa)
    if second:
        turn = alexa.say("yes")
        wait_out(alexa)
    assert phase(turn) == ("confirm_2" if second else "confirm_1")
    return turn


YES_IT_DID = ("yes it did", "that's right", "yep", "yes exactly", "you got it", "spot on")
NOT_QUITE = ("not really", "no it didn't", "no that's not what i meant")
PARTLY = ("mostly", "pretty much", "sort of", "kind of", "not quite", "almost", "more or less")


@pytest.mark.parametrize("answer", YES_IT_DID + MOVE_ON)
def test_did_that_capture_it_takes_every_yes_and_go_on(alexa: Conversation, answer: str) -> None:
    at_confirm(alexa)
    turn = alexa.say(answer)
    assert turn.keys[:2] == ("check_in.swap", "check_in.cue.share")
    assert phase(turn) == "confirm_2"


@pytest.mark.parametrize("answer", YES_IT_DID[:2] + MOVE_ON[:3])
def test_the_second_reflection_moves_on_to_appreciations(alexa: Conversation, answer: str) -> None:
    at_confirm(alexa, second=True)
    assert alexa.say(answer).keys[0] == "check_in.cue.appreciate"


@pytest.mark.parametrize("answer", NOT_QUITE + PARTLY)
def test_a_no_or_a_half_answer_lets_the_speaker_fill_in(alexa: Conversation, answer: str) -> None:
    at_confirm(alexa)
    turn = alexa.say(answer)
    assert turn.keys[0] == "check_in.cue.clarify"
    assert "check_in.cue.reflect_again" in turn.keys


def test_a_misheard_turn_at_a_reflection_asks_again(alexa: Conversation) -> None:
    at_confirm(alexa)
    again = alexa.say("what is the capital of peru")
    assert again.keys == ("check_in.fallback", "check_in.ask.confirm") and not again.ended
    assert alexa.say("yes it did").keys[0] == "check_in.swap"


def held(alexa: Conversation) -> Said:
    """A five-minute turn does not fit one response: the check-in holds for "go on"."""
    alexa.say("make the turns five minutes")
    alexa.say("start a check in")
    alexa.say("ready")
    wait_out(alexa)
    turn = alexa.say("repeat")
    assert phase(turn) == "hold"
    return turn


@pytest.mark.parametrize("answer", (*MOVE_ON, "yes", "resume", "not yet", "no"))
def test_a_held_share_carries_on_quietly_with_anything_heard(
    alexa: Conversation, answer: str
) -> None:
    """Mid-share, whatever is heard is the speaker still talking: the silence goes on."""
    held(alexa)
    turn = alexa.say(answer)
    assert turn.speech == "" and turn.timeline[0].startswith("[silence")
    assert "check_in.cue.resume" not in turn.keys and phase(turn) == "confirm_1"


@pytest.mark.parametrize("answer", ("resume", "continue", "keep going", "go on", "ready", "yes"))
def test_a_pause_ends_with_every_go_ahead(alexa: Conversation, answer: str) -> None:
    alexa.say("start a check in")
    alexa.say("ready")
    into(alexa, "speak_1", 30)
    assert phase(alexa.say("pause")) == "paused"
    assert alexa.say(answer).keys[0] == "check_in.cue.resume"


def after_breath(alexa: Conversation) -> None:
    alexa.say("start a check in")
    alexa.say("ready")
    into(alexa, "speak_1", 30)
    alexa.say("this is too much")
    wait_out(alexa)
    assert alexa.say("repeat").keys == ("check_in.ask.after_breath",)


@pytest.mark.parametrize("answer", ("yes", "sure", "go on", "continue", "keep going", "ready"))
def test_carrying_on_after_a_breath_takes_every_yes(alexa: Conversation, answer: str) -> None:
    after_breath(alexa)
    assert alexa.say(answer).keys[0] == "check_in.cue.resume"


@pytest.mark.parametrize("answer", ("no", "not really", "no thanks"))
def test_stopping_after_a_breath_takes_every_no(alexa: Conversation, answer: str) -> None:
    after_breath(alexa)
    turn = alexa.say(answer)
    assert turn.keys == ("check_in.stopped",) and turn.ended


@pytest.mark.parametrize("answer", ("this is too much", "i'm overwhelmed", "we need a break"))
def test_overwhelmed_mid_check_in_is_a_time_out(alexa: Conversation, answer: str) -> None:
    alexa.say("start a check in")
    alexa.say("ready")
    into(alexa, "speak_1", 30)
    turn = alexa.say(answer)
    assert turn.keys[0] == "check_in.cue.breathe" and phase(turn) == "after_breath"


def test_the_same_answers_work_in_a_session_started_by_voice(talk: ConversationFactory) -> None:
    alexa = talk()
    alexa.launch()
    alexa.say("start a check in")
    assert alexa.say("hang on").keys[0] == "check_in.wait"
    assert alexa.say("go ahead").keys[0] == "check_in.cue.share"
