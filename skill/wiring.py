"""Builds the ask-sdk CustomSkill: interceptors, the routing table, exception handlers.

The household is written by the app after the skill has answered (``Exchange.commit``), so a
write that fails or conflicts leaves the answer in hand.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.services.api_client import ApiClient

from skill.handlers import REQUEST_HANDLERS
from skill.handlers.base import exchange_of
from skill.handlers.errors import EXCEPTION_HANDLERS
from skill.routing import IndexedRequestMapper


class SessionInterceptor(AbstractRequestInterceptor):
    """Connects the Exchange to this request's session attributes."""

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return
        attributes = handler_input.attributes_manager.session_attributes
        if attributes is not None:
            exchange_of(handler_input).session = attributes


def build_skill(api_client: ApiClient) -> CustomSkill:
    builder = CustomSkillBuilder(api_client=api_client)
    builder.add_global_request_interceptor(SessionInterceptor())
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler)
    for exception_handler in EXCEPTION_HANDLERS:
        builder.add_exception_handler(exception_handler)
    configuration = builder.skill_configuration
    chains = [
        chain for mapper in configuration.request_mappers for chain in mapper.request_handler_chains
    ]
    configuration.request_mappers = [IndexedRequestMapper(chains)]
    return CustomSkill(skill_configuration=configuration)
