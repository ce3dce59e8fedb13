"""Tonight's question: which question a household hears, night by night.

Pure functions over ``QuestionProgress`` with the night (the date it began, 4 a.m.
boundary) passed in. A night's question is assigned once and then stays put, so asking
again, from any device, gives the same question; only "next", "skip" and choosing a deck
move on within a night. After the 36th question the household carries on into the
themed decks, one deck after another in turn, unless it picks a deck, which it then
follows until that deck runs out. Only when every deck is used up do earlier questions
come back, picked deterministically from the night and the progress so every device agrees.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any

SETS = 3
SET_SIZE = 12
TOTAL = SETS * SET_SIZE
RECENT_LIMIT = 12
"""How many recently heard question ids are remembered (for revisiting after the 36th)."""

MAX_DEALT = 99
"""No deck holds more questions than this (a stored position is clamped to it)."""

QUESTION_ID = re.compile(r"^s([1-9])q(\d\d)$")
DECK_QUESTION_ID = re.compile(r"^([a-z]{2})(\d\d)$")
DECK_CODE = re.compile(r"^[a-z]{2}$")


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


@dataclass(frozen=True)
class Deck:
    """A themed deck after the 36: its stable two-letter code and its question ids, in order."""

    code: str
    questions: tuple[str, ...]


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
    CHOSEN = "chosen"
    """The household picked a deck (or asked to be surprised): its next question."""


class Stage(Enum):
    """Where a household stands, for "which question are we on"."""

    NOT_STARTED = "not_started"
    TONIGHT = "tonight"
    UPCOMING = "upcoming"
    REVISITING = "revisiting"
    """Everything has been heard (the 36 and every deck): earlier questions come back."""


@dataclass(frozen=True)
class QuestionProgress:
    """What the household item keeps for this feature (small and bounded).

    ``position`` counts the questions of the sequence already behind the household
    (answered or skipped), 0..36; while it is below 36 the question in play is the one
    at that index. ``night`` and ``current`` are the latest assignment. ``given``
    counts every question handed out; ``nights`` counts the nights a question was handed
    out and ``tonight`` the questions handed out on the latest one: who answers first
    alternates night by night, and question by question within a night.
    ``dealt`` says how many questions of each deck (by code) are behind the household,
    ``deck`` is the deck the household picked (until it runs out) and ``turn`` the index
    of the deck that carries on next when none is picked.
    """

    position: int = 0
    night: date | None = None
    current: str | None = None
    given: int = 0
    answered: int = 0
    skipped: int = 0
    recent: tuple[str, ...] = field(default_factory=tuple)
    deck: str | None = None
    dealt: tuple[tuple[str, int], ...] = ()
    turn: int = 0
    nights: int = 0
    tonight: int = 0

    def dealt_in(self, code: str) -> int:
        """How many questions of a deck are behind the household."""
        return dict(self.dealt).get(code, 0)

    def head(self, deck: Deck) -> str | None:
        """The deck's next question, or None when the household has been through it all."""
        count = self.dealt_in(deck.code)
        return deck.questions[count] if count < len(deck.questions) else None

    @property
    def finished(self) -> bool:
        """All 36 questions are behind the household: it now revisits earlier ones."""
        return self.position >= TOTAL

    @property
    def starter(self) -> int:
        """Which partner (0 or 1) answers the question in play first: partner 0 on the first
        night, the other partner the next night, and in turn within a night."""
        if not self.nights:
            return (self.given - 1) % 2 if self.given else 0
        return (self.nights - 1 + max(self.tonight, 1) - 1) % 2

    def assigned_on(self, night: date, known: Collection[str]) -> bool:
        """Whether a known question is already assigned for this night."""
        return self.night == night and self.current in known


@dataclass(frozen=True)
class Assignment:
    """The outcome of asking for a question: the new progress and what to say."""

    progress: QuestionProgress
    question: str
    step: Step
    finished_now: bool = False
    """This move took the household past the 36th question."""
    deck: Deck | None = None
    """The deck the question comes from (None for the 36 and for a question revisited)."""
    revisiting: bool = False
    """An earlier question brought back: everything has been heard."""

    @property
    def opens_set(self) -> int | None:
        """The set number when this question is the first of its set, else None."""
        position = self.progress.position
        if self.step is Step.SAME or self.revisiting or self.deck is not None:
            return None
        if position % SET_SIZE:
            return None
        return position // SET_SIZE + 1

    @property
    def number(self) -> int:
        """Where the question stands in its deck, from 1 (for a deck question)."""
        return self.progress.dealt_in(self.deck.code) + 1 if self.deck else 0


