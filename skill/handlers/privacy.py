"""Forgetting the household, and Alexa's system events."""

from __future__ import annotations

from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import privacy
from skill.turn import Turn


class ForgetUsIntentHandler(Handler):
    intents = ("ForgetUsIntent",)

    def respond(self, turn: Turn) -> Reply:
        return privacy.ask_to_forget(turn)


class SkillDisabledHandler(Handler):
    request_types = ("AlexaSkillEvent.SkillDisabled",)

    def respond(self, turn: Turn) -> Reply:
        return privacy.skill_disabled(turn)


class ExceptionEncounteredHandler(Handler):
    request_types = ("System.ExceptionEncountered",)

    def respond(self, turn: Turn) -> Reply:
        return privacy.exception_encountered(turn)


HANDLERS: tuple[Handler, ...] = (
    ForgetUsIntentHandler(),
    SkillDisabledHandler(),
    ExceptionEncounteredHandler(),
)
