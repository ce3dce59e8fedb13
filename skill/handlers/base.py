"""The shapes every handler shares: match a request, ask a service for a Reply, render it.

``Handler`` loads the household, settles its time zone (which may ask the Alexa Settings
API) and builds the Turn a service sees, in that order, before the service runs. A service
that needs Alexa's Reminders or Timers API answers with an ``AlertStep``; the handler makes
that call here, with a short timeout, and gives the outcome back to the service.
``EventHandler`` answers requests that need neither (session ends, system events).
"""

from __future__ import annotations

from typing import ClassVar

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.alerts import AlertsClient
from skill.alexa_api import device_time_zone
from skill.domain.clock import LocalClock
from skill.envelope import Request
from skill.exchange import Exchange
from skill.reply import Reply
from skill.services import check_in
from skill.services.alerts import MAX_CALLS, Step
from skill.speech.render import render
from skill.turn import Turn

ALERTS = AlertsClient()


def exchange_of(handler_input: HandlerInput) -> Exchange:
    exchange = handler_input.context
    if not isinstance(exchange, Exchange):
        raise TypeError("the skill must be invoked with an Exchange as its context")
    return exchange


class Matcher(AbstractRequestHandler):
    """Subclasses name what they answer.

    ``intents`` lists intent names (for IntentRequest); ``request_types`` lists other
    request types. ``applies`` narrows further, e.g. to a phase of a flow.
    """

    request_types: ClassVar[tuple[str, ...]] = ("IntentRequest",)
    intents: ClassVar[tuple[str, ...]] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        exchange = exchange_of(handler_input)
        request = exchange.request
        if request.request_type not in self.request_types:
            return False
        if self.intents and request.intent not in self.intents:
            return False
        return self.applies(exchange)

    def applies(self, exchange: Exchange) -> bool:
        return True


class Handler(Matcher):
    """A handler whose service needs the household and the local clock.

    One that arrives during a check-in's timed audio first notes where the check-in stood,
    unless it is the check-in's own (``keeps_check_in``), and then offers to go back to it.
    """

    keeps_check_in: ClassVar[bool] = False

    def handle(self, handler_input: HandlerInput) -> Response:
        exchange = exchange_of(handler_input)
        exchange.handler = type(self).__name__
        household = exchange.household()
        zone = exchange.zone(household, lambda: device_time_zone(handler_input))
        clock = LocalClock.at(exchange.request.instant, zone)
        exchange.local = clock.now
        turn = Turn(household, clock, exchange.catalog, exchange.session, exchange.request.person)
        held = {} if self.keeps_check_in else check_in.hold_place(turn)
        reply = perform(self.respond(turn, exchange.request), turn, exchange.request)
        if held:
            reply = check_in.after_interruption(reply, held)
        exchange.after = turn.household
        return render(handler_input, exchange, reply)

    def respond(self, turn: Turn, request: Request) -> Step:
        raise NotImplementedError


def perform(step: Step, turn: Turn, request: Request) -> Reply:
    """Make the alerts calls a use case asks for, one at a time and at most ``MAX_CALLS``."""
    for _ in range(MAX_CALLS):
        if isinstance(step, Reply):
            return step
        step = step.then(turn, ALERTS.send(step.call, request))
    return step if isinstance(step, Reply) else Reply.tell("error.generic")


class EventHandler(Matcher):
    """A handler that answers from the request alone (no household read, no clock)."""

    def handle(self, handler_input: HandlerInput) -> Response:
        exchange = exchange_of(handler_input)
        exchange.handler = type(self).__name__
        return render(handler_input, exchange, self.respond(exchange.request))

    def respond(self, request: Request) -> Reply:
        raise NotImplementedError