@dataclass(frozen=True)
class Place:
    """Where the household is in the questions."""

    stage: Stage
    set: int = 1
    number: int = 1
    deck: Deck | None = None
    """The deck tonight's (or the upcoming) question comes from, if any."""


Decks = Sequence[Deck]


def tonight(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks = ()
) -> Assignment:
    """Tonight's question: the one already assigned for this night, or the next in turn.

    Idempotent for a night: called again with the progress it returned, it returns
    the same question and the same progress.
    """
    known = known_ids(order, decks)
    if progress.assigned_on(night, known):
        return _same(progress, decks)
    if progress.current not in known:
        return _assign(progress, night, order, decks, Step.NEW)
    return _move_on(progress, night, order, decks, Step.NEW, answered=True)


def next_question(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks = ()
) -> Assignment:
    """Move on from tonight's question. With none out tonight yet, tonight's is the next."""
    if not progress.assigned_on(night, known_ids(order, decks)):
        return tonight(progress, night, order, decks)
    return _move_on(progress, night, order, decks, Step.NEXT, answered=True)


def skip(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks = ()
) -> Assignment:
    """Move past tonight's question without counting it as answered.

    With no question out tonight there is nothing to skip: tonight's is given.
    """
    if not progress.assigned_on(night, known_ids(order, decks)):
        return tonight(progress, night, order, decks)
    return _move_on(progress, night, order, decks, Step.SKIPPED, answered=False)


def choose_deck(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks, code: str
) -> Assignment | None:
    """The picked deck's next question becomes tonight's; None if the deck is used up.

    A question already out tonight is set aside, not counted: it stays first in line in
    its own set or deck. Last night's question counts as answered, as on any new night.
    """
    deck = deck_of_code(decks, code)
    if deck is None or progress.head(deck) is None:
        return None
    known = known_ids(order, decks)
    chosen = replace(progress, deck=deck.code)
    if progress.assigned_on(night, known):
        if progress.current == progress.head(deck):
            return _same(chosen, decks)
        return _assign(chosen, night, order, decks, Step.CHOSEN)
    if progress.current not in known:
        return _assign(chosen, night, order, decks, Step.CHOSEN)
    return _move_on(chosen, night, order, decks, Step.CHOSEN, answered=True)


def surprise(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks
) -> Assignment | None:
    """A deck picked for the household (not the one it is in), or None if all are used up."""
    playing = deck_in_play(progress, decks)
    left = [deck for deck in decks if progress.head(deck) is not None]
    others = [deck for deck in left if deck != playing] or left
    if not others:
        return None
    pick = random.Random(f"{night.isoformat()}/{progress.given}/surprise").choice(others)
    return choose_deck(progress, night, order, decks, pick.code)


def start_over(progress: QuestionProgress) -> QuestionProgress:
    """Back to the first question; lifetime counters, decks and the recent list are kept."""
    return replace(progress, position=0, night=None, current=None, deck=None)


def at_start(progress: QuestionProgress) -> bool:
    """Nothing to start over: no question has been handed out since the last reset."""
    return progress.position == 0 and progress.current is None


def place(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks = ()
) -> Place:
    """Which set or deck and question the household is on tonight, or will be on next."""
    if progress.position == 0 and progress.current not in known_ids(order, decks):
        return Place(Stage.NOT_STARTED)
    result = tonight(progress, night, order, decks)
    if result.revisiting:
        return Place(Stage.REVISITING)
    stage = Stage.TONIGHT if result.step is Step.SAME else Stage.UPCOMING
    if result.deck is not None:
        return Place(stage, number=result.number, deck=result.deck)
    return _place(stage, result.progress.position)


