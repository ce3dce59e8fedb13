"""Tonight's question: the household's shared question for the night, and moving through them.

Every function reads the household, asks the pure domain (skill.domain.questions) what
happens, stores the new progress and returns a Reply by content key. A question reply
ends the session (the couple needs time to talk).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from skill.content.catalog import LocaleCatalog
from skill.content.questions import order_of, text_of
from skill.domain import questions as domain
from skill.domain.questions import Assignment, Stage, Step
from skill.reply import CONTEXT, Ask, Reply
from skill.speech.render import remembered
from skill.turn import Turn

FEATURE = "questions"
STEP_KEYS: Mapping[Step, str] = {
    Step.SAME: "questions.same",
    Step.NEW: "questions.tonight",
    Step.NEXT: "questions.next",
    Step.SKIPPED: "questions.skipped",
}


def tonight(turn: Turn) -> Reply:
    """Tonight's question for the household: the same on every device all night."""
    order = order_of(turn.catalog)
    return _present(turn, domain.tonight(turn.household.questions, turn.clock.night(), order))


def next_question(turn: Turn) -> Reply:
    """Move on to the next question (tonight's, if none is out yet tonight)."""
    order = order_of(turn.catalog)
    progress = turn.household.questions
    return _present(turn, domain.next_question(progress, turn.clock.night(), order))


def skip(turn: Turn) -> Reply:
    """Set tonight's question aside, uncounted, and give the next one."""
    order = order_of(turn.catalog)
    result = domain.skip(turn.household.questions, turn.clock.night(), order)
    reply = _present(turn, result)
    if result.step is not Step.SKIPPED:
        reply = reply.first("questions.nothing_to_skip")
    return reply


def again(turn: Turn) -> Reply:
    """Tonight's question once more, without moving on; tonight's if none is out yet."""
    progress = turn.household.questions
    if not progress.assigned_on(turn.clock.night(), order_of(turn.catalog)):
        return tonight(turn)
    text = text_of(turn.catalog, str(progress.current))
    reply = _who_first(turn, Reply.tell("questions.repeat", question=text), progress.starter)
    return reply.with_card("questions.card_title", "questions.card_body", question=text)


def nothing_said_yet(session: Mapping[str, Any], catalog: LocaleCatalog) -> bool:
    """True when this session has said nothing that could be repeated."""
    return remembered(session, catalog) is None


def which(turn: Turn) -> Reply:
    """Which set and question the household is on."""
    order = order_of(turn.catalog)
    where = domain.place(turn.household.questions, turn.clock.night(), order)
    if where.stage is Stage.NOT_STARTED:
        return Reply.tell("questions.which.start")
    if where.stage is Stage.REVISITING:
        return Reply.tell("questions.which.revisiting")
    key = "questions.which.tonight" if where.stage is Stage.TONIGHT else "questions.which.upcoming"
    return Reply.tell(key, set=where.set, number=where.number)


def start_over(turn: Turn) -> Reply:
    """Ask before clearing the household's place in the questions."""
    if domain.at_start(turn.household.questions):
        return Reply.tell("questions.start_over.already")
    return Reply.ask(
        "questions.start_over.confirm",
        "questions.start_over.reprompt",
        pending=Ask.START_QUESTIONS_OVER,
    ).with_session(**{CONTEXT: FEATURE})


def started_over(turn: Turn) -> Reply:
    """The yes to starting over: back to the first question, which becomes tonight's."""
    household = turn.household
    turn.update(replace(household, questions=domain.start_over(household.questions)))
    return tonight(turn).first("questions.start_over.done")


def kept_place(turn: Turn) -> Reply:
    """The no to starting over: nothing changes."""
    return Reply.tell("questions.start_over.kept")


# -- speaking a question ------------------------------------------------------


def _present(turn: Turn, result: Assignment) -> Reply:
    household = turn.household
    if result.progress != household.questions:
        turn.update(replace(household, questions=result.progress))
    text = text_of(turn.catalog, result.question)
    key = STEP_KEYS[result.step]
    if result.revisiting and result.step in (Step.NEW, Step.NEXT):
        key = "questions.revisit"
    reply = Reply.tell(key, question=text)
    if result.finished_now:
        reply = reply.first("questions.finished")
    elif result.opens_set is not None:
        reply = reply.first(f"questions.intro.set{result.opens_set}")
    reply = _who_first(turn, reply, result.progress.starter)
    return (
        reply.then("questions.hint")
        .with_card("questions.card_title", "questions.card_body", question=text)
        .with_session(**{CONTEXT: FEATURE})
    )


def _who_first(turn: Turn, reply: Reply, starter: int) -> Reply:
    names = turn.household.names
    if len(names) >= 2:
        return reply.then("questions.first_named", name=names[starter % 2])
    return reply.then("questions.first_nearest")
