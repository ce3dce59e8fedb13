"""Handlers for rating the week, "how are we doing", and telling Alexa who is speaking.

The flow-gated ones (``InRating``) answer "skip", "just me" and "I'm Sam" only while this
session is inside the weekly rating; they sit first in the routing table.
"""

from __future__ import annotations

from skill.envelope import Request
from skill.exchange import Exchange
from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import closeness, session, voices
from skill.turn import Turn


class InRating(Handler):
    """Applies only while the session is inside the weekly rating."""

    def applies(self, exchange: Exchange) -> bool:
        return closeness.in_rating(exchange.session)


class RatingSkipHandler(InRating):
    intents = ("CheckInSkipIntent", "SkipQuestionIntent", "AMAZON.NoIntent")

    def respond(self, turn: Turn, request: Request) -> Reply:
        return closeness.skip(turn)


class RatingJustMeHandler(InRating):
    intents = ("JustMeIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return closeness.just_me(turn)


class RatingThisIsHandler(InRating):
    intents = ("ThisIsIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return closeness.introduced(turn, request.slot("name"))


class RateWeekIntentHandler(Handler):
    intents = ("RateWeekIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return closeness.answer(turn, request.slot("rating"), request.slot("other"))


class HowAreWeDoingIntentHandler(Handler):
    intents = ("HowAreWeDoingIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return closeness.how_are_we_doing(turn)


class ThisIsIntentHandler(Handler):
    intents = ("ThisIsIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return voices.this_is(turn, request.slot("name"))


class JustMeIntentHandler(Handler):
    """ "Just me" outside the rating answers nothing that was asked."""

    intents = ("JustMeIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return session.fallback(turn)


FLOW_HANDLERS: tuple[Handler, ...] = (
    RatingSkipHandler(),
    RatingJustMeHandler(),
    RatingThisIsHandler(),
)

HANDLERS: tuple[Handler, ...] = (
    RateWeekIntentHandler(),
    HowAreWeDoingIntentHandler(),
    ThisIsIntentHandler(),
    JustMeIntentHandler(),
)
