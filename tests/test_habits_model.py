"""What households say to the new features, through the endpoint; the short answers; the
pure pieces (times, lengths, dates, request bodies); and the words kept short."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from skill.content.catalog import LocaleCatalog
from skill.devtools.model_lint import lint_model
from skill.devtools.models import load_model
from skill.devtools.nlu import Utterances
from skill.devtools.spoken_times import alexa_duration, alexa_time
from skill.domain import alerts
from skill.domain.habits import add_months, duration_minutes, evening_time
from skill.handlers.answers import BARE_ANSWERS
from tests.conftest import ConversationFactory

PHRASINGS: dict[str, tuple[str, ...]] = {
    "SetReminderIntent": (
        "remind us every night at nine",
        "remind us every evening at eight thirty",
        "remind us at 9 pm",
        "set a nightly reminder for half past eight",
        "give us a reminder every night at ten",
        "nudge us every evening at nine",
        "can you remind us each night at nine",
        "we'd like a reminder every night at 8:30",
        "remind us every night",
        "set up a nightly reminder",
        "remind us about tonight's question every night",
    ),
    "MoveReminderIntent": (
        "move our reminder to 8:30",
        "change our reminder to nine",
        "change the reminder to ten pm",
        "make our reminder nine thirty",
        "switch our reminder to eight",
        "push our reminder to 10",
        "move our nightly reminder to nine",
        "we'd rather be reminded at eight",
        "remind us at nine thirty instead",
        "change the reminder time",
        "move our reminder",
    ),
    "StopRemindersIntent": (
        "stop the reminders",
        "stop reminding us",
        "turn off the reminders",
        "cancel our nightly reminder",
        "delete our reminder",
        "remove the nightly reminder",
        "no more reminders",
        "we don't want reminders any more",
        "switch off the reminders",
        "please stop reminding us",
    ),
    "ReminderStatusIntent": (
        "when is our reminder",
        "what time is our reminder",
        "when's the nightly reminder",
        "do we have a reminder",
        "do we have a nightly reminder",
        "is our reminder on",
        "what time do you remind us",
        "when do you remind us",
        "is there a reminder set",
        "what's our reminder time",
    ),
    "RoutineTipIntent": (
        "how do we add you to a routine",
        "how do i add closer together to a routine",
        "can you be part of a routine",
        "how do routines work with you",
        "tell us about routines",
        "how do we set up a routine",
        "make you part of our evening routine",
        "how can we open you automatically every night",
        "can we use a routine",
        "how do we start you with a routine",
    ),
    "StartScreenFreeIntent": (
        "start our screen-free time",
        "start screen free time",
        "begin our screen-free time",
        "start our screen free time for half an hour",
        "start 45 minutes of screen free time",
        "give us an hour of screen free time",
        "set a timer for our screen free time",
        "phones away for twenty minutes",
        "let's put the phones away",
        "let's do our screen free time",
        "we're putting our phones away",
    ),
    "ScreenFreeLengthIntent": (
        "make our screen free time half an hour",
        "set our screen free time to forty minutes",
        "change our screen free time to an hour",
        "our screen free time should be 25 minutes",
        "make the screen free timer thirty minutes",
        "change our screen free time",
        "change how long our screen free time is",
        "how long is our screen free time",
        "make our screen free time longer",
        "set our screen free time to 15 minutes from now on",
    ),
    "TimeAnswerIntent": (
        "nine",
        "nine thirty",
        "at eight pm",
        "half past eight",
        "at 9:30 please",
        "around ten",
        "let's say nine",
        "how about eight thirty",
        "nine o'clock works",
        "ten would be good",
    ),
    "DurationAnswerIntent": (
        "half an hour",
        "twenty minutes",
        "for an hour",
        "forty five minutes please",
        "make it an hour and a half",
        "let's do thirty minutes",
        "how about fifteen minutes",
        "about two hours",
        "maybe 25 minutes",
        "an hour is fine",
    ),
    "StartCapsuleIntent": (
        "start a time capsule",
        "begin a time capsule",
        "let's make a time capsule",
        "create a time capsule",
        "we want to make a time capsule",
        "we'd like to start a time capsule",
        "start an emotional time capsule",
        "seal a time capsule",
        "help us make a time capsule",
        "how does the time capsule work",
    ),
    "CapsuleWhenIntent": (
        "when do we open our time capsule",
        "when can we open our time capsule",
        "when does our time capsule open",
        "is our time capsule ready",
        "is the time capsule ready",
        "can we open our time capsule",
        "when's our time capsule",
        "how long until we open our time capsule",
        "when do we open it",
        "when does the capsule open",
    ),
    "AppreciationRoundIntent": (
        "start our appreciation round",
        "begin the appreciation round",
        "let's do the appreciation round",
        "do the appreciation round",
        "appreciation round please",
        "we want to do the appreciation round",
        "time for our appreciation round",
        "start appreciations",
        "let's share our appreciations",
        "let's say what we appreciated this week",
    ),
}
ANSWERS: dict[str, set[str]] = {
    "SetReminderIntent": {"habits.permission.ask_reminders", "habits.reminder.which_time"},
    "MoveReminderIntent": {"habits.permission.ask_reminders", "habits.reminder.which_time"},
    "StopRemindersIntent": {"habits.reminder.none"},
    "ReminderStatusIntent": {"habits.reminder.status_none"},
    "RoutineTipIntent": {"habits.routine.tip"},
    "StartScreenFreeIntent": {"habits.permission.ask_timers"},
    "ScreenFreeLengthIntent": {"habits.timer.length_set", "habits.timer.which_length"},
    # Out of state a bare time or length is a hint, or (heard as a bare number) a misheard turn.
    "TimeAnswerIntent": {"habits.stray_time", "fallback.main"},
    "DurationAnswerIntent": {"habits.stray_length", "fallback.main"},
    "StartCapsuleIntent": {"habits.capsule.explain"},
    "CapsuleWhenIntent": {"habits.capsule.none"},
    "AppreciationRoundIntent": {"check_in.round.intro"},
}
CASES = [(intent, phrase) for intent, phrases in PHRASINGS.items() for phrase in phrases]


def test_every_new_intent_has_at_least_ten_phrasings() -> None:
    assert set(PHRASINGS) == set(ANSWERS)
    assert all(len(set(phrases)) >= 10 for phrases in PHRASINGS.values())


@pytest.mark.parametrize(("intent", "phrase"), CASES)
def test_each_phrasing_reaches_its_feature_through_the_endpoint(
    talk: ConversationFactory, utterances: Utterances, intent: str, phrase: str
) -> None:
    heard = utterances.understand(phrase).intent
    # A bare answer may reach any of the state-gated answer intents; they route alike.
    assert heard == intent or {heard, intent} <= set(BARE_ANSWERS), (phrase, heard)
    alexa = talk()
    alexa.launch()
    turn = alexa.say(phrase)
    assert turn.status == 200
    assert turn.keys[0] in ANSWERS[intent], (phrase, turn.keys)
    if not turn.ended:
        assert turn.reprompt or turn.permission_request


@pytest.mark.parametrize(
    ("question", "answer", "key"),
    [
        ("set a nightly reminder", "nine", "habits.permission.ask_reminders"),
        ("set a nightly reminder", "nine thirty", "habits.permission.ask_reminders"),
        ("set a nightly reminder", "at eight pm", "habits.permission.ask_reminders"),
        ("change our screen free time", "half an hour", "habits.timer.length_set"),
        ("start a time capsule", "yes please", "habits.capsule.explain"),
        ("start a time capsule", "not now", "habits.capsule.kept"),
    ],
)
def test_the_natural_short_answers(
    talk: ConversationFactory, question: str, answer: str, key: str
) -> None:
    alexa = talk()
    if "capsule" in question:
        alexa.say(f"ask closer together to {question}")
    alexa.launch()
    asked = alexa.say(question)
    assert not asked.ended and asked.reprompt
    assert alexa.say(answer).keys[0] == key


def test_the_models_pass_the_linter_with_short_answer_samples() -> None:
    model = load_model("en-US")
    assert not lint_model(model)
    intents = model["interactionModel"]["languageModel"]["intents"]
    samples = {i["name"]: i["samples"] for i in intents}
    assert "{time}" in samples["TimeAnswerIntent"]
    assert "{duration}" in samples["DurationAnswerIntent"]


def test_a_lone_open_ended_slot_is_still_refused() -> None:
    model = load_model("en-US")
    language = model["interactionModel"]["languageModel"]
    slots = [{"name": "n", "type": "AMAZON.FirstName"}]
    language["intents"].append({"name": "NameOnlyIntent", "slots": slots, "samples": ["{n}"]})
    assert any("only slots" in str(problem) for problem in lint_model(model))


# -- the pure pieces ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spoken", "value"),
    [
        ("nine", "09:00"),
        ("nine thirty", "09:30"),
        ("eight pm", "20:00"),
        ("8 30 p m", "20:30"),
        ("half past nine", "09:30"),
        ("quarter to ten", "09:45"),
        ("ten fifteen", "10:15"),
        ("nine o'clock", "09:00"),
        ("seven in the evening", "19:00"),
        ("midnight", "00:00"),
        ("9pm", "21:00"),
    ],
)
def test_spoken_times_resolve_as_alexa_fills_the_slot(spoken: str, value: str) -> None:
    assert alexa_time(spoken) == value


@pytest.mark.parametrize(
    ("spoken", "value"),
    [
        ("half an hour", "PT30M"),
        ("twenty minutes", "PT20M"),
        ("an hour", "PT1H"),
        ("an hour and a half", "PT1H30M"),
        ("one and a half hours", "PT1H30M"),
        ("two hours", "PT2H"),
        ("45 minutes", "PT45M"),
        ("a quarter of an hour", "PT15M"),
        ("one hour and ten minutes", "PT1H10M"),
    ],
)
def test_spoken_lengths_resolve_as_alexa_fills_the_slot(spoken: str, value: str) -> None:
    assert alexa_duration(spoken) == value


@pytest.mark.parametrize(
    ("value", "at"),
    [
        ("09:00", time(21, 0)),
        ("21:00", time(21, 0)),
        ("08:30", time(20, 30)),
        ("12:00", time(12, 0)),
        ("00:30", time(0, 30)),
        ("EV", time(19, 0)),
        ("NI", time(21, 0)),
        ("MO", None),
        ("25:00", None),
        ("soon", None),
        (None, None),
    ],
)
def test_a_nightly_reminder_time_is_read_as_an_evening_time(
    value: str | None, at: time | None
) -> None:
    assert evening_time(value) == at


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("PT20M", 20), ("PT1H30M", 90), ("PT2H", 120), ("PT90S", 2), ("P1D", None), ("", None)],
)
def test_durations(value: str, minutes: int | None) -> None:
    assert duration_minutes(value) == minutes


def test_three_months_on_is_the_same_day_or_the_month_end() -> None:
    assert add_months(date(2026, 3, 10), 3) == date(2026, 6, 10)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 29), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 10, 1), 3) == date(2027, 1, 1)


def test_the_first_reminder_and_the_rule() -> None:
    zone = ZoneInfo("America/New_York")
    before = datetime(2026, 3, 7, 20, 0, tzinfo=zone)
    assert alerts.next_occurrence(before, time(21, 0)) == datetime(2026, 3, 7, 21, 0)
    after = datetime(2026, 3, 7, 21, 0, tzinfo=zone)
    assert alerts.next_occurrence(after, time(21, 0)) == datetime(2026, 3, 8, 21, 0)
    assert alerts.daily_rule(time(20, 30)) == "FREQ=DAILY;BYHOUR=20;BYMINUTE=30;BYSECOND=0"
    lengths = [alerts.iso_minutes(m) for m in (20, 60, 90, 120)]
    assert lengths == ["PT20M", "PT1H", "PT1H30M", "PT2H"]


@pytest.mark.parametrize(
    ("status", "body", "result", "token"),
    [
        (201, '{"alertToken": "a-1"}', alerts.Result.DONE, "a-1"),
        (200, '{"id": "t-1", "status": "ON"}', alerts.Result.DONE, "t-1"),
        (200, "", alerts.Result.DONE, None),
        (200, "not json", alerts.Result.DONE, None),
        (200, '{"alertToken": "' + "x" * 300 + '"}', alerts.Result.DONE, None),
        (401, "{}", alerts.Result.NOT_ALLOWED, None),
        (403, "{}", alerts.Result.NOT_ALLOWED, None),
        (404, "{}", alerts.Result.GONE, None),
        (429, "{}", alerts.Result.FAILED, None),
        (500, "{}", alerts.Result.FAILED, None),
    ],
)
def test_reading_the_api_answers(
    status: int, body: str, result: alerts.Result, token: str | None
) -> None:
    outcome = alerts.read_outcome(status, body)
    assert (outcome.result, outcome.token) == (result, token)


# -- short words -------------------------------------------------------------------------


def test_every_new_line_is_short_and_free_of_streak_talk(en: LocaleCatalog) -> None:
    keys = [*en.keys("habits."), *en.keys("check_in.round."), "help.habits", "fallback.habits"]
    keys += ["check_in.cue.round", "check_in.cue.round_next", "check_in.help.round"]
    for key in keys:
        for variant in en.variants(key):
            plain = re.sub(r"<[^>]+>", " ", variant)
            assert len(plain.split()) <= 60, key
            assert "streak" not in plain.lower(), key


def test_lines_heard_often_have_variants(en: LocaleCatalog) -> None:
    for key in (
        "habits.reminder.offer",
        "habits.reminder.set",
        "habits.timer.started",
        "habits.reminder.stopped",
        "habits.round.declined",
        "check_in.round.goodbye",
        "check_in.cue.round",
    ):
        assert len(en.variants(key)) >= 2, key
