"""Tonight's questions as the content holds them: read once per catalog, and checked."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from skill.content.catalog import ContentError, LocaleCatalog, check_ssml_safe, per_catalog
from skill.domain import questions as domain
from skill.domain.questions import Question

MAX_WORDS = 30
SPOKEN = re.compile(r"[A-Za-z][A-Za-z ,.?'-]*")
"""What a question may hold: letters, spaces, commas, full stops, question marks, apostrophes
and hyphens (no digits, colons or symbols a voice would stumble on)."""
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

QUESTION_KEYS: tuple[str, ...] = (
    "questions.tonight",
    "questions.same",
    "questions.next",
    "questions.skipped",
    "questions.revisit",
    "questions.repeat",
    "questions.card_body",
)
"""Keys that speak a question: each takes the ``{question}`` placeholder."""


@per_catalog
def catalog_questions(catalog: LocaleCatalog) -> tuple[Question, ...]:
    """The questions of a locale, in the order the household hears them."""
    rows = catalog.table("questions")
    if not isinstance(rows, list):
        raise ContentError(f"{catalog.locale}: [[questions]] must be an array of tables")
    found = [_question(catalog.locale, index, row) for index, row in enumerate(rows)]
    return tuple(sorted(found, key=lambda q: q.id))


def _question(locale: str, index: int, row: object) -> Question:
    if not isinstance(row, Mapping):
        raise ContentError(f"{locale}: questions[{index}] is not a table")
    ident, number, text = row.get("id"), row.get("set"), row.get("text")
    if not isinstance(ident, str) or not isinstance(text, str):
        raise ContentError(f"{locale}: questions[{index}] needs an id and a text")
    if isinstance(number, bool) or not isinstance(number, int):
        raise ContentError(f"{locale}: question {ident!r} needs a set number")
    return Question(ident, number, " ".join(text.split()), *markers(locale, ident, row))


def markers(locale: str, ident: str, row: Mapping[str, object]) -> tuple[bool, bool]:
    """A row's ``tender`` and ``kind`` markers as (tender, task); anything else is an error."""
    tender, kind = row.get("tender", False), row.get("kind", "question")
    if not isinstance(tender, bool):
        raise ContentError(f"{locale}: question {ident!r}: tender must be true or false")
    if kind not in ("question", "task"):
        raise ContentError(f"{locale}: question {ident!r}: kind must be question or task")
    return tender, kind == "task"


@per_catalog
def order_of(catalog: LocaleCatalog) -> tuple[str, ...]:
    """Question ids in the order the household hears them."""
    return tuple(q.id for q in catalog_questions(catalog))


@per_catalog
def _texts(catalog: LocaleCatalog) -> Mapping[str, str]:
    return {q.id: q.text for q in catalog_questions(catalog)}


def text_of(catalog: LocaleCatalog, question_id: str) -> str:
    try:
        return _texts(catalog)[question_id]
    except KeyError:
        raise ContentError(f"{catalog.locale}: no question {question_id!r}") from None


def question_problems(questions: Sequence[Question]) -> list[str]:
    """Everything wrong with a set of questions (empty when they are fit to ask)."""
    problems = _count_problems(questions)
    texts = [_fold(q.text) for q in questions]
    if len(set(texts)) != len(texts):
        problems.append("two questions have the same text")
    for question in questions:
        problems += _text_problems(question)
    return problems


def _count_problems(questions: Sequence[Question]) -> list[str]:
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
    return problems


def _text_problems(question: Question) -> list[str]:
    problems: list[str] = []
    match = domain.QUESTION_ID.match(question.id)
    if match and int(match.group(1)) != question.set:
        problems.append(f"{question.id} is in set {question.set}")
    problems += spoken_problems(question)
    return problems


@functools.cache
def spoken_problems(question: Question) -> tuple[str, ...]:
    """What keeps one question or task from being read aloud as it should (any set or deck).
    Cached: the locales share most questions, and each locale checks them at start-up."""
    problems: list[str] = []
    if question.task and (not question.text.endswith(".") or "?" in question.text):
        problems.append(f"{question.id} is a task: it ends with a full stop and asks nothing")
    if not question.task and not question.text.endswith("?"):
        problems.append(f"{question.id} does not end with a question mark")
    if len(question.text.split()) > MAX_WORDS:
        problems.append(f"{question.id} is longer than {MAX_WORDS} words")
    if closed_opener(question.text):
        problems.append(f"{question.id} invites a yes or no answer")
    if any(char in question.text for char in "<>&{"):
        problems.append(f"{question.id} holds markup or braces")
    elif not SPOKEN.fullmatch(question.text):
        problems.append(f"{question.id} holds characters not meant for speech")
    return tuple(problems)


def closed_opener(text: str) -> str | None:
    """The yes/no opener a question starts with, if any."""
    folded = _fold(text)
    for opener in CLOSED_OPENERS:
        if folded == opener or folded.startswith(opener + " "):
            return opener
    return None


def check(catalog: LocaleCatalog) -> None:
    """Raise ContentError if the questions or their lines are missing or malformed."""
    problems = question_problems(catalog_questions(catalog))
    for question in catalog_questions(catalog):
        check_ssml_safe(question.text, f"{catalog.locale}: question {question.id}")
    for key in QUESTION_KEYS:
        if catalog.has(key) and not all("{question}" in v for v in catalog.variants(key)):
            problems.append(f"speech key {key!r} must speak {{question}}")
    if problems:
        raise ContentError(f"{catalog.locale}: questions: " + "; ".join(problems))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())
