"""Tonight's question: the household's shared question for the night, and moving through them.

Every function takes the Turn, reads the household once, asks the pure domain
(skill.domain.questions) what happens, stores the new progress and returns a Reply
by content key. A question reply ends the session (the couple needs time to talk);
a caller inside a flow that must stay open can ``keep_open`` the Reply it gets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from skill.domain import questions as domain
from skill.domain.questions import Assignment, Question, Stage, Step
from skill.reply import Reply
from skill.services import confirm
from skill.services.session import CONTEXT
from skill.speech.catalog import ContentError, LocaleCatalog, check_ssml_safe, per_catalog
from skill.speech.render import remembered
from skill.turn import Turn

FEATURE = "questions"
START_OVER = "questions.start_over"
MAX_WORDS = 30
CLOSED_OPENERS: tuple[str, ...] = (
    "do you",
    "does",
    "are you",
    "is",
    "have you",
    "has",
    "did you",
    "would you",
    "can you",
    "will you",
    "could you",
    "should you",
    "were you",
    "was",
)
"""Openings that invite a yes or a no; no question may start with one."""

SPEECH_KEYS: tuple[str, ...] = (
    "questions.tonight",
    "questions.same",
    "questions.next",
    "questions.skipped",
    "questions.revisit",
    "questions.repeat",
    "questions.card_body",
)
"""Keys that speak a question: each takes the ``{question}`` placeholder."""

STEP_KEYS: Mapping[Step, str] = {
    Step.SAME: "questions.same",
    Step.NEW: "questions.tonight",
    Step.NEXT: "questions.next",
    Step.SKIPPED: "questions.skipped",
}


# -- content ------------------------------------------------------------------


@per_catalog
def catalog_questions(catalog: LocaleCatalog) -> tuple[Question, ...]:
    """The questions of a locale, in the order the household hears them."""
    rows = catalog.table("questions")
    if not isinstance(rows, list):
        raise ContentError(f"{catalog.locale}: [[questions]] must be an array of tables")
    found: list[Question] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ContentError(f"{catalog.locale}: questions[{index}] is not a table")
        ident, number, text = row.get("id"), row.get("set"), row.get("text")
        if not isinstance(ident, str) or not isinstance(text, str):
            raise ContentError(f"{catalog.locale}: questions[{index}] needs an id and a text")
        if isinstance(number, bool) or not isinstance(number, int):
            raise ContentError(f"{catalog.locale}: question {ident!r} needs a set number")
        found.append(Question(ident, number, " ".join(text.split())))
    return tuple(sorted(found, key=lambda q: q.id))


def order_of(catalog: LocaleCatalog) -> tuple[str, ...]:
    return tuple(q.id for q in catalog_questions(catalog))


def text_of(catalog: LocaleCatalog, question_id: str) -> str:
    for question in catalog_questions(catalog):
        if question.id == question_id:
            return question.text
    raise ContentError(f"{catalog.locale}: no question {question_id!r}")


def question_problems(questions: Sequence[Question]) -> list[str]:
    """Everything wrong with a set of questions (empty when they are fit to ask)."""
    problems: list[str] = []
    if len(questions) != domain.TOTAL:
        problems.append(f"there are {len(questions)} questions, not {domain.TOTAL}")
    for number in range(1, domain.SETS + 1):
        count = sum(1 for q in questions if q.set == number)
        if count != domain.SET_SIZE:
            problems.append(f"set {number} has {count} questions, not {domain.SET_SIZE}")
    expected = [
        f"s{s}q{n:02d}" for s in range(1, domain.SETS + 1) for n in range(1, domain.SET_SIZE + 1)
    ]
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        problems.append("question ids are not unique")
    if sorted(ids) != expected:
        problems.append("question ids must run s1q01 to s3q12")
    texts = [_fold(q.text) for q in questions]
    if len(set(texts)) != len(texts):
        problems.append("two questions have the same text")
    for q in questions:
        match = domain.QUESTION_ID.match(q.id)
        if match and int(match.group(1)) != q.set:
            problems.append(f"{q.id} is in set {q.set}")
        if not q.text.endswith("?"):
            problems.append(f"{q.id} does not end with a question mark")
        if len(q.text.split()) > MAX_WORDS:
            problems.append(f"{q.id} is longer than {MAX_WORDS} words")
        if closed_opener(q.text):
            problems.append(f"{q.id} invites a yes or no answer")
        if "<" in q.text or ">" in q.text or "&" in q.text or "{" in q.text:
            problems.append(f"{q.id} holds markup or braces")
    return problems


def closed_opener(text: str) -> str | None:
    """The yes/no opener a question starts with, if any."""
    folded = _fold(text)
    for opener in CLOSED_OPENERS:
        if folded == opener or folded.startswith(opener + " "):
            return opener
    return None


def check_content(catalog: LocaleCatalog) -> None:
    """Raise ContentError if this feature's content is missing or malformed."""
    problems = question_problems(catalog_questions(catalog))
    for question in catalog_questions(catalog):
        check_ssml_safe(question.text, f"{catalog.locale}: question {question.id}")
    needed = (
        *SPEECH_KEYS,
        *(f"questions.intro.set{n}" for n in range(1, domain.SETS + 1)),
        "questions.finished",
        "questions.first_named",
        "questions.first_nearest",
        "questions.hint",
        "questions.card_title",
    )
    problems += [f"missing speech key {key!r}" for key in catalog.missing(needed)]
    for key in SPEECH_KEYS:
        if catalog.has(key) and not all("{question}" in v for v in catalog.variants(key)):
            problems.append(f"speech key {key!r} must speak {{question}}")
    if problems:
        raise ContentError(f"{catalog.locale}: questions: " + "; ".join(problems))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


# -- use cases ----------------------------------------------------------------


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
    progress = turn.household.questions
    result = domain.skip(progress, turn.clock.night(), order)
    reply = _present(turn, result)
    if result.step is not Step.SKIPPED:
        reply = reply.first("questions.nothing_to_skip")
    return reply


def again(turn: Turn) -> Reply:
    """Tonight's question once more, without moving on; tonight's if none is out yet."""
    order = order_of(turn.catalog)
    progress = turn.household.questions
    if not progress.assigned_on(turn.clock.night(), order):
        return tonight(turn)
    text = text_of(turn.catalog, str(progress.current))
    reply = Reply.tell("questions.repeat", question=text)
    reply = _who_first(turn, reply, progress.starter)
    return reply.with_card("questions.card_title", "questions.card_body", question=text)


def nothing_said_yet(turn: Turn) -> bool:
    """True when this session has said nothing that could be repeated."""
    return remembered(turn.session) is None


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
        "questions.start_over.confirm", "questions.start_over.reprompt", pending=START_OVER
    ).with_session(**{CONTEXT: FEATURE})


@confirm.on_answer(START_OVER)
def start_over_answer(turn: Turn, yes: bool) -> Reply:
    """Yes: back to the first question, which becomes tonight's. No: nothing changes."""
    if not yes:
        return Reply.tell("questions.start_over.kept")
    household = turn.household
    turn.update(replace(household, questions=domain.start_over(household.questions)))
    return tonight(turn).first("questions.start_over.done")


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
