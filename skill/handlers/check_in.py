"""Handlers for the timed check-in.

The flow-gated ones (``InCheckIn``) answer the built-in intents only while this
session is inside a check-in; they sit first in the routing table, ahead of the
general Yes/No/Stop/Help/Repeat handlers.
"""

from __future__ import annotations

from skill.envelope import Request
from skill.exchange import Exchange
from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import check_in, questions
from skill.turn import Turn


class CheckInHandler(Handler):
    """The check-in's own handlers: they move it themselves."""

    keeps_check_in = True


class InCheckIn(CheckInHandler):
    """Applies only while the session is inside a check-in."""

    def applies(self, exchange: Exchange) -> bool:
        return check_in.in_progress(exchange.session)


class CheckInMidShareHandler(CheckInHandler):
    """Between two parts of one long share, whatever is heard is the speaker still talking:
    the silence carries on, with nothing said. The check-in's own commands still work."""

    COMMANDS = frozenset(
        {
            "AMAZON.StopIntent",
            "AMAZON.CancelIntent",
            "AMAZON.PauseIntent",
            "AMAZON.HelpIntent",
            "AMAZON.RepeatIntent",
            "CheckInSkipIntent",
            "SkipQuestionIntent",
            "CheckInMoreTimeIntent",
            "CheckInTimeOutIntent",
        }
    )

    def applies(self, exchange: Exchange) -> bool:
        request = exchange.request
        return request.intent not in self.COMMANDS and check_in.mid_share(
            exchange.session, request.instant
        )

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.carry_on(turn)


class CheckInYesHandler(InCheckIn):
    intents = ("AMAZON.YesIntent",)

    def applies(self, exchange: Exchange) -> bool:
        return check_in.owns_answer(exchange.session)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.answer(turn, yes=True)


class CheckInNoHandler(InCheckIn):
    intents = ("AMAZON.NoIntent",)

    def applies(self, exchange: Exchange) -> bool:
        return check_in.owns_answer(exchange.session)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.answer(turn, yes=False)


class CheckInStopHandler(InCheckIn):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.stop(turn)


class CheckInRepeatHandler(InCheckIn):
    intents = ("AMAZON.RepeatIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.repeat(turn)


class CheckInHelpHandler(InCheckIn):
    intents = ("AMAZON.HelpIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.help(turn)


class CheckInFallbackHandler(InCheckIn):
    """A misheard turn mid check-in stays with the step, unless another question (asked
    in between) waits for its answer: then the general fallback asks that one again."""

    intents = ("AMAZON.FallbackIntent",)

    def applies(self, exchange: Exchange) -> bool:
        return check_in.owns_answer(exchange.session)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.fallback(turn)


class PauseIntentHandler(CheckInHandler):
    """ "Pause", "hang on", "give us a minute": the check-in's pause (at a step that waits
    for "ready", a kind wait instead). "Pause the plan" is StayOnWeekIntent, not this;
    outside a check-in there is nothing to pause."""

    intents = ("AMAZON.PauseIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.pause(turn)


class CheckInSessionEndedHandler(InCheckIn):
    request_types = ("SessionEndedRequest",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.session_ended(turn)


class ResumeIntentHandler(CheckInHandler):
    """ "Continue", "keep going" alone: in a check-in, the step moves on (or a pause ends);
    outside one, a check-in left in the last half hour is picked up."""

    intents = ("AMAZON.ResumeIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.resume(turn)


class StartCheckInIntentHandler(CheckInHandler):
    intents = ("StartCheckInIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.start(turn)


class MorningCheckInIntentHandler(CheckInHandler):
    intents = ("MorningCheckInIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.start_morning(turn)


class ContinueCheckInIntentHandler(CheckInHandler):
    intents = ("ContinueCheckInIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.continue_check_in(turn)


class CheckInReadyIntentHandler(CheckInHandler):
    intents = ("CheckInReadyIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.ready(turn)


class CheckInSkipIntentHandler(CheckInHandler):
    """ "Skip", "skip this": while a check-in runs in this session it skips the step;
    otherwise the thing to skip is tonight's question (a question reply ends the session,
    so "skip this" after it comes as a new request)."""

    intents = ("CheckInSkipIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        if check_in.in_progress(turn.session):
            return check_in.skip(turn)
        return questions.skip(turn)


class CheckInMoreTimeIntentHandler(CheckInHandler):
    """ "Another minute", "more time": more time for the check-in's step. "Another one"
    is NextQuestionIntent, tonight's next question."""

    intents = ("CheckInMoreTimeIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.more_time(turn)


class CheckInTimeOutIntentHandler(CheckInHandler):
    intents = ("CheckInTimeOutIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.time_out(turn)


class SetNamesIntentHandler(CheckInHandler):
    intents = ("SetNamesIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.set_names(turn, request.slot("firstName"), request.slot("secondName"))


class FirstSpeakerIntentHandler(CheckInHandler):
    intents = ("FirstSpeakerIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.first_speaker(turn, request.slot("name"))


class CheckInTurnLengthIntentHandler(CheckInHandler):
    intents = ("CheckInTurnLengthIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.set_turn_length(turn, request.slot("minutes"))


class SkipCheckInInstructionsIntentHandler(CheckInHandler):
    intents = ("SkipCheckInInstructionsIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.skip_instructions(turn)


class CheckInSoundsOnIntentHandler(CheckInHandler):
    intents = ("CheckInSoundsOnIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.soft_sounds(turn, on=True)


class CheckInSoundsOffIntentHandler(CheckInHandler):
    intents = ("CheckInSoundsOffIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return check_in.soft_sounds(turn, on=False)


HANDLERS: tuple[Handler, ...] = (
    CheckInMidShareHandler(),
    CheckInYesHandler(),
    CheckInNoHandler(),
    CheckInStopHandler(),
    CheckInRepeatHandler(),
    CheckInHelpHandler(),
    CheckInFallbackHandler(),
    PauseIntentHandler(),
    CheckInSessionEndedHandler(),
    ResumeIntentHandler(),
    StartCheckInIntentHandler(),
    MorningCheckInIntentHandler(),
    ContinueCheckInIntentHandler(),
    CheckInReadyIntentHandler(),
    CheckInSkipIntentHandler(),
    CheckInMoreTimeIntentHandler(),
    CheckInTimeOutIntentHandler(),
    SetNamesIntentHandler(),
    FirstSpeakerIntentHandler(),
    CheckInTurnLengthIntentHandler(),
    SkipCheckInInstructionsIntentHandler(),
    CheckInSoundsOnIntentHandler(),
    CheckInSoundsOffIntentHandler(),
)
