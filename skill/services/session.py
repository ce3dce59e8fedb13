"""Opening, help, goodbyes and the gentle answers for everything unexpected."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from skill.reply import CONTEXT, Reply
from skill.speech.render import remembered
from skill.turn import Turn

WelcomeNote = Callable[[Turn], Reply | None]
"""A one-line note a feature adds to a returning household's welcome, or None."""


def launch(turn: Turn, notes: Sequence[WelcomeNote] = ()) -> Reply:
    """Welcome the household; a returning one hears the first of ``notes`` that speaks."""
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
    for note in notes:
        extra = note(turn)
        if extra is not None:
            return replace(reply, speech=(*reply.speech, *extra.speech))
    return reply


def home(turn: Turn) -> Reply:
    return Reply.ask("launch.home", "launch.returning_reprompt").with_session(**{CONTEXT: None})


def help(turn: Turn) -> Reply:
    return Reply.ask(_in_context(turn, "help", "help.main"), "help.reprompt")


def fallback(turn: Turn) -> Reply:
    return Reply.ask(_in_context(turn, "fallback", "fallback.main"), "fallback.reprompt")


def goodbye(turn: Turn) -> Reply:
    return Reply.tell("goodbye").with_session(**{CONTEXT: None})


def repeat(turn: Turn) -> Reply:
    again = remembered(turn.session, turn.catalog)
    if again is None:
        return Reply.ask("repeat.nothing", "launch.returning_reprompt")
    return again


def not_waiting(turn: Turn) -> Reply:
    """A yes or no when no question was asked."""
    return Reply.ask("yes_no.unexpected", "yes_no.unexpected_reprompt")


def nothing() -> Reply:
    """Requests that take no speech: session ends, events, what the skill does not use."""
    return Reply.nothing()


def _in_context(turn: Turn, prefix: str, general: str) -> str:
    """The line for the flow the household is in (``prefix.<context>``), else ``general``."""
    context = turn.session.get(CONTEXT)
    if isinstance(context, str) and turn.catalog.has(f"{prefix}.{context}"):
        return f"{prefix}.{context}"
    return general
