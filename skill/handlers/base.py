"""The shape every handler shares: match a request, ask a service for a Reply, render it."""

from __future__ import annotations

from typing import ClassVar

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.reply import Reply
from skill.speech.render import render
from skill.turn import Turn


def turn_of(handler_input: HandlerInput) -> Turn:
    turn = handler_input.context
    if not isinstance(turn, Turn):
        raise TypeError("the skill must be invoked with a Turn as its context")
    return turn


class Handler(AbstractRequestHandler):  # type: ignore[misc]
    """Subclasses name what they answer and implement ``respond``.

    ``intents`` lists intent names (for IntentRequest); ``request_types`` lists
    other request types. ``applies`` narrows further, e.g. to a phase of a flow.
    """

    request_types: ClassVar[tuple[str, ...]] = ("IntentRequest",)
    intents: ClassVar[tuple[str, ...]] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        turn = turn_of(handler_input)
        request = turn.request
        if request.request_type not in self.request_types:
            return False
        if self.intents and request.intent not in self.intents:
            return False
        return self.applies(turn)

    def applies(self, turn: Turn) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        turn.handler = type(self).__name__
        return render(handler_input, turn, self.respond(turn))

    def respond(self, turn: Turn) -> Reply:
        raise NotImplementedError
