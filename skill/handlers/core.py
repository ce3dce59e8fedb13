"""Opening, help, stop, home, repeat, yes/no and the catch-alls."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.envelope import Request
from skill.handlers.base import EventHandler, Handler
from skill.handlers.follow_ups import FOLLOW_UPS, WELCOME_NOTES
from skill.reply import Reply
from skill.services import session
from skill.services.alerts import Step
from skill.turn import Turn


class LaunchRequestHandler(Handler):
    request_types = ("LaunchRequest",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.launch(turn, WELCOME_NOTES)


class HelpIntentHandler(Handler):
    intents = ("AMAZON.HelpIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.help(turn)


class StopOrCancelIntentHandler(Handler):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.goodbye(turn)


class NavigateHomeIntentHandler(Handler):
    intents = ("AMAZON.NavigateHomeIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.home(turn)


class RepeatIntentHandler(Handler):
    intents = ("AMAZON.RepeatIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.repeat(turn)


class YesIntentHandler(Handler):
    """A yes to the question the household was just asked (see ``follow_ups``). A yes to an
    open question ("which day?") is no answer to it: the question is asked again."""

    intents = ("AMAZON.YesIntent",)

    def respond(self, turn: Turn, request: Request) -> Step:
        follow_up = FOLLOW_UPS.get(turn.pending) if turn.pending else None
        if follow_up:
            return follow_up.yes(turn)
        return session.again(turn) if turn.asked else session.not_waiting(turn)


class NoIntentHandler(Handler):
    """A no to the question the household was just asked (see ``follow_ups``). A no to an
    open question ("we'd rather not say") lets it go."""

    intents = ("AMAZON.NoIntent",)

    def respond(self, turn: Turn, request: Request) -> Step:
        follow_up = FOLLOW_UPS.get(turn.pending) if turn.pending else None
        if follow_up:
            return follow_up.no(turn)
        return session.let_go(turn) if turn.asked else session.not_waiting(turn)


class SessionEndedRequestHandler(EventHandler):
    request_types = ("SessionEndedRequest",)

    def respond(self, request: Request) -> Reply:
        return session.nothing()


class FallbackIntentHandler(Handler):
    """AMAZON.FallbackIntent and any intent nothing else claimed. While a question waits
    for its answer, a misheard turn asks it again and keeps waiting."""

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.again(turn)


class UnsupportedRequestHandler(EventHandler):
    """Any other request type (events, system messages): answered without speech."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def respond(self, request: Request) -> Reply:
        return session.nothing()


HANDLERS = (
    LaunchRequestHandler(),
    HelpIntentHandler(),
    StopOrCancelIntentHandler(),
    NavigateHomeIntentHandler(),
    RepeatIntentHandler(),
    YesIntentHandler(),
    NoIntentHandler(),
    SessionEndedRequestHandler(),
)

CATCH_ALL = (FallbackIntentHandler(), UnsupportedRequestHandler())
"""Always last in the routing table."""
