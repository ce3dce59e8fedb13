"""When something goes wrong: a kind word to the household, the details to the log only."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.exchange import AlreadyApplied
from skill.handlers.base import exchange_of
from skill.reply import Reply
from skill.speech.render import render
from skill.store import StoreError

log = logging.getLogger(__name__)


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything but the store's answers, which the app itself handles: a conflict or an
    uncertain write is tried again, a store fault gets the store apology, and a request
    already applied is answered as such."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, StoreError | AlreadyApplied)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        exchange = exchange_of(handler_input)
        log.error("unhandled error in %s", exchange.handler, exc_info=exception)
        handler_input.response_builder.response = Response()
        return render(handler_input, exchange, Reply.tell("error.generic"))


EXCEPTION_HANDLERS = (CatchAllExceptionHandler(),)
