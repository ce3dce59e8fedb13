"""Opening, help, stop, home, repeat, yes/no and the catch-alls."""

from __future__ import annotations

from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import confirm, session
from skill.turn import Turn


class LaunchRequestHandler(Handler):
    request_types = ("LaunchRequest",)

    def respond(self, turn: Turn) -> Reply:
        return session.launch(turn)


class HelpIntentHandler(Handler):
    intents = ("AMAZON.HelpIntent",)

    def respond(self, turn: Turn) -> Reply:
        return session.help(turn)


class StopOrCancelIntentHandler(Handler):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def respond(self, turn: Turn) -> Reply:
        return session.goodbye(turn)


class NavigateHomeIntentHandler(Handler):
    intents = ("AMAZON.NavigateHomeIntent",)

    def respond(self, turn: Turn) -> Reply:
        return session.home(turn)


class RepeatIntentHandler(Handler):
    intents = ("AMAZON.RepeatIntent",)

    def respond(self, turn: Turn) -> Reply:
        return session.repeat(turn)


class YesIntentHandler(Handler):
    intents = ("AMAZON.YesIntent",)

    def respond(self, turn: Turn) -> Reply:
        return confirm.answer(turn, yes=True)


class NoIntentHandler(Handler):
    intents = ("AMAZON.NoIntent",)

    def respond(self, turn: Turn) -> Reply:
        return confirm.answer(turn, yes=False)


class SessionEndedRequestHandler(Handler):
    request_types = ("SessionEndedRequest",)

    def respond(self, turn: Turn) -> Reply:
        return session.session_ended(turn)


class FallbackIntentHandler(Handler):
    """AMAZON.FallbackIntent and any intent nothing else claimed."""

    def respond(self, turn: Turn) -> Reply:
        return session.fallback(turn)


class UnsupportedRequestHandler(Handler):
    """Any other request type (events, system messages): answered without speech."""

    def can_handle(self, handler_input: object) -> bool:  # type: ignore[override]
        return True

    def respond(self, turn: Turn) -> Reply:
        return session.unsupported(turn)


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
