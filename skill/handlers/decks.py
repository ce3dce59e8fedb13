"""Handlers for the themed decks: which decks there are, picking one, being surprised."""

from __future__ import annotations

from skill.envelope import Request
from skill.handlers.base import Handler
from skill.reply import Reply
from skill.services import questions
from skill.turn import Turn


class ListDecksIntentHandler(Handler):
    intents = ("ListDecksIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.list_decks(turn)


class ChooseDeckIntentHandler(Handler):
    intents = ("ChooseDeckIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.choose_deck(turn, request.slot("deck"))


class SurpriseDeckIntentHandler(Handler):
    intents = ("SurpriseDeckIntent",)

    def respond(self, turn: Turn, request: Request) -> Reply:
        return questions.surprise(turn)


HANDLERS: tuple[Handler, ...] = (
    ListDecksIntentHandler(),
    ChooseDeckIntentHandler(),
    SurpriseDeckIntentHandler(),
)