def revisit_pick(order: Sequence[str], recent: Sequence[str], seed: str) -> str:
    """An earlier question, favouring those not heard recently; the same for the same seed."""
    if not order:
        raise ValueError("no questions to pick from")
    fresh = [q for q in order if q not in recent]
    if not fresh:
        fresh = [q for q in order if not recent or q != recent[-1]] or list(order)
    return random.Random(seed).choice(fresh)


def known_ids(order: Sequence[str], decks: Decks) -> frozenset[str]:
    """Every question id the household can be given."""
    return frozenset(order).union(*(deck.questions for deck in decks))


def deck_of_code(decks: Decks, code: str | None) -> Deck | None:
    return next((deck for deck in decks if deck.code == code), None)


def deck_in_play(progress: QuestionProgress, decks: Decks) -> Deck | None:
    """The deck whose next question is the one in play, if any."""
    current = progress.current
    return next((deck for deck in decks if current and progress.head(deck) == current), None)


def _place(stage: Stage, position: int) -> Place:
    return Place(stage, set=position // SET_SIZE + 1, number=position % SET_SIZE + 1)


def _same(progress: QuestionProgress, decks: Decks) -> Assignment:
    deck = deck_in_play(progress, decks)
    revisiting = deck is None and progress.finished
    return Assignment(progress, str(progress.current), Step.SAME, deck=deck, revisiting=revisiting)


def _move_on(
    progress: QuestionProgress,
    night: date,
    order: Sequence[str],
    decks: Decks,
    step: Step,
    *,
    answered: bool,
) -> Assignment:
    was_finished = progress.finished
    moved = replace(
        _behind(progress, order, decks),
        answered=progress.answered + (1 if answered else 0),
        skipped=progress.skipped + (0 if answered else 1),
    )
    assignment = _assign(moved, night, order, decks, step)
    return replace(assignment, finished_now=moved.finished and not was_finished)


def _behind(progress: QuestionProgress, order: Sequence[str], decks: Decks) -> QuestionProgress:
    """The question in play put behind the household, in the set or deck it came from."""
    deck = deck_in_play(progress, decks)
    if deck is not None:
        dealt = {**dict(progress.dealt), deck.code: progress.dealt_in(deck.code) + 1}
        return replace(progress, dealt=tuple(sorted(dealt.items())))
    if not decks or progress.position < min(TOTAL, len(order)):
        return replace(progress, position=min(progress.position + 1, TOTAL))
    return progress


def _assign(
    progress: QuestionProgress, night: date, order: Sequence[str], decks: Decks, step: Step
) -> Assignment:
    progress, question, deck = _pick(progress, order, decks)
    revisiting = question is None
    if question is None:
        seed = f"{night.isoformat()}/{progress.given}"
        question = revisit_pick((*order, *known_ids((), decks)), progress.recent, seed)
    recent = (*(q for q in progress.recent if q != question), question)
    same_night = progress.night == night
    assigned = replace(
        progress,
        night=night,
        current=question,
        given=progress.given + 1,
        recent=recent[-RECENT_LIMIT:],
        nights=progress.nights + (0 if same_night else 1),
        tonight=progress.tonight + 1 if same_night else 1,
    )
    return Assignment(assigned, question, step, deck=deck, revisiting=revisiting)


def _pick(
    progress: QuestionProgress, order: Sequence[str], decks: Decks
) -> tuple[QuestionProgress, str | None, Deck | None]:
    """Who is next in line: the picked deck, the 36, then each deck in turn; None if all heard."""
    chosen = deck_of_code(decks, progress.deck)
    if chosen is not None and (head := progress.head(chosen)) is not None:
        return progress, head, chosen
    progress = replace(progress, deck=None)
    if progress.position < min(TOTAL, len(order)):
        return progress, order[progress.position], None
    for step in range(len(decks)):
        index = (progress.turn + step) % len(decks)
        if (head := progress.head(decks[index])) is not None:
            return replace(progress, turn=(index + 1) % len(decks)), head, decks[index]
    return progress, None, None


def is_question_id(value: Any) -> bool:
    """One of the 36 (s1q01) or a deck question (me01)."""
    return isinstance(value, str) and (
        QUESTION_ID.match(value) is not None or DECK_QUESTION_ID.match(value) is not None
    )
