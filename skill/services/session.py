"""Opening, help, goodbyes and the gentle answers for everything unexpected."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from skill.domain.voices import speaker
from skill.reply import CONTEXT, Question, Reply, Say
from skill.speech.render import remembered
from skill.turn import Turn

NAMES_INVITE_VISIT = 3
"""Names are invited on the third day the skill is opened: the first two keep to the point."""

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
    partner = speaker(household.names, household.voices, turn.person)
    if partner is not None:
        reply = reply.first("voices.hello", name=household.names[partner])
    for note in notes:
        extra = note(turn)
        if extra is not None:
            return _with_note(turn, reply, extra)
    return _closing(turn, reply)


def _with_note(turn: Turn, reply: Reply, note: Reply) -> Reply:
    """The welcome and a note; a note that asks a question brings its reprompt along, and
    one that asks nothing is followed by the welcome's own short question."""
    if note.pending is None and note.asked is None:
        return _closing(turn, replace(reply, speech=(*reply.speech, *note.speech)))
    return replace(
        reply,
        speech=(*reply.speech, *note.speech),
        reprompt=note.reprompt,
        pending=note.pending,
        asked=note.asked,
    )


def _closing(turn: Turn, reply: Reply) -> Reply:
    """End the welcome with a short question that fits: the plan too, once it has begun."""
    key = "launch.ask_plan" if turn.household.plan.started is not None else "launch.ask"
    return reply.then(key)


def names_invite(turn: Turn) -> Reply | None:
    """Once, for a couple who have not said their names: an invitation to say them."""
    household = turn.household
    if household.names or household.names_invited or household.visits < NAMES_INVITE_VISIT:
        return None
    turn.update(replace(household, names_invited=True))
    return Reply.ask("launch.names_invite", "launch.names_invite_reprompt", asked=Question.NAMES)


def something_else(turn: Turn) -> Reply:
    """A no to an offer made on launch: the two things the skill is for, as a question."""
    return Reply.ask("launch.something_else", "launch.returning_reprompt")


def home(turn: Turn) -> Reply:
    return Reply.ask("launch.home", "launch.returning_reprompt").with_session(**{CONTEXT: None})


def help(turn: Turn) -> Reply:
    """Help that fits the flow; a question still waiting for its answer keeps waiting."""
    key = _in_context(turn, "help", "help.main")
    return Reply.ask(key, "help.reprompt", pending=turn.pending, asked=turn.asked)


def fallback(turn: Turn) -> Reply:
    return Reply.ask(_in_context(turn, "fallback", "fallback.main"), "fallback.reprompt")


def goodbye(turn: Turn) -> Reply:
    return Reply.tell("goodbye").with_session(**{CONTEXT: None})


def repeat(turn: Turn) -> Reply:
    again = remembered(turn.session, turn.catalog)
    if again is None:
        return Reply.ask("repeat.nothing", "launch.returning_reprompt")
    return again


def again(turn: Turn) -> Reply:
    """A turn that did not answer the question just asked: say so, ask it again, and keep
    waiting for the answer (so the next "yes" or "Sunday" still counts)."""
    last = remembered(turn.session, turn.catalog)
    if last is None or not (turn.pending or turn.asked):
        return fallback(turn)
    question = last.reprompt or last.speech
    return Reply(
        speech=(Say("fallback.again"), *question),
        reprompt=question,
        pending=turn.pending,
        asked=turn.asked,
        end_session=False,
    )


def let_go(turn: Turn) -> Reply:
    """A no to an open question ("which day?" "we'd rather not say"): leave it there."""
    return Reply.ask("answer.declined", "fallback.reprompt")


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
