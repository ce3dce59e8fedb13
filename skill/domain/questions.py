"""Tonight's question: which of the 36 questions a household hears, night by night.

Pure functions over ``QuestionProgress`` with the night (the date it began, 4 a.m.
boundary) passed in. A night's question is assigned once and then stays put, so asking
again, from any device, gives the same question; only "next" and "skip" move on within
a night. After the 36th question the household revisits earlier ones, picked
deterministically from the night and the progress so every device agrees.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any

SETS = 3
SET_SIZE = 12
TOTAL = SETS * SET_SIZE
RECENT_LIMIT = 12
"""How many recently heard question ids are remembered (for revisiting after the 36th)."""

QUESTION_ID = re.compile(r"^s([1-9])q(\d\d)$")


@dataclass(frozen=True)
class Question:
    """One question of the catalog."""

    id: str
    set: int
    text: str
    tender: bool = False
    """The question can stir old hurts: a gentle pointer to the check-in follows it."""
    task: bool = False
    """Something to do together rather than a question to answer (ends in a full stop)."""


class Step(Enum):
    """How a question came to be spoken."""

    SAME = "same"
    """Tonight's question was already assigned: nothing moved."""
    NEW = "new"
    """A new night's question (or the very first one)."""
    NEXT = "next"
    """The household asked for the next question within the night."""
    SKIPPED = "skipped"
    """The household skipped the question in play."""


class Stage(Enum):
    """Where a household stands, for "which question are we on"."""

    NOT_STARTED = "not_started"
    TONIGHT = "tonight"
    UPCOMING = "upcoming"
    REVISITING = "revisiting"


@dataclass(frozen=True)
class QuestionProgress:
    """What the household item keeps for this feature (small and bounded).

    ``position`` counts the questions of the sequence already behind the household
    (answered or skipped), 0..36; while it is below 36 the question in play is the one
    at that index. ``night`` and ``current`` are the latest assignment. ``given``
    counts every question handed out, and its parity says who answers first.
    """

    position: int = 0
    night: date | None = None
    current: str | None = None
    given: int = 0
    answered: int = 0
    skipped: int = 0
    recent: tuple[str, ...] = field(default_factory=tuple)

    @property
    def finished(self) -> bool:
        """All 36 questions are behind the household: it now revisits earlier ones."""
        return self.position >= TOTAL

    @property
    def starter(self) -> int:
        """Which partner (0 or 1) answers the question in play first."""
        return (self.given - 1) % 2 if self.given else 0

    def assigned_on(self, night: date, order: Sequence[str]) -> bool:
        """Whether a known question is already assigned for this night."""
        return self.night == night and self.current in order


@dataclass(frozen=True)
class Assignment:
    """The outcome of asking for a question: the new progress and what to say."""

    progress: QuestionProgress
    question: str
    step: Step
    finished_now: bool = False
    """This move took the household past the 36th question."""

    @property
    def revisiting(self) -> bool:
        return self.progress.finished

    @property
    def opens_set(self) -> int | None:
        """The set number when this question is the first of its set, else None."""
        position = self.progress.position
        if self.revisiting or position % SET_SIZE:
            return None
        return position // SET_SIZE + 1


@dataclass(frozen=True)
class Place:
    """Where the household is in the questions."""

    stage: Stage
    set: int = 1
    number: int = 1


def tonight(progress: QuestionProgress, night: date, order: Sequence[str]) -> Assignment:
    """Tonight's question: the one already assigned for this night, or the next in turn.

    Idempotent for a night: called again with the progress it returned, it returns
    the same question and the same progress.
    """
    if progress.assigned_on(night, order):
        return Assignment(progress, str(progress.current), Step.SAME)
    if progress.current not in order:
        return _assign(progress, night, order, Step.NEW)
    return _move_on(progress, night, order, Step.NEW, answered=True)


def next_question(progress: QuestionProgress, night: date, order: Sequence[str]) -> Assignment:
    """Move on from tonight's question. With none out tonight yet, tonight's is the next."""
    if not progress.assigned_on(night, order):
        return tonight(progress, night, order)
    return _move_on(progress, night, order, Step.NEXT, answered=True)


def skip(progress: QuestionProgress, night: date, order: Sequence[str]) -> Assignment:
    """Move past tonight's question without counting it as answered.

    With no question out tonight there is nothing to skip: tonight's is given.
    """
    if not progress.assigned_on(night, order):
        return tonight(progress, night, order)
    return _move_on(progress, night, order, Step.SKIPPED, answered=False)


def start_over(progress: QuestionProgress) -> QuestionProgress:
    """Back to the first question; lifetime counters and the recent list are kept."""
    return replace(progress, position=0, night=None, current=None)


def at_start(progress: QuestionProgress) -> bool:
    """Nothing to start over: no question has been handed out since the last reset."""
    return progress.position == 0 and progress.current is None


def place(progress: QuestionProgress, night: date, order: Sequence[str]) -> Place:
    """Which set and question the household is on tonight, or will be on next."""
    if progress.finished:
        return Place(Stage.REVISITING)
    if progress.current not in order:
        return (
            Place(Stage.NOT_STARTED)
            if progress.position == 0
            else _place(Stage.UPCOMING, progress.position)
        )
    if progress.assigned_on(night, order):
        return _place(Stage.TONIGHT, progress.position)
    upcoming = progress.position + 1
    if upcoming >= TOTAL:
        return Place(Stage.REVISITING)
    return _place(Stage.UPCOMING, upcoming)


def revisit_pick(order: Sequence[str], recent: Sequence[str], seed: str) -> str:
    """An earlier question, favouring those not heard recently; the same for the same seed."""
    if not order:
        raise ValueError("no questions to pick from")
    fresh = [q for q in order if q not in recent]
    if not fresh:
        fresh = [q for q in order if not recent or q != recent[-1]] or list(order)
    return random.Random(seed).choice(fresh)


def _place(stage: Stage, position: int) -> Place:
    return Place(stage, set=position // SET_SIZE + 1, number=position % SET_SIZE + 1)


def _move_on(
    progress: QuestionProgress, night: date, order: Sequence[str], step: Step, *, answered: bool
) -> Assignment:
    was_finished = progress.finished
    moved = replace(
        progress,
        position=min(progress.position + 1, TOTAL),
        answered=progress.answered + (1 if answered else 0),
        skipped=progress.skipped + (0 if answered else 1),
    )
    assignment = _assign(moved, night, order, step)
    return replace(assignment, finished_now=moved.finished and not was_finished)


def _assign(
    progress: QuestionProgress, night: date, order: Sequence[str], step: Step
) -> Assignment:
    if progress.position < min(TOTAL, len(order)):
        question = order[progress.position]
    else:
        seed = f"{night.isoformat()}/{progress.given}"
        question = revisit_pick(order, progress.recent, seed)
    recent = (*(q for q in progress.recent if q != question), question)
    assigned = replace(
        progress,
        night=night,
        current=question,
        given=progress.given + 1,
        recent=recent[-RECENT_LIMIT:],
    )
    return Assignment(assigned, question, step)


def is_question_id(value: Any) -> bool:
    return isinstance(value, str) and QUESTION_ID.match(value) is not None
