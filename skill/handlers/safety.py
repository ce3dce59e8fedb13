"""SafetyIntent and CrisisIntent: first in the routing table, so they answer in every state
(mid check-in, with a question pending, as a one-shot) before any flow-gated handler can claim
the turn."""

from __future__ import annotations

from skill.envelope import Request
from skill.handlers.base import EventHandler
from skill.reply import Reply
from skill.services import safety


class SafetyIntentHandler(EventHandler):
    intents = ("SafetyIntent",)

    def respond(self, request: Request) -> Reply:
        return safety.answer()


class CrisisIntentHandler(EventHandler):
    intents = ("CrisisIntent",)

    def respond(self, request: Request) -> Reply:
        return safety.crisis()


HANDLERS = (SafetyIntentHandler(), CrisisIntentHandler())
