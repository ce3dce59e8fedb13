"""AnswerIntent: the short answers to the skill's own open questions, routed by state.

The rule: a bare answer ("Sunday", "three minutes", "repair attempts", "Sam and Alex") is
taken only as the answer to the open question the session says was just asked (the
``asked`` session attribute, a ``Question``), and handed to the use case that question
belongs to. The one other state it answers in is the opening request of a session, for a
guidance topic: "Alexa, ask Closer Together about the ground rules" reaches the skill as
the topic alone. Anywhere else a bare answer means nothing, and is answered as a misheard
turn. That is why the model linter lets this intent, and only this one, hold catch-all
samples (``skill.devtools.model_lint.STATE_GATED_INTENTS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from skill.envelope import Request
from skill.handlers.base import Handler
from skill.reply import Question, Reply
from skill.services import check_in, questions, rituals, session
from skill.turn import Turn

UseCase = Callable[[Turn, Request], Reply]


def _day(turn: Turn, request: Request) -> Reply:
    return rituals.set_check_in_day(turn, request.slot("day"))


def _minutes(turn: Turn, request: Request) -> Reply:
    return check_in.set_turn_length(turn, request.slot("minutes"))


def _topic(turn: Turn, request: Request) -> Reply:
    return rituals.guidance(turn, request.slot("topic"))


def _names(turn: Turn, request: Request) -> Reply:
    return check_in.set_names(turn, request.slot("firstName"), request.slot("secondName"))


@dataclass(frozen=True)
class Answer:
    """What a bare answer completes: the intent it stands for, the slots it must fill, and
    the use case it hands off to."""

    completes: str
    slots: tuple[str, ...]
    use: UseCase

    def fits(self, request: Request) -> bool:
        return all(request.slot(name) for name in self.slots)


ANSWERS: Mapping[Question, Answer] = MappingProxyType(
    {
        Question.WHICH_DAY: Answer("SetCheckInDayIntent", ("day",), _day),
        Question.HOW_MANY_MINUTES: Answer("CheckInTurnLengthIntent", ("minutes",), _minutes),
        Question.WHICH_TOPIC: Answer("GuidanceIntent", ("topic",), _topic),
        Question.NAMES: Answer("SetNamesIntent", ("firstName", "secondName"), _names),
    }
)
"""Every open question the skill asks, and what its short answer completes."""

OPENING = ANSWERS[Question.WHICH_TOPIC]
"""What a bare answer may be as a session's opening request: a guidance topic."""


def answer_for(turn: Turn, request: Request) -> Answer | None:
    """The answer this request gives in this state, if it gives one."""
    asked = ANSWERS.get(turn.asked) if turn.asked else None
    if asked is not None:
        return asked if asked.fits(request) else None
    if questions.nothing_said_yet(turn.session) and OPENING.fits(request):
        return OPENING
    return None


class AnswerIntentHandler(Handler):
    intents = ("AnswerIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        found = answer_for(turn, request)
        if found is not None:
            return found.use(turn, request)
        if check_in.owns_answer(turn.session):
            return check_in.fallback(turn)
        return session.again(turn)


HANDLERS = (AnswerIntentHandler(),)
