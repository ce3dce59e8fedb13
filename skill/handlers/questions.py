"""Handlers for tonight's question: ask, next, skip, repeat, which, start over."""

from __future__ import annotations

from skill.envelope import Request
from skill.exchange import Exchange
from skill.handlers.base import Handler
from skill.reply import CONTEXT, Reply
from skill.services import check_in, plan, questions
from skill.turn import Turn


class TonightsQuestionIntentHandler(Handler):
    """Tonight's question; asked mid check-in, it asks first whether to leave the check-in."""

    intents = ("TonightsQuestionIntent",)
    keeps_check_in = True

    def respond(self, turn: Turn, request: Request) -> Reply:
        if check_in.in_progress(turn.session):
            return check_in.leave_for_question(turn)
        return questions.tonight(turn)


class NextQuestionIntentHandler(Handler):
    intents = ("NextQuestionIntent",)
    keeps_check_in = True

    def respond(self, turn: Turn, request: Request) -> Reply:
        if check_in.in_progress(turn.session):
            return check_in.leave_for_question(turn)
        return questions.evening_next(turn)


class SkipQuestionIntentHandler(Handler):
    """ "Skip this one": tonight's question, except mid check-in, where it is the step."""

    intents = ("SkipQuestionIntent",)
    keeps_check_in = True

    def respond(self, turn: Turn, request: Request) -> Reply:
        if check_in.in_progress(turn.session):
            return check_in.skip(turn)
        return questions.skip(turn)


class ReadQuestionAgainIntentHandler(Handler):
    intents = ("ReadQuestionAgainIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.again(turn)


class RepeatWithNothingSaidHandler(Handler):
    """A one-shot "repeat": nothing said yet this session, so repeat tonight's question."""

    intents = ("AMAZON.RepeatIntent",)

    def applies(self, exchange: Exchange) -> bool:
        return questions.nothing_said_yet(exchange.session, exchange.catalog)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.again(turn)


class NextIntentHandler(Handler):
    """ "Next" alone, by state: the check-in's next step while one runs; next week's plan
    when the plan is what was just talked about; otherwise the next question."""

    intents = ("AMAZON.NextIntent",)
    keeps_check_in = True

    def respond(self, turn: Turn, request: Request) -> Reply:
        if check_in.in_progress(turn.session):
            return check_in.skip(turn)
        if turn.session.get(CONTEXT) == plan.FEATURE:
            return plan.next_week(turn)
        return questions.evening_next(turn)


class WhichQuestionIntentHandler(Handler):
    intents = ("WhichQuestionIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.which(turn)


class StartQuestionsOverIntentHandler(Handler):
    intents = ("StartQuestionsOverIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.start_over(turn)


class EveningGoesOnHandler(Handler):
    """A long wait after a question was split: whatever is heard when its first part ends
    is the couple still talking, so the quiet goes on (a stop or "that's enough" still
    ends the evening)."""

    ENDS = frozenset({"AMAZON.StopIntent", "AMAZON.CancelIntent", "QuestionEveningDoneIntent"})

    def applies(self, exchange: Exchange) -> bool:
        request = exchange.request
        return request.intent not in self.ENDS and questions.between_waits(
            exchange.session, request.instant
        )

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.evening_carries_on(turn)


class QuestionEveningIntentHandler(Handler):
    """ "Let's have a question evening", "keep the questions coming"."""

    intents = ("QuestionEveningIntent",)
    keeps_check_in = True

    def respond(self, turn: Turn, request: Request) -> Reply:
        if check_in.in_progress(turn.session):
            return check_in.leave_for_question(turn)
        return questions.start_evening(turn)


class QuestionEveningMinutesIntentHandler(Handler):
    """ "Give us five minutes per question"."""

    intents = ("QuestionEveningMinutesIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.set_evening_minutes(turn, request.slot("minutes"))


class QuestionEveningDoneIntentHandler(Handler):
    """ "That's enough for tonight" (and, in a question evening, "we're done" or stop)."""

    intents = ("QuestionEveningDoneIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.evening_done(turn)


class EveningStopHandler(Handler):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def applies(self, exchange: Exchange) -> bool:
        return questions.in_evening(exchange.session)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.evening_done(turn)


HANDLERS: tuple[Handler, ...] = (
    EveningGoesOnHandler(),
    QuestionEveningIntentHandler(),
    QuestionEveningMinutesIntentHandler(),
    QuestionEveningDoneIntentHandler(),
    EveningStopHandler(),
    TonightsQuestionIntentHandler(),
    NextQuestionIntentHandler(),
    SkipQuestionIntentHandler(),
    ReadQuestionAgainIntentHandler(),
    RepeatWithNothingSaidHandler(),
    WhichQuestionIntentHandler(),
    StartQuestionsOverIntentHandler(),
    NextIntentHandler(),
)
