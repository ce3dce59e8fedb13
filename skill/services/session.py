"""Opening, help, goodbyes and the gentle answers for everything unexpected."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace

from skill.reply import Reply
from skill.speech.render import remembered
from skill.turn import Turn

log = logging.getLogger(__name__)

CONTEXT = "context"
"""Session attribute naming the flow the household is in, so help and fallback can fit it."""

WelcomeNote = Callable[[Turn], Reply | None]
_WELCOME_NOTES: list[WelcomeNote] = []


def welcome_note(function: WelcomeNote) -> WelcomeNote:
    """Register a one-line note a feature adds to the returning welcome (first that speaks wins)."""
    _WELCOME_NOTES.append(function)
    return function


def launch(turn: Turn) -> Reply:
    household = turn.household
    today = turn.clock.today
    if household.is_new:
        turn.update(replace(household, visits=1, first_seen=today, last_seen=today))
        return Reply.ask("launch.first", "launch.first_reprompt")
    if household.last_seen != today:
        first_seen = household.first_seen or today
        turn.update(
            replace(household, visits=household.visits + 1, first_seen=first_seen, last_seen=today)
        )
    reply = Reply.ask("launch.returning", "launch.returning_reprompt")
    for note in _WELCOME_NOTES:
        extra = note(turn)
        if extra is not None:
            return replace(reply, speech=(*reply.speech, *extra.speech))
    return reply


def home(turn: Turn) -> Reply:
    return Reply.ask("launch.home", "launch.returning_reprompt").with_session(**{CONTEXT: None})


def help(turn: Turn) -> Reply:
    key = _in_context(turn, "help")
    return Reply.ask(key, "help.reprompt")


def fallback(turn: Turn) -> Reply:
    key = _in_context(turn, "fallback")
    return Reply.ask(key, "fallback.reprompt")


def goodbye(turn: Turn) -> Reply:
    return Reply.tell("goodbye").with_session(**{CONTEXT: None})


def repeat(turn: Turn) -> Reply:
    again = remembered(turn.session)
    if again is None:
        return Reply.ask("repeat.nothing", "launch.returning_reprompt")
    return again


def log_reported_error(turn: Turn, what: str) -> None:
    """Log the error Alexa reports in a request (its type and message, never speech or ids)."""
    request = turn.request.raw.get("request")
    error = request.get("error") if isinstance(request, dict) else None
    if isinstance(request, dict) and isinstance(error, dict):
        details = {
            "reason": request.get("reason"),
            "error_type": error.get("type"),
            "error_message": str(error.get("message", ""))[:200],
        }
        log.warning("%s: %s", what, json.dumps(details, sort_keys=True))


def session_ended(turn: Turn) -> Reply:
    log_reported_error(turn, "session ended with an error")
    return Reply.nothing()


def unsupported(turn: Turn) -> Reply:
    """A request type the skill does not use: nothing to say."""
    return Reply.nothing()


def _in_context(turn: Turn, prefix: str) -> str:
    context = turn.session.get(CONTEXT)
    if isinstance(context, str) and turn.catalog.has(f"{prefix}.{context}"):
        return f"{prefix}.{context}"
    return f"{prefix}.main"
