"""Forgetting the household, and Alexa's system events."""

from __future__ import annotations

from skill.envelope import Request
from skill.handlers.base import EventHandler, Handler
from skill.reply import Reply
from skill.services import privacy, session
from skill.turn import Turn


class ForgetUsIntentHandler(Handler):
    intents = ("ForgetUsIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return privacy.ask_to_forget(turn)


class SkillDisabledHandler(EventHandler):
    request_types = ("AlexaSkillEvent.SkillDisabled",)

    def respond(self, request: Request) -> Reply:
        return privacy.skill_disabled(request.persistence_status)


class ExceptionEncounteredHandler(EventHandler):
    """Alexa could not use our last response (the app logs what it reported)."""

    request_types = ("System.ExceptionEncountered",)

    def respond(self, request: Request) -> Reply:
        return session.nothing()


HANDLERS: tuple[Handler | EventHandler, ...] = (
    ForgetUsIntentHandler(),
    SkillDisabledHandler(),
    ExceptionEncounteredHandler(),
)
