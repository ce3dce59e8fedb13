"""Builds the ask-sdk CustomSkill: interceptors, the routing table, exception handlers."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response
from ask_sdk_model.services import ApiClient

from skill.alexa_api import device_time_zone
from skill.handlers import REQUEST_HANDLERS
from skill.handlers.base import turn_of
from skill.handlers.errors import EXCEPTION_HANDLERS
from skill.services import check_in, plan, questions
from skill.speech.catalog import Catalog

CONTENT_CHECKS = (questions.check_content, check_in.check_content, plan.check_content)


class TurnInterceptor(AbstractRequestInterceptor):  # type: ignore[misc]
    """Connects the Turn to this request's session attributes and Alexa API access."""

    def process(self, handler_input: HandlerInput) -> None:
        turn = turn_of(handler_input)
        if handler_input.request_envelope.session is not None:
            turn.session = handler_input.attributes_manager.session_attributes
        turn.zone_lookup = lambda: device_time_zone(handler_input)


class CommitInterceptor(AbstractResponseInterceptor):  # type: ignore[misc]
    """Writes the household once, if the turn changed it, conditional on its version."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn_of(handler_input).commit()


def build_skill(api_client: ApiClient | None) -> CustomSkill:
    builder = CustomSkillBuilder(api_client=api_client)
    builder.add_global_request_interceptor(TurnInterceptor())
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler)
    builder.add_global_response_interceptor(CommitInterceptor())
    for exception_handler in EXCEPTION_HANDLERS:
        builder.add_exception_handler(exception_handler)
    return builder.create()


def check_content(catalog: Catalog) -> None:
    """Every feature checks its content in every locale; raises ContentError."""
    for locale in catalog.locales.values():
        for check in CONTENT_CHECKS:
            check(locale)
