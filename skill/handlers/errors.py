"""When something goes wrong: a kind word to the household, the details to the log only."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.handlers.base import exchange_of
from skill.reply import Reply
from skill.speech.render import render
from skill.store import HouseholdConflict, StoreError

log = logging.getLogger(__name__)


class StoreUnavailableHandler(AbstractExceptionHandler):
    """The household store did not answer: apologise and suggest trying again.

    A version conflict on the first attempt is not handled here: it propagates so
    the app can reload the household and run the turn once more.
    """

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        if isinstance(exception, HouseholdConflict):
            return exchange_of(handler_input).attempt > 1
        return isinstance(exception, StoreError)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        exchange = exchange_of(handler_input)
        exchange.handler = exchange.handler or type(self).__name__
        log.warning("store unavailable: %s", type(exception).__name__)
        handler_input.response_builder.response = Response()
        return render(handler_input, exchange, Reply.tell("error.store"))


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, HouseholdConflict)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        exchange = exchange_of(handler_input)
        log.error("unhandled error in %s", exchange.handler, exc_info=exception)
        handler_input.response_builder.response = Response()
        return render(handler_input, exchange, Reply.tell("error.generic"))


EXCEPTION_HANDLERS = (StoreUnavailableHandler(), CatchAllExceptionHandler())
