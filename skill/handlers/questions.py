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
        return questions.next_question(turn)


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
        return questions.nothing_said_yet(exchange.session)

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
        return questions.next_question(turn)


class WhichQuestionIntentHandler(Handler):
    intents = ("WhichQuestionIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.which(turn)


class StartQuestionsOverIntentHandler(Handler):
    intents = ("StartQuestionsOverIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.start_over(turn)


HANDLERS: tuple[Handler, ...] = (
    TonightsQuestionIntentHandler(),
    NextQuestionIntentHandler(),
    SkipQuestionIntentHandler(),
    ReadQuestionAgainIntentHandler(),
    RepeatWithNothingSaidHandler(),
    WhichQuestionIntentHandler(),
    StartQuestionsOverIntentHandler(),
    NextIntentHandler(),
)
