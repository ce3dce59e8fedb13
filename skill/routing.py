"""Routing by lookup: ask-sdk's request mapper, indexed by (request type, intent).

ask-sdk's ``GenericRequestMapper`` asks every handler in turn whether it can handle the
request: 55 ``can_handle`` calls for an intent near the end of the table. This mapper keeps the
table's order and its answers, but asks only the handlers that could answer the request's type
and intent: those whose ``request_types`` and ``intents`` name it (a ``Matcher``'s declaration),
and every handler that decides for itself (one that overrides ``can_handle``), in table order.
Each of those is still asked, so flow-gated handlers (``applies``) keep coming first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ask_sdk_runtime.dispatch_components.request_components import (
    GenericRequestHandlerChain,
    GenericRequestMapper,
)

from skill.handlers.base import Matcher, exchange_of

__all__ = ["IndexedRequestMapper"]

Key = tuple[str, str | None]


class IndexedRequestMapper(GenericRequestMapper):
    """A GenericRequestMapper (same chains, same answers) that looks its candidates up."""

    def __init__(self, chains: Sequence[GenericRequestHandlerChain]) -> None:
        super().__init__(list(chains))
        self._chains = tuple((chain, _declared(chain)) for chain in chains)
        keys = {
            (request_type, intent)
            for _, handler in self._chains
            if handler is not None
            for request_type in handler.request_types
            for intent in handler.intents or (None,)
        }
        self._by_key: dict[Key, tuple[GenericRequestHandlerChain, ...]] = {
            key: self._candidates(key) for key in keys
        }

    def get_request_handler_chain(self, handler_input: Any) -> GenericRequestHandlerChain | None:
        request = exchange_of(handler_input).request
        candidates = self._by_key.get((request.request_type, request.intent))
        if candidates is None:
            # An intent no handler names: those that take any intent of this type, and the
            # handlers that decide for themselves (request types are bounded by the model).
            key = (request.request_type, None)
            candidates = self._by_key.get(key)
            if candidates is None:
                candidates = self._by_key[key] = self._candidates(key)
        for chain in candidates:
            if chain.request_handler.can_handle(handler_input):
                return chain
        return None

    def _candidates(self, key: Key) -> tuple[GenericRequestHandlerChain, ...]:
        """The chains that may answer ``key``, in table order."""
        return tuple(chain for chain, handler in self._chains if _may_answer(handler, *key))


def _declared(chain: GenericRequestHandlerChain) -> Matcher | None:
    """The chain's handler if it is a Matcher deciding by its declaration (and ``applies``)."""
    handler = chain.request_handler
    if isinstance(handler, Matcher) and type(handler).can_handle is Matcher.can_handle:
        return handler
    return None


def _may_answer(handler: Matcher | None, request_type: str, intent: str | None) -> bool:
    if handler is None:
        return True
    return request_type in handler.request_types and (
        not handler.intents or intent in handler.intents
    )
