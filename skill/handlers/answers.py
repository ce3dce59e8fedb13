"""Bare answers to the skill's own questions, routed by state, whichever intent Alexa chose.

The rule: a bare answer ("Sunday", "three", "nine thirty", "half an hour", "repair attempts",
"Sam and Alex", "dreams") is taken only as the answer to the question the session says was
just asked, and handed to the use case that question belongs to. What was asked is in the
session: the ``asked`` attribute (a ``Question``, for one turn), a rating under way, or a
time or a length the habits feature is waiting for. The one other state a bare answer
answers in is a session's opening request, for a guidance topic ("Alexa, ask Closer Together
about the ground rules" reaches the skill as the topic alone). Anywhere else a bare answer
means nothing, and is answered as a misheard turn (or, for a time or a length of time, with
a hint of what it could be for).

Alexa may hear one bare answer as any of the three state-gated intents (``AnswerIntent``,
``TimeAnswerIntent``, ``DurationAnswerIntent``: "three" is a number, or three o'clock), so
the answer is read from whichever slot it filled. That is also why the model linter lets
these intents, and only these, hold catch-all samples
(``skill.devtools.model_lint.STATE_GATED_INTENTS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from skill.domain.alerts import REMINDERS, TIMERS
from skill.envelope import Request
from skill.handlers.base import Handler
from skill.reply import Question
from skill.services import check_in, closeness, habits, questions, rituals, session, voices
from skill.services.alerts import Step
from skill.turn import Turn

UseCase = Callable[[Turn, Request], Step]
BARE_ANSWERS = ("AnswerIntent", "TimeAnswerIntent", "DurationAnswerIntent")


# -- one answer, whichever slot it filled ------------------------------------------------


def heard_number(request: Request) -> str | None:
    """A whole number said on its own: as a number, or heard as o'clock or as minutes."""
    number = request.slot("minutes") or request.slot("rating")
    if number:
        return number
    hour, _, minute = (request.slot("time") or "").partition(":")
    if hour.isdigit() and minute == "00":
        return str((int(hour) - 1) % 12 + 1)
    duration = request.slot("duration") or ""
    if duration.startswith("PT") and duration.endswith("M") and duration[2:-1].isdigit():
        return duration[2:-1]
    return None


def heard_time(request: Request) -> str | None:
    """A time of day: as a time, or a bare hour ("nine")."""
    number = request.slot("minutes") or request.slot("rating")
    if request.slot("time") or not (number and number.isdigit()):
        return request.slot("time")
    return f"{int(number):02d}:00"


def heard_length(request: Request) -> str | None:
    """A length of time: as a duration, or a bare number of minutes ("twenty minutes")."""
    number = request.slot("minutes")
    if request.slot("duration") or not (number and number.isdigit()):
        return request.slot("duration")
    return f"PT{int(number)}M"


# -- what each question's answer hands off to ---------------------------------------------


def _day(turn: Turn, request: Request) -> Step:
    return rituals.set_check_in_day(turn, request.slot("day"))


def _minutes(turn: Turn, request: Request) -> Step:
    return check_in.set_turn_length(turn, heard_number(request))


def _topic(turn: Turn, request: Request) -> Step:
    return rituals.guidance(turn, request.slot("topic"))


def _names(turn: Turn, request: Request) -> Step:
    return check_in.set_names(turn, request.slot("firstName"), request.slot("secondName"))


def _deck(turn: Turn, request: Request) -> Step:
    return questions.choose_deck(turn, request.slot("deck"))


def _rating(turn: Turn, request: Request) -> Step:
    return closeness.answer(turn, heard_number(request), request.slot("other"))


def _who(turn: Turn, request: Request) -> Step:
    return voices.this_is(turn, request.slot("name") or request.slot("firstName"))


def _reminder_time(turn: Turn, request: Request) -> Step:
    return habits.time_answer(turn, heard_time(request), request.permits(REMINDERS))


def _length(turn: Turn, request: Request) -> Step:
    return habits.duration_answer(turn, heard_length(request), request.permits(TIMERS))


@dataclass(frozen=True)
class Answer:
    """What a bare answer completes: the intent it stands for, how to tell it was given,
    and the use case it hands off to."""

    completes: str
    given: Callable[[Request], object]
    use: UseCase

    def fits(self, request: Request) -> bool:
        return bool(self.given(request))


def _slot(name: str) -> Callable[[Request], object]:
    return lambda request: request.slot(name)


def _both_names(request: Request) -> object:
    return request.slot("firstName") and request.slot("secondName")


def _a_name(request: Request) -> object:
    return request.slot("name") or request.slot("firstName")


ANSWERS: Mapping[Question, Answer] = MappingProxyType(
    {
        Question.WHICH_DAY: Answer("SetCheckInDayIntent", _slot("day"), _day),
        Question.HOW_MANY_MINUTES: Answer("CheckInTurnLengthIntent", heard_number, _minutes),
        Question.WHICH_TOPIC: Answer("GuidanceIntent", _slot("topic"), _topic),
        Question.NAMES: Answer("SetNamesIntent", _both_names, _names),
        Question.WHICH_DECK: Answer("ChooseDeckIntent", _slot("deck"), _deck),
        Question.RATING: Answer("RateWeekIntent", heard_number, _rating),
        Question.WHO_IS_THIS: Answer("ThisIsIntent", _a_name, _who),
    }
)
"""Every open question the skill asks, and what its short answer completes."""

WAITING: Mapping[str, Answer] = MappingProxyType(
    {
        habits.FOR_REMINDER: Answer("SetReminderIntent", heard_time, _reminder_time),
        habits.FOR_TIMER: Answer("StartScreenFreeIntent", heard_length, _length),
        habits.FOR_LENGTH: Answer("ScreenFreeLengthIntent", heard_length, _length),
    }
)
"""What the habits feature may be waiting for (a time, a length), and where its answer goes."""

OPENING = ANSWERS[Question.WHICH_TOPIC]
"""What a bare answer may be as a session's opening request: a guidance topic."""


def asked_for(turn: Turn) -> Answer | None:
    """The answer the session is waiting for, if any."""
    if turn.asked is not None:
        return ANSWERS.get(turn.asked)
    if closeness.in_rating(turn.session):
        return ANSWERS[Question.RATING]
    return WAITING.get(habits.awaiting(turn.session) or "")


def answer_for(turn: Turn, request: Request) -> Answer | None:
    """The answer this request gives in this state, if it gives one."""
    asked = asked_for(turn)
    if asked is not None:
        return asked if asked.fits(request) else None
    if questions.nothing_said_yet(turn.session, turn.catalog) and OPENING.fits(request):
        return OPENING
    return None


class AnswerIntentHandler(Handler):
    intents = BARE_ANSWERS

    def respond(self, turn: Turn, request: Request) -> Step:
        found = answer_for(turn, request)
        if found is not None:
            return found.use(turn, request)
        if request.intent == "TimeAnswerIntent":
            return habits.time_answer(turn, request.slot("time"), request.permits(REMINDERS))
        if request.intent == "DurationAnswerIntent":
            return habits.duration_answer(turn, request.slot("duration"), request.permits(TIMERS))
        if check_in.owns_answer(turn.session):
            return check_in.fallback(turn)
        return session.again(turn)


HANDLERS = (AnswerIntentHandler(),)
